"""Reads of the improvement area, always through the access kernel: every read of
unit-scoped rows starts from `Model.objects.for_actor(actor, perm)`,
`access.access_object` or `access.access_unit`.

One exception, by design: an action's owner sees their own action (and "my
actions") whatever their unit rights, as the reporter sees their own report."""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from omavalvonta.core.lib import bounds
from omavalvonta.core.lib.counts import CountsFirst, counts_first
from omavalvonta.core.lib.export import csv_date, csv_text
from omavalvonta.core.selectors import audit_events_for
from omavalvonta.core.timeline import TimelineEntry
from omavalvonta.improvement.models import (
    ACTIVE_STATES,
    Acknowledgement,
    Action,
    ActionKind,
    ActionState,
    Effectiveness,
    LogEntry,
    SourceKind,
)
from omavalvonta.improvement.services._common import fi_date
from omavalvonta.organisation import access, access_people
from omavalvonta.organisation.models import Region, User

_ACTION_RELATED = ("unit", "unit__region", "owner")

# The `state` filter value meaning "open or awaiting its check".
ACTIVE = "active"


# --- Helpers ------------------------------------------------------------------------------------


def _as_date(value) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and value:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _active(actor) -> bool:
    return bool(getattr(actor, "is_authenticated", False) and actor.is_active)


# --- Actions --------------------------------------------------------------------------------------


def actions_for_source(*, source):
    """Actions decided from one record. The caller has already been granted the source."""
    return (
        Action.objects.filter(source_type=ContentType.objects.get_for_model(source), source_id=source.pk)
        .select_related("owner")
        .order_by("due_date", "id")
    )


def open_action_count_for_source(*, source) -> int:
    """How many actions decided from one record are still open (not done by
    their owner). The caller has already been granted the source."""
    return actions_for_source(source=source).filter(state=ActionState.OPEN).count()


def action_list_mine(*, actor):
    """`actor`'s own actions still needing work (open or awaiting the check),
    soonest first. Needs no unit right: an owner always sees their own actions."""
    if not _active(actor):
        return Action.objects.none()
    return (
        Action.objects.filter(owner_id=actor.pk, state__in=ACTIVE_STATES)
        .select_related(*_ACTION_RELATED)
        .order_by("due_date", "id")
    )


def action_list_mine_recent_done(*, actor, limit: int = 5) -> list[Action]:
    """The actor's most recently closed actions (for "my actions")."""
    if not _active(actor):
        return []
    return list(
        Action.objects.filter(owner_id=actor.pk, state=ActionState.DONE)
        .select_related("unit")
        .order_by("-completed_at", "-id")[:limit]
    )


def _apply_action_filters(qs, filters: dict | None):
    """The list filters. Unknown or malformed values are ignored (query strings)."""
    filters = filters or {}
    state = filters.get("state")
    if state in ActionState.values:
        qs = qs.filter(state=state)
    elif state == ACTIVE:
        qs = qs.filter(state__in=ACTIVE_STATES)
    if (unit_id := bounds.parse_int(filters.get("unit"))) is not None:
        qs = qs.filter(unit_id=unit_id)
    if (region_id := bounds.parse_int(filters.get("region"))) is not None:
        qs = qs.filter(unit__region_id=region_id)
    if (source_kind := filters.get("source_kind")) in SourceKind.values:
        qs = qs.filter(source_kind=source_kind)
    if (kind := filters.get("kind")) in ActionKind.values:
        qs = qs.filter(kind=kind)
    if (owner_id := bounds.parse_int(filters.get("owner"))) is not None:
        qs = qs.filter(owner_id=owner_id)
    if filters.get("overdue"):
        qs = qs.filter(state=ActionState.OPEN, due_date__lt=timezone.localdate())
    if filters.get("check_due"):
        qs = qs.filter(state=ActionState.AWAITING_CHECK, effectiveness_due__lte=timezone.localdate())
    return qs


def action_list(*, actor, filters: dict | None = None):
    """Actions of the units (and regions) `actor` may view, soonest due first.
    filters: state (a state, or "active"), unit, region, owner (ids), source_kind,
    kind, overdue (bool), check_due (bool)."""
    qs = Action.objects.for_actor(actor, access.P_ACTION_VIEW).select_related(*_ACTION_RELATED)
    return _apply_action_filters(qs, filters).order_by("due_date", "id")


