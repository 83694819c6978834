"""Reads of meetings, always through the access kernel.

Unit meetings are scoped like every unit-scoped record (`for_actor`,
`access_object`). Management group meetings have no unit: they are visible to
management group members and the quality director only, and managed by the
quality director (and their chair)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _, ngettext

from omavalvonta.core.lib import bounds
from omavalvonta.core.lib.counts import CountsFirst, counts_first
from omavalvonta.core.lib.dates import fi_date
from omavalvonta.deviations.selectors import deviation_list
from omavalvonta.improvement.selectors import (
    acknowledgement_progress,
    acknowledgements_for,
    acknowledgements_pending,
    actions_by_source,
    actions_due_in_unit,
    log_entries_by_source,
    own_acknowledgement,
    own_pending_acknowledgement_of,
)
from omavalvonta.meetings.models import AgendaItem, AgendaItemKind, Meeting, MeetingKind, MeetingState
from omavalvonta.organisation import access, access_people
from omavalvonta.organisation.models import Role

# Actions due within this many days (or already overdue) come to the agenda.
ACTIONS_DUE_WITHIN_DAYS = 30
# An agenda nobody can get through helps no one: the most urgent actions come
# one by one, the rest as one item pointing to the action list.
ACTIONS_ON_AGENDA_MAX = 15
# Deviations closed before the meeting but marked for it still come, for this long.
CLOSED_DEVIATIONS_WITHIN_DAYS = 60

MANAGEMENT_GROUP_VIEWERS = (Role.MANAGEMENT_GROUP, Role.QUALITY_DIRECTOR)
MANAGEMENT_GROUP_MANAGERS = (Role.QUALITY_DIRECTOR,)
# The occupational safety committee: the group's safety leadership (the
# programme's "Turvallisuuden johtoryhmä": the quality and rehabilitation
# directors with the safety manager, työsuojelupäällikkö) and the management group
# read its minutes; the quality director plans it. The safety manager holds no
# meeting.view over the units' meetings: meeting.safety_committee opens the
# meeting pages for this kind only.
SAFETY_COMMITTEE_VIEWERS = (
    Role.QUALITY_DIRECTOR, Role.REHABILITATION_DIRECTOR, Role.SAFETY_MANAGER, Role.MANAGEMENT_GROUP,
)
SAFETY_COMMITTEE_MANAGERS = (Role.QUALITY_DIRECTOR,)
# Who reads and who plans each group-level meeting kind (roles held organisation-wide).
GROUP_AUDIENCE = {
    MeetingKind.MANAGEMENT_GROUP: (MANAGEMENT_GROUP_VIEWERS, MANAGEMENT_GROUP_MANAGERS),
    MeetingKind.SAFETY_COMMITTEE: (SAFETY_COMMITTEE_VIEWERS, SAFETY_COMMITTEE_MANAGERS),
}


def _org_wide_role(actor, roles) -> bool:
    """Does `actor` hold one of `roles` over the whole organisation?"""
    return access.has_role_organisation_wide(actor, *roles)


def may_see_management_group(actor) -> bool:
    return _org_wide_role(actor, MANAGEMENT_GROUP_VIEWERS)


def may_create_management_group(actor) -> bool:
    return _org_wide_role(actor, MANAGEMENT_GROUP_MANAGERS)


def may_see_group_kind(actor, kind: str) -> bool:
    viewers, _managers = GROUP_AUDIENCE[kind]
    return _org_wide_role(actor, viewers)


def may_create_group_kind(actor, kind: str) -> bool:
    _viewers, managers = GROUP_AUDIENCE[kind]
    return _org_wide_role(actor, managers)


def group_kinds_visible(actor) -> list[str]:
    """The group-level meeting kinds whose minutes `actor` may read."""
    return [kind for kind in GROUP_AUDIENCE if may_see_group_kind(actor, kind)]


def group_kinds_creatable(actor) -> list[str]:
    return [kind for kind in GROUP_AUDIENCE if may_create_group_kind(actor, kind)]


def may_see_any_group_meeting(actor) -> bool:
    return _org_wide_role(actor, tuple({r for viewers, _m in GROUP_AUDIENCE.values() for r in viewers}))


def can_manage(actor, meeting: Meeting) -> bool:
    """May `actor` edit the agenda and minutes of `meeting` (meeting.manage)?"""
    if meeting.unit_id is None:
        return may_create_group_kind(actor, meeting.kind) or (
            meeting.chair_id == getattr(actor, "pk", None) and may_see_group_kind(actor, meeting.kind)
        )
    return access.can(actor, access.P_MEETING_MANAGE, meeting.unit)


def meeting_get(*, actor, pk, perm: str = access.P_MEETING_VIEW) -> Meeting:
    """One meeting for `actor`: 404 outside their units, 403 inside without `perm`.
    A management group meeting is 404 to everyone but its audience."""
    qs = Meeting.objects.select_related("chair", "unit", "unit__region")
    try:
        meeting = qs.get(pk=pk)
    except (Meeting.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if meeting.unit_id is None:
        if not may_see_group_kind(actor, meeting.kind):
            raise Http404
        if perm == access.P_MEETING_MANAGE and not can_manage(actor, meeting):
            raise PermissionDenied(perm)
        return meeting
    return access.access_object(qs, actor, pk, perm)


def visible_meetings(actor, *, compact: bool = False):
    """Every meeting `actor` may read (meeting.view). `compact`: the kernel's
    short form of a region (`access.scope_q`), for a search's page."""
    qs = Meeting.objects.for_actor(actor, access.P_MEETING_VIEW, compact=compact).filter(unit__isnull=False)
    group_kinds = group_kinds_visible(actor)
    if group_kinds:
        qs = qs | Meeting.objects.filter(unit__isnull=True, kind__in=group_kinds)
    return qs


