"""Reads of the complaints area, every one through the access kernel: the
register, one complaint, who may handle a unit's complaints, the home page's
block, the quality calendar's duties and the follow-up report's figures."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from omavalvonta.complaints.models import (
    DEFAULT_ANSWER_DAYS,
    OPEN_STATES,
    ComplainantKind,
    Complaint,
    ComplaintSettings,
    State,
)
from omavalvonta.core import registry
from omavalvonta.core.lib.counts import CountsFirst, counts_first
from omavalvonta.organisation import access, access_people

# A count under this is not shown in the report's figures (as the other areas' sections).
SMALL_GROUP = 5
# The handler is reminded this many days before the answer is due.
REMIND_DAYS_BEFORE = 7
HOME_LIMIT = 5


def answer_days() -> int:
    """The organisation's deadline for the written answer, in days from receipt."""
    row = ComplaintSettings.objects.order_by("pk").values_list("answer_days", flat=True).first()
    return row or DEFAULT_ANSWER_DAYS


def settings_row() -> ComplaintSettings:
    return ComplaintSettings.objects.order_by("pk").first() or ComplaintSettings()


def handler_candidates(*, unit):
    """Who may handle `unit`'s complaints: its leaders and the directors over it."""
    return access_people.people_with(access.P_COMPLAINT_HANDLE, unit).order_by("full_name", "pk")


def unit_handlers(*, unit) -> list:
    """Who hears that a complaint arrived: those named in the unit itself who may
    handle it, else everyone who may (its region's, the organisation's)."""
    own = list(
        access_people.people_holding(access.roles_with(access.P_COMPLAINT_HANDLE), unit=unit).order_by("full_name", "pk")
    )
    return own or list(handler_candidates(unit=unit))


def complaint_list(*, actor, filters: dict | None = None, today: dt.date | None = None):
    """The complaints `actor` may read, newest first. Filters: region, unit (ids),
    state (a state or "open"), late (open and past the due date), mine (handled
    by the actor)."""
    filters = filters or {}
    today = today or timezone.localdate()
    qs = Complaint.objects.for_actor(actor, access.P_COMPLAINT_VIEW).select_related("unit", "handler")
    if filters.get("region"):
        qs = qs.filter(unit__region_id=filters["region"])
    if filters.get("unit"):
        qs = qs.filter(unit_id=filters["unit"])
    state = filters.get("state")
    if state == "open":
        qs = qs.filter(state__in=OPEN_STATES)
    elif state in State.values:
        qs = qs.filter(state=state)
    if filters.get("late"):
        qs = qs.filter(state__in=OPEN_STATES, answer_due__lt=today)
    if filters.get("mine"):
        qs = qs.filter(handler_id=actor.pk)
    return qs.order_by("-received_on", "-id")


def complaint_for(*, actor, pk, perm: str = access.P_COMPLAINT_VIEW) -> Complaint:
    """One complaint: 404 outside the actor's units, 403 inside without `perm`."""
    return access.access_object(
        Complaint.objects.select_related("handler", "answered_by"), actor, pk, perm
    )


@counts_first
def home_items(*, actor, today: dt.date | None = None) -> CountsFirst | None:
    """core.registry HOME_BLOCKS: the open complaints the actor handles, the
    nearest due first, late ones marked. Counted first (core/lib/counts.py), the
    rows read only when there are some (no query for those who handle no
    complaints); None when there are none."""
    if not access.has_perm_anywhere(actor, access.P_COMPLAINT_HANDLE):
        return None
    today = today or timezone.localdate()
    handled = Complaint.objects.for_actor(actor, access.P_COMPLAINT_HANDLE).filter(
        handler_id=actor.pk, state__in=OPEN_STATES
    )

    def then(counted):
        if not counted["total"]:
            return None
        shown = list(handled.select_related("unit").order_by("answer_due", "id")[:HOME_LIMIT])
        return {
            "rows": [{"complaint": c, "late": c.answer_due < today} for c in shown],
            "more": counted["total"] > HOME_LIMIT,
            "late": sum(1 for c in shown if c.answer_due < today),
        }

    return CountsFirst({"total": handled}, then)


