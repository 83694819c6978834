"""The organisation's figures of restrictive measures (the overview of those
who count many units): per region the measures of the last year and of each of
the last twelve months, counts only.

A closed month is read from models.MonthCount: counted once for every unit,
when a page first needs it, and forgotten when a measure is recorded into it
late or destroyed (`months_forget`). Only the days outside the counted months
-- this month so far, and the days of the year before the first month shown --
are counted from the measures themselves, from their index on the start (of
the month before the first shown, the fewer days: after the year's start, or
before it, taken off that month's count). Two
queries however many measures, whatever the number of units (a third when the
actor counts only some of a region's units).

A month is counted only once it has been closed for SETTLE: a measure being
recorded into it as it closes is in before it is counted. A count and a
forgetting of the same month take the month's lock (PostgreSQL), so that a
count never stores a month without a measure committed meanwhile."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet
from django.db import connection, transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone

from omavalvonta.organisation import access, overview
from omavalvonta.organisation.models import Unit
from omavalvonta.restrictions.models import MonthCount, Restriction
from omavalvonta.restrictions.selectors import (
    FIGURE_MONTHS,
    OVERVIEW_DAYS,
    SMALL_GROUP,
    _hide_small,
    _month_starts,
    _next_month,
)

SETTLE = dt.timedelta(hours=1)
_LOCK_CLASS = 7313  # pg_advisory_xact_lock(class, month): the month counts' lock


@dataclass(frozen=True)
class Window:
    starts: list[dt.date]  # the first days of the months shown, oldest first
    bounds: list[dt.datetime]  # their starts and the end of the last, in Helsinki time
    since: dt.datetime  # the start of "the last year"
    counted: range  # the months read from MonthCount (indexes of `starts`)
    # The month holding `since` when fewer of its days come before `since` than
    # after: read from MonthCount less its days before `since` (so no more than
    # half a month is counted from the measures); None: its days from `since` on
    # are counted from the measures.
    lead: dt.date | None = None


LEAD = -1  # the lead month's key among the counted months' indexes


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time()), timezone.get_default_timezone())


def window(now: dt.datetime, months: int = FIGURE_MONTHS) -> Window:
    starts = _month_starts(timezone.localdate(now, timezone.get_default_timezone()), months)
    bounds = [_start_of(day) for day in [*starts, _next_month(starts[-1])]]
    since = now - dt.timedelta(days=OVERVIEW_DAYS)
    counted = [i for i in range(months) if bounds[i] >= since and bounds[i + 1] + SETTLE <= now]
    lead = timezone.localtime(since, timezone.get_default_timezone()).date().replace(day=1)
    lead_start, lead_end = _start_of(lead), _start_of(_next_month(lead))
    smaller = since - lead_start < lead_end - since
    if not (counted and lead_end == bounds[counted[0]] and smaller and lead_end + SETTLE <= now):
        lead = None
    return Window(starts, bounds, since, range(counted[0], counted[-1] + 1) if counted else range(0), lead)


def regions(*, actor) -> list[dict]:
    """Per region of the units the actor may count (client.count): the region
    and how many units; no figures yet (`region_figures` adds them). Two queries."""
    return overview.regions_of(access.units_for(actor, access.P_CLIENT_COUNT), {})


def region_figures(*, actor, regions: list[dict], now: dt.datetime | None = None) -> dict:
    """Fill each of `regions` (from `regions`) with its measures of the last
    year ("total"; "small" when under SMALL_GROUP) and return the months shown
    and the table's rows: per region the measures of each month ("cells", a
    month under SMALL_GROUP None). No units, no children. Two queries (three
    when the actor counts only some of a region's units)."""
    w = window(now or timezone.now())
    units = access.units_for(actor, access.P_CLIENT_COUNT).order_by().values("pk")
    counted = _counted(regions, units, w)
    live = _live(units, w)
    rows = []
    for row in regions:
        pk = row["region"].pk
        mine = live.get(pk, {})
        cells = [counted.get((pk, i), 0) if i in w.counted else mine.get(f"m{i}", 0) for i in range(len(w.starts))]
        row["total"] = mine.get("total", 0) + sum(cells[i] for i in w.counted)
        if w.lead:  # the lead month's count less its days before the year
            row["total"] += counted.get((pk, LEAD), 0) - mine.get("before", 0)
        row["small"] = 0 < row["total"] < SMALL_GROUP
        rows.append({"region": row["region"], "cells": [_hide_small(n) for n in cells]})
    return {"months": w.starts, "rows": rows}


def _counted(regions: list[dict], units, w: Window) -> dict:
    """{(region id, month index): measures} of the counted months (the months
    not counted yet counted first): a region's row where the actor counts all
    its active units, else the sum of the actor's units' rows."""
    if not w.counted:
        return {}
    index = {w.starts[i]: i for i in w.counted}
    if w.lead:
        index[w.lead] = LEAD
    rows = _region_rows(list(index))
    mine = {row["region"].pk: row["units"] for row in regions}
    counts = {(region, index[month]): n for region, month, n, whole in rows if region is not None and mine.get(region) == whole}
    partial = {pk for pk in mine if any((pk, i) not in counts for i in index.values())}
    if partial:
        for region, month, n in (
            MonthCount.objects.filter(unit__in=units, region_id__in=partial, month__in=list(index))
            .order_by()
            .values_list("region_id", "month")
            .annotate(sum=Sum("n"))
        ):
            counts[(region, index[month])] = n
    return counts


def _region_rows(months: list[dt.date]) -> list[tuple]:
    """(region id or None, month, n, units) of the rows without a unit of
    `months`, the months not counted yet counted first."""
    for _attempt in range(2):
        rows = list(
            MonthCount.objects.filter(unit__isnull=True, month__in=months).values_list("region_id", "month", "n", "units")
        )
        missing = set(months) - {month for region, month, _n, _units in rows if region is None}
        if not missing:
            break
        _count(sorted(missing))
    return rows


def _count(months: list[dt.date]) -> None:
    """Count the measures of closed `months`, once each: per unit, per region
    (its active units) and in all."""
    for month in months:
        with transaction.atomic():
            _lock(month)
            if MonthCount.objects.filter(unit__isnull=True, region__isnull=True, month=month).exists():
                continue
            active = dict(Unit.objects.filter(is_active=True).order_by().values_list("region_id").annotate(n=Count("id")))
            per_unit = list(
                Restriction.objects.filter(started_at__gte=_start_of(month), started_at__lt=_start_of(_next_month(month)))
                .order_by()
                .values_list("unit_id", "unit__region_id", "unit__is_active")
                .annotate(n=Count("id"))
            )
            per_region = dict.fromkeys(active, 0)
            for _unit, region, is_active, n in per_unit:
                if is_active:
                    per_region[region] += n
            rows = [MonthCount(unit_id=unit, region_id=region, month=month, n=n) for unit, region, _a, n in per_unit]
            rows += [MonthCount(region_id=pk, month=month, n=n, units=active[pk]) for pk, n in per_region.items()]
            rows.append(MonthCount(month=month, n=sum(row[-1] for row in per_unit)))
            MonthCount.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)


