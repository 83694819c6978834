"""The team's incentive goals for a half-year, evaluated from the data: NPS
and response rate of the half's answers, deviations whose handling started in
time, and the goals the team assessed by hand."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from omavalvonta.feedback import figures as fig
from omavalvonta.feedback.figures import Cell
from omavalvonta.feedback.models import Round
from omavalvonta.feedback.rates import ResponseRate
from omavalvonta.organisation import access
from omavalvonta.organisation.models import Unit


def half_bounds(year: int, half: int) -> tuple[dt.date, dt.date]:
    return (dt.date(year, 1, 1), dt.date(year, 6, 30)) if half == 1 else (dt.date(year, 7, 1), dt.date(year, 12, 31))


def current_half(today: dt.date | None = None) -> tuple[int, int]:
    today = today or timezone.localdate()
    return today.year, 1 if today.month <= 6 else 2


@dataclass
class GoalResult:
    goal: object
    actual: float | None
    met: bool | None  # None: not evaluable (too few answers, no data, not assessed)
    note: str = ""


def goals_evaluated(*, actor, unit: Unit, year: int, half: int) -> list[GoalResult]:
    """The unit's goals for a half-year with the figures from the data: NPS and
    response rate of the half's answers (small-group rule applies), deviations
    whose handling started by the deadline (through the deviations' selector,
    as the actor sees them), manual goals as the team assessed them."""
    from omavalvonta.deviations.selectors import deviation_list
    from omavalvonta.feedback.models import GoalMetric, TeamGoal

    access.require(actor, access.P_FEEDBACK_VIEW, unit)
    goals = list(TeamGoal.objects.filter(unit=unit, year=year, half=half).order_by("pk"))
    if not goals:
        return []
    first, last = half_bounds(year, half)
    cells = fig.month_cells(Q(unit=unit), first, last)
    quarters = Round.objects.filter(unit=unit, opens_on__lte=last, closes_on__gte=first).count()
    on_time = None
    if any(g.metric == GoalMetric.HANDLING_ON_TIME for g in goals) and access.can(actor, access.P_DEVIATION_VIEW, unit):
        rows = list(
            deviation_list(actor=actor, filters={"unit": unit.pk, "date_from": first.isoformat(), "date_to": last.isoformat()}).values_list(
                "handling_started_at", "handling_due_at"
            )
        )
        # A report not started but not yet due is not counted either way.
        now = timezone.now()
        rows = [(s, d) for s, d in rows if s is not None or d < now]
        if rows:
            on_time = round(100 * sum(1 for s, d in rows if s is not None and s <= d) / len(rows))
    results = []
    for goal in goals:
        if goal.metric == GoalMetric.NPS:
            cell = cells.get(goal.group, Cell())
            actual = cell.nps
            met = None if actual is None else actual >= goal.target
            note = _("Fewer than five answers: not evaluated.") if actual is None and cell.n else ""
        elif goal.metric == GoalMetric.RESPONSE_RATE:
            cell = cells.get(goal.group, Cell())
            base = (unit.places or 0) * max(quarters, 1)
            actual = ResponseRate(cell.n, base).percent
            met = None if actual is None else actual >= goal.target
            note = "" if base else _("The unit has no number of places.")
        elif goal.metric == GoalMetric.HANDLING_ON_TIME:
            actual = on_time
            met = None if actual is None else actual >= goal.target
            note = ""
        else:
            actual, met, note = None, goal.manual_met, goal.manual_note
        results.append(GoalResult(goal=goal, actual=actual, met=met, note=note))
    return results


def goal_get(*, actor, pk, perm: str = access.P_FEEDBACK_MANAGE):
    from omavalvonta.feedback.models import TeamGoal

    return access.access_object(TeamGoal.objects.all(), actor, pk, perm)
