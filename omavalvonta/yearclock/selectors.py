"""Reads of the quality calendar. Every unit-scoped read starts from the access
kernel (`Occurrence.objects.for_actor`, `access.units_for`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import NamedTuple

from django.core.exceptions import EmptyResultSet, PermissionDenied
from django.db import connection, connections
from django.db.models import Count, DateField, Min, Q
from django.http import Http404
from django.utils import timezone

from omavalvonta.core.lib import bounds
from omavalvonta.core.lib.counts import CountsFirst, LazyCounts, counts_first
from omavalvonta.core.lib.dates import fi_date
from omavalvonta.core.services import access_log_record
from omavalvonta.organisation import access, access_shape
from omavalvonta.organisation.access_region import UnitIds
from omavalvonta.organisation.models import Region, Unit, User
from omavalvonta.yearclock import evidence
from omavalvonta.yearclock.models import ObligationTemplate, Occurrence, OccurrenceState

_RELATED = ("template", "unit", "owner")


def units_for_calendar(*, actor, perm: str = access.P_OBLIGATION_VIEW):
    return access.units_for(actor, perm).select_related("region").order_by("name")


def default_unit(*, actor, units):
    """The actor's own unit when they have one, else the first they may view
    (units: a queryset in display order; two queries, however many units)."""
    own = access.own_unit_ids(actor, access.P_OBLIGATION_VIEW)
    return (units.filter(pk__in=own).first() if own else None) or units.first()


# What the year wheel and its cards read of a duty, its template and its owner.
_WHEEL_FIELDS = ("due_date", "state", "unit_id", "template__title", "owner__full_name")


def occurrences_of_unit_year(*, actor, unit, year: int) -> list[Occurrence]:
    """The unit's duties due in `year` (the year wheel and its list), with
    their template's title and their owner's name (the fields the wheel and
    its cards show: not the whole rows of the three tables) and `unit` itself
    as their unit (not joined again for every duty)."""
    rows = list(
        Occurrence.objects.for_actor(actor, access.P_OBLIGATION_VIEW)
        .filter(unit=unit, due_date__year=year)
        .select_related("template", "owner")
        .only(*_WHEEL_FIELDS)
        .order_by("due_date", "template__title", "id")
    )
    for occurrence in rows:
        occurrence.unit = unit
    return rows


@dataclass
class MonthSlice:
    month: int
    first: dt.date
    items: list = field(default_factory=list)


def by_month(occurrences, year: int) -> list[MonthSlice]:
    months = [MonthSlice(month=m, first=dt.date(year, m, 1)) for m in range(1, 13)]
    for o in occurrences:
        months[o.due_date.month - 1].items.append(o)
    return months


class CardDuty(NamedTuple):
    """What a duty's card shows (yearclock_tags.duty_cards) of it, its template,
    unit and owner: a paged list's rows read as values, not as four models."""

    pk: int
    due_date: dt.date
    state: str
    title: str  # the template's
    unit_name: str
    owner_name: str | None  # None: no owner named

    @property
    def is_done(self) -> bool:
        return self.state == OccurrenceState.DONE


_CARD_FIELDS = ("pk", "due_date", "state", "template__title", "unit__name", "owner__full_name")


class IdsFirst:
    """A duty list ordered by the unit's name, read a page at a time in two
    steps: the page's ids (the sort joins only the units), then the page's rows
    with their template's title, unit's and owner's names (`CardDuty`). In one
    statement PostgreSQL joins the owner and the template of every duty of the
    first due date (every unit's) before it can sort them; this way only the
    rows shown are joined. Sliced and counted like a queryset (a Paginator takes
    it; core.pagination.CappedPaginator counts a long one up to its limit)."""

    def __init__(self, qs):
        self.qs = qs
        self.ordered = True

    def count(self) -> int:
        return self.qs.count()

    def __getitem__(self, part):
        if not isinstance(part, slice):
            return self[part : part + 1][0]
        ids = list(self.qs.values_list("pk", flat=True)[part])
        found = _cards(self.qs, ids)
        return [found[pk] for pk in ids if pk in found]


def _cards(qs, ids: list) -> dict:
    """{pk: CardDuty} of the duties of `qs` with these ids (no query without any)."""
    if not ids:
        return {}
    return {row[0]: CardDuty(*row) for row in qs.filter(pk__in=ids).order_by().values_list(*_CARD_FIELDS)}


