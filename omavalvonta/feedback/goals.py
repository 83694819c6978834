"""The team's incentive goals for a half-year: set, assessed by the team, and
evaluated from the data: NPS
and response rate of the half's answers, deviations whose handling started in
time, and the goals the team assessed by hand."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from omavalvonta.core.concurrency import edit_version_claim
from omavalvonta.core.services import audit_event_record
from omavalvonta.feedback import figures as fig
from omavalvonta.feedback.figures import Cell
from omavalvonta.feedback.models import (
    GoalMetric,
    Group,
    Round,
)
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


@dataclass(frozen=True)
class _HalfFigures:
    """What a unit's goals of a half-year are evaluated against."""

    cells: dict  # respondent group -> Cell of the half's answers
    base: int  # the answers a full response rate needs: places x rounds (at least one)
    on_time: int | None  # % of deviations whose handling started in time (None: no data or no right)


def _met(actual, target) -> bool | None:
    return None if actual is None else actual >= target


def _nps_result(goal, figures: _HalfFigures) -> GoalResult:
    cell = figures.cells.get(goal.group, Cell())
    actual = cell.nps
    note = _("Fewer than five answers: not evaluated.") if actual is None and cell.n else ""
    return GoalResult(goal=goal, actual=actual, met=_met(actual, goal.target), note=note)


def _response_rate_result(goal, figures: _HalfFigures) -> GoalResult:
    cell = figures.cells.get(goal.group, Cell())
    actual = ResponseRate(cell.n, figures.base).percent
    note = "" if figures.base else _("The unit has no number of places.")
    return GoalResult(goal=goal, actual=actual, met=_met(actual, goal.target), note=note)


def _handling_on_time_result(goal, figures: _HalfFigures) -> GoalResult:
    return GoalResult(goal=goal, actual=figures.on_time, met=_met(figures.on_time, goal.target), note="")


def _manual_result(goal, figures: _HalfFigures) -> GoalResult:
    return GoalResult(goal=goal, actual=None, met=goal.manual_met, note=goal.manual_note)


# How each measure is evaluated; any other (the manual goals) as the team assessed it.
_RESULT_OF_METRIC = {
    GoalMetric.NPS: _nps_result,
    GoalMetric.RESPONSE_RATE: _response_rate_result,
    GoalMetric.HANDLING_ON_TIME: _handling_on_time_result,
}


def _handling_on_time(*, actor, unit: Unit, first: dt.date, last: dt.date) -> int | None:
    """The % of the half's deviations (as the actor sees them) whose handling
    started by its deadline; None when none counts."""
    from omavalvonta.deviations.selectors import deviation_list

    rows = list(
        deviation_list(actor=actor, filters={"unit": unit.pk, "date_from": first.isoformat(), "date_to": last.isoformat()}).values_list(
            "handling_started_at", "handling_due_at"
        )
    )
    # A report not started but not yet due is not counted either way.
    now = timezone.now()
    rows = [(s, d) for s, d in rows if s is not None or d < now]
    if not rows:
        return None
    return round(100 * sum(1 for s, d in rows if s is not None and s <= d) / len(rows))


def goals_evaluated(*, actor, unit: Unit, year: int, half: int) -> list[GoalResult]:
    """The unit's goals for a half-year with the figures from the data: NPS and
    response rate of the half's answers (small-group rule applies), deviations
    whose handling started by the deadline (through the deviations' selector,
    as the actor sees them), manual goals as the team assessed them."""
    from omavalvonta.feedback.models import TeamGoal

    access.require(actor, access.P_FEEDBACK_VIEW, unit)
    goals = list(TeamGoal.objects.filter(unit=unit, year=year, half=half).order_by("pk"))
    if not goals:
        return []
    first, last = half_bounds(year, half)
    cells = fig.month_cells(Q(unit=unit), first, last)
    quarters = Round.objects.filter(unit=unit, opens_on__lte=last, closes_on__gte=first).count()
    on_time = None
    if any(g.metric == GoalMetric.HANDLING_ON_TIME for g in goals) and access.can(actor, access.P_DEVIATION_VIEW, unit):
        on_time = _handling_on_time(actor=actor, unit=unit, first=first, last=last)
    figures = _HalfFigures(cells=cells, base=(unit.places or 0) * max(quarters, 1), on_time=on_time)
    return [_RESULT_OF_METRIC.get(goal.metric, _manual_result)(goal, figures) for goal in goals]


def team_facts(*, actor, unit, year: int, half: int) -> list[dict]:
    """What other areas show beside the half-year's goals (core.registry
    TEAM_FACTS: the children's meetings from meetings), read with the actor's
    rights: [{"name", "title", "template", "data"}], providers with nothing to
    show left out."""
    from omavalvonta.core import registry

    first, last = half_bounds(year, half)
    found = []
    for entry in registry.entries(registry.TEAM_FACTS):
        data = entry.func(actor=actor, unit=unit, period_start=first, period_end=last)
        if data:
            found.append({"name": entry.name, "title": entry.details.get("title", ""),
                          "template": entry.details.get("template"), "data": data})
    return found


def all_goals_met(results: list[GoalResult]) -> bool:
    """Whether the half-year's incentive goals are met: there are goals and every
    one of them is met (a goal not evaluated is not met)."""
    return bool(results) and all(r.met is True for r in results)


def half_ended(year: int, half: int, today: dt.date | None = None) -> bool:
    return half_bounds(year, half)[1] < (today or timezone.localdate())


def reward_get(*, unit, year: int, half: int):
    from omavalvonta.feedback.models import TeamReward

    return TeamReward.objects.filter(unit=unit, year=year, half=half).select_related("recorded_by").first()


