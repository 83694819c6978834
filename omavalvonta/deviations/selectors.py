"""Reads of deviations. CONTRACT: signatures fixed. Every read starts from
Deviation.objects.for_actor(actor, perm) or access.access_object(...)."""

from __future__ import annotations

import datetime as dt
import hmac

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Case, Count, F, Q, Sum, Value, When
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from omavalvonta.core import registry
from omavalvonta.core.lib import bounds
from omavalvonta.core.lib.counts import counted_sql, counts_statement, summed_sql
from omavalvonta.core.lib.export import csv_date, csv_datetime, csv_text, csv_yes_no
from omavalvonta.core.selectors import access_log_rows
from omavalvonta.core.services import access_log_record
from omavalvonta.deviations import rules
from omavalvonta.deviations.list_rows import LIST_ROW_VALUES, ListRow
from omavalvonta.deviations.models import (
    OPEN_STATE_VALUES,
    Attachment,
    Deviation,
    HandlerAssignment,
    Kind,
    ReportCount,
    RiskLevel,
    State,
    StatutoryNotification,
)
from omavalvonta.deviations.report_timeline import deviation_timeline as deviation_timeline
from omavalvonta.organisation import access, access_people, access_shape, access_unit
from omavalvonta.organisation.models import WellbeingCounty

# What a list row shows besides the report itself (pages load it for 20 rows only).
LIST_RELATED = ("unit", "unit__region", "handler")


def deviation_get(*, actor, pk, perm: str = "deviation.view", request=None, log: bool = True) -> Deviation:
    """One report for `actor`: 404 outside their units, 403 inside without `perm`.
    Writes an access-log row (what="deviation.detail", right=perm) unless the
    caller logs a read of its own (an attachment: one row per read)."""
    deviation = access.access_object(Deviation.objects.select_related("handler"), actor, pk, perm)
    if log:
        deviation_read_log(actor=actor, deviation=deviation, perm=perm, request=request)
    return deviation


def deviation_read_log(*, actor, deviation, perm: str, request=None) -> None:
    """The access-log row of reading a report's page (what="deviation.detail")."""
    access_log_record(actor=actor, target=deviation, what="deviation.detail", right=perm, unit=deviation.unit, request=request)


def report_origin(origin: str, *, actor) -> tuple | None:
    """(entry, ref, prefill) of a report's origin "name:id" (core.registry
    REPORT_ORIGINS), or None when there is no such record or `actor` may not
    start a report from it."""
    name, _sep, ref = (origin or "").partition(":")
    entry = registry.get(registry.REPORT_ORIGINS, name) if name else None
    if entry is None or not ref.isdigit():
        return None
    prefill = entry.prefill(actor=actor, ref=int(ref))
    return None if prefill is None else (entry, int(ref), prefill)


def deviation_in_unit(*, pk, unit) -> bool:
    """Is there a report number `pk` in `unit`? (Another area's record names a
    report by its number; this says only whether it exists there, nothing of it.)"""
    return Deviation.objects.filter(pk=pk, unit=unit).exists()


def _as_bool(value) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in {"1", "true", "yes", "on"}
    return bool(value)


def _as_date(value) -> dt.date | None:
    """A filter date, or None when malformed or outside the accepted range
    (bounds.EARLIEST..LATEST: a day later or a time zone away still exists)."""
    if isinstance(value, dt.datetime):
        value = value.astimezone(rules.HELSINKI).date()
    return bounds.parse_date(value)


def _helsinki_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=rules.HELSINKI)


# The `state` filter value meaning "every state but closed".
OPEN_STATES = "open"