def _answers_owed(*, today, unit_ids=None):
    qs = Complaint.objects.filter(
        state__in=OPEN_STATES, answer_due__lte=today + dt.timedelta(days=REMIND_DAYS_BEFORE), unit__is_active=True
    )
    if unit_ids is not None:
        qs = qs.filter(unit_id__any_of=list(unit_ids))
    return qs


def complaint_duty_counts(*, today, unit_ids=None):
    """core.registry DUTY_SOURCES `counts`: complaint_duties counted per unit
    in the database (unit_id, due, late, oldest)."""
    return registry.duty_counts(_answers_owed(today=today, unit_ids=unit_ids), due_field="answer_due", today=today)


def complaint_duties(*, today, unit_ids=None) -> list[registry.Duty]:
    """core.registry DUTY_SOURCES: the written answers owed within
    REMIND_DAYS_BEFORE days or late, one duty per complaint (its due date is
    fixed at receipt), reminded to the handler (none named: the unit's leaders)
    and escalated once late. The title names the number only. One query."""
    qs = _answers_owed(today=today, unit_ids=unit_ids)
    return [
        registry.Duty(
            key=f"complaints:{pk}",
            unit_id=unit_id,
            title=_("The written answer to complaint #%(number)s") % {"number": pk},
            due_on=due,
            late=due < today,
            link=reverse("complaints:detail", args=[pk]),
            owner_id=handler_id,
        )
        for pk, unit_id, due, handler_id in qs.order_by("answer_due", "id").values_list(
            "pk", "unit_id", "answer_due", "handler_id"
        )
    ]


def _hide_small(n: int) -> int | None:
    return n if n == 0 or n >= SMALL_GROUP else None


def period_figures(*, actor, unit=None, period_start: dt.date | None = None, period_end: dt.date | None = None) -> dict:
    """core.registry REPORT_SECTIONS "complaints": the complaints received in the
    period in the units the actor may read, how many were answered by their due
    date, how many late (answered late, or owed and past due as of the period's
    end or today), and by complainant kind; counts under SMALL_GROUP are None.
    Counts only, never a name. One query."""
    today = timezone.localdate()
    period_end = period_end or today
    period_start = period_start or period_end - dt.timedelta(days=365)
    units = access.units_for(actor, access.P_COMPLAINT_VIEW)
    if unit is not None:
        if not access.can(actor, access.P_COMPLAINT_VIEW, unit):
            return {}
        units = units.filter(pk=unit.pk)
    as_of = min(today, period_end)
    answered = Q(answered_on__isnull=False)
    rows = list(
        Complaint.objects.filter(
            unit__in=units.values("pk"), received_on__gte=period_start, received_on__lte=period_end
        )
        .order_by()
        .values("complainant_kind")
        .annotate(
            n=Count("id"),
            in_time=Count("id", filter=answered & Q(answered_on__lte=F("answer_due"))),
            late=Count(
                "id",
                filter=(answered & Q(answered_on__gt=F("answer_due")))
                | (Q(answered_on__isnull=True) & Q(answer_due__lt=as_of)),
            ),
        )
    )
    by_kind = {r["complainant_kind"]: r["n"] for r in rows}
    total = sum(by_kind.values())
    return {
        "period_start": period_start.isoformat(),
        "period_end": period_end.isoformat(),
        "received": _hide_small(total),
        "answered_in_time": _hide_small(sum(r["in_time"] for r in rows)),
        "late": _hide_small(sum(r["late"] for r in rows)),
        "by_kind": [
            {"label": str(kind.label), "count": _hide_small(by_kind[kind.value])}
            for kind in ComplainantKind
            if by_kind.get(kind.value)
        ],
        "small": SMALL_GROUP,
    }
