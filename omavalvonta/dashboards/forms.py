"""The unit timeline's filter: one area, a period, and the cursor of an older page."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.dateparse import parse_datetime
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from omavalvonta.core.forms import DateField, DateInput
from omavalvonta.core.lib.dates import day_start


def _attrs(attrs: dict) -> str:
    """Django's widgets/attrs.html in Python: ` name="value"`, ` name` for True, nothing for False."""
    return "".join(
        f" {conditional_escape(name)}" if value is True else f' {conditional_escape(name)}="{conditional_escape(str(value))}"'
        for name, value in attrs.items()
        if value is not False
    )


class AreaSelect(forms.Select):
    """The area filter, written in Python: the same HTML as Django's select.html
    and select_option.html, without their template include per option (on
    every page of the timeline they cost as much as the rest of the page's
    template)."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        if any(group for group, _options, _index in widget["optgroups"]):
            return super().render(name, value, attrs, renderer)
        html = [format_html('<select name="{}"', widget["name"]), _attrs(widget["attrs"]), ">"]
        for _group, options, _index in widget["optgroups"]:
            for option in options:
                html.append(format_html('\n  <option value="{}"', str(option["value"])))
                html += [_attrs(option["attrs"]), format_html(">{}</option>\n", option["label"])]
        html.append("\n</select>")
        return mark_safe("".join(html))  # noqa: S308 -- every value escaped above


class TimelineFilterForm(forms.Form):
    area = forms.ChoiceField(label=_("Area"), required=False, widget=AreaSelect)
    date_from = DateField(label=_("From"), required=False, widget=DateInput())
    date_to = DateField(label=_("Until"), required=False, widget=DateInput())
    before = forms.CharField(required=False, widget=forms.HiddenInput())

    def __init__(self, *args, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [("", _("All areas")), *areas]

    def clean_before(self):
        raw = (self.cleaned_data.get("before") or "").strip()
        if not raw:
            return None
        try:
            moment = parse_datetime(raw)
        except ValueError:
            moment = None
        if moment is None or moment.tzinfo is None:
            raise forms.ValidationError(_("The page address is not valid. Start again from the newest events."))
        return moment

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end of the period must not be before its start."))
        return data

    def window(self) -> tuple[dt.datetime | None, dt.datetime | None]:
        """(after, before) for the timeline: the period's days, narrowed by the cursor."""
        data = self.cleaned_data
        after = day_start(data["date_from"]) if data.get("date_from") else None
        before = day_start(data["date_to"] + dt.timedelta(days=1)) if data.get("date_to") else None
        cursor = data.get("before")
        if cursor is not None and (before is None or cursor < before):
            before = cursor
        return after, before
