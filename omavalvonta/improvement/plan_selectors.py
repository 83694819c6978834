"""Reads of the action plans (the unit's yearly plan of goals, their follow-up
per period and the actions decided for them), through the access kernel."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Prefetch
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from omavalvonta.core import registry, rhythm
from omavalvonta.core.lib import bounds
from omavalvonta.improvement.models import Action, ActionPlan, GoalFollowUp, GoalPrompt, PlanGoal
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


def goal_prompt_get(*, actor, pk, perm: str = access.P_ACTION_MANAGE) -> GoalPrompt:
    """One finding linked to a goal: 404 outside the actor's units, 403 inside
    them without `perm`."""
    return access.access_object(GoalPrompt.objects.select_related("goal"), actor, pk, perm)


def plan_goals(*, plan: ActionPlan) -> list[PlanGoal]:
    """The goals of an (already authorised) plan with owners, follow-ups (by
    period) and linked actions: a fixed number of queries."""
    goals = list(
        PlanGoal.objects.filter(plan=plan)
        .select_related("owner")
        .prefetch_related(
            Prefetch("follow_ups", queryset=GoalFollowUp.objects.select_related("recorded_by").order_by("period")),
            Prefetch("actions", queryset=Action.objects.select_related("owner").order_by("due_date", "id")),
            Prefetch("prompts", queryset=GoalPrompt.objects.order_by("created_at", "id")),
        )
        .order_by("area", "id")
    )
    for goal in goals:
        by_period = {f.period: f for f in goal.follow_ups.all()}
        goal.periods = [(p, by_period.get(p.index)) for p in rhythm.periods()]
    prompt_urls([prompt for goal in goals for prompt in goal.prompts.all()])
    return goals


# --- What prompted a goal (registry.GOAL_PROMPTS) ------------------------------------------------


def prompt_urls(prompts) -> None:
    """Set `url` on each prompt: its record's page from its area's entry (one
    query at most per kind of record; the page checks access itself), None when
    the record is gone or nobody provides it."""
    ids_by_kind: dict[str, set] = {}
    for prompt in prompts:
        prompt.url = None
        if prompt.source_id:
            ids_by_kind.setdefault(prompt.source_kind, set()).add(prompt.source_id)
    urls: dict[str, dict] = {}
    for kind, ids in ids_by_kind.items():
        entry = registry.get(registry.GOAL_PROMPTS, kind)
        links = getattr(entry, "links", None) if entry is not None else None
        urls[kind] = links(sorted(ids)) if links else {}
    for prompt in prompts:
        if prompt.source_id:
            prompt.url = urls[prompt.source_kind].get(prompt.source_id)


@dataclass(frozen=True)
class PromptOrigin:
    ref: str  # "kind:id"
    kind: str
    kind_label: str
    record: object
    unit: object
    label: str
    url: str


def prompt_origin(*, actor, ref: str | None) -> PromptOrigin | None:
    """The record named by "kind:id" when `actor` may open its page (its area's
    GOAL_PROMPTS entry decides); None for no such kind or record."""
    kind, _sep, raw_id = (ref or "").partition(":")
    pk = bounds.parse_int(raw_id)
    entry = registry.get(registry.GOAL_PROMPTS, kind)
    if entry is None or pk is None or pk <= 0:
        return None
    found = entry.func(actor=actor, ref=pk)
    if not found:
        return None
    return PromptOrigin(
        ref=f"{kind}:{pk}",
        kind=kind,
        kind_label=str(getattr(entry, "label", kind)),
        record=found["record"],
        unit=found["unit"],
        label=found["label"],
        url=found["url"],
    )


def prompt_plans(*, actor, unit, today: dt.date | None = None) -> list[ActionPlan]:
    """The unit's action plans a finding may steer: this year's and next year's,
    when `actor` may manage them, with their goals (a fixed number of queries)."""
    if not access.can(actor, access.P_ACTION_MANAGE, unit):
        return []
    year = (today or timezone.localdate()).year
    return list(
        ActionPlan.objects.filter(unit=unit, year__in=[year, year + 1])
        .prefetch_related(Prefetch("goals", queryset=PlanGoal.objects.order_by("area", "id")))
        .order_by("year", "id")
    )


def prompts_of_record(*, record) -> list[GoalPrompt]:
    """The goals a record already steers (the caller has been granted the record)."""
    return list(
        GoalPrompt.objects.filter(source_type=ContentType.objects.get_for_model(record), source_id=record.pk)
        .select_related("goal", "goal__plan")
        .order_by("goal__plan__year", "goal_id")
    )


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