def occurrence_list(*, actor, filters: dict | None = None):
    """Duties the actor may view. filters: unit, region (ids), state ("open",
    "done", "late"), year."""
    filters = filters or {}
    today = timezone.localdate()
    qs = Occurrence.objects.for_actor(actor, access.P_OBLIGATION_VIEW)
    if (unit_id := bounds.parse_int(filters.get("unit"))) is not None:
        qs = qs.filter(unit_id=unit_id)
    if (region_id := bounds.parse_int(filters.get("region"))) is not None:
        qs = qs.filter(unit__region_id=region_id)
    state = filters.get("state")
    if state == "late":
        qs = qs.filter(state=OccurrenceState.OPEN, due_date__lt=today)
    elif state in OccurrenceState.values:
        qs = qs.filter(state=state)
    if (year := bounds.parse_int(filters.get("year"))) is not None:
        qs = qs.filter(due_date__year=year)
    return qs.select_related(*_RELATED).order_by("due_date", "unit__name", "id")


# "Due this month" shows at most this many of each list (a director over two
# thousand units has thousands): a page of the paged list (views.PAGE_SIZE),
# which has the rest.
DUE_ROWS = 20
# ... and the other areas' duties of at most this many of the person's units.
DUE_UNITS = 50


def _open_by_month_end(actor, today: dt.date):
    """The open duties due by the end of this month (or late) in the units the
    actor completes duties in."""
    return Occurrence.objects.for_actor(actor, access.P_OBLIGATION_COMPLETE).filter(
        state=OccurrenceState.OPEN, due_date__lte=month_last(today)
    )


def due_this_month(*, actor, today: dt.date | None = None, unit_ids: UnitIds | None = None) -> dict:
    """For a supervisor: the open duties of the units they complete duties in
    (of some of them, with unit_ids: a region's), late ones and those due by
    the end of this month (the first DUE_ROWS of each, with their totals)."""
    today = today or timezone.localdate()
    qs = _open_by_month_end(actor, today)
    if unit_ids is not None:
        # The units as one array that the (unit, due date) index serves (filtering
        # by the joined unit's region read every unit's duties of the month).
        qs = qs.filter(unit_id__in_unit_ids=unit_ids)
    out = {"month_last": month_last(today)}
    for name, (rows, total) in _late_and_due(qs, today, DUE_ROWS).items():
        out[name], out[f"{name}_total"] = rows, total
    return out


_DATE = DateField()


def _late_and_due(qs, today: dt.date, limit: int, *, using: str = "default") -> dict:
    """The duties of `qs` (one unit's, a supervisor's units' or a region's of
    this month: a few hundred at most) → {"late": (the first `limit` late
    duties as CardDuty, how many are late), "due": (the same of the rest)},
    in the lists' order (due date, unit's name, id). One statement: the duties
    read once (compiled once) with their units' names, each list's first rows
    and both counts from them, and only the first rows' titles and owners'
    names read (joined to every duty, PostgreSQL hashed every person). Four
    round trips, each compiled on its own, were a third of the calendar's
    month (issue 13)."""
    fields = ("pk", "due_date", "state", "template_id", "unit__name", "owner_id")
    try:
        sql, params = qs.order_by().values_list(*fields).query.get_compiler(using=using).as_sql()
    except EmptyResultSet:
        return {"late": ([], 0), "due": ([], 0)}
    connection = connections[using]
    quote = connection.ops.quote_name
    title = (f"(SELECT t.{quote('title')} FROM {quote(ObligationTemplate._meta.db_table)} t"
             f" WHERE t.{quote('id')} = f.c3)")
    owner = (f"(SELECT p.{quote('full_name')} FROM {quote(User._meta.db_table)} p"
             f" WHERE p.{quote('id')} = f.c5)")
    first = (f"SELECT {{part}}, f.c0, f.c1, f.c2, {title}, f.c4, {owner}, CAST(NULL AS BIGINT) FROM"
             f" (SELECT * FROM duties WHERE c1 {{op}} %s ORDER BY c1, c4, c0 LIMIT {int(limit)}) f")
    nulls = ", ".join(["NULL"] * len(fields))
    statement = " UNION ALL ".join([
        f"WITH duties(c0, c1, c2, c3, c4, c5) AS ({sql}) " + first.format(part=0, op="<"),
        first.format(part=1, op=">="),
        f"SELECT 0, {nulls}, COUNT(*) FROM duties WHERE c1 < %s",
        f"SELECT 1, {nulls}, COUNT(*) FROM duties WHERE c1 >= %s",
    ])
    day = connection.ops.adapt_datefield_value(today)
    found = {"late": ([], 0), "due": ([], 0)}
    names = list(found)
    with connection.cursor() as cursor:
        cursor.execute(statement, [*params, day, day, day, day])
        for index, *card, total in cursor.fetchall():
            rows, _counted = found[names[index]]
            if total is not None:
                found[names[index]] = (rows, int(total))
            else:
                card[1] = _DATE.to_python(card[1])  # SQLite gives the date as text
                rows.append(CardDuty(*card))
    return found


