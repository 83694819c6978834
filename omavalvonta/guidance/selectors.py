"""Reads of guidance, always through the access kernel.

Guidance is not a single-unit model (see `models`): an item lists its units in
`GuidanceUnit` and may apply to all units. So instead of
`Model.objects.for_actor(actor, perm)` the scope is

    Q(applies_to_all_units=True) | Q(units__in=access.units_for(actor, perm))

(the group-wide half only for someone holding `perm` somewhere), in
`guidance_visible`. Every read below starts from it or from `guidance_get`.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, F, OuterRef, Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from omavalvonta.core.lib import bounds
from omavalvonta.core.lib.counts import CountsFirst, counts_first
from omavalvonta.core.selectors import audit_events_for
from omavalvonta.core.services import access_log_record
from omavalvonta.core.timeline import TimelineEntry
from omavalvonta.guidance.models import (
    PENDING_STATES,
    Guidance,
    GuidanceAttachment,
    GuidanceUnit,
    Kind,
    State,
)
from omavalvonta.organisation import access, access_people
from omavalvonta.organisation.models import Role, Unit

AGENDA_DAYS = 60


# --- Access ------------------------------------------------------------------------------


def _scope_q(actor, perm: str) -> Q | None:
    """Rows where `actor` may use `perm`; None when nowhere."""
    if not access.has_perm_anywhere(actor, perm):
        return None
    in_units = Exists(
        GuidanceUnit.objects.filter(guidance_id=OuterRef("pk"), unit__in=access.units_for(actor, perm))
    )
    # Exists instead of a join on `units`: no duplicate rows, so no DISTINCT
    # (which would not combine with ordering on every database the same way).
    return Q(applies_to_all_units=True) | Q(in_units)


def guidance_visible(*, actor, perm: str = access.P_GUIDANCE_VIEW):
    """Items `actor` may use `perm` on: those in a unit where they hold it, and
    the group-wide ones when they hold it anywhere. Equivalent to
    `Guidance.objects.filter(Q(applies_to_all_units=True) | Q(units__in=units_for(actor, perm))).distinct()`."""
    q = _scope_q(actor, perm)
    if q is None:
        return Guidance.objects.none()
    return Guidance.objects.filter(q)


def _item_units(guidance: Guidance) -> list[Unit]:
    cached = getattr(guidance, "_units_cache", None)
    if cached is None:
        cached = list(guidance.units.select_related("region").order_by("name"))
        guidance._units_cache = cached
    return cached


def _org_wide(actor, perm: str) -> bool:
    return access.has_perm_organisation_wide(actor, perm)


def can_on_item(actor, guidance: Guidance, perm: str) -> bool:
    """May `actor` use `perm` on this item? Group-wide items need an
    organisation-wide grant; others the permission in every affected unit."""
    if guidance.applies_to_all_units:
        return _org_wide(actor, perm)
    units = _item_units(guidance)
    return bool(units) and all(access.can(actor, perm, u) for u in units)


def can_view_item(actor, guidance: Guidance) -> bool:
    perm = access.P_GUIDANCE_VIEW
    if guidance.applies_to_all_units:
        return access.has_perm_anywhere(actor, perm)
    return any(access.can(actor, perm, u) for u in _item_units(guidance))


def can_prepare(actor, guidance: Guidance) -> bool:
    """The assignee prepares the response; so may anyone managing the item."""
    if guidance.assignee_id and guidance.assignee_id == actor.pk and actor.is_active:
        return access.has_perm_anywhere(actor, access.P_GUIDANCE_MANAGE)
    return can_on_item(actor, guidance, access.P_GUIDANCE_MANAGE)


def _sees_any(actor, guidance: Guidance) -> bool:
    if guidance.applies_to_all_units:
        return access.is_member(actor)
    return any(access.sees_unit(actor, u) for u in _item_units(guidance))


def guidance_get(*, actor, pk, perm: str = access.P_GUIDANCE_VIEW) -> Guidance:
    """One item for `actor`: 404 when it concerns none of the units the actor
    belongs to, 403 when it does but `actor` may not view it, or may view but
    not use `perm` (manage: the assignee counts; review)."""
    try:
        guidance = Guidance.objects.select_related(
            "authority", "county", "assignee", "reviewed_by", "registered_by", "unit"
        ).get(pk=pk)
    except (Guidance.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not _sees_any(actor, guidance):
        raise Http404
    if not can_view_item(actor, guidance):
        raise PermissionDenied(access.P_GUIDANCE_VIEW)
    if perm == access.P_GUIDANCE_MANAGE:
        allowed = can_prepare(actor, guidance)
    elif perm == access.P_GUIDANCE_VIEW:
        allowed = True
    else:
        allowed = can_on_item(actor, guidance, perm)
    if not allowed:
        raise PermissionDenied(perm)
    return guidance


def guidance_instructions_get(*, actor, pk) -> Guidance:
    """An item whose instructions have been issued, for someone working in one of
    its units (unit.view there; any unit for a group-wide item): staff read the
    instructions they are asked to acknowledge. 404 otherwise."""
    try:
        guidance = Guidance.objects.select_related("authority", "county").get(
            pk=pk, instructions_issued_at__isnull=False
        )
    except (Guidance.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if guidance.applies_to_all_units:
        allowed = access.has_perm_anywhere(actor, access.P_UNIT_VIEW)
    else:
        allowed = any(access.can(actor, access.P_UNIT_VIEW, u) for u in _item_units(guidance))
    if not allowed:
        raise Http404
    return guidance


def guidance_units(*, guidance: Guidance) -> list[Unit]:
    """The units an item names (the caller has been granted the item)."""
    return _item_units(guidance)


# --- Lists ------------------------------------------------------------------------------


def guidance_list(*, actor, filters: dict | None = None):
    """Items `actor` may view, newest first, with sender and units loaded (flat
    query count). filters: kind, state ("open": every state but closed), unit
    (id: items naming it, and group-wide ones), overdue (bool), assigned_to_me (bool)."""
    filters = filters or {}
    qs = guidance_visible(actor=actor).select_related("authority", "county", "assignee")
    if (kind := filters.get("kind")) in Kind.values:
        qs = qs.filter(kind=kind)
    state = filters.get("state")
    if state in State.values:
        qs = qs.filter(state=state)
    elif state == "open":
        qs = qs.exclude(state=State.CLOSED)
    if (unit_id := bounds.parse_int(filters.get("unit"))) is not None:
        qs = qs.filter(
            Q(applies_to_all_units=True)
            | Q(Exists(GuidanceUnit.objects.filter(guidance_id=OuterRef("pk"), unit_id=unit_id)))
        )
    if (region_id := bounds.parse_int(filters.get("region"))) is not None:
        qs = qs.filter(
            Q(applies_to_all_units=True)
            | Q(Exists(GuidanceUnit.objects.filter(guidance_id=OuterRef("pk"), unit__region_id=region_id)))
        )
    if filters.get("overdue"):
        qs = qs.filter(state__in=PENDING_STATES, deadline__lt=timezone.localdate())
    if filters.get("mine"):
        qs = qs.filter(assignee_id=actor.pk)
    return qs.prefetch_related("units").order_by("-received_on", "-id")


def guidance_for_agenda(*, actor, unit) -> list[Guidance]:
    """For the meeting agenda builder: items for `unit` (naming it, or group-wide)
    registered or with instructions issued in the last 60 days, that `actor` may
    view. Newest first."""
    since = timezone.now() - dt.timedelta(days=AGENDA_DAYS)
    if not access.can(actor, access.P_GUIDANCE_VIEW, unit):
        return []
    in_unit = Exists(GuidanceUnit.objects.filter(guidance_id=OuterRef("pk"), unit_id=unit.pk))
    return list(
        Guidance.objects.filter(Q(applies_to_all_units=True) | Q(in_unit))
        .filter(Q(created_at__gte=since) | Q(instructions_issued_at__gte=since))
        .select_related("authority", "county")
        .order_by("-received_on", "-id")
    )


def guidance_attachments(*, guidance: Guidance):
    return GuidanceAttachment.objects.filter(guidance=guidance)


def guidance_attachment(*, actor, guidance: Guidance, attachment_id, request=None) -> GuidanceAttachment:
    """One attachment of an item already granted to the actor, for download
    (an access-log row, what="guidance.attachment"); 404 otherwise."""
    try:
        attachment = GuidanceAttachment.objects.get(guidance=guidance, pk=attachment_id)
    except (GuidanceAttachment.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    access_log_record(
        actor=actor,
        target=guidance,
        what="guidance.attachment",
        right=access.P_GUIDANCE_VIEW,
        unit=guidance.unit,
        request=request,
    )
    return attachment


# --- People -----------------------------------------------------------------------------


def _covering(units, *, all_units: bool):
    """Memberships covering `units` (the unit, its region, the organisation); every one for all units."""
    return None if all_units else list(units)


def assignee_candidates(*, guidance: Guidance | None = None, units=(), all_units: bool = False) -> list:
    """People who may prepare a response: guidance.manage over one of the units."""
    if guidance is not None:
        units, all_units = _item_units(guidance), guidance.applies_to_all_units
    rows = (
        access_people.memberships_of(access.roles_with(access.P_GUIDANCE_MANAGE), covering=_covering(units, all_units=all_units))
        .select_related("user")
        .order_by("user__full_name", "user_id")
    )
    return list({m.user_id: m.user for m in rows}.values())


def action_owner_candidates(*, guidance: Guidance) -> list:
    """People who may own an action arising from the item: those who follow actions in its units."""
    rows = (
        access_people.memberships_of(
            access.roles_with(access.P_ACTION_VIEW),
            covering=_covering(_item_units(guidance), all_units=guidance.applies_to_all_units),
        )
        .select_related("user")
        .order_by("user__full_name", "user_id")
    )
    return list({m.user_id: m.user for m in rows}.values())


def unit_staff(*, unit) -> list:
    """Everyone working in `unit` (a membership on the unit itself): who must
    acknowledge new instructions."""
    rows = access_people.memberships_of(unit=unit).select_related("user")
    return list({m.user_id: m.user for m in rows}.values())


def people_with_role_covering(*, units, all_units: bool, roles) -> list:
    rows = (
        access_people.memberships_of(roles, covering=_covering(units, all_units=all_units))
        .select_related("user")
        .order_by("user__full_name", "user_id")
    )
    return list({m.user_id: m.user for m in rows}.values())


def quality_directors(*, guidance: Guidance) -> list:
    return people_with_role_covering(
        units=_item_units(guidance), all_units=guidance.applies_to_all_units, roles=[Role.QUALITY_DIRECTOR]
    )


# --- Timeline ---------------------------------------------------------------------------


def _timeline_label(event) -> str | None:
    data = event.data or {}
    labels = {
        "guidance.registered": _("Registered"),
        "guidance.response_saved": _("Response draft saved"),
        "guidance.response_submitted": _("Response submitted for review"),
        "guidance.response_approved": _("Response approved"),
        "guidance.closed": _("Closed"),
        "guidance.reminded": _("Deadline reminder sent"),
        "guidance.escalated": _("Deadline missed: escalated"),
    }
    if event.verb in labels:
        return labels[event.verb]
    if event.verb == "guidance.assigned":
        return _("Responsible for the response: %(name)s") % {"name": data.get("assignee_name") or "?"}
    if event.verb == "guidance.response_returned":
        return _("Response returned for changes: %(comment)s") % {"comment": data.get("comment", "")}
    if event.verb == "guidance.action_added":
        return _("Action decided: %(title)s") % {"title": data.get("title", "")}
    if event.verb == "guidance.instructions_issued":
        return _("Instructions issued; %(count)s people asked to acknowledge") % {"count": data.get("asked", 0)}
    if event.verb == "acknowledgements.requested":
        return None  # summarised by guidance.instructions_issued
    return None


def guidance_timeline(*, guidance: Guidance) -> list[TimelineEntry]:
    """Readable events of one item, oldest first (the caller has been granted it)."""
    entries = []
    for event in audit_events_for(guidance):
        label = _timeline_label(event)
        if label:
            entries.append(TimelineEntry(at=event.at, label=label, actor_name=str(event.actor) if event.actor else None))
    return entries


# --- The home page ("what is waiting for me") ------------------------------------------------------


@counts_first
def guidance_home_items(*, actor, today: dt.date | None = None, limit: int = 3) -> CountsFirst | None:
    """For the home page: items the actor prepares (assigned to them, still
    pending), nearest deadline first, and for the quality director the responses
    waiting for their review. Both among the items the actor may read (the
    response reviews among those they may review). None when both are empty.
    The counts first (core/lib/counts.py: one statement with the other blocks'
    on the home page), then a query for each list that is not empty."""
    today = today or timezone.localdate()
    counts = {}
    if access.has_perm_anywhere(actor, access.P_GUIDANCE_VIEW):
        counts["mine_total"] = guidance_visible(actor=actor).filter(
            assignee_id=actor.pk, state__in=(State.REGISTERED, State.RESPONSE_IN_PREPARATION)
        )
    if access.has_perm_anywhere(actor, access.P_GUIDANCE_REVIEW):
        counts["reviews_total"] = guidance_visible(actor=actor, perm=access.P_GUIDANCE_REVIEW).filter(
            state=State.RESPONSE_IN_REVIEW
        )
    if not counts:
        return None

    def then(counted):
        result = {"mine": [], "mine_total": 0, "reviews": [], "reviews_total": 0, "today": today}
        for name, rows in (("mine_total", "mine"), ("reviews_total", "reviews")):
            result[name] = counted.get(name, 0)
            if result[name]:
                result[rows] = list(
                    counts[name].order_by(F("deadline").asc(nulls_last=True), "received_on", "id")[:limit]
                )
        if not result["mine_total"] and not result["reviews_total"]:
            return None
        return result

    return CountsFirst(counts, then)
