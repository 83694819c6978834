"""What the deviation list's template loops over, computed once in Python.

The list shows 20 reports (and the priority reports above them on its first
page) in one table that is a card per report on a phone (app.css). Its template
reads plain dicts: the labels of a kind, state and risk level are translated
once per value, the dates formatted without the template filters and the
report's address built without one `{% url %}` per row; `table_html` and
`cards_html` write those rows out (the markup the template's loops wrote,
without some thirty variable lookups a row). `filter_bar` writes the
filter form's select, date and checkbox fields out the same way: the same
markup as `components/filters.html` with `field.html` and `check.html`, without
a widget template per option; a form with errors keeps the components (they
show the errors and their summary)."""

import datetime as dt
import functools
import html
import re
from typing import NamedTuple

from django import forms
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from omavalvonta.core.widgets import QuickSelect
from omavalvonta.deviations.models import Kind, RiskLevel, State


def _date(value, tz=None) -> str:
    """`value|date:"j.n.Y"`: an aware datetime in the current time zone (`tz`, when
    the caller has it at hand)."""
    if value is None:
        return ""
    if hasattr(value, "tzinfo"):
        value = timezone.localtime(value) if tz is None else value.astimezone(tz)
    return f"{value.day}.{value.month}.{value.year}"


def datetime_text(value) -> str:
    """`value|date:"j.n.Y G.i"`."""
    value = timezone.localtime(value)
    return f"{value.day}.{value.month}.{value.year} {value.hour}.{value.minute:02d}"


def detail_url_prefix() -> str:
    """The report page's address without its number: "/poikkeamat/"."""
    url = reverse("deviations:detail", args=[0])
    assert url.endswith("/0/"), url
    return url[:-2]


@functools.lru_cache(maxsize=8)
def _labels(language: str | None) -> tuple[dict, dict, dict, dict]:
    """The labels of the kinds, states and risk levels in `language` (the active
    one: the translations do not change while the server runs)."""
    kinds = {value: str(label) for value, label in Kind.choices}
    states = {value: str(label) for value, label in State.choices}
    risks = {value: str(label) for value, label in RiskLevel.choices}
    # A phone's card has no column heads: its risk badge names itself.
    risks_named = {value: _("Risk: %(level)s") % {"level": label} for value, label in risks.items()}
    return kinds, states, risks, risks_named


class ListRow(NamedTuple):
    """What a list row shows of a report: a values query's row of `LIST_ROW_VALUES`
    (a report's texts and its sixty other columns stay in the database)."""

    pk: int
    number: str
    kind: str
    state: str
    is_critical: bool
    notification_due_at: dt.datetime | None
    notification_done_at: dt.datetime | None
    risk_level: str
    submitted_at: dt.datetime
    due_date: dt.date
    unit_name: str
    handler_id: int | None
    handler_full_name: str | None
    handler_email: str | None


LIST_ROW_VALUES = (*ListRow._fields[:10], "unit__name", "handler_id", "handler__full_name", "handler__email")


def list_rows(deviations, *, today=None, prefix: str | None = None) -> list[dict]:
    """One dict per report (`ListRow`s) in the given order. `prefix`:
    `detail_url_prefix()`, when the caller has it already."""
    if not deviations:
        return []
    today = today or timezone.localdate()
    tz = timezone.get_current_timezone()
    prefix = prefix or detail_url_prefix()
    kinds, states, risks, risks_named = _labels(translation.get_language())
    rows = []
    for d in deviations:
        is_open = d.state != State.CLOSED
        overdue = is_open and d.due_date < today
        rows.append(
            {
                "pk": d.pk,
                "url": f"{prefix}{d.pk}/",
                "number": d.number,
                "kind": kinds.get(d.kind, d.kind),
                "grievance": d.kind == Kind.GRIEVANCE,
                "critical": d.is_critical,
                # The § 28 statutory notification not yet made.
                "notify": d.notification_due_at is not None and d.notification_done_at is None,
                "notify_by": datetime_text(d.notification_due_at) if d.notification_due_at else "",
                "state": d.state,
                "state_label": states.get(d.state, d.state),
                "risk": d.risk_level,
                "risk_label": risks.get(d.risk_level, d.risk_level) if d.risk_level else "",
                "risk_phone": risks_named.get(d.risk_level, d.risk_level) if d.risk_level else "",
                "unit": d.unit_name,
                "submitted": _date(d.submitted_at, tz),
                # A person's name, else their e-mail (User.__str__).
                "handler": (d.handler_full_name or d.handler_email) if d.handler_id else "",
                "due": _date(d.due_date, tz),
                "overdue": overdue,
                # Deviation.stands_out.
                "stands_out": is_open and (d.kind == Kind.GRIEVANCE or d.is_critical or d.notification_due_at is not None),
            }
        )
    return rows


