"""Writes of meetings and minutes. Each service: keyword-only arguments with
`actor` first, @transaction.atomic, an access check (meeting.manage on the
meeting's unit; the quality director for the management group), save(update_fields),
an AuditEvent in the same transaction, notifications only through the outbox.
Business-rule failures raise ValidationError with a translated message.

Actions, log entries and acknowledgements are written through the improvement
area's contract services (`action_create`, `log_entry_create`,
`acknowledgements_request`), never directly."""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from omavalvonta.core.concurrency import edit_version_claim
from omavalvonta.core.services import audit_event_record
from omavalvonta.improvement import services as improvement
from omavalvonta.improvement.models import ActionKind
from omavalvonta.improvement.selectors import has_decisions_from
from omavalvonta.meetings import hooks, selectors
from omavalvonta.meetings.agenda import proposals_for
from omavalvonta.meetings.models import (
    UNIT_KINDS,
    AgendaItem,
    AgendaItemKind,
    Meeting,
    MeetingKind,
    MeetingState,
)
from omavalvonta.organisation import access


def meeting_link(meeting: Meeting) -> str:
    return reverse("meetings:detail", args=[meeting.pk])


def _require_manage(actor, meeting: Meeting) -> None:
    if not selectors.can_manage(actor, meeting):
        raise PermissionDenied(access.P_MEETING_MANAGE)


def _require_open(meeting: Meeting) -> None:
    if meeting.state == MeetingState.MINUTES_CLOSED:
        raise ValidationError(_("The minutes are closed and can no longer be changed."))


def _lock(meeting: Meeting) -> Meeting:
    """Re-read the meeting's state under a row lock: two chairs' tabs closing and
    editing at once must not both pass the "still open" check."""
    fresh = Meeting.objects.select_for_update().only("state").get(pk=meeting.pk)
    meeting.state = fresh.state
    return meeting


def _mark_started(*, actor, meeting: Meeting) -> None:
    """Writing the minutes starts the meeting (planned -> in progress)."""
    if meeting.state == MeetingState.PLANNED:
        meeting.state = MeetingState.IN_PROGRESS
        meeting.save(update_fields=["state"])
        audit_event_record(actor=actor, verb="meeting.started", target=meeting, unit=meeting.unit)


def _minutes_written(*, actor, meeting: Meeting, verb: str, **details) -> None:
    """A part of the minutes written: the meeting started if it was only planned,
    and the write audited as "meeting.<verb>"."""
    _mark_started(actor=actor, meeting=meeting)
    audit_event_record(actor=actor, verb=f"meeting.{verb}", target=meeting, unit=meeting.unit, **details)


def _next_order(meeting: Meeting) -> int:
    return (meeting.items.aggregate(m=Max("order"))["m"] or 0) + 1


def _add_proposals(*, actor, meeting: Meeting) -> int:
    """Put on the agenda what is waiting and not already there."""
    present = set(
        meeting.items.filter(source_type__isnull=False).values_list("source_type_id", "source_id")
    )
    # Items without a source (a summary line) are told apart by kind and title.
    present_titles = set(meeting.items.filter(source_type__isnull=True).values_list("kind", "title"))
    order = _next_order(meeting)
    new = []
    for proposal in proposals_for(actor=actor, meeting=meeting):
        source_type = source_id = None
        if proposal.source is None:
            if (proposal.kind, proposal.title[:300]) in present_titles:
                continue
            present_titles.add((proposal.kind, proposal.title[:300]))
        else:
            source_type = ContentType.objects.get_for_model(proposal.source)
            source_id = proposal.source.pk
            if (source_type.pk, source_id) in present:
                continue
            present.add((source_type.pk, source_id))
        new.append(
            AgendaItem(
                meeting=meeting,
                unit=meeting.unit,
                order=order,
                kind=proposal.kind,
                source_type=source_type,
                source_id=source_id,
                title=proposal.title[:300],
                note=(proposal.note or "")[:300],
                created_by=actor,
            )
        )
        order += 1
    AgendaItem.objects.bulk_create(new)
    return len(new)