def action_owners(*, actor):
    """The people who own actions `actor` may view (for the owner filter)."""
    return User.objects.filter(
        pk__in=Action.objects.for_actor(actor, access.P_ACTION_VIEW).values("owner_id")
    ).order_by("full_name", "pk")


def action_export_rows(*, actor, filters: dict | None = None):
    """Header row then one row per action `actor` may view (action.view), with the
    list's filters, for CSV. Streams (iterator). Descriptions and notes stay out:
    free text may name people, and a downloaded file is outside the product."""
    if not access.has_perm_anywhere(actor, access.P_ACTION_VIEW):
        raise PermissionDenied(access.P_ACTION_VIEW)
    qs = action_list(actor=actor, filters=filters)
    header = [
        _("Unit"),
        _("Action"),
        _("Owner"),
        _("Due date"),
        _("State"),
        _("Source"),
        _("Completed"),
        _("Effectiveness"),
    ]

    def rows():
        yield header
        for a in qs.iterator(chunk_size=1000):
            yield [
                csv_text(a.unit.name),
                csv_text(a.title),
                csv_text(a.owner.full_name or str(a.owner)),
                csv_date(a.due_date),
                str(a.get_state_display()),
                str(a.get_source_kind_display()),
                csv_date(a.completed_at),
                str(a.get_effectiveness_display()) if a.effectiveness else "",
            ]

    return rows()


def action_get(*, actor, pk, perm: str = access.P_ACTION_VIEW) -> Action:
    """One action for `actor`: its owner always sees it (view only); others through
    the kernel: 404 outside their units, 403 inside them without `perm`."""
    qs = Action.objects.select_related("owner", "created_by", "completed_by", "effectiveness_checked_by", "plan_goal")
    if perm == access.P_ACTION_VIEW and _active(actor):
        own = qs.select_related("unit", "unit__region").filter(pk=bounds.parse_int(pk), owner_id=actor.pk).first()
        if own is not None:
            return own
    return access.access_object(qs, actor, pk, perm)


def action_source_link(*, actor, action: Action) -> dict | None:
    """{"label", "url"} of the action's source record when the actor may open it
    (a deviation's page); None otherwise. The source's own page checks access
    again, so a link offered here never leaks the record."""
    if not action.source_type_id or not action.source_id:
        return None
    ct = ContentType.objects.get_for_id(action.source_type_id)
    if (ct.app_label, ct.model) == ("deviations", "deviation"):
        if not (
            access.can(actor, access.P_DEVIATION_VIEW, action.unit) or access.can(actor, access.P_DEVIATION_HANDLE, action.unit)
        ):
            return None
        return {"label": _("Open the deviation report"), "url": reverse("deviations:detail", args=[action.source_id])}
    return None


def _date_or_unknown(value) -> str:
    """A stored ISO date as a Finnish date, "?" when it is missing or broken."""
    due = _as_date(value)
    return fi_date(due) if due else "?"


def _label_created(data: dict) -> tuple[str, str]:
    return _("Action decided"), ""


def _label_updated(data: dict) -> tuple[str, str]:
    """"Changed" with what changed: the owner, the due date, the description."""
    parts = []
    if "owner_name" in data:
        parts.append(_("owner %(name)s") % {"name": data["owner_name"]})
    if "due_date" in data:
        parts.append(_("due %(date)s") % {"date": _date_or_unknown(data["due_date"])})
    if "title" in data or "description" in data:
        parts.append(_("description"))
    return _("Changed"), ", ".join(parts)


def _label_completed(data: dict) -> tuple[str, str]:
    if data.get("awaiting_check"):
        return _("Completed; waiting for the effectiveness check"), ""
    return _("Completed"), ""


def _label_effectiveness(data: dict) -> tuple[str, str]:
    result = data.get("result")
    label = str(Effectiveness(result).label) if result in Effectiveness.values else "?"
    return _("Effectiveness checked: %(result)s") % {"result": label}, data.get("evidence", "")


def _label_reopened(data: dict) -> tuple[str, str]:
    return _("Reopened, new due date %(date)s") % {"date": _date_or_unknown(data.get("due_date"))}, ""


def _label_cancelled(data: dict) -> tuple[str, str]:
    return _("Cancelled"), data.get("reason", "")


