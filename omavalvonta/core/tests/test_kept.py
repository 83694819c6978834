"""core/lib/kept.py: counts kept compiled per key give the counts of the blocks
built for the request; a block that reads while building, or uses the time
otherwise than as a filter's operand, is built every time."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from omavalvonta.core.lib import kept
from omavalvonta.core.lib.counts import CountsFirst, LazyCounts, count_all, counts_statement
from omavalvonta.core.lib.dates import day_start
from omavalvonta.organisation.models import Region, Unit
from omavalvonta.testing.factories import UnitFactory

NOON = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)
on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="times are filled in on PostgreSQL only")


@pytest.fixture
def units(region_a):
    made = [UnitFactory(region=region_a) for _ in range(4)]
    for hours, unit in zip((1, 30, 50, 80), made, strict=True):
        Unit.objects.filter(pk=unit.pk).update(created_at=NOON - dt.timedelta(hours=hours))
    return made


def _block(name, counts, calls=None):
    """A Keep whose declare and learn build `counts(now)` (counted in `calls`)."""

    def build(now):
        if calls is not None:
            calls.append(now)
        made = counts(now)
        return CountsFirst(made, lambda counted: dict(counted) if any(counted.values()) else None)

    return kept.Keep(key=(name,), declare=build, learn=build)


def _recent(now):
    return {"recent": Unit.objects.filter(created_at__gte=now - dt.timedelta(hours=48)), "all": Unit.objects.all()}


def test_kept_counts_are_the_built_counts_at_every_time(units):
    block = _block("recent", _recent)
    for _round in range(2):
        for hours in (0, 10, 40):
            now = NOON + dt.timedelta(hours=hours)
            assert kept.resolve_kept([block], now=now) == [count_all(_recent(now))]
    shape = kept._shapes[("recent",)]
    if connection.vendor == "postgresql":
        assert isinstance(shape, kept._Shape)
        (_n, _sql, params, moved), _all = shape.parts
        assert moved == {0: -dt.timedelta(hours=48)} and params == (None,)  # the rest written into the SQL once


def test_a_kept_block_with_nothing_counted_is_not_built(units):
    calls = []
    block = _block("none", lambda now: {"none": Unit.objects.filter(name="ei ole")}, calls)
    kept.resolve_kept([block], now=NOON)  # learnt: built three times
    del calls[:]
    with CaptureQueriesContext(connection) as queries:
        assert kept.resolve_kept([block], now=NOON) == [None]
    assert calls == [] and len(queries) == 1


def test_a_block_that_reads_while_building_is_built_every_time(units):
    def reading(now):
        region = Region.objects.order_by("pk").first()  # a read deciding the SQL
        return {"in_region": Unit.objects.filter(region=region)}

    block = _block("reads", reading)
    assert kept.resolve_kept([block], now=NOON) == [count_all(reading(NOON))]
    assert kept._shapes[("reads",)] == kept._UNKEPT


@on_postgresql
def test_a_time_cut_to_its_day_is_not_kept(units):
    def today(now):
        return {"today": Unit.objects.filter(created_at__gte=day_start(timezone.localdate(now)))}

    block = _block("day", today)
    assert kept.resolve_kept([block], now=NOON) == [count_all(today(NOON))]
    assert kept._shapes[("day",)] == kept._UNKEPT


def test_kept_shapes_are_bounded(monkeypatch, units):
    monkeypatch.setattr(kept, "SHAPES_KEPT", 3)
    for i in range(10):
        kept.resolve_kept([_block(f"b{i}", _recent)], now=NOON)
        assert len(kept._shapes) <= 3


# --- kept_rows: a values query's statement kept the same way ------------------------------


def _recent_rows(now):
    return (
        Unit.objects.filter(created_at__gte=now - dt.timedelta(hours=48))
        .order_by("pk")
        .values_list("pk", "name")
    )


def test_kept_rows_are_the_built_rows_at_every_time(units):
    calls = []

    def declare(now):
        calls.append(now)
        return _recent_rows(now)

    for _round in range(2):
        for hours in (0, 10, 40):
            now = NOON + dt.timedelta(hours=hours)
            assert kept.kept_rows(("recent",), declare, _recent_rows, now=now) == list(_recent_rows(now))
    statement = kept._shapes[("rows", "recent")]
    if connection.vendor == "postgresql":
        assert isinstance(statement, kept._Statement) and calls == []  # never built for the request
        assert statement.moved == {0: -dt.timedelta(hours=48)} and statement.params == (None,)


def test_kept_rows_of_a_query_that_reads_while_building_are_built_every_time(units):
    def reading(now):
        region = Region.objects.order_by("pk").first()  # a read deciding the SQL
        return Unit.objects.filter(region=region).order_by("pk").values_list("pk")

    assert kept.kept_rows(("reads",), reading, reading, now=NOON) == list(reading(NOON))
    assert kept._shapes[("rows", "reads")] == kept._UNKEPT


def test_kept_rows_of_an_empty_filter_are_none(units):
    def empty(now):
        return Unit.objects.filter(pk__in=[]).values_list("pk")

    with CaptureQueriesContext(connection) as queries:
        assert kept.kept_rows(("empty",), empty, empty, now=NOON) == []
    assert len(queries) == 0


def test_a_kept_block_s_lazy_counts_are_not_built_for_its_rows(units):
    """LazyCounts: the counting querysets are built to learn, not for the rows of the request."""
    built = []

    def declare(now):
        def counts():
            built.append(now)
            return _recent(now)

        return CountsFirst(LazyCounts(counts), lambda counted: dict(counted))

    block = kept.Keep(key=("lazy",), declare=declare, learn=declare)
    assert kept.resolve_kept([block], now=NOON) == [count_all(_recent(NOON))]
    del built[:]
    assert kept.resolve_kept([block], now=NOON) == [count_all(_recent(NOON))]
    if connection.vendor == "postgresql":
        assert built == []  # counted from the kept SQL, the rows built without them


def _own(pk):
    return {"one": Unit.objects.filter(pk=pk), "from": Unit.objects.filter(pk__gte=pk), "all": Unit.objects.all()}


def test_kept_counts_are_the_built_counts_of_every_record(units):
    kept.forget_kept()
    built = []
    for _round in range(2):
        for unit in units:
            parts = kept.kept_counts(("own",), lambda unit=unit: built.append(1) or _own(unit.pk), _own, record_id=unit.pk)
            assert counts_statement(parts) == count_all(_own(unit.pk))
    assert built == []  # kept: never built for a request
    assert kept._shapes[("ids", "own")] != kept._UNKEPT


@pytest.mark.parametrize(
    "learn",
    [
        lambda pk: {"next": Unit.objects.filter(pk=pk + 1)},  # the id moved: not only an operand
        lambda pk: {"read": Unit.objects.filter(pk__in=list(Unit.objects.values_list("pk", flat=True)[:1]))},
    ],
)
def test_counts_whose_id_is_not_only_an_operand_are_built_every_time(units, learn):
    kept.forget_kept()
    unit = units[1]
    parts = kept.kept_counts(("own-unkept",), lambda: learn(unit.pk), learn, record_id=unit.pk)
    assert kept._shapes[("ids", "own-unkept")] == kept._UNKEPT
    assert counts_statement(parts) == count_all(learn(unit.pk))