def meeting_list(*, actor, filters: dict | None = None):
    """Meetings `actor` may read, newest first. filters: unit, region (ids), kind,
    when ("upcoming": not closed; "past": minutes closed)."""
    filters = filters or {}
    qs = visible_meetings(actor)
    if (unit_id := bounds.parse_int(filters.get("unit"))) is not None:
        qs = qs.filter(unit_id=unit_id)
    if (region_id := bounds.parse_int(filters.get("region"))) is not None:
        qs = qs.filter(unit__region_id=region_id)
    if (kind := filters.get("kind")) in MeetingKind.values:
        qs = qs.filter(kind=kind)
    when = filters.get("when")
    if when == "upcoming":
        qs = qs.exclude(state=MeetingState.MINUTES_CLOSED)
    elif when == "past":
        qs = qs.filter(state=MeetingState.MINUTES_CLOSED)
    return (
        qs.select_related("unit", "chair")
        .annotate(item_count=Count("items", distinct=True))
        .order_by("-starts_at", "-id")
    )


def units_for_meetings(*, actor, perm: str = access.P_MEETING_VIEW):
    return access.units_for(actor, perm).order_by("name")


def meeting_items(*, meeting: Meeting) -> list[AgendaItem]:
    return list(meeting.items.select_related("source_type").order_by("order", "id"))


# --- People ---------------------------------------------------------------------------------


def unit_staff(*, unit):
    """Everyone active who holds a role in `unit` itself (its own staff)."""
    return (
        access_people.people_holding(unit=unit).order_by("full_name", "pk")
    )


def management_group_people():
    return access_people.people_holding(MANAGEMENT_GROUP_VIEWERS, organisation_wide=True).order_by("full_name", "pk")


def decision_units(*, actor, meeting: Meeting, perm: str):
    """The units a management group meeting may record decisions in: where the
    actor has `perm` (action.manage or log.write). None for a unit's meeting."""
    if meeting.unit_id is not None:
        return None
    return access.units_for(actor, perm).select_related("region").order_by("name")


def decision_owner_candidates(*, units):
    """Action owners offered in the management group: the staff of those units
    (the service checks the owner works in the unit chosen)."""
    return access_people.people_holding(units=units).order_by("full_name", "pk")


def safety_committee_people():
    return access_people.people_holding(SAFETY_COMMITTEE_VIEWERS, organisation_wide=True).order_by("full_name", "pk")


def meeting_people(*, meeting: Meeting):
    """Whose attendance is recorded: the unit's staff (the management group for
    its meetings, the committee's audience for the safety committee's)."""
    if meeting.unit_id is None:
        if meeting.kind == MeetingKind.SAFETY_COMMITTEE:
            return safety_committee_people()
        return management_group_people()
    return unit_staff(unit=meeting.unit)