def _apply_filters(qs, filters: dict | None):
    """The list filters. Unknown or malformed values are ignored, not errors: they
    come straight from a query string."""
    filters = filters or {}
    if (kind := filters.get("kind")) in Kind.values:
        qs = qs.filter(kind=kind)
    if (state := filters.get("state")) in State.values:
        qs = qs.filter(state=state)
    elif state == OPEN_STATES:
        qs = qs.exclude(state=State.CLOSED)
    if (handler_id := bounds.parse_int(filters.get("handler"))) is not None:
        qs = qs.filter(handler_id=handler_id)
    if (risk := filters.get("risk_level")) in RiskLevel.values:
        qs = qs.filter(risk_level=risk)
    if (unit_id := bounds.parse_int(filters.get("unit"))) is not None:
        qs = qs.filter(unit_id=unit_id)
    if (region_id := bounds.parse_int(filters.get("region"))) is not None:
        qs = qs.filter(unit__region_id=region_id)
    if (date_from := _as_date(filters.get("date_from"))) is not None:
        qs = qs.filter(submitted_at__gte=_helsinki_midnight(date_from))
    if (date_to := _as_date(filters.get("date_to"))) is not None:
        qs = qs.filter(submitted_at__lt=_helsinki_midnight(date_to + dt.timedelta(days=1)))
    if _as_bool(filters.get("overdue")):
        qs = qs.exclude(state=State.CLOSED).filter(due_date__lt=timezone.localdate())
    if text := (filters.get("q") or "").strip():
        qs = qs.filter(Q(number__icontains=text) | Q(description__icontains=text))
    if _as_bool(filters.get("team_meeting")):
        qs = qs.filter(for_team_meeting=True)
    return qs


# The list's order: newest first (each page's ids walk an index in this order).
LIST_ORDER = ("-submitted_at", "-id")


def deviation_list(*, actor, filters: dict | None = None, walk: bool = False):
    """Reports `actor` may view, newest first, with unit, region and handler
    joined. filters: kind, state (or "open": every state but closed), handler (id), risk_level, unit (id), region (id), date_from,
    date_to (dates, on submitted_at in Helsinki time), overdue (bool), q (text in
    number/description), team_meeting (bool). `walk`: the same rows planned for
    a page of the list (the page's ids), see `access.scope_q`."""
    qs = Deviation.objects.for_actor(actor, access.P_DEVIATION_VIEW, walk=walk).select_related(*LIST_RELATED)
    return _apply_filters(qs, filters).order_by(*LIST_ORDER)


def deviation_page_rows(*, actor, filters: dict | None, bottom: int, top: int) -> list[ListRow]:
    """The list's rows `bottom` to `top` (`ListRow`s, in the list's order), in
    the one statement that reads their list fields (no models made). The page's
    ids are walked as `deviation_list(walk=True)` walks them, or, for a scope of
    a few units (`access_unit.scope_parts`), each unit's and object rule's own
    walk to the page's end, merged (a UNION where the database takes a LIMIT in
    one: PostgreSQL)."""
    if top <= bottom:
        return []
    parts = access_unit.scope_parts(actor, access.P_DEVIATION_VIEW, model=Deviation)
    if parts and connection.features.supports_slicing_ordering_in_compound:
        walks = [_apply_filters(Deviation.objects.filter(part), filters).order_by(*LIST_ORDER).values("pk")[:top] for part in parts]
        ids = walks[0].union(*walks[1:]) if len(walks) > 1 else walks[0]
        rows = Deviation.objects.filter(pk__in=ids).order_by(*LIST_ORDER).values_list(*LIST_ROW_VALUES)[bottom:top]
    else:
        ids = deviation_list(actor=actor, filters=filters, walk=True).values_list("pk", flat=True)[bottom:top]
        rows = Deviation.objects.filter(pk__in=ids).order_by(*LIST_ORDER).values_list(*LIST_ROW_VALUES)
    return [ListRow(*row) for row in rows]


def deviation_count(*, actor, filters: dict | None = None, limit: int | None = None) -> int:
    """How many reports `deviation_list` gives (at most `limit`), counted the
    fast way: with no filter set, from the running counts of the actor's units
    and kinds (`_kept_counts`) and their own reports elsewhere, in one
    statement; else `access.count_for_actor`."""
    filtered = _apply_filters(Deviation.objects.all(), filters)
    scope = None if filtered.query.where else access_unit.counted_scope(actor, access.P_DEVIATION_VIEW, model=Deviation)
    if scope is None:
        return access.count_for_actor(filtered, actor, access.P_DEVIATION_VIEW, limit=limit)
    using = filtered.db
    parts = [("kept", *summed_sql(_kept_counts(scope), "n", "summed", using))]
    if (own := scope[2]) is not None:
        rows = Deviation.objects.filter(own)
        if limit is not None:  # counting stops there (a constant per row: from an index alone)
            rows = rows.order_by().annotate(_counted=Value(1)).values("_counted")[:limit]
        parts.append(("own", *counted_sql(rows, "counted", using)))
    count = sum(counts_statement(parts, using=using).values())
    return count if limit is None else min(count, limit)