def _label_overdue(data: dict) -> tuple[str, str]:
    return _("Overdue: the owner was reminded"), ""


# An action's audit verb -> its (label, detail) on the action's timeline; other
# verbs are left off the timeline.
_ACTION_LABELS = {
    "action.created": _label_created,
    "action.updated": _label_updated,
    "action.completed": _label_completed,
    "action.effectiveness_recorded": _label_effectiveness,
    "action.reopened": _label_reopened,
    "action.cancelled": _label_cancelled,
    "action.overdue": _label_overdue,
}


def _action_label(event) -> tuple[str | None, str]:
    label_of = _ACTION_LABELS.get(event.verb)
    if label_of is None:
        return None, ""
    return label_of(event.data or {})


def action_timeline(*, action: Action) -> list[TimelineEntry]:
    """Readable events of one (already authorised) action, oldest first."""
    entries = []
    for event in audit_events_for(action):
        label, detail = _action_label(event)
        if label is None:
            continue
        entries.append(
            TimelineEntry(at=event.at, label=label, actor_name=event.actor.full_name if event.actor_id else None, detail=detail)
        )
    return entries


def people_of_unit(*, unit):
    """Active people working in `unit` or over its region (people with
    organisation-wide roles are left out: they would be offered in every unit).
    Action owners and plan participants are picked from these."""
    return access_people.people_holding(unit_or_region=unit).order_by("full_name", "pk")


def units_managed(*, actor):
    """Units where `actor` may create actions and plans."""
    return access.units_for(actor, access.P_ACTION_MANAGE).select_related("region").order_by("name")


def units_viewable(*, actor, perm: str = access.P_ACTION_VIEW):
    return access.units_for(actor, perm).select_related("region").order_by("name")


def regions_of(units):
    return Region.objects.filter(pk__in=units.values("region_id")).order_by("name")


# --- Self-supervision log ---------------------------------------------------------------------------


def log_list(*, actor, filters: dict | None = None):
    """Log entries of the units `actor` may read (log.view), newest first.
    filters: unit, region (ids), date_from, date_to (on observed_on)."""
    filters = filters or {}
    qs = LogEntry.objects.for_actor(actor, access.P_LOG_VIEW).select_related("unit", "unit__region", "created_by")
    if (unit_id := bounds.parse_int(filters.get("unit"))) is not None:
        qs = qs.filter(unit_id=unit_id)
    if (region_id := bounds.parse_int(filters.get("region"))) is not None:
        qs = qs.filter(unit__region_id=region_id)
    if (date_from := _as_date(filters.get("date_from"))) is not None:
        qs = qs.filter(observed_on__gte=date_from)
    if (date_to := _as_date(filters.get("date_to"))) is not None:
        qs = qs.filter(observed_on__lte=date_to)
    if filters.get("no_follow_up"):
        qs = qs.filter(follow_up="")
    return qs.order_by("-observed_on", "-id")


def log_entry_get(*, actor, pk, perm: str = access.P_LOG_VIEW) -> LogEntry:
    """One log entry: 404 outside the actor's units, 403 inside them without `perm`."""
    return access.access_object(LogEntry.objects.select_related("created_by", "followed_up_by"), actor, pk, perm)


# --- Acknowledgements -------------------------------------------------------------------------------


def acknowledgement_progress(*, target) -> tuple[int, int]:
    """(acknowledged, asked) for one target: "12 / 15 acknowledged"."""
    counts = Acknowledgement.objects.filter(
        target_type=ContentType.objects.get_for_model(target), target_id=target.pk
    ).aggregate(asked=Count("id"), done=Count("id", filter=Q(acknowledged_at__isnull=False)))
    return counts["done"], counts["asked"]


def acknowledgements_pending(*, actor):
    """What `actor` has been asked to acknowledge and has not yet."""
    return Acknowledgement.objects.filter(user=actor, acknowledged_at__isnull=True).order_by("-requested_at")


# --- For other areas: what was decided from their records -----------------------------------------


def actions_due_in_unit(*, actor, unit, within_days: int, today: dt.date | None = None):
    """Open actions of `unit` due within `within_days` days or overdue, most urgent first."""
    today = today or timezone.localdate()
    return (
        Action.objects.for_actor(actor, access.P_ACTION_VIEW)
        .filter(unit=unit, state=ActionState.OPEN, due_date__lte=today + dt.timedelta(days=within_days))
        .select_related("owner")
        .order_by("due_date", "id")
    )