# --- Agenda sources -------------------------------------------------------------------------


def _deviation_type():
    from omavalvonta.deviations.models import Deviation

    return ContentType.objects.get_for_model(Deviation)


def deviations_handled_in_closed_minutes(*, unit):
    """Ids of the unit's deviations that were on the agenda of closed minutes."""
    return AgendaItem.objects.filter(
        unit=unit,
        kind=AgendaItemKind.DEVIATION,
        source_type=_deviation_type(),
        meeting__state=MeetingState.MINUTES_CLOSED,
    ).values("source_id")


def deviations_for_agenda(*, actor, unit):
    """Agenda source: the unit's deviations marked for the team meeting and not yet
    handled in closed minutes, oldest first. Titles carry the number and type only:
    all the unit's staff read the minutes, the description may name a child."""
    from omavalvonta.meetings.agenda import AgendaProposal

    # Open reports, and those closed lately: a report handled and closed between
    # two meetings is still for the team to learn from. Older ones are history.
    since = timezone.now() - dt.timedelta(days=CLOSED_DEVIATIONS_WITHIN_DAYS)
    deviations = (
        deviation_list(actor=actor, filters={"team_meeting": True, "unit": unit.pk})
        .exclude(state="closed", closed_at__lt=since)
        .exclude(pk__in=deviations_handled_in_closed_minutes(unit=unit))
        .order_by("submitted_at", "id")
    )
    proposals = []
    for d in deviations:
        note = d.get_state_display()
        if d.risk_level:
            note = _("%(state)s, risk %(risk)s") % {"state": note, "risk": str(d.get_risk_level_display()).lower()}
        proposals.append(AgendaProposal(kind=AgendaItemKind.DEVIATION, title=str(d), source=d, note=str(note)))
    return proposals


def actions_due(*, actor, unit, today: dt.date | None = None):
    """Open actions of `unit` due within ACTIONS_DUE_WITHIN_DAYS days or overdue."""
    return actions_due_in_unit(actor=actor, unit=unit, within_days=ACTIONS_DUE_WITHIN_DAYS, today=today)


def actions_due_for_agenda(*, actor, unit):
    """Agenda source: actions due soon or overdue, with owner and date."""
    from omavalvonta.meetings.agenda import AgendaProposal

    today = timezone.localdate()
    proposals = []
    due = list(actions_due(actor=actor, unit=unit, today=today)[: ACTIONS_ON_AGENDA_MAX + 1])
    more = 0
    if len(due) > ACTIONS_ON_AGENDA_MAX:
        more = actions_due(actor=actor, unit=unit, today=today).count() - ACTIONS_ON_AGENDA_MAX
        due = due[:ACTIONS_ON_AGENDA_MAX]
    for action in due:
        due = fi_date(action.due_date)
        if action.due_date < today:
            note = _("Overdue since %(date)s, owner %(owner)s") % {"date": due, "owner": action.owner}
        else:
            note = _("Due %(date)s, owner %(owner)s") % {"date": due, "owner": action.owner}
        proposals.append(AgendaProposal(kind=AgendaItemKind.ACTION_DUE, title=action.title[:300], source=action, note=note))
    if more:
        title = ngettext(
            "%(count)d more action is due or overdue",
            "%(count)d more actions are due or overdue",
            more,
        ) % {"count": more}
        proposals.append(AgendaProposal(kind=AgendaItemKind.ACTION_DUE, title=title))
    return proposals


# --- What the minutes produced ----------------------------------------------------------------


def _item_type():
    return ContentType.objects.get_for_model(AgendaItem)


def actions_by_item(*, actor, items) -> dict[int, list]:
    """Actions decided from each agenda item (that `actor` may see), by item id."""
    return actions_by_source(actor=actor, model=AgendaItem, source_ids=[i.pk for i in items])


def log_entries_by_item(*, actor, items) -> dict[int, list]:
    """Self-supervision log entries written from each agenda item, by item id."""
    return log_entries_by_source(actor=actor, model=AgendaItem, source_ids=[i.pk for i in items])


# --- Acknowledgements ---------------------------------------------------------------------------