def due_by_region(*, actor, today: dt.date | None = None) -> list[dict]:
    """Per region of the units the actor completes duties in: how many units
    have open duties due by the end of this month or late, how many are late
    and how many due, the most late first ({"region_id", "name", "units",
    "late", "due"}). The duties are counted per unit (without joining the units
    to each of them) and the units' counts summed per region: one statement."""
    today = today or timezone.localdate()
    per_unit = (
        _open_by_month_end(actor, today).order_by().values("unit_id")
        .annotate(late=Count("id", filter=Q(due_date__lt=today)), due=Count("id", filter=Q(due_date__gte=today)))
    )
    try:
        sql, params = per_unit.query.get_compiler(using=per_unit.db).as_sql()
    except EmptyResultSet:
        return []
    unit_table, region_table = Unit._meta.db_table, Region._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT u.region_id, r.name, COUNT(*), SUM(c.late), SUM(c.due) FROM ({sql}) c"
            f" JOIN {unit_table} u ON u.id = c.unit_id JOIN {region_table} r ON r.id = u.region_id"
            " GROUP BY u.region_id, r.name",
            params,
        )
        rows = [
            {"region_id": region_id, "name": name, "units": units, "late": int(late), "due": int(due)}
            for region_id, name, units, late, due in cursor.fetchall()
        ]
    rows.sort(key=lambda r: (-r["late"], -r["due"], r["name"]))
    return rows


def _late(actor, today: dt.date):
    return Occurrence.objects.for_actor(actor, access.P_OBLIGATION_VIEW).filter(state=OccurrenceState.OPEN, due_date__lt=today)


def overdue_by_region(*, actor, today: dt.date | None = None) -> list[dict]:
    """Per region: its units with late duties, the late duties and the oldest
    due date, the most late first ({"region_id", "unit__region__name", "units",
    "late", "oldest"}). One aggregate query."""
    today = today or timezone.localdate()
    rows = (
        _late(actor, today)
        .values("unit__region_id", "unit__region__name")
        .annotate(units=Count("unit_id", distinct=True), late=Count("id"), oldest=Min("due_date"))
        .order_by("-late", "oldest", "unit__region__name")
    )
    return [{**row, "region_id": row["unit__region_id"]} for row in rows]


def overdue_overview(*, actor, today: dt.date | None = None, region_id: int | None = None) -> list[dict]:
    """Per unit (of one region, with region_id): how many duties are late and
    since when, the worst first. One aggregate query, whatever the number of units."""
    today = today or timezone.localdate()
    late = _late(actor, today)
    if region_id is not None:
        late = late.filter(unit__region_id=region_id)
    rows = (
        late.values("unit_id", "unit__name", "unit__region__name")
        .annotate(late=Count("id"), oldest=Min("due_date"))
        .order_by("-late", "oldest", "unit__name")
    )
    return list(rows)


def overdue_list(*, actor, today: dt.date | None = None):
    today = today or timezone.localdate()
    return (
        _late(actor, today)
        .select_related(*_RELATED, "unit__region")
        .order_by("due_date", "unit__name", "id")
    )


def occurrence_get(*, actor, pk, perm: str = access.P_OBLIGATION_VIEW) -> Occurrence:
    """One duty: 404 outside the actor's units, 403 inside without `perm`."""
    occurrence = access.access_object(
        Occurrence.objects.select_related("template", "owner", "completed_by", "evidence_type"), actor, pk, perm
    )
    return occurrence


def occurrence_evidence_file(*, actor, occurrence: Occurrence, request=None):
    """The evidence file of a duty the actor may read, for download (an
    access-log row, what="obligation.evidence"); 404 when it has none."""
    if not occurrence.evidence_file:
        raise Http404
    access_log_record(
        actor=actor,
        target=occurrence,
        what="obligation.evidence",
        right=access.P_OBLIGATION_VIEW,
        unit=occurrence.unit,
        request=request,
    )
    return occurrence.evidence_file


def evidence_choices(*, actor, occurrence: Occurrence):
    return evidence.candidates_for(actor=actor, unit=occurrence.unit)


