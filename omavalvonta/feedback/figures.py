"""The feedback figures read from the running tallies (feedback.tallies keeps
them in step with every answer): one respondent group's figures in a period
and scope (`Cell`, with the small-group rule), the scopes (a unit, a region, a
service type, the organisation), and the periods they are read by (round
quarters, whole months). Every read is one grouped query over the tallies,
whatever the number of answers; the selectors and reports build on these."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import BigIntegerField, Q, Sum
from django.db.models.functions import Cast
from django.utils import timezone

from omavalvonta.feedback.models import MIN_GROUP_SIZE, Group, Question, QuestionKind, SurveyState, Tally, translated

GROUP_ORDER = [Group.CHILD, Group.PARENT, Group.SOCIAL_WORKER]


def nps_of(promoters: int, detractors: int, answered: int) -> int | None:
    """Net Promoter Score: % promoters (9–10) minus % detractors (0–6), rounded."""
    if not answered:
        return None
    return round(100 * (promoters - detractors) / answered)


@dataclass
class Cell:
    """The figures of one respondent group in one period and scope."""

    n: int = 0
    nps_answered: int = 0
    promoters: int = 0
    detractors: int = 0
    items: dict = field(default_factory=dict)  # key -> (average, count)

    @property
    def hidden(self) -> bool:
        """Fewer than MIN_GROUP_SIZE answers: not shown separately."""
        return self.n < MIN_GROUP_SIZE

    @property
    def nps(self) -> int | None:
        if self.hidden or self.nps_answered < MIN_GROUP_SIZE:
            return None
        return nps_of(self.promoters, self.detractors, self.nps_answered)

    def item(self, key: str) -> float | None:
        avg, count = self.items.get(key, (None, 0))
        if self.hidden or count < MIN_GROUP_SIZE or avg is None:
            return None
        return round(avg, 1)


# The scope of the whole organisation's tallies (the rows without a unit).
ORGANISATION = Q(unit__isnull=True, region__isnull=True, service_type="")


def region_scope(region_id) -> Q:
    return Q(unit__isnull=True, region_id=region_id)


def service_type_scope(service_type: str) -> Q:
    return Q(unit__isnull=True, region__isnull=True, service_type=service_type)


# Every region's rows and every service type's rows (the overview groups them).
REGIONS = Q(unit__isnull=True, region__isnull=False)
SERVICE_TYPES = Q(unit__isnull=True, region__isnull=True) & ~Q(service_type="")
SUMS = {
    "n": Sum("n"),
    # An integer, as the others (PostgreSQL sums a bigint column as numeric,
    # read as a Decimal: slower to read, and a Decimal average where SQLite
    # gave a float).
    "total": Cast(Sum("value_sum"), BigIntegerField()),
    "nps_answered": Sum("nps_answered"),
    "promoters": Sum("promoters"),
    "detractors": Sum("detractors"),
}


def add_row(cells: dict[str, Cell], group: str, row: dict) -> None:
    """Add a summed tally row (key "": the responses; else a question) to `cells`."""
    cell = cells.setdefault(group, Cell())
    if row["key"]:
        avg, count = cell.items.get(row["key"], (None, 0))
        total = (avg or 0) * count + (row["total"] or 0)
        count += row["n"] or 0
        cell.items[row["key"]] = (total / count if count else None, count)
    else:
        cell.n += row["n"] or 0
        cell.nps_answered += row["nps_answered"] or 0
        cell.promoters += row["promoters"] or 0
        cell.detractors += row["detractors"] or 0


def by_quarter(scope_q: Q, *, since: tuple[int, int] | None = None) -> dict[tuple[int, int], dict[str, Cell]]:
    """{(year, quarter): {group: Cell}} of the round quarters of the tallies
    matching `scope_q` (ORGANISATION, a region's, a service type's or a unit's). One
    query over the tallies, whatever the number of answers."""
    if since:
        scope_q &= Q(year__gt=since[0]) | Q(year=since[0], quarter__gte=since[1])
    table: dict[tuple[int, int], dict[str, Cell]] = defaultdict(dict)
    for row in Tally.objects.filter(scope_q).values("year", "quarter", "group", "key").annotate(**SUMS).order_by():
        add_row(table[(row["year"], row["quarter"])], row["group"], row)
    return dict(table)


def with_organisation(scope_q: Q, *, since: tuple[int, int]) -> tuple[dict, dict]:
    """(`by_quarter(scope_q)`, `by_quarter(ORGANISATION)`) in one query: the
    organisation's rows told from the scope's by their unit, region and service
    type (the scope is a unit's, a region's or a service type's, never the
    organisation's)."""
    period_q = Q(year__gt=since[0]) | Q(year=since[0], quarter__gte=since[1])
    scope: dict[tuple[int, int], dict[str, Cell]] = defaultdict(dict)
    organisation: dict[tuple[int, int], dict[str, Cell]] = defaultdict(dict)
    rows = (
        Tally.objects.filter((scope_q | ORGANISATION) & period_q)
        .values("unit_id", "region_id", "service_type", "year", "quarter", "group", "key")
        .annotate(**SUMS)
        .order_by()
    )
    for row in rows:
        is_organisation = row["unit_id"] is None and row["region_id"] is None and row["service_type"] == ""
        add_row((organisation if is_organisation else scope)[(row["year"], row["quarter"])], row["group"], row)
    return dict(scope), dict(organisation)


# The overview's four kinds of rows, each a scope of the tallies (see Tally):
# (kind, its id column, its text column, the scope's condition).
_OVERVIEW_SCOPES = (
    ("unit", "unit_id", "''", "unit_id IS NOT NULL"),
    ("region", "region_id", "''", "unit_id IS NULL AND region_id IS NOT NULL"),
    ("service_type", "NULL", "service_type", "unit_id IS NULL AND region_id IS NULL AND service_type <> ''"),
    ("organisation", "NULL", "''", "unit_id IS NULL AND region_id IS NULL AND service_type = ''"),
)


def quarter_cells(year: int, quarter: int, unit_ids: list[int]) -> dict[str, dict]:
    """The responses' figures of a round quarter for the overview: {"unit": {unit
    id: {group: Cell}}, "region": {region id: ...}, "service_type": {type: ...},
    "organisation": {None: ...}}, of the units `unit_ids` and of every region,
    service type and the whole organisation. One statement written here (the
    four grouped ORM queries it replaces cost more to build than to run: issue
    13); the same sums as `by_quarter`'s rows with the key "" (the responses)."""
    out: dict[str, dict] = {kind: defaultdict(dict) for kind, *_rest in _OVERVIEW_SCOPES}
    parts, params = [], []
    for index, (kind, id_column, text_column, where) in enumerate(_OVERVIEW_SCOPES):
        scope_params = []
        if kind == "unit":
            if not unit_ids:
                continue
            if connection.vendor == "postgresql":
                where, scope_params = "unit_id = ANY(%s::bigint[])", [list(unit_ids)]
            else:
                where, scope_params = f"unit_id IN ({', '.join(['%s'] * len(unit_ids))})", list(unit_ids)
        grouped = ", ".join(c for c in (id_column, text_column) if c not in ("NULL", "''"))
        parts.append(
            f"SELECT {index}, {id_column}, {text_column}, \"group\","
            " SUM(n), SUM(nps_answered), SUM(promoters), SUM(detractors)"
            f" FROM {Tally._meta.db_table} WHERE year = %s AND quarter = %s AND key = '' AND {where}"
            f" GROUP BY {grouped + ', ' if grouped else ''}\"group\""
        )
        params.extend([year, quarter, *scope_params])
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        for index, ref_id, ref_text, group, n, answered, promoters, detractors in cursor.fetchall():
            cells = out[_OVERVIEW_SCOPES[index][0]][ref_id if ref_text == "" else ref_text]
            cells[group] = Cell(n=n or 0, nps_answered=answered or 0, promoters=promoters or 0, detractors=detractors or 0)
    return out


def recent_periods(count: int = 6, today: dt.date | None = None) -> list[tuple[int, int]]:
    today = today or timezone.localdate()
    year, quarter = today.year, (today.month - 1) // 3 + 1
    periods = []
    for _i in range(count):
        periods.append((year, quarter))
        year, quarter = (year - 1, 4) if quarter == 1 else (year, quarter - 1)
    return periods[::-1]


def period_label(period: tuple[int, int]) -> str:
    return f"Q{period[1]}/{period[0]}"


def item_labels() -> dict[str, dict[str, str]]:
    """{group: {key: question text}} from the current (else latest) version."""
    labels: dict[str, dict[str, str]] = defaultdict(dict)
    rows = (
        Question.objects.exclude(survey__state=SurveyState.DRAFT)
        .filter(kind__in=(QuestionKind.SCALE, QuestionKind.FACES))
        .order_by("survey__group", "survey__version", "position", "pk")
        .values_list("survey__group", "key", "text")
    )
    for group, key, text in rows:  # later versions overwrite earlier ones
        labels[group][key] = translated(text)
    return labels


def month_bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
    first = dt.date(year, month, 1)
    last = dt.date(year + (month == 12), 1 if month == 12 else month + 1, 1) - dt.timedelta(days=1)
    return first, last


def month_cells(scope_q: Q, first: dt.date, last: dt.date) -> dict[str, Cell]:
    """{group: Cell} of the answers given in the whole months from `first` (a
    first day) to `last` (a last day), from the tallies matching `scope_q`: one query."""
    cells: dict[str, Cell] = {}
    rows = Tally.objects.filter(scope_q, month__range=(first.replace(day=1), last)).values("group", "key")
    for row in rows.annotate(**SUMS).order_by():
        add_row(cells, row["group"], row)
    return cells


def cell_figures(cell: Cell) -> dict:
    """One group's figures as plain data, with the small-group rule applied: a
    group with fewer than MIN_GROUP_SIZE answers shows neither its count nor its NPS."""
    if cell.hidden:
        return {"n": None, "nps": None, "hidden": bool(cell.n)}
    return {"n": cell.n, "nps": cell.nps, "hidden": False}


def whole_months(first: dt.date, last: dt.date):
    """The span of whole months within [first, last] as (first day, last day) or
    None, and the parts of months outside it: [(first, last)]."""
    start = first if first.day == 1 else month_bounds(first.year, first.month)[1] + dt.timedelta(days=1)
    end_month_last = month_bounds(last.year, last.month)[1]
    end = last if last == end_month_last else last.replace(day=1) - dt.timedelta(days=1)
    if start > end:
        return None, [(first, last)]
    edges = []
    if first < start:
        edges.append((first, start - dt.timedelta(days=1)))
    if end < last:
        edges.append((end + dt.timedelta(days=1), last))
    return (start, end), edges