def actions_by_source(*, actor, model, source_ids) -> dict[int, list[Action]]:
    """Actions `actor` may see, decided from records of `model`, by source id."""
    result: dict[int, list[Action]] = {pk: [] for pk in source_ids}
    if not result:
        return result
    rows = (
        Action.objects.for_actor(actor, access.P_ACTION_VIEW)
        .filter(source_type=ContentType.objects.get_for_model(model), source_id__in=list(result))
        .select_related("owner")
        .order_by("due_date", "id")
    )
    for action in rows:
        result[action.source_id].append(action)
    return result


def log_entries_by_source(*, actor, model, source_ids) -> dict[int, list[LogEntry]]:
    """Self-supervision log entries `actor` may see, written from records of `model`."""
    result: dict[int, list[LogEntry]] = {pk: [] for pk in source_ids}
    if not result:
        return result
    rows = LogEntry.objects.for_actor(actor, access.P_LOG_VIEW).filter(
        source_type=ContentType.objects.get_for_model(model), source_id__in=list(result)
    )
    for entry in rows.order_by("id"):
        result[entry.source_id].append(entry)
    return result


def has_decisions_from(*, source) -> bool:
    """Were actions or log entries recorded from `source` (whoever may see them)?"""
    source_type = ContentType.objects.get_for_model(source)
    return (
        Action.objects.filter(source_type=source_type, source_id=source.pk).exists()
        or LogEntry.objects.filter(source_type=source_type, source_id=source.pk).exists()
    )


def acknowledgements_for(*, target) -> list[Acknowledgement]:
    """Everyone asked to acknowledge `target`, with their answer. The caller has
    been granted the target."""
    return list(
        Acknowledgement.objects.filter(target_type=ContentType.objects.get_for_model(target), target_id=target.pk)
        .select_related("user")
        .order_by("user__full_name", "pk")
    )


def own_acknowledgement(*, actor, pk) -> Acknowledgement:
    """One of `actor`'s own acknowledgement requests; 404 for anyone else's."""
    try:
        return Acknowledgement.objects.get(pk=pk, user_id=actor.pk)
    except (Acknowledgement.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def own_pending_acknowledgement_of(*, actor, target) -> Acknowledgement | None:
    """The actor's own unconfirmed acknowledgement of `target`, or None."""
    return Acknowledgement.objects.filter(
        user_id=actor.pk,
        target_type=ContentType.objects.get_for_model(target),
        target_id=target.pk,
        acknowledged_at__isnull=True,
    ).first()


# --- The home page ("what is waiting for me") ------------------------------------------------------

HOME_ACTIONS_WITHIN_DAYS = 14


@counts_first
def action_home_items(*, actor, today: dt.date | None = None, limit: int = 3) -> CountsFirst | None:
    """The actor's own open actions due within two weeks or overdue, for the home
    page: the nearest `limit`, how many in all and how many overdue. None when
    nothing is waiting. Like "my actions", an owner always sees their own actions
    (no unit right needed). Two queries at most, whatever the number of actions."""
    if not _active(actor):
        return None
    today = today or timezone.localdate()
    qs = Action.objects.filter(
        owner_id=actor.pk, state=ActionState.OPEN, due_date__lte=today + dt.timedelta(days=HOME_ACTIONS_WITHIN_DAYS)
    )

    def then(counts):  # the counts first (core/lib/counts.py), then the rows
        if not counts["total"]:
            return None
        rows = list(qs.select_related("unit").order_by("due_date", "id")[:limit])
        return {"rows": rows, "total": counts["total"], "overdue": counts["overdue"], "today": today}

    return CountsFirst({"total": qs, "overdue": qs.filter(due_date__lt=today)}, then)


def evidence_actions(actor, unit):
    """The unit's actions as evidence of a quality-calendar duty (core.registry)."""
    from django.urls import reverse

    from omavalvonta.core.registry import EVIDENCE_LIMIT

    for action in action_list(actor=actor, filters={"unit": unit.pk}).order_by("-id")[:EVIDENCE_LIMIT]:
        yield action, action.title, reverse("improvement:action_detail", args=[action.pk])
