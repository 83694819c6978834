"""The unit timeline's filter: one area, a period, and the cursor of an older page."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from omavalvonta.core.forms import DateField, DateInput
from omavalvonta.core.lib.dates import day_start
from omavalvonta.core.widgets import QuickSelect


class TimelineFilterForm(forms.Form):
    area = forms.ChoiceField(label=_("Area"), required=False, widget=QuickSelect)
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