# --- The rows' markup --------------------------------------------------------------------


# A character html.escape changes: most names, numbers and dates have none.
_SPECIAL = re.compile(r"[&<>\"']").search


def _escaped_str(text: str) -> str:
    """html.escape(text), without its five replaces when nothing needs escaping."""
    return html.escape(text) if _SPECIAL(text) else text


def _escaped(text) -> str:
    """conditional_escape without a SafeString a call: a region's hundred units are as many options."""
    if type(text) is str:  # a name or a number as read: most values, the cheapest test
        return html.escape(text) if _SPECIAL(text) else text
    return text.__html__() if hasattr(text, "__html__") else _escaped_str(str(text))


def _badge(show: bool, kind: str, label: str, *, before: str = "") -> str:
    return f'{before}<span class="badge badge--{kind}">{label}</span>' if show else ""


def _badge_labels(grievance: str) -> dict:
    # Not escaped, as {% translate %} does not escape a translation.
    return {"grievance": grievance, "notify": _("§ 28: notify"), "critical": _("Critical"), "overdue": _("Overdue")}


def _table_row(d: dict, labels: dict) -> str:
    e = _escaped
    classes = ("is-overdue" if d["overdue"] else "") + (" is-stand-out" if d["stands_out"] else "")
    badges = (
        _badge(d["grievance"], "grievance", labels["grievance"], before=" ")
        + _badge(d["notify"], "serious", labels["notify"], before=" ")
        + _badge(d["critical"], "critical", labels["critical"], before=" ")
    )
    if d["risk"]:
        risk = (
            f'<span class="badge badge--{e(d["risk"])}"><span class="dv-wide">{e(d["risk_label"])}</span>'
            f'<span class="dv-phone">{e(d["risk_phone"])}</span></span>'
        )
    else:
        risk = '<span class="muted">–</span>'
    return (
        f'\n      <tr class="{classes}">\n'
        f'        <td class="dv-number"><a href="{e(d["url"])}">{e(d["number"])}</a></td>\n'
        f'        <td class="dv-kind">{e(d["kind"])}{badges}</td>\n'
        f'        <td class="dv-unit">{e(d["unit"])}</td>\n'
        f'        <td class="dv-date">{e(d["submitted"])}</td>\n'
        f'        <td class="dv-state"><span class="badge badge--{e(d["state"])}">{e(d["state_label"])}</span></td>\n'
        f'        <td class="dv-risk">{risk}</td>\n'
        f'        <td class="dv-handler">{e(d["handler"] or "–")}</td>\n'
        f'        <td class="dv-due{" is-overdue" if d["overdue"] else ""}"><span class="dv-wide">{e(d["due"])}</span>'
        f'{_badge(d["overdue"], "overdue", labels["overdue"], before=" ")}</td>\n'
        "      </tr>\n      "
    )


def table_html(rows: list[dict]) -> str:
    """The list table's rows (`list_rows`) as deviations/list.html shows them."""
    labels = _badge_labels(_("§ 29"))
    return mark_safe("".join(_table_row(d, labels) for d in rows))  # noqa: S308 -- every value escaped


def _card(d: dict, labels: dict) -> str:
    e = _escaped
    notify_by = _("notify by %(due)s") % {"due": e(d["notify_by"])} if d["notify"] else ""
    meta = [
        _badge(d["grievance"], "grievance", labels["grievance"]),
        _badge(d["notify"], "serious", labels["notify"]),
        _badge(d["critical"], "critical", labels["critical"]),
        _badge(True, e(d["state"]), e(d["state_label"])),
        _badge(bool(d["risk"]), e(d["risk"]), e(d["risk_phone"])),
        _badge(d["overdue"], "overdue", labels["overdue"]),
        f"<span>{e(d['unit'])}</span>",
        f"<span>{notify_by}</span>" if notify_by else "",
    ]
    title = f'<span class="list-cards__title">{e(d["kind"])} · {e(d["number"])}</span>'
    meta_lines = "\n        ".join(meta)
    link = f'<a href="{e(d["url"])}">'
    return f'\n    <li>{link}\n      {title}\n      <span class="list-cards__meta">\n        {meta_lines}\n      </span></a></li>\n    '


