"""Reads of learning reviews and their summaries. Every read starts from
`reviews_visible` (the kernel's scope of learning.view, plus the reviews the
actor facilitates, takes part in or opened) or `summaries_visible`."""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.utils import timezone

from omavalvonta.core import registry
from omavalvonta.core.lib.counts import CountsFirst, counts_first
from omavalvonta.core.services import access_log_record
from omavalvonta.deviations import selectors as deviation_selectors
from omavalvonta.improvement import selectors as improvement_selectors
from omavalvonta.learning.models import LearningReview, LearningSummary, State
from omavalvonta.organisation import access, access_people, access_unit
from omavalvonta.organisation.models import Unit

# A shared summary is proposed for the units' meetings for this long.
AGENDA_DAYS = 60


def _takes_part(actor):
    return Exists(LearningReview.participants.through.objects.filter(learningreview_id=OuterRef("pk"), user_id=actor.pk))


def _involved_q(actor) -> Q:
    return Q(facilitator_id=actor.pk) | Q(opened_by_id=actor.pk) | Q(_takes_part(actor))


def reviews_visible(*, actor, compact: bool = False):
    """The reviews `actor` may read: those of their units with learning.view
    (organisation-wide ones with an organisation-wide grant), and those they
    facilitate, take part in or opened. `compact`: the kernel's short form of
    a region (`access.scope_q`), for a search's page."""
    if not (getattr(actor, "is_authenticated", False) and actor.is_active):
        return LearningReview.objects.none()
    scope = access.scope_q(actor, access.P_LEARNING_VIEW, compact=compact)
    if scope == Q():
        return LearningReview.objects.all()
    return LearningReview.objects.filter(scope | _involved_q(actor))


def reviews_in_unit(*, actor, unit):
    """`reviews_visible(actor=actor)` of `unit` alone: all the unit's reviews
    when `actor` reads learning in the whole unit (without the scope's other
    units and the involvement rules, a fraction of the SQL), else the visible ones."""
    if access_unit.sees_all_of_unit(actor, access.P_LEARNING_VIEW, unit):
        return LearningReview.objects.filter(unit_id=unit.pk)
    return reviews_visible(actor=actor).filter(unit_id=unit.pk)


def is_involved(actor, review: LearningReview) -> bool:
    if actor.pk in (review.facilitator_id, review.opened_by_id):
        return True
    return review.participants.filter(pk=actor.pk).exists()


def review_list(*, actor, state: str | None = None):
    """The reviews `actor` may read, newest first (unit and facilitator joined)."""
    qs = reviews_visible(actor=actor).select_related("unit", "facilitator")
    if state in State.values:
        qs = qs.filter(state=state)
    return qs.order_by("-opened_at", "-id")