@dataclass(frozen=True)
class AcknowledgementStatus:
    done: int
    asked: int
    acknowledged: list  # [Acknowledgement] with user
    waiting: list


def meeting_acknowledgements(*, meeting: Meeting) -> AcknowledgementStatus:
    """Who has and who has not acknowledged the minutes ("12 / 15 acknowledged").
    The caller has been granted the meeting (meeting.manage)."""
    done, asked = acknowledgement_progress(target=meeting)
    rows = acknowledgements_for(target=meeting)
    return AcknowledgementStatus(
        done=done,
        asked=asked,
        acknowledged=[r for r in rows if r.acknowledged_at is not None],
        waiting=[r for r in rows if r.acknowledged_at is None],
    )


@dataclass(frozen=True)
class PendingAcknowledgement:
    acknowledgement: object
    meeting: Meeting | None  # when the target is minutes the actor may read
    items: list
    title: str
    url: str


def _readable_minutes(actor, meeting_ids: list) -> tuple[dict, dict]:
    """Of the meetings `meeting_ids`, those the actor may read {pk: meeting} and
    their agenda items {pk: [item]} (two queries)."""
    visible = {m.pk: m for m in visible_meetings(actor).filter(pk__in=meeting_ids).select_related("unit", "chair")}
    items: dict[int, list] = {pk: [] for pk in visible}
    for item in AgendaItem.objects.filter(meeting_id__in=list(visible)).order_by("order", "id"):
        items[item.meeting_id].append(item)
    return visible, items


def _other_targets(pending: list, meeting_type_id: int) -> dict:
    """Targets other than minutes (new instructions from guidance, …) by
    (content type id, pk): one query per kind of target."""
    wanted: dict = {}
    for ack in pending:
        if ack.target_type_id != meeting_type_id:
            wanted.setdefault(ack.target_type, set()).add(ack.target_id)
    targets = {}
    for content_type, ids in wanted.items():
        model = content_type.model_class()
        if model is not None:
            for pk, obj in model._base_manager.in_bulk(ids).items():
                targets[(content_type.pk, pk)] = obj
    return targets


def _other_pending(ack, target) -> PendingAcknowledgement:
    """A row for a target other than minutes; `target` is None when the record is
    gone: the row can still be confirmed away."""
    if target is None:
        return PendingAcknowledgement(ack, None, [], "", "")
    url = target.get_absolute_url() if hasattr(target, "get_absolute_url") else ""
    return PendingAcknowledgement(ack, None, [], str(target), url)


def acknowledgements_to_confirm(*, actor) -> list[PendingAcknowledgement]:
    """What `actor` must still acknowledge, with the minutes to read."""
    pending = list(acknowledgements_pending(actor=actor).select_related("target_type"))
    meeting_type_id = ContentType.objects.get_for_model(Meeting).pk
    meeting_ids = [a.target_id for a in pending if a.target_type_id == meeting_type_id]
    visible, items = _readable_minutes(actor, meeting_ids)
    targets = _other_targets(pending, meeting_type_id)
    result = []
    for ack in pending:
        if ack.target_type_id != meeting_type_id:
            result.append(_other_pending(ack, targets.get((ack.target_type_id, ack.target_id))))
            continue
        meeting = visible.get(ack.target_id)
        if meeting is None:
            continue  # minutes the person may no longer read (moved to another unit)
        result.append(PendingAcknowledgement(ack, meeting, items[meeting.pk], meeting.title, meeting.get_absolute_url()))
    return result


def own_pending_acknowledgement(*, actor, pk):
    """One of `actor`'s own acknowledgements; 404 for anyone else's."""
    return own_acknowledgement(actor=actor, pk=pk)


def has_pending_for(*, actor, meeting: Meeting):
    """The actor's own unconfirmed acknowledgement of `meeting`, or None."""
    return own_pending_acknowledgement_of(actor=actor, target=meeting)


def meeting_default_title(*, kind: str, starts_at: dt.datetime | None = None) -> str:
    when = timezone.localtime(starts_at) if starts_at else timezone.localtime()
    values = {"month": when.month, "year": when.year}
    if kind == MeetingKind.SUPERVISOR_REVIEW:
        return _("Supervisor's review %(month)s/%(year)s") % values
    if kind == MeetingKind.MANAGEMENT_GROUP:
        return _("Management group %(month)s/%(year)s") % values
    if kind == MeetingKind.SAFETY_COMMITTEE:
        return _("Occupational safety committee %(month)s/%(year)s") % values
    return _("Team meeting %(month)s/%(year)s") % values