def _live(units, w: Window) -> dict:
    """{region id: {"total": the last year's measures outside the counted
    months, "m<i>": month i's measures for each month not counted}}: one query
    over the days outside the counted months. Each stretch of days is one range
    of the index on the start, counted per unit before the units are joined to
    their regions (joining first, PostgreSQL walks every unit's index entries)."""
    first = min(w.since, w.bounds[0])
    stretches = [(first, None)]
    if w.counted:
        stretches = [(first, w.bounds[w.counted.start]), (w.bounds[w.counted.stop], None)]
    if w.lead:  # the lead month's days before the year, to take off its count
        stretches[0] = (_start_of(w.lead), w.since)
    # Counted by unit_id (never null), a column of that index: no row is read.
    figures = {
        "total": Count("unit_id", filter=Q(started_at__gte=w.since)),
        **{
            f"m{i}": Count("unit_id", filter=Q(started_at__gte=w.bounds[i], started_at__lt=w.bounds[i + 1]))
            for i in range(len(w.starts))
            if i not in w.counted
        },
        **({"before": Count("unit_id", filter=Q(started_at__lt=w.since))} if w.lead else {}),
    }
    parts, params = [], []
    for start, end in stretches:
        days = Restriction.objects.filter(started_at__gte=start)
        if end is not None:
            days = days.filter(started_at__lt=end)
        sql, more = days.order_by().values("unit_id").annotate(**figures).query.sql_with_params()
        parts.append(sql)
        params += more
    try:
        units_sql, units_params = units.query.sql_with_params()
    except EmptyResultSet:
        return {}
    quote = connection.ops.quote_name
    sums = ", ".join(f"SUM(c.{quote(name)})" for name in figures)
    sql = (
        f"SELECT u.{quote('region_id')}, {sums} FROM ({' UNION ALL '.join(parts)}) c"
        f" JOIN {quote(Unit._meta.db_table)} u ON u.{quote(Unit._meta.pk.column)} = c.{quote('unit_id')}"
        f" WHERE u.{quote(Unit._meta.pk.column)} IN ({units_sql}) GROUP BY u.{quote('region_id')}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *units_params])
        return {region: dict(zip(figures, map(int, values), strict=True)) for region, *values in cursor.fetchall()}


def months_forget(months) -> None:
    """Forget the counts of `months` (first days): a measure was recorded into
    a closed month, or measures were destroyed. In the writer's transaction,
    after the write, under the months' locks: a count of the month running
    meanwhile finishes first and is forgotten, or starts after and sees the write."""
    months = sorted(set(months))
    for month in months:
        _lock(month)
    if months:
        MonthCount.objects.filter(month__in=months).delete()


def recorded(started_at: dt.datetime, *, now: dt.datetime | None = None) -> None:
    """A measure was recorded with this start: its month's count is forgotten
    when the month has closed (recorded late); this month's is not counted yet."""
    month = timezone.localdate(started_at, timezone.get_default_timezone()).replace(day=1)
    if month < timezone.localdate(now or timezone.now(), timezone.get_default_timezone()).replace(day=1):
        months_forget([month])


def unit_saved(*, unit, created: bool = False) -> None:
    """A unit hook (organisation.hooks): a unit created, moved to another
    region or made (in)active changes the regions' rows: every counted month
    is forgotten (counted again when next needed)."""
    with transaction.atomic():
        months_forget(MonthCount.objects.filter(unit__isnull=True, region__isnull=True).values_list("month", flat=True))


def _lock(month: dt.date) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_LOCK_CLASS, month.year * 12 + month.month])