def _kept_counts(scope):
    """The running counts' rows (ReportCount) of a `counted_scope`: the whole
    organisation's when every grant is organisation-wide, else the units'."""
    where, organisation, _own = scope
    return ReportCount.objects.filter(where, unit__isnull=organisation)


def deviation_figure_rows(*, actor, today: dt.date):
    """The open reports `actor` may view, counted per state and team-meeting
    mark: a values query of (state, for_team_meeting, reports, overdue) rows, a
    (state, mark) possibly in two rows (add them up). Summed from the running
    counts of the actor's units and kinds (ReportCount: a few rows a unit and
    kind, a few hundred for the whole organisation); only the actor's own
    reports elsewhere are read. Reads nothing while building (core/lib/kept.py)."""
    scope = access_unit.counted_scope(actor, access.P_DEVIATION_VIEW, model=Deviation)
    if scope is None:  # no grant: what the object rules give, if anything
        return _open_figures(deviation_list(actor=actor, filters={}), "state", today)
    rows = _open_figures(_kept_counts(scope), "n", today, summed=True)
    if (own := scope[2]) is None:
        return rows
    return rows.union(_open_figures(Deviation.objects.filter(own), "state", today), all=True)


def _open_figures(qs, counted: str, today: dt.date, *, summed: bool = False):
    # The open states by name: "state" is never empty, and the reports' open-report
    # index holds every field read here ("id" it does not).
    total = Sum if summed else Count
    return (
        qs.filter(state__in=OPEN_STATE_VALUES)
        .order_by()
        .values_list("state", "for_team_meeting")
        .annotate(reports=total(counted), overdue=Coalesce(total(counted, filter=Q(due_date__lt=today)), 0))
    )


def deviation_list_mine(*, actor):
    """Reports `actor` filed under their own name, newest first."""
    # An inactive person keeps no rights, the owner rule included.
    if not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return Deviation.objects.none()
    return (
        Deviation.objects.for_actor(actor, access.P_DEVIATION_VIEW)
        .filter(reporter_id=actor.pk, is_anonymous=False)
        .select_related(*LIST_RELATED)
        .order_by("-submitted_at", "-id")
    )


def deviation_export_rows(*, actor, filters: dict | None = None):
    """Header row then one row per report for CSV (requires deviation.export);
    never the reporter's identity. Streams (iterator).

    Free text (description, answer) stays out too: it may name people, and a
    file once downloaded is outside the access log."""
    if not access.has_perm_anywhere(actor, access.P_DEVIATION_EXPORT):
        raise PermissionDenied(access.P_DEVIATION_EXPORT)
    qs = _apply_filters(
        Deviation.objects.for_actor(actor, access.P_DEVIATION_EXPORT).select_related(*LIST_RELATED), filters
    ).order_by("-submitted_at", "-id")
    header = [
        _("Number"),
        _("Type"),
        _("State"),
        _("Unit"),
        _("Region"),
        _("Occurred"),
        _("Submitted"),
        _("Handler"),
        _("Consequence"),
        _("Likelihood"),
        _("Risk level"),
        _("Critical"),
        _("Handling must start by"),
        _("Target date"),
        _("Overdue"),
        _("Answered"),
        _("Closed"),
        _("Team meeting"),
    ]
    today = timezone.localdate()

    def rows():
        yield header
        for d in qs.iterator(chunk_size=1000):
            yield [
                d.number,
                str(d.get_kind_display()),
                str(d.get_state_display()),
                csv_text(d.unit.name),
                csv_text(d.unit.region.name),
                csv_datetime(d.occurred_at),
                csv_datetime(d.submitted_at),
                csv_text(d.handler.full_name) if d.handler_id else "",
                str(d.get_consequence_display()) if d.consequence is not None else "",
                str(d.likelihood) if d.likelihood is not None else "",
                str(d.get_risk_level_display()) if d.risk_level else "",
                csv_yes_no(d.is_critical),
                csv_datetime(d.handling_due_at),
                csv_date(d.due_date),
                csv_yes_no(d.state != State.CLOSED and d.due_date < today),
                csv_datetime(d.answered_at),
                csv_datetime(d.closed_at),
                csv_yes_no(d.for_team_meeting),
            ]

    return rows()