@transaction.atomic
def meeting_create(
    *,
    actor,
    kind: str,
    title: str,
    starts_at: dt.datetime,
    unit=None,
    location: str = "",
    is_online: bool = False,
    chair=None,
    guests: str = "",
) -> Meeting:
    """Plan a meeting; its agenda builds itself from what is waiting in the unit
    (see `agenda`). Team meetings and supervisor's reviews need a unit and
    meeting.manage there; group-level meetings (the management group, the
    occupational safety committee) have no unit and are planned by their
    managers (`selectors.GROUP_AUDIENCE`)."""
    if kind not in MeetingKind.values:
        raise ValidationError({"kind": _("Choose the kind of meeting.")})
    if kind in UNIT_KINDS:
        if unit is None:
            raise ValidationError({"unit": _("Choose the unit.")})
        access.require(actor, access.P_MEETING_MANAGE, unit)
    else:
        if not selectors.may_create_group_kind(actor, kind):
            raise PermissionDenied(access.P_MEETING_MANAGE)
        unit = None
    title = (title or "").strip() or selectors.meeting_default_title(kind=kind, starts_at=starts_at)
    if starts_at is None:
        raise ValidationError({"starts_at": _("Give the time of the meeting.")})
    meeting = Meeting.objects.create(
        unit=unit,
        kind=kind,
        title=title[:200],
        starts_at=starts_at,
        location=(location or "").strip()[:200],
        is_online=bool(is_online),
        chair=chair or actor,
        guests=(guests or "").strip(),
        created_by=actor,
    )
    count = _add_proposals(actor=actor, meeting=meeting)
    audit_event_record(actor=actor, verb="meeting.created", target=meeting, unit=unit, kind=kind, items=count)
    return meeting


@transaction.atomic
def agenda_refresh(*, actor, meeting: Meeting) -> int:
    """Add to the agenda what has started waiting since it was built. Returns how many."""
    _require_manage(actor, meeting)
    _require_open(_lock(meeting))
    count = _add_proposals(actor=actor, meeting=meeting)
    if count:
        audit_event_record(actor=actor, verb="meeting.agenda_refreshed", target=meeting, unit=meeting.unit, items=count)
    return count


@transaction.atomic
def agenda_item_add(*, actor, meeting: Meeting, title: str, kind: str = AgendaItemKind.OTHER) -> AgendaItem:
    """The chair adds an item of their own at the end of the agenda."""
    _require_manage(actor, meeting)
    _require_open(_lock(meeting))
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("Write the item's title.")})
    if kind not in AgendaItemKind.values:
        kind = AgendaItemKind.OTHER
    item = AgendaItem.objects.create(
        meeting=meeting, unit=meeting.unit, order=_next_order(meeting), kind=kind, title=title[:300], created_by=actor
    )
    audit_event_record(actor=actor, verb="meeting.item_added", target=meeting, unit=meeting.unit, item=item.pk)
    return item


@transaction.atomic
def agenda_item_move(*, actor, item: AgendaItem, direction: str) -> None:
    """Move an item one place up or down (swaps it with its neighbour)."""
    meeting = item.meeting
    _require_manage(actor, meeting)
    _require_open(_lock(meeting))
    if direction not in ("up", "down"):
        raise ValidationError(_("Unknown direction."))
    items = list(meeting.items.order_by("order", "id"))
    # Renumber first: orders may have gaps or ties (removed items, races).
    index = next((i for i, x in enumerate(items) if x.pk == item.pk), None)
    if index is None:
        return
    target = index - 1 if direction == "up" else index + 1
    if not 0 <= target < len(items):
        return
    items[index], items[target] = items[target], items[index]
    changed = []
    for position, x in enumerate(items, start=1):
        if x.order != position:
            x.order = position
            changed.append(x)
    AgendaItem.objects.bulk_update(changed, ["order"])


@transaction.atomic
def agenda_item_remove(*, actor, item: AgendaItem) -> None:
    """Take an item off the agenda (before the minutes are closed). Nothing decided
    from it may be lost: an item with actions or log entries stays."""
    meeting = item.meeting
    _require_manage(actor, meeting)
    _require_open(_lock(meeting))
    if has_decisions_from(source=item):
        raise ValidationError(_("Actions or log entries were already recorded on this item: it stays on the agenda."))
    audit_event_record(
        actor=actor, verb="meeting.item_removed", target=meeting, unit=meeting.unit, item=item.pk, title=item.title
    )
    item.delete()