def cards_html(rows: list[dict]) -> str:
    """The priority reports (`list_rows`) as cards, as deviations/list.html shows them."""
    labels = _badge_labels(_("§ 29 grievance"))
    return mark_safe("".join(_card(d, labels) for d in rows))  # noqa: S308 -- every value escaped


# --- The filter bar ----------------------------------------------------------------------


def _select(bound, value) -> dict:
    chosen = "" if value is None else str(value)
    options = []
    for option, label in bound.field.choices:
        option = str(option)
        options.append(f'<option value="{_escaped_str(option)}"{" selected" if option == chosen else ""}>{_escaped(label)}</option>')
    return {"options": mark_safe("\n".join(options))}  # noqa: S308 -- every value escaped


def _plain(bound) -> bool:
    """A field the bar writes out itself: a select, a date or a checkbox with no
    attributes of its own, not required, disabled or hidden."""
    widget = bound.field.widget
    plain_type = (
        # Django's select, or the same select written in Python (core.widgets).
        type(widget) in (forms.Select, QuickSelect)
        or isinstance(widget, forms.CheckboxInput)
        or (isinstance(widget, forms.DateInput) and widget.input_type == "date")
    )
    return (
        plain_type
        and not widget.attrs
        and not bound.field.required
        and not bound.field.disabled
        and not bound.field.show_hidden_initial
        and not bound.field.localize
    )


def filter_bar(form) -> list[dict] | None:
    """The filter bar's fields as dicts for deviations/_filter_bar.html, or None
    when the form has errors or a field the bar does not write out: the page then
    includes components/filters.html."""
    if form.is_bound and form.errors:
        return None
    fields = []
    for bound in form.shown_fields():
        if not _plain(bound):
            return None
        widget = bound.field.widget
        value = bound.value()
        help_text = bound.help_text
        entry = {
            "name": bound.html_name,
            "id": bound.auto_id,
            "label": bound.label,
            "help": help_text,
            "described": format_html(' aria-describedby="{}_helptext"', bound.auto_id) if help_text else "",
        }
        if isinstance(widget, forms.CheckboxInput):
            entry["type"] = "checkbox"
            entry["checked"] = widget.check_test(value)
        elif isinstance(widget, forms.DateInput):
            entry["type"] = "date"
            entry["value"] = "" if value in (None, "") else widget.format_value(value)
        else:
            entry["type"] = "select"
            entry.update(_select(bound, value))
        fields.append(entry)
    return fields


def _bar_field(f: dict) -> str:
    e = _escaped
    field_id = e(f["id"])
    help_ = f'<span class="help" id="{field_id}_helptext">{e(f["help"])}</span>' if f["help"] else ""
    if f["type"] == "checkbox":
        return (
            f'\n  <div class="field" id="{field_id}_field">\n'
            '    <ul class="choice-list">\n'
            f'      <li><label for="{field_id}"><input type="checkbox" name="{e(f["name"])}"{f["described"]}'
            f' id="{field_id}"{" checked" if f["checked"] else ""}>\n'
            f"        <span>{e(f['label'])}{help_}</span>\n"
            "      </label></li>\n"
            "    </ul>\n"
            "  </div>"
        )
    if f["type"] == "date":
        value = f' value="{e(f["value"])}"' if f["value"] else ""
        control = f'<input type="date" name="{e(f["name"])}"{value}{f["described"]} id="{field_id}">'
    else:
        control = f'<select name="{e(f["name"])}"{f["described"]} id="{field_id}">\n{f["options"]}\n</select>'
    return (
        f'\n  <div class="field" id="{field_id}_field">\n'
        f'    <label for="{field_id}">{e(f["label"])}</label>\n'
        f"    {control}\n"
        f"    {help_}\n"
        "  </div>"
    )


def filter_bar_html(fields: list[dict]) -> str:
    """The filter bar's fields (`filter_bar`) as deviations/_filter_bar.html shows them."""
    return mark_safe("".join(_bar_field(f) for f in fields))  # noqa: S308 -- every value escaped or made by format_html

