"""What the plans area shows on the home page (core.registry HOME_BLOCKS):
the drafts waiting for the person's approval and the plans' reviews due, the
nearest few of each with how many, their rows read from SQL kept compiled for
the person and the day (organisation/access_shape.kept_rows_for)."""

from __future__ import annotations

import datetime as dt
import functools

from django.utils import timezone

from omavalvonta.core.lib.counts import CountsFirst, LazyCounts, counts_first
from omavalvonta.organisation import access, access_shape
from omavalvonta.organisation.models import Unit
from omavalvonta.plans.models import REVIEW_DUE_SOON_DAYS, Plan, PlanVersion, VersionState


@counts_first
def plan_home_items(
    *, actor, today: dt.date | None = None, now: dt.datetime | None = None, limit: int = 3
) -> CountsFirst | None:
    """For the home page: drafts waiting for the actor's approval (units where they
    approve plans), and plan reviews due within REVIEW_DUE_SOON_DAYS or overdue in
    the units whose quality duties they keep (they edit plans and complete the
    calendar's duties there). The nearest `limit` of each and how many. None when
    both are empty. The counts first (core/lib/counts.py: one statement with the
    other blocks' on the home page), then a query for each list not empty, from
    its SQL kept compiled for the person and the day (access_shape.kept_rows_for)."""
    today, now = today or timezone.localdate(), now or timezone.now()
    names = _plan_home_counts(actor)
    if not names:
        return None

    def shown(name, counted, make):
        order, fields = _SHOWN[name]

        def build(who, _now):
            return _plan_home_querysets(who, today, names)[name].order_by(*order).values_list(*fields)[:limit]

        if not counted.get(name):
            return []
        return [make(*row) for row in access_shape.kept_rows_for(actor, ("plans.home", name, limit), build, today=today, now=now)]

    def then(counted):
        if not counted.get("drafts_total") and not counted.get("reviews_total"):
            return None
        return {
            "drafts": shown("drafts_total", counted, _shown_draft),
            "drafts_total": counted.get("drafts_total", 0),
            "reviews": shown("reviews_total", counted, _shown_review),
            "reviews_total": counted.get("reviews_total", 0),
            "today": today,
        }

    return CountsFirst(LazyCounts(lambda: _plan_home_querysets(actor, today, names)), then)


# What plans/_home_plans.html shows of a draft (its plan and unit) and of a plan due for review, nothing
# else, in the block's order.
_SHOWN = {
    "drafts_total": (("updated_at", "id"), ("pk", "number", "plan_id", "plan__kind", "unit_id", "unit__name")),
    "reviews_total": (("next_review_due", "id"), ("pk", "kind", "next_review_due", "unit_id", "unit__name")),
}


def _shown_draft(pk, number, plan_id, kind, unit_id, unit_name) -> PlanVersion:
    unit = Unit(pk=unit_id, name=unit_name)
    return PlanVersion(pk=pk, number=number, plan=Plan(pk=plan_id, kind=kind, unit=unit), unit=unit)


def _shown_review(pk, kind, next_review_due, unit_id, unit_name) -> Plan:
    return Plan(pk=pk, kind=kind, next_review_due=next_review_due, unit=Unit(pk=unit_id, name=unit_name))


def _plan_home_counts(actor) -> tuple:
    """The home block's counts the actor may have: the drafts to approve, the reviews due."""
    may = functools.partial(access.has_perm_anywhere, actor)
    return (("drafts_total",) if may(access.P_PLAN_APPROVE) else ()) + (
        ("reviews_total",) if may(access.P_PLAN_EDIT) and may(access.P_OBLIGATION_COMPLETE) else ()
    )


def _plan_home_querysets(actor, today: dt.date, names: tuple) -> dict:
    """The home block's drafts to approve and reviews due ({count name: queryset}),
    those the actor may see."""
    querysets = {}
    if "drafts_total" in names:
        querysets["drafts_total"] = PlanVersion.objects.for_actor(actor, access.P_PLAN_APPROVE).filter(
            state=VersionState.DRAFT
        )
    if "reviews_total" in names:
        querysets["reviews_total"] = (
            Plan.objects.for_actor(actor, access.P_PLAN_EDIT)
            .filter(access.scope_q(actor, access.P_OBLIGATION_COMPLETE))
            .filter(next_review_due__lte=today + dt.timedelta(days=REVIEW_DUE_SOON_DAYS))
        )
    return querysets