def goal_get(*, actor, pk, perm: str = access.P_FEEDBACK_MANAGE):
    from omavalvonta.feedback.models import TeamGoal

    return access.access_object(TeamGoal.objects.all(), actor, pk, perm)


# --- Writes -----------------------------------------------------------------------------


GOAL_DESCRIPTION_MAX = 300


def _target_error(metric: str, target) -> str:
    """A measured goal's target: an NPS from -100, a percentage from 0, both up to 100."""
    low = -100 if metric == GoalMetric.NPS else 0
    if target is None or not (low <= int(target) <= 100):
        return _("Give a target from %(low)d to 100.") % {"low": low}
    return ""


def _goal_errors(*, year, half, metric: str, description: str, group: str, target) -> dict:
    """The field errors of a new goal (empty when it may be set)."""
    from omavalvonta.feedback.models import CLIENT_METRICS

    errors = {}
    if metric not in GoalMetric.values:
        errors["metric"] = _("Choose the measure.")
    if half not in (1, 2):
        errors["half"] = _("Choose the half-year.")
    if not (2000 <= (year or 0) <= 2100):
        errors["year"] = _("Give a year.")
    if not description:
        errors["description"] = _("Describe the goal.")
    elif len(description) > GOAL_DESCRIPTION_MAX:
        errors["description"] = _("Write at most %(max)d characters.") % {"max": GOAL_DESCRIPTION_MAX}
    if metric in CLIENT_METRICS and group not in Group.values:
        errors["group"] = _("Choose the respondent group.")
    if metric != GoalMetric.MANUAL:
        target_error = _target_error(metric, target)
        if target_error:
            errors["target"] = target_error
    return errors


@transaction.atomic
def goal_create(*, actor, unit, year: int, half: int, metric: str, description: str, group: str = "", target=None):
    """Set a team goal for a half-year (requires feedback.manage in the unit).
    NPS targets are -100..100, percentages 0..100; a group is needed for the
    client-experience measures; a manual goal has no target."""
    from omavalvonta.feedback.models import CLIENT_METRICS, TeamGoal

    access.require(actor, access.P_FEEDBACK_MANAGE, unit)
    description = " ".join((description or "").split())
    errors = _goal_errors(year=year, half=half, metric=metric, description=description, group=group, target=target)
    if errors:
        raise ValidationError(errors)
    goal = TeamGoal.objects.create(
        unit=unit,
        year=year,
        half=half,
        metric=metric,
        group=group if metric in CLIENT_METRICS else "",
        target=None if metric == GoalMetric.MANUAL else int(target),
        description=description,
    )
    audit_event_record(actor=actor, verb="feedback.goal_created", target=goal, unit=unit, metric=metric)
    return goal


@transaction.atomic
def goal_assess(*, actor, goal, met: bool, note: str = "") -> None:
    """The team's own assessment of a manual goal (requires feedback.manage)."""
    access.require(actor, access.P_FEEDBACK_MANAGE, goal.unit)
    note = " ".join((note or "").split())
    if len(note) > 500:
        raise ValidationError({"note": _("Write at most %(max)d characters.") % {"max": 500}})
    goal.manual_met, goal.manual_note = bool(met), note
    goal.save(update_fields=["manual_met", "manual_note", "updated_at"])
    audit_event_record(actor=actor, verb="feedback.goal_assessed", target=goal, unit=goal.unit, met=bool(met))


@transaction.atomic
def goal_delete(*, actor, goal) -> None:
    access.require(actor, access.P_FEEDBACK_MANAGE, goal.unit)
    audit_event_record(actor=actor, verb="feedback.goal_deleted", target=goal.unit, unit=goal.unit, description=goal.description)
    goal.delete()


@transaction.atomic
def reward_record(*, actor, unit, year: int, half: int, decision: str, decided_on: dt.date,
                  expected_version: int | None = None):
    """Record (or correct) the team's decision on how to use the reward of a
    half-year (requires feedback.manage in the unit): only once the half-year has
    ended and every one of its goals was met, decided on a day after the half
    began and not in the future. `expected_version`: the recorded decision's
    edit_version when the form was opened (0: none then), see core/concurrency.py."""
    from omavalvonta.feedback.models import TeamReward

    access.require(actor, access.P_FEEDBACK_MANAGE, unit)
    if not half_ended(year, half):
        raise ValidationError(_("The reward is recorded once the half-year has ended."))
    if not all_goals_met(goals_evaluated(actor=actor, unit=unit, year=year, half=half)):
        raise ValidationError(_("The reward is recorded when every goal of the half-year was met."))
    errors = {}
    decision = (decision or "").strip()
    if not decision:
        errors["decision"] = _("Write what the team decided.")
    elif len(decision) > 2000:
        errors["decision"] = _("Write at most %(max)d characters.") % {"max": 2000}
    if decided_on is None or decided_on > timezone.localdate() or decided_on < half_bounds(year, half)[0]:
        errors["decided_on"] = _("Give the day of the decision: not in the future, not before the half-year.")
    if errors:
        raise ValidationError(errors)
    reward = TeamReward.objects.select_for_update().filter(unit=unit, year=year, half=half).first()
    created = reward is None
    if created:
        reward = TeamReward(unit=unit, year=year, half=half)
    else:
        edit_version_claim(reward, expected=expected_version)
    reward.decision, reward.decided_on, reward.recorded_by = decision, decided_on, actor
    reward.save()
    audit_event_record(actor=actor, verb="feedback.reward_recorded" if created else "feedback.reward_corrected",
                       target=reward, unit=unit, year=year, half=half)
    return reward
