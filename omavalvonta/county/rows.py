"""The county home's table of units, its rows written out here rather than by a
template loop with an include a row (a page of 25 units was most of the page's
work): the same markup as `county/_plans.html` and the figures' cells of
`county/home.html` wrote, each value escaped as the template would (Django's
`escape` is the standard library's; numbers localized as templates show them),
and the same msgids, so the catalogues translate them alike."""

from __future__ import annotations

from html import escape

from django.conf import settings
from django.urls import reverse
from django.utils.formats import localize
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from omavalvonta.core.lib.dates import fi_date
from omavalvonta.organisation.models import Unit

EMPTY = "–"


def _shown(value) -> str:
    """A value as `{{ value }}` shows it (an integer as it is: no thousands separator is used)."""
    if type(value) is int and not settings.USE_THOUSAND_SEPARATOR:
        return str(value)
    return escape(str(localize(value)))


def _plans(unit, no_plan: str) -> str:
    """county/_plans.html: the unit's approved plans linking to its public page."""
    plans = unit.approved_plans
    if not plans:
        return no_plan
    link = escape(reverse("public:plans_unit", args=[unit.public_slug]))
    written = []
    for plan in plans:
        label = gettext("Good-treatment plan") if plan["kind"] == "good_treatment" else gettext("Self-supervision plan")
        version = gettext("version %(number)s, %(date)s") % {
            "number": _shown(plan["number"]),
            "date": escape(fi_date(plan["approved_at"])),
        }
        written.append(f'<a href="{link}">{label}</a> <span class="muted">{version}</span>')
    return "\n" + "<br>".join(written) + "\n"


def _under(small) -> str:
    return f'<span class="muted">{gettext("under %(small)s") % {"small": _shown(small)}}</span>'


def _feedback(row, under: str) -> str:
    if not row:
        answers = EMPTY
    elif row.get("n") is None:
        answers = under
    else:
        answers = _shown(row["n"])
    nps = (row or {}).get("nps")
    return f'<td class="num">{answers}</td><td class="num">{EMPTY if nps is None else _shown(nps)}</td>'


def _restrictions(row, under: str) -> str:
    if not row:
        count = EMPTY
    elif row.get("count") is None:
        count = under
    else:
        count = _shown(row["count"])
    return f'<td class="num">{count}</td>'


def unit_rows(units, *, columns, smalls) -> str:
    """The table's rows of `units` (with their `approved_plans` and `figures`,
    as the county home's view reads them); `columns`: the sections with a
    column (feedback, restrictions), `smalls`: each section's smallest group shown."""
    feedback, restrictions = bool(columns.get("feedback")), bool(columns.get("restrictions"))
    page = reverse("county:unit", args=[0])  # the unit's page without its number, read once
    assert page.endswith("/0/"), page
    page = escape(page[:-2])
    # What every row may repeat, translated once.
    service_types = {value: escape(str(label)) for value, label in Unit._meta.get_field("service_type").flatchoices}
    no_plan = f'\n<span class="muted">{gettext("No approved plan")}</span>\n'
    under = {name: _under(smalls.get(name)) for name in ("feedback", "restrictions") if columns.get(name)}
    rows = []
    for unit in units:
        name = escape(unit.name)
        service_type = service_types.get(unit.service_type) or escape(str(unit.service_type))
        meta = f"{service_type} · {escape(unit.region.name)}"
        figures = getattr(unit, "figures", {}) or {}
        cells = "\n          "
        if feedback:
            cells += _feedback(figures.get("feedback"), under["feedback"])
        cells += "\n          "
        if restrictions:
            cells += _restrictions(figures.get("restrictions"), under["restrictions"])
        rows.append(
            f'\n        <tr>\n          <td><a href="{page}{unit.pk:d}/">{name}</a>'
            f'<br><span class="muted">{meta}</span></td>\n          <td>{_plans(unit, no_plan)}</td>{cells}\n        </tr>\n        '
        )
    return mark_safe("".join(rows))  # noqa: S308 -- every value escaped above


def _handling(row) -> str:
    if row["closed_at"]:
        return f'<br><span class="muted">{escape(fi_date(row["closed_at"]))}</span>'
    if row["correction_due"]:
        due = gettext("correction by %(date)s") % {"date": escape(fi_date(row["correction_due"]))}
        return f'<br><span class="muted">{due}</span>'
    return ""


def notification_rows(rows) -> str:
    """The rows of county/_notification_rows.html's table (selectors.labelled's
    rows), as its loop wrote them, whitespace included: number, kind, unit,
    dates and state; no child, no reporter."""
    report, unit = reverse("county:notification", args=[0]), reverse("county:unit", args=[0])
    assert report.endswith("/0/") and unit.endswith("/0/"), (report, unit)
    report, unit = escape(report[:-2]), escape(unit[:-2])
    written = []
    for row in rows:
        grievance = ' <span class="badge badge--warning">§ 29</span>' if row["is_grievance"] else ""
        basis = f'<br><span class="muted">{_shown(row["legal_basis"])}</span>' if row["legal_basis"] else ""
        written.append(
            f'\n      <tr>\n        <td><a href="{report}{row["deviation_id"]:d}/">{_shown(row["number"])}</a>'
            f'<br><span class="muted">{_shown(row["kind_label"])}</span>{grievance}</td>\n'
            f'        <td><a href="{unit}{row["unit_id"]:d}/">{_shown(row["unit_name"])}</a></td>\n'
            f'        <td>{escape(fi_date(row["first_sent"]))}{basis}</td>\n'
            f'        <td>{_shown(row["state_label"])}{_handling(row)}</td>\n      </tr>\n      '
        )
    return mark_safe("".join(written))  # noqa: S308 -- every value escaped above