def review_get(*, actor, pk, request=None, log: bool = True) -> LearningReview:
    """One review: 404 outside the actor's units (and not theirs), 403 inside them
    without learning.view. Writes an access-log row (what="learning.review")."""
    try:
        review = LearningReview.objects.select_related("unit", "unit__region", "facilitator", "opened_by").get(pk=pk)
    except (LearningReview.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not is_involved(actor, review):
        if review.unit_id is None:
            if not access.has_perm_organisation_wide(actor):
                raise Http404
            if not access.has_perm_organisation_wide(actor, access.P_LEARNING_VIEW):
                raise PermissionDenied(access.P_LEARNING_VIEW)
        else:
            if not access.sees_unit(actor, review.unit):
                raise Http404
            if not access.can(actor, access.P_LEARNING_VIEW, review.unit):
                raise PermissionDenied(access.P_LEARNING_VIEW)
    if log:
        access_log_record(
            actor=actor, target=review, what="learning.review", right=access.P_LEARNING_VIEW, unit=review.unit,
            request=request,
        )
    return review


def review_deviations(*, actor, review: LearningReview) -> list:
    """The linked deviations `actor` may see (number, kind and state only on the page)."""
    ids = list(review.deviations.values_list("pk", flat=True))
    if not ids:
        return []
    return list(
        deviation_selectors.deviation_list(actor=actor).filter(pk__in=ids).order_by("submitted_at", "pk")
    )


def review_actions(*, actor, review: LearningReview) -> list:
    return improvement_selectors.actions_by_source(actor=actor, model=LearningReview, source_ids=[review.pk])[review.pk]


def review_participants(*, review: LearningReview) -> list:
    return list(review.participants.order_by("full_name", "pk"))


def review_units(*, review: LearningReview) -> list[Unit]:
    """The units a review concerns: its own, or (organisation-wide) the units of its deviations."""
    if review.unit_id is not None:
        return [review.unit]
    ids = review.deviations.values_list("unit_id", flat=True)
    return list(Unit.objects.filter(pk__in=ids).order_by("name"))


def people_for(*, units) -> list:
    """Who may facilitate or take part: people working in or over `units`
    (organisation-wide members only when there are none)."""
    rows = access_people.memberships_of(covering=list(units)).select_related("user").order_by("user__full_name")
    return list({m.user_id: m.user for m in rows}.values())


def units_to_open_in(*, actor):
    """The units where `actor` may open a review from scratch."""
    return access.units_for(actor, access.P_LEARNING_OPEN).order_by("name")


def may_open(actor) -> bool:
    return access.has_perm_anywhere(actor, access.P_LEARNING_OPEN)


def may_open_organisation_wide(actor) -> bool:
    return access.has_perm_organisation_wide(actor, access.P_LEARNING_OPEN)


def may_share(actor) -> bool:
    return access.has_perm_organisation_wide(actor, access.P_LEARNING_SHARE)


def may_add_action(actor, review: LearningReview, unit) -> bool:
    return review.is_open and (
        actor.pk == review.facilitator_id or (unit is not None and access.can(actor, access.P_ACTION_MANAGE, unit))
    )


# --- Origins (core.registry LEARNING_ORIGINS) -------------------------------------------------


def origin_resolve(origin: str, *, actor) -> dict | None:
    """What the origin "name:id" suggests (title, deviation ids, units), or None
    when there is no such provider or record, or `actor` may not open a review
    from it. Deviation ids are narrowed again to those the actor may see."""
    name, _sep, ref = (origin or "").partition(":")
    entry = registry.get(registry.LEARNING_ORIGINS, name) if name else None
    if entry is None or not ref.isdigit() or len(origin) > 60:
        return None
    data = entry.func(actor=actor, ref=int(ref))
    if not data:
        return None
    ids = [int(i) for i in data.get("deviation_ids") or []]
    visible = list(deviation_selectors.deviation_list(actor=actor).filter(pk__in=ids).values_list("pk", flat=True))
    return {
        "title": str(data.get("title") or "")[:250],
        "deviation_ids": visible,
        "units": list(data.get("units") or []),
    }


# --- Summaries ----------------------------------------------------------------------------------


def _shared_to_actor_q(actor) -> Q:
    """Shared summaries that reach a unit the actor works in or over."""
    if not access.has_perm_anywhere(actor, access.P_UNIT_VIEW):
        return Q(pk__in=[])
    # The units' service types as a subquery, not a list read first: one query
    # less, and no list of every unit's name (their default order made DISTINCT
    # return a row per unit: 2,000 for an organisation-wide reader).
    types = access.units_for(actor, access.P_UNIT_VIEW).values("service_type")
    return Q(shared_at__isnull=False) & (Q(service_type="") | Q(service_type__in=types))


def summaries_visible(*, actor, compact: bool = False):
    """Summaries `actor` may read: those of the reviews they may read, and the
    shared ones that reach the units they work in or over (everyone asked to
    acknowledge one works in such a unit). `compact`: see `reviews_visible`."""
    return LearningSummary.objects.filter(
        Q(review__in=reviews_visible(actor=actor, compact=compact).values("pk")) | _shared_to_actor_q(actor)
    )


def summary_get(*, actor, pk) -> LearningSummary:
    """One summary the actor may read; 404 otherwise (it is anonymised: no 403
    tells that a summary exists)."""
    try:
        return summaries_visible(actor=actor).select_related("review").get(pk=pk)
    except (LearningSummary.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def shared_summaries(*, actor, limit: int = 20) -> list[LearningSummary]:
    return list(summaries_visible(actor=actor).filter(shared_at__isnull=False).order_by("-shared_at", "-pk")[:limit])


def own_pending_acknowledgement(*, actor, summary: LearningSummary):
    return improvement_selectors.own_pending_acknowledgement_of(actor=actor, target=summary)


def acknowledgement_progress(*, summary: LearningSummary) -> tuple[int, int]:
    return improvement_selectors.acknowledgement_progress(target=summary)


def share_units(*, service_type: str = ""):
    qs = Unit.objects.filter(is_active=True)
    if service_type:
        qs = qs.filter(service_type=service_type)
    return qs.order_by("name")


def unit_staff(*, units) -> dict[int, list]:
    """Everyone working in each of `units` (a membership on the unit itself), by unit id."""
    result: dict[int, dict] = {}
    for m in access_people.memberships_of(units=units).select_related("user"):
        result.setdefault(m.unit_id, {})[m.user_id] = m.user
    return {unit_id: list(people.values()) for unit_id, people in result.items()}


# --- The home page (core.registry HOME_BLOCKS) ----------------------------------------------------


HOME_LIMIT = 3


@counts_first
def learning_home_items(*, actor, today: dt.date | None = None, limit: int = HOME_LIMIT) -> CountsFirst:
    """The open reviews the actor facilitates or takes part in (nearest due
    first), and the learning summaries they are asked to acknowledge. None when
    there is nothing. Three queries at most, one when there is nothing."""
    today = today or timezone.localdate()
    mine = LearningReview.objects.filter(state=State.OPEN).filter(Q(facilitator_id=actor.pk) | Q(_takes_part(actor)))
    pending = improvement_selectors.acknowledgements_pending(actor=actor).filter(
        target_type=ContentType.objects.get_for_model(LearningSummary)  # cached by Django after the first call
    )
    # Both counts in one statement (core/lib/counts.py; on the home page with the
    # other blocks' counts): nothing more when both are 0.
    return CountsFirst(
        {"total": mine, "to_acknowledge": pending},
        lambda counts: _home_rows(mine, pending, counts["total"], counts["to_acknowledge"], today, limit),
    )


def _home_rows(mine, pending, total, to_acknowledge, today, limit):
    if not total and not to_acknowledge:
        return None
    rows = list(mine.select_related("unit").order_by("due_date", "pk")[:limit]) if total else []
    acks = list(pending.order_by("requested_at", "pk").values("target_id", "reason")[:limit]) if to_acknowledge else []
    return {
        "rows": rows,
        "total": total,
        "overdue": sum(1 for r in rows if r.due_date < today),
        "today": today,
        "acks": acks,
        "to_acknowledge": to_acknowledge,
    }