# --- The home page ("what is waiting for me") ------------------------------------------------------

HOME_MEETINGS_WITHIN_DAYS = 14


@counts_first
def meeting_home_items(
    *, actor, today: dt.date | None = None, now: dt.datetime | None = None, limit: int = 3
) -> CountsFirst | None:
    """The actor's next meetings in the coming two weeks, as chair or participant,
    among the meetings they may read: the nearest `limit` and how many. None when
    there are none. Two queries at most."""
    if not (access.has_perm_anywhere(actor, access.P_MEETING_VIEW) or may_see_any_group_meeting(actor)):
        return None
    now = now or timezone.now()
    if today is not None and today != timezone.localdate():
        now = timezone.make_aware(dt.datetime.combine(today, dt.time.min))
    takes_part = Exists(Meeting.participants.through.objects.filter(meeting_id=OuterRef("pk"), user_id=actor.pk))
    qs = (
        visible_meetings(actor)
        .filter(starts_at__gte=now, starts_at__lt=now + dt.timedelta(days=HOME_MEETINGS_WITHIN_DAYS))
        .exclude(state=MeetingState.MINUTES_CLOSED)
        .filter(Q(chair_id=actor.pk) | Q(takes_part))
    )

    def then(counted):  # the count first (core/lib/counts.py), then the rows
        if not counted["total"]:
            return None
        rows = list(qs.select_related("unit").order_by("starts_at", "id")[:limit])
        return {"rows": rows, "total": counted["total"]}

    return CountsFirst({"total": qs}, then)


@counts_first
def acknowledgement_home_items(*, actor, today: dt.date | None = None, limit: int = 3) -> CountsFirst:
    """What the actor must still acknowledge (minutes, new instructions), for the
    home page: the oldest requests first, each with a title (the minutes' title
    when the actor may read them, else the reason given when asking), and how
    many in all. None when nothing is owed. Three queries at most."""
    pending = acknowledgements_pending(actor=actor)
    return CountsFirst({"total": pending}, lambda counted: _acknowledgement_rows(actor, pending, counted["total"], limit))


def _acknowledgement_rows(actor, pending, total, limit):
    if not total:
        return None
    acks = list(pending.order_by("requested_at", "id")[:limit])
    meeting_type = ContentType.objects.get_for_model(Meeting)  # cached by Django after the first call
    meeting_ids = [a.target_id for a in acks if a.target_type_id == meeting_type.pk]
    titles = dict(visible_meetings(actor).filter(pk__in=meeting_ids).values_list("pk", "title")) if meeting_ids else {}
    rows = [
        {
            "title": (titles.get(a.target_id) if a.target_type_id == meeting_type.pk else None) or a.reason or _("Acknowledgement"),
            "reason": a.reason,
            "requested_at": a.requested_at,
        }
        for a in acks
    ]
    return {"rows": rows, "total": total}


def evidence_meetings(actor, unit):
    """The unit's past meetings (their minutes) as evidence of a quality-calendar duty."""
    from django.urls import reverse
    from django.utils.timezone import localtime

    from omavalvonta.core.registry import EVIDENCE_LIMIT

    for meeting in meeting_list(actor=actor, filters={"unit": unit.pk, "when": "past"})[:EVIDENCE_LIMIT]:
        day = localtime(meeting.starts_at)
        label = f"{meeting.title} ({fi_date(day)})"
        yield meeting, label, reverse("meetings:detail", args=[meeting.pk])


def own_units_with_childrens_meetings(*, actor) -> list:
    """The actor's own units that hold children's meetings (substitute care),
    for the links on the meeting list. One query."""
    from omavalvonta.meetings.rhythms import rhythm

    ids = access.own_unit_ids(actor, access.P_MEETING_VIEW)
    if not ids:
        return []
    types = rhythm("childrens_meeting").service_types
    qs = access.units_for(actor, access.P_MEETING_VIEW).filter(pk__in=ids, is_active=True)
    if types:
        qs = qs.filter(service_type__in=types)
    return list(qs.order_by("name")[:10])
