"""The report to the child's social worker (issue 15, phase 8): a child's
measurements and trajectory, goals and their follow-up, and the restrictive
measures of the period, as a PDF through core.pdf.

It reaches the social worker through the clients area's delivery (core.registry
SOCIAL_WORKER_DOCUMENTS under REPORT): two e-mails, a link and a one-time code,
neither with child data; the PDF is produced when the code is right, from the
delivery's period (params: ISO dates, never names), and every attempt is logged.
The unit's staff see the same PDF behind the sign-in (an access-log row each)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from omavalvonta.core.lib.dates import fi_date
from omavalvonta.core.pdf import render_pdf
from omavalvonta.outcomes import effectiveness, selectors
from omavalvonta.outcomes.models import MeasurementStatus
from omavalvonta.restrictions import selectors as restrictions_selectors

REPORT = "outcomes.child_report"
# A report covers at most a year and a day (a quarter is the usual period).
MAX_DAYS = 366


def quarter_of(day: dt.date) -> tuple[dt.date, dt.date]:
    """The calendar quarter `day` falls in: (first day, last day)."""
    first = dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    nxt = dt.date(first.year + (first.month + 3 > 12), (first.month + 2) % 12 + 1, 1)
    return first, nxt - dt.timedelta(days=1)


def last_quarter(today: dt.date) -> tuple[dt.date, dt.date]:
    """The last full calendar quarter before `today`."""
    first, _last = quarter_of(today)
    return quarter_of(first - dt.timedelta(days=1))


def period_errors(date_from, date_to, today: dt.date) -> dict:
    """What is wrong with a report's period (field -> message), or nothing."""
    errors = {}
    if date_from is None:
        errors["period_start"] = _("Give the first day of the period.")
    if date_to is None:
        errors["period_end"] = _("Give the last day of the period.")
    if errors:
        return errors
    if date_to > today:
        errors["period_end"] = _("The period cannot end in the future.")
    elif date_from > date_to:
        errors["period_end"] = _("The period must end on or after its first day.")
    elif (date_to - date_from).days > MAX_DAYS:
        errors["period_end"] = _("A report covers at most a year.")
    return errors


@dataclass(frozen=True)
class DomainRow:
    label: str
    first_child: int | None
    first_worker: int | None
    last_child: int | None
    last_worker: int | None


def _score(measurement) -> float | None:
    """A measurement's score (effectiveness.py): the mean of its items, an item
    being the mean of the child's and the worker's scores."""
    items = []
    for a in measurement.answers.all():
        scores = [s for s in (a.child_score, a.worker_score) if s is not None]
        if scores:
            items.append(sum(scores) / len(scores))
    return sum(items) / len(items) if items else None


def _domains(first, last) -> list[DomainRow]:
    before = {a.item.domain: a for a in first.answers.all()}
    rows = []
    for a in last.answers.all():
        b = before.get(a.item.domain)
        rows.append(
            DomainRow(
                label=a.item.domain_label,
                first_child=b.child_score if b else None,
                first_worker=b.worker_score if b else None,
                last_child=a.child_score,
                last_worker=a.worker_score,
            )
        )
    return rows


def _change(first, last) -> tuple:
    """(the change of the total score from the first to the last measurement,
    its reliable-change class), or (None, None) with fewer than two scores."""
    if first is None or last is first:
        return None, None
    a, b = _score(first), _score(last)
    if a is None or b is None:
        return None, None
    return round(b - a, 1), effectiveness.classify(b - a, float(last.version.instrument.reliable_change))


def context(placement, date_from: dt.date, date_to: dt.date) -> dict:
    """Everything the report shows, as of the period's last day: the
    measurements up to it (the period's own marked), the trajectory, the
    change since the first measurement with its reliable-change class, the goals
    agreed by then and the restrictive measures of the period."""
    measurements = [m for m in selectors.measurements_of(placement) if m.measured_on <= date_to]
    done = [m for m in measurements if m.status == MeasurementStatus.DONE]
    first, last = (done[0], done[-1]) if done else (None, None)
    change, klass = _change(first, last)
    goals = [g for g in selectors.goals_of(placement) if g.agreed_on <= date_to]
    return {
        "placement": placement,
        "date_from": date_from,
        "date_to": date_to,
        "in_period": [m for m in measurements if m.measured_on >= date_from][::-1],
        "measurements": measurements,
        "charts": selectors.trajectory(measurements),
        "first": first,
        "last": last,
        "domains": _domains(first, last) if first is not None else [],
        "change": change,
        "change_class": klass,
        "threshold": last.version.instrument.reliable_change if last is not None else None,
        "goals": goals,
        "restrictions": restrictions_selectors.child_period_rows(
            placement_id=placement.pk, date_from=date_from, date_to=date_to
        ),
    }


def report_pdf(placement, date_from: dt.date, date_to: dt.date, *, made_for: str = "") -> bytes:
    """The report in Finnish (the language of the record of care)."""
    with translation.override("fi"):
        data = context(placement, date_from, date_to)
        today = fi_date(timezone.localdate())
        data["pdf_footer"] = (
            _("Made %(date)s in Omavalvonta for %(name)s") % {"date": today, "name": made_for}
            if made_for
            else _("Made %(date)s in Omavalvonta") % {"date": today}
        )
        return render_pdf("outcomes/pdf/report.html", data)


def filename(placement_or_delivery_pk: int, date_from: dt.date) -> str:
    return f"vaikuttavuusraportti-{placement_or_delivery_pk}-{date_from:%Y-%m}.pdf"


def period_of(params: dict) -> tuple[dt.date, dt.date] | None:
    try:
        return dt.date.fromisoformat(params["from"]), dt.date.fromisoformat(params["to"])
    except (KeyError, TypeError, ValueError):
        return None


def child_report_document(*, delivery) -> tuple[str, bytes]:
    """SOCIAL_WORKER_DOCUMENTS: the report of the delivery's period."""
    period = period_of(delivery.params)
    if period is None:
        period = last_quarter(timezone.localdate(delivery.created_at))
    return filename(delivery.pk, period[0]), report_pdf(
        delivery.placement, *period, made_for=delivery.recipient_name
    )