@transaction.atomic
def agenda_item_decide(*, actor, item: AgendaItem, decision: str, expected_version: int | None = None) -> AgendaItem:
    """Record (or change) the decision on an item in the minutes. `expected_version`:
    the item's edit version when the form was opened; a newer save refuses this one."""
    meeting = item.meeting
    _require_manage(actor, meeting)
    _require_open(_lock(meeting))
    edit_version_claim(item, expected=expected_version, audit_target=meeting)
    item.decision = (decision or "").strip()
    item.save(update_fields=["decision"])
    _minutes_written(actor=actor, meeting=meeting, verb="decision_recorded", item=item.pk)
    return item


def _decision_unit(*, actor, meeting: Meeting, unit, perm: str):
    """The unit a decision is recorded in: the meeting's own unit, or for the
    management group (no unit) the unit the chair chose, where the actor needs
    `perm` (action.manage for an action, log.write for a log entry)."""
    if meeting.unit_id is not None:
        return meeting.unit
    if unit is None:
        raise ValidationError({"unit": _("Choose the unit.")})
    if not access.can(actor, perm, unit) or not unit.is_active:
        raise ValidationError({"unit": _("You cannot record this in the chosen unit.")})
    return unit


@transaction.atomic
def agenda_item_action_create(
    *, actor, item: AgendaItem, title: str, owner, due_date: dt.date, kind: str = ActionKind.CORRECTIVE, unit=None
):
    """Decide a new action on an item: an improvement Action whose source is the
    agenda item, in the meeting's unit or, in the management group, in the unit
    chosen (`unit`, where the actor has action.manage). The owner is one of that
    unit's staff."""
    meeting = item.meeting
    _require_manage(actor, meeting)
    _require_open(_lock(meeting))
    target_unit = _decision_unit(actor=actor, meeting=meeting, unit=unit, perm=access.P_ACTION_MANAGE)
    errors = {}
    if not (title or "").strip():
        errors["title"] = _("Write what will be done.")
    if owner is None or not selectors.unit_staff(unit=target_unit).filter(pk=owner.pk).exists():
        errors["owner"] = _("Choose the owner from the unit's staff.")
    if due_date is None:
        errors["due_date"] = _("Give the due date.")
    elif due_date < timezone.localdate():
        errors["due_date"] = _("The due date cannot be in the past.")
    if errors:
        raise ValidationError(errors)
    # In a unit's meeting meeting.manage was checked above; the contract's own
    # check is for callers that have not checked anything. In the management
    # group the chosen unit's action.manage is checked by the contract too.
    action = improvement.action_create(
        actor=actor,
        unit=target_unit,
        title=title.strip(),
        owner=owner,
        due_date=due_date,
        source=item,
        kind=kind if kind in ActionKind.values else ActionKind.CORRECTIVE,
        check_access=meeting.unit_id is None,
    )
    _minutes_written(actor=actor, meeting=meeting, verb="action_decided", item=item.pk, action_unit=target_unit.pk)
    return action


@transaction.atomic
def agenda_item_log_entry_create(
    *, actor, item: AgendaItem, observation: str, reaction: str = "", planned_correction: str = "", unit=None
):
    """Write the item to the self-supervision log of the meeting's unit or, in the
    management group, of the unit chosen (log.write is checked by the contract
    service too)."""
    meeting = item.meeting
    _require_manage(actor, meeting)
    _require_open(_lock(meeting))
    target_unit = _decision_unit(actor=actor, meeting=meeting, unit=unit, perm=access.P_LOG_WRITE)
    entry = improvement.log_entry_create(
        actor=actor,
        unit=target_unit,
        observation=observation,
        reaction=reaction,
        planned_correction=planned_correction,
        # Written before the meeting's day (prepared in advance, or just after
        # midnight): observed today, never in the future.
        observed_on=min(timezone.localtime(meeting.starts_at).date(), timezone.localdate()),
        source=item,
    )
    _minutes_written(actor=actor, meeting=meeting, verb="log_entry_written", item=item.pk, log_unit=target_unit.pk)
    return entry