def template_list(*, actor):
    if not access.has_perm_anywhere(actor, access.P_OBLIGATION_TEMPLATE_EDIT):
        raise PermissionDenied(access.P_OBLIGATION_TEMPLATE_EDIT)
    today = timezone.localdate()
    return ObligationTemplate.objects.annotate(
        open_count=Count("occurrences", filter=Q(occurrences__state=OccurrenceState.OPEN, occurrences__due_date__gte=today)),
        late_count=Count("occurrences", filter=Q(occurrences__state=OccurrenceState.OPEN, occurrences__due_date__lt=today)),
    ).order_by("-is_active", "title", "id")


def template_get(*, actor, pk) -> ObligationTemplate:
    from django.http import Http404

    if not access.has_perm_anywhere(actor, access.P_OBLIGATION_TEMPLATE_EDIT):
        raise PermissionDenied(access.P_OBLIGATION_TEMPLATE_EDIT)
    try:
        return ObligationTemplate.objects.prefetch_related("units").get(pk=pk)
    except (ObligationTemplate.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def template_units(*, actor):
    """Units a template may be limited to (the quality director's: all)."""
    return access.units_for(actor, access.P_OBLIGATION_TEMPLATE_EDIT).order_by("name")


AGENDA_DAYS = 31


def obligations_for_agenda(*, actor, unit):
    """For the unit's meeting agenda (meetings' agenda source): the unit's open
    duties that are late or due within a month. They come back to every meeting
    until they are done."""
    from django.utils.translation import gettext as _

    today = timezone.localdate()
    rows = (
        Occurrence.objects.for_actor(actor, access.P_OBLIGATION_VIEW)
        .filter(unit=unit, state=OccurrenceState.OPEN, due_date__lte=today + dt.timedelta(days=AGENDA_DAYS))
        .select_related("template", "owner")
        .order_by("due_date", "id")
    )
    for o in rows:
        due = fi_date(o.due_date)
        yield {
            "title": _("Quality calendar: %(title)s (due %(date)s)") % {"title": o.template.title, "date": due},
            "source": o,
            "note": _("Late") if o.due_date < today else "",
        }


# --- The home page ("what is waiting for me") ------------------------------------------------------


def month_last(today: dt.date) -> dt.date:
    """The last day of `today`'s month."""
    return (today.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)


class HomeDuty(NamedTuple):
    """What yearclock/_home_obligations.html shows of a duty."""

    pk: int
    due_date: dt.date
    title: str  # the template's
    unit: str  # the unit's name
    unit_id: int


@counts_first
def obligation_home_items(
    *, actor, today: dt.date | None = None, now: dt.datetime | None = None, limit: int = 3
) -> CountsFirst | None:
    """For the home page: the actor's own open duties (they own them, in units
    where they complete duties) due by the end of this month or late, the nearest
    `limit` (HomeDuty) and how many; and for directors (a region- or
    organisation-wide right to view the calendar) how many duties are late in
    their whole scope. None when both are empty. The counts first
    (core/lib/counts.py: one statement with the other blocks' on the home page),
    then one query for the rows, its SQL kept compiled for the person and the day."""
    today, now = today or timezone.localdate(), now or timezone.now()
    own = access.has_perm_anywhere(actor, access.P_OBLIGATION_COMPLETE)
    scope = access.has_perm_above_unit(actor, access.P_OBLIGATION_VIEW)
    if not own and not scope:
        return None

    def counts():
        made = {}
        if own:
            made.update(total=_my_duties(actor, today), late=_my_duties(actor, today).filter(due_date__lt=today))
        if scope:
            made["scope_late"] = Occurrence.objects.for_actor(actor, access.P_OBLIGATION_VIEW).filter(
                state=OccurrenceState.OPEN, due_date__lt=today
            )
        return made

    def shown(who, _now):
        # Only what the block shows: the duty's title, due date and unit.
        mine = _my_duties(who, today).order_by("due_date", "unit__name", "id")
        return mine.values_list("pk", "due_date", "template__title", "unit__name", "unit_id")[:limit]

    def then(counted):
        result = {"rows": [], "total": 0, "late": 0, "scope_late": counted.get("scope_late"), "today": today}
        if counted.get("total"):
            rows = access_shape.kept_rows_for(actor, f"yearclock.duties.{limit}", shown, today=today, now=now)
            result.update(rows=[HomeDuty(*row) for row in rows], total=counted["total"], late=counted["late"])
        if not result["total"] and not result["scope_late"]:
            return None
        return result

    return CountsFirst(LazyCounts(counts), then)


def _my_duties(actor, today):
    return Occurrence.objects.for_actor(actor, access.P_OBLIGATION_COMPLETE).filter(
        owner_id=actor.pk, state=OccurrenceState.OPEN, due_date__lte=month_last(today)
    )
