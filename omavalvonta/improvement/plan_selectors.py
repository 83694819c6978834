"""Reads of the action plans (the unit's yearly plan of goals, their follow-up
per period and the actions decided for them), through the access kernel."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Prefetch
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from omavalvonta.core import rhythm
from omavalvonta.core.lib import bounds
from omavalvonta.improvement.models import Action, ActionPlan, GoalFollowUp, PlanGoal
from omavalvonta.organisation import access


def plan_list(*, actor, filters: dict | None = None):
    """Action plans of the units `actor` may view (action.view), newest year first."""
    filters = filters or {}
    qs = (
        ActionPlan.objects.for_actor(actor, access.P_ACTION_VIEW)
        .select_related("unit", "unit__region")
        .annotate(goal_count=Count("goals", distinct=True))
    )
    if (year := bounds.parse_int(filters.get("year"))) is not None:
        qs = qs.filter(year=year)
    if (unit_id := bounds.parse_int(filters.get("unit"))) is not None:
        qs = qs.filter(unit_id=unit_id)
    return qs.order_by("-year", "unit__name", "id")


def plan_get(*, actor, pk, perm: str = access.P_ACTION_VIEW) -> ActionPlan:
    """One plan: 404 outside the actor's units, 403 inside them without `perm`."""
    return access.access_object(ActionPlan.objects.all(), actor, pk, perm)


def plan_goal_get(*, actor, plan: ActionPlan, goal_id) -> PlanGoal:
    """One goal of an (already authorised) plan; 404 when not its goal."""
    goal = PlanGoal.objects.select_related("plan", "unit").filter(plan=plan, pk=bounds.parse_int(goal_id)).first()
    if goal is None:
        raise Http404
    return goal


def plan_goals(*, plan: ActionPlan) -> list[PlanGoal]:
    """The goals of an (already authorised) plan with owners, follow-ups (by
    period) and linked actions: a fixed number of queries."""
    goals = list(
        PlanGoal.objects.filter(plan=plan)
        .select_related("owner")
        .prefetch_related(
            Prefetch("follow_ups", queryset=GoalFollowUp.objects.select_related("recorded_by").order_by("period")),
            Prefetch("actions", queryset=Action.objects.select_related("owner").order_by("due_date", "id")),
        )
        .order_by("area", "id")
    )
    for goal in goals:
        by_period = {f.period: f for f in goal.follow_ups.all()}
        goal.periods = [(p, by_period.get(p.index)) for p in rhythm.periods()]
    return goals


@dataclass(frozen=True)
class PeriodOverview:
    period: int
    label: str
    is_current: bool
    is_past: bool
    followed: list  # goals with a follow-up for the period
    missing: list  # goals without


def plan_period_overview(*, plan: ActionPlan, goals: list[PlanGoal], today: dt.date | None = None) -> list[PeriodOverview]:
    """Per period of the year (core.rhythm: T1 January–April, T2 May–September,
    T3 October–December by default): which goals have a follow-up and which are
    missing. `goals` come from `plan_goals` (follow-ups prefetched)."""
    today = today or timezone.localdate()
    current = rhythm.period_of(today).index
    overview = []
    for period in rhythm.periods():
        followed = [g for g in goals if any(p.index == period.index and f for p, f in g.periods)]
        missing = [g for g in goals if g not in followed]
        overview.append(
            PeriodOverview(
                period=period.index,
                label=period.label,
                is_current=plan.year == today.year and period.index == current,
                is_past=plan.year < today.year or (plan.year == today.year and period.index < current),
                followed=followed,
                missing=missing,
            )
        )
    return overview


def plan_approval_missing(*, plan: ActionPlan, goals: list[PlanGoal]) -> list[str]:
    """What a plan still lacks before it can be approved (empty: ready)."""
    missing = []
    if not goals:
        missing.append(_("Add at least one goal before approving the plan."))
    if not plan.participants.exists() and not plan.other_participants.strip():
        missing.append(_("Record who made the plan before approving it."))
    return missing


def plan_participants(*, plan: ActionPlan) -> list:
    return list(plan.participants.order_by("full_name", "pk"))