def deviation_for_followup_code(*, code: str) -> Deviation | None:
    """The report a follow-up code belongs to, or None. Constant-time digest compare."""
    normalised = rules.followup_code_normalise(code)
    if not rules.followup_code_is_well_formed(normalised):
        return None
    digest = rules.followup_code_digest(normalised)
    deviation = Deviation.objects.select_related("unit", "handler").filter(followup_code_digest=digest).first()
    if deviation is None or not hmac.compare_digest(deviation.followup_code_digest, digest):
        return None
    return deviation


def _handle_roles(kind: str | None) -> list[str]:
    return access.roles_with(access.P_DEVIATION_HANDLE, kind=kind)


def handler_candidates(*, unit, kind: str | None = None):
    """People who can handle reports in `unit` (for the assign and routing forms).

    With `kind`, roles limited to other kinds (the DPO outside data protection)
    are left out; without it they are included and the services refuse a wrong pick."""
    return access_people.people_with(access.P_DEVIATION_HANDLE, unit, kind=kind).order_by("full_name", "pk")


# --- Records of an already authorised report or unit ---------------------------------------
# Callers pass a report from deviation_get (or a unit from access.access_unit):
# the kernel has already decided the actor may see it.


def deviation_related_rows(*, deviation: Deviation, handling: bool, thread: bool) -> dict:
    """The report's own lists its page shows, as querysets to count first
    ({name: queryset}): attachments; with `handling` who was informed, the
    proposals and the statutory notifications; with `thread` the messages."""
    rows = {"attachments": deviation.attachments.all()}
    if handling:
        rows.update(
            informed=deviation.informed.all(),
            proposals=deviation.instruction_proposals.all(),
            notifications=deviation.statutory_notifications.all(),
        )
    if thread:
        rows["messages"] = deviation.messages.all()
    return rows


def deviation_attachments(*, deviation: Deviation):
    return deviation.attachments.order_by("uploaded_at", "id")