@transaction.atomic
def meeting_attendance_set(*, actor, meeting: Meeting, participants, absentees, guests: str | None = None) -> None:
    """Record who took part and who was absent (from the unit's staff)."""
    _require_manage(actor, meeting)
    _require_open(_lock(meeting))
    participants = {u.pk: u for u in participants}
    absentees = {u.pk: u for u in absentees}
    people = set(selectors.meeting_people(meeting=meeting).values_list("pk", flat=True))
    errors = {}
    if set(participants) & set(absentees):
        errors["absentees"] = _("A person cannot both take part and be absent.")
    if (set(participants) | set(absentees)) - people:
        errors["participants"] = _("Choose people from the unit's staff.")
    if errors:
        raise ValidationError(errors)
    meeting.participants.set(participants.values())
    meeting.absentees.set(absentees.values())
    fields = []
    if guests is not None:
        meeting.guests = guests.strip()
        fields.append("guests")
    if fields:
        meeting.save(update_fields=fields)
    _minutes_written(
        actor=actor, meeting=meeting, verb="attendance_recorded", participants=len(participants), absentees=len(absentees)
    )


@transaction.atomic
def meeting_close(*, actor, meeting: Meeting, contains_new_instructions: bool = False) -> int:
    """Close the minutes: from now on read-only. The absentees are always asked to
    acknowledge them; with new instructions, all the unit's staff (but the chair,
    who wrote them). Returns how many were asked."""
    _require_manage(actor, meeting)
    _require_open(_lock(meeting))
    if not meeting.participants.exists():
        raise ValidationError(_("Record who took part before closing the minutes."))
    meeting.state = MeetingState.MINUTES_CLOSED
    meeting.closed_at = timezone.now()
    # New instructions go to a unit's staff; the management group has none.
    meeting.contains_new_instructions = bool(contains_new_instructions) and meeting.unit_id is not None
    meeting.save(update_fields=["state", "closed_at", "contains_new_instructions"])
    audit_event_record(
        actor=actor,
        verb="meeting.minutes_closed",
        target=meeting,
        unit=meeting.unit,
        new_instructions=meeting.contains_new_instructions,
    )
    hooks.minutes_closed(actor=actor, meeting=meeting)
    asked = 0
    # Acknowledgements belong to a unit (Acknowledgement.unit is required and
    # scopes who may see them). Management group minutes have no unit, and asking
    # per unit would be wrong (the members do not belong to the units, and one
    # person would be asked several times), so they are not acknowledged in the
    # product: the members read them in the meeting list, and the minutes page
    # says so (MANAGEMENT_GROUP_NO_ACKNOWLEDGEMENTS in the detail view).
    if meeting.unit_id is not None:
        users = list(meeting.absentees.filter(is_active=True))
        if meeting.contains_new_instructions:
            users += list(selectors.unit_staff(unit=meeting.unit).exclude(pk=meeting.chair_id))
        if users:
            asked = improvement.acknowledgements_request(
                actor=actor,
                unit=meeting.unit,
                target=meeting,
                users=users,
                reason=_("New instructions") if meeting.contains_new_instructions else _("Absent from the meeting"),
                link=meeting_link(meeting),
            )
    return asked


@transaction.atomic
def meeting_acknowledgements_remind(*, actor, meeting: Meeting) -> int:
    """Remind everyone who has not yet acknowledged the minutes; stamps their
    reminded_at. Returns how many were reminded."""
    _require_manage(actor, meeting)
    if not meeting.is_closed:
        raise ValidationError(_("Reminders are sent after the minutes are closed."))
    reminded = improvement.acknowledgements_remind(
        actor=actor,
        target=meeting,
        subject=_("Reminder: please acknowledge %(what)s") % {"what": meeting.title[:150]},
        body=_("%(actor)s reminds you to read and acknowledge the minutes: %(what)s")
        % {"actor": actor, "what": meeting.title},
        link=meeting_link(meeting),
    )
    if reminded:
        audit_event_record(
            actor=actor, verb="meeting.acknowledgements_reminded", target=meeting, unit=meeting.unit, count=reminded
        )
    return reminded


def acknowledgement_confirm(*, actor, acknowledgement) -> None:
    """The person confirms they have read the minutes (the contract service does
    the checking and the writing)."""
    improvement.acknowledgement_confirm(actor=actor, acknowledgement=acknowledgement)


def agenda_sources_forget(*, model_label: str, ids) -> None:
    """registry.RECORD_DESTROYED: agenda items no longer point at a destroyed record."""
    from omavalvonta.core.services import references_forget

    references_forget(AgendaItem, model_label=model_label, ids=ids)