def deviation_attachment(*, actor, deviation: Deviation, attachment_id, request=None) -> Attachment:
    """One attachment of a report the actor may read, for download: writes an
    access-log row (what="deviation.attachment"). 404 when there is no such one."""
    try:
        attachment = deviation.attachments.get(pk=attachment_id)
    except (Attachment.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    access_log_record(
        actor=actor,
        target=deviation,
        what="deviation.attachment",
        right=access.P_DEVIATION_VIEW,
        unit=deviation.unit,
        request=request,
    )
    return attachment


def deviation_statutory_notifications(*, deviation: Deviation) -> list[StatutoryNotification]:
    return list(deviation.statutory_notifications.select_related("sent_by").order_by("sent_at", "id"))


def action_owner_candidates(*, deviation: Deviation, handlers) -> list:
    """Who may own a corrective action: the handlers plus the unit's own staff."""
    staff = access_people.people_holding(unit=deviation.unit_id)
    return [*handlers, *staff.order_by("full_name", "pk")]


def handler_assignments_for(*, unit) -> dict:
    """The unit's named handler per report type (types without one go to the supervisor)."""
    return {a.kind: a.handler for a in HandlerAssignment.objects.filter(unit=unit).select_related("handler")}


def deviation_access_log(*, actor, deviation: Deviation, limit: int = 50):
    """Who has read this report's personal data, newest first (requires
    access_log.view in the unit): a person may ask who has seen their data."""
    if not access.can(actor, access.P_ACCESS_LOG_VIEW, deviation.unit):
        return None
    return access_log_rows(deviation, limit=limit)


# --- The statutory clock --------------------------------------------------------------------------

def statutory_clock_figures(*, actor, date_from: dt.date, date_to: dt.date, today: dt.date) -> dict:
    """The statutory notification clocks that started in a period (by the day of
    the deadline, Helsinki time), for the follow-up report: how many, notified
    in time, notified late, and not notified by now."""
    qs = Deviation.objects.for_actor(actor, access.P_DEVIATION_VIEW).filter(
        notification_due_at__gte=_helsinki_midnight(date_from),
        notification_due_at__lt=_helsinki_midnight(date_to + dt.timedelta(days=1)),
    )
    now = _helsinki_midnight(today + dt.timedelta(days=1))
    figures = qs.order_by().aggregate(
        total=Count("pk"),
        in_time=Count("pk", filter=Q(notification_done_at__lte=F("notification_due_at"))),
        late=Count("pk", filter=Q(notification_done_at__gt=F("notification_due_at"))),
        missing=Count("pk", filter=Q(notification_done_at__isnull=True, notification_due_at__lt=now)),
    )
    return figures


# --- Reports that must stand out ---------------------------------------------------------------------

PRIORITY_ROWS = 10


def _priority_q() -> Q:
    """§ 29 grievances, critical reports and § 28 serious events."""
    return Q(kind=Kind.GRIEVANCE) | Q(is_critical=True) | Q(notification_due_at__isnull=False)


def deviation_priority_list(*, actor, limit: int = PRIORITY_ROWS, today=None, now=None) -> list[ListRow]:
    """Open grievances, critical reports and serious events `actor` may view
    (`ListRow`s): the ones a handler must see first, a late or running statutory
    clock first, then the oldest. The ids come from the partial index of these
    reports alone (deviation_priority_covered), as the subquery of the one
    statement that reads those rows' list fields, its SQL kept compiled for the
    person and the day (core/lib/kept.py); the few rows are put in the same
    order here (`_priority_key`) rather than by a second ORDER BY."""
    today, now = today or timezone.localdate(), now or timezone.now()
    rows = access_shape.kept_rows_for(
        actor, ("deviations.priority", limit), lambda who, _now: _priority_rows(who, limit), today=today, now=now
    )
    return sorted((ListRow(*row) for row in rows), key=_priority_key)


def _priority_rows(actor, limit: int):
    ids = Deviation.objects.for_actor(actor, access.P_DEVIATION_VIEW)
    ids = ids.filter(Q(state__in=OPEN_STATE_VALUES) & _priority_q()).order_by(*_PRIORITY_ORDER)
    return Deviation.objects.filter(pk__in=ids.values_list("pk", flat=True)[:limit]).order_by().values_list(*LIST_ROW_VALUES)


# 0: a statutory clock running, 1: a grievance, 2: the rest (critical).
_PRIORITY_CLOCK = Case(
    When(notification_due_at__isnull=False, notification_done_at__isnull=True, then=Value(0)),
    When(kind=Kind.GRIEVANCE, then=Value(1)),
    default=Value(2),
)
_PRIORITY_ORDER = (_PRIORITY_CLOCK.asc(), F("notification_due_at").asc(nulls_last=True), "submitted_at", "id")


def _priority_key(d: ListRow) -> tuple:
    """`_PRIORITY_ORDER` of one report, for the rows in Python."""
    clock = 0 if d.notification_due_at is not None and d.notification_done_at is None else 1 if d.kind == Kind.GRIEVANCE else 2
    # The deadline ascending, none last (None is never compared with a date: the flag before it differs).
    return (clock, d.notification_due_at is None, d.notification_due_at, d.submitted_at, d.pk)


def priority_first(deviations):
    """The same reports (a queryset) with grievances, critical reports and
    serious events first, then newest first."""
    return deviations.annotate(
        stands_out_first=Case(When(_priority_q(), then=Value(0)), default=Value(1))
    ).order_by("stands_out_first", "-submitted_at", "-id")


def default_authority():
    """The supervisory authority statutory notifications go to, or None."""
    from omavalvonta.organisation.models import Authority

    return Authority.objects.filter(is_default=True).order_by("name", "pk").first()


# --- The children a report names ------------------------------------------------------

NO_CHILDREN = {"count": 0, "labels": [], "county_ids": [], "counties": [], "contacts": [], "names": []}


def deviation_children(*, actor, deviation: Deviation) -> dict:
    """The children the report names, as the area that keeps placements tells
    (core.registry): their count, their names for an actor who may see them,
    their placing counties and their social workers (see registry.CHILDREN_RECIPIENTS)."""
    recipients = registry.first(registry.CHILDREN_RECIPIENTS)
    if recipients is None:
        return NO_CHILDREN
    return recipients(actor=actor, record=deviation)


def notification_counties(*, deviation: Deviation, children: dict) -> list:
    """The counties a notification may go to: the unit's purchasing counties and
    the placing counties of the children the report names, by name."""
    ids = set(deviation.unit.counties.values_list("pk", flat=True)) | set(children["county_ids"])
    return list(WellbeingCounty.objects.filter(pk__in=ids).order_by("name", "pk"))
