"""core.lib.compound: the newest rows of parts of different shapes, in one
query on PostgreSQL (one a part on SQLite), the same rows either way: newest
first, every row at the last row's time kept, and whether older ones are left."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.db import connection
from django.db.models.functions import TruncDate

from omavalvonta.core.lib.compound import Compiled, forget_shapes, newest_of_union, shaped
from omavalvonta.core.lib.dates import HELSINKI, day_start, moment_range
from omavalvonta.core.registry import TimelinePart
from omavalvonta.organisation.models import Unit
from omavalvonta.testing.factories import UnitFactory

pytestmark = pytest.mark.django_db

NOON = dt.datetime(2026, 5, 10, 9, 0, tzinfo=dt.UTC)  # 12.00 in Helsinki


def _part(rows, day=False):
    return SimpleNamespace(rows=rows, day=day)


@pytest.fixture
def units(region_a):
    """Five units made an hour apart, the newest at noon; two share 10.00."""
    made = []
    for i, hours in enumerate((0, 1, 2, 2, 4)):
        unit = UnitFactory(region=region_a, name=f"Yksikkö {i}", public_slug=f"y{i}")
        Unit.objects.filter(pk=unit.pk).update(created_at=NOON - dt.timedelta(hours=hours))
        made.append(unit)
    return made


def _moments():
    return Unit.objects.order_by("-created_at", "-id").values_list("created_at", "name", "places")


def _days():
    days = Unit.objects.annotate(day=TruncDate("created_at", tzinfo=HELSINKI)).order_by("-day", "-id")
    return days.values_list("day", "pk")


def _queries(parts):
    return 1 if connection.vendor == "postgresql" else parts


def test_parts_of_different_shapes_merge_newest_first(units, django_assert_num_queries):
    with django_assert_num_queries(_queries(2)):
        newest = newest_of_union([_part(_moments()), _part(_days(), day=True)], limit=10)
    at, part, values = newest.rows[0]
    # The day's row sits at the day's start in Helsinki: after every moment of the day.
    assert newest.rows[-1][1] == 1 and newest.rows[-1][0] == day_start(dt.date(2026, 5, 10))
    assert (at, part, values) == (NOON, 0, ("Yksikkö 0", units[0].places))
    assert [r[0] for r in newest.rows] == sorted((r[0] for r in newest.rows), reverse=True)
    assert len(newest.rows) == 5 + 5 and not newest.older


def test_the_rows_at_the_last_time_all_stay_and_older_ones_are_told(units):
    newest = newest_of_union([_part(_moments())], limit=3)
    # The third newest was made at 10.00 with another: both are on the page.
    assert [values[0] for _at, _part, values in newest.rows] == ["Yksikkö 0", "Yksikkö 1", "Yksikkö 3", "Yksikkö 2"]
    assert newest.older
    rest = newest_of_union([_part(_moments().filter(created_at__lt=newest.rows[-1][0]))], limit=3)
    assert [values[0] for _at, _part, values in rest.rows] == ["Yksikkö 4"] and not rest.older


def test_a_part_cut_at_its_limit_tells_that_older_rows_are_left(units):
    newest = newest_of_union([_part(_days(), day=True)], limit=2)
    # The three rows read of the part (its limit and one) share one day: all stay on the page, and the
    # part had more than two.
    assert len(newest.rows) == 3 and newest.older


def test_empty_parts_cost_no_query(units, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert newest_of_union([_part(Unit.objects.none().values_list("created_at"))], limit=5).rows == []
    with django_assert_num_queries(1):
        newest = newest_of_union([_part(Unit.objects.none().values_list("created_at", "name")), _part(_moments())], limit=1)
    assert [(part, values[0]) for _at, part, values in newest.rows] == [(1, "Yksikkö 0")]


# --- Parts kept compiled (shaped) ---------------------------------------------------------------


def _entry(at, *values):
    return (at, values)


def _built(after, before):
    rows = Unit.objects.filter(places__gte=0, **moment_range("created_at", after=after, before=before))
    return [TimelinePart(rows=rows.order_by("-created_at", "-id").values_list("created_at", "name"), entry=_entry)]


def _window_rows(parts):
    return newest_of_union(parts, limit=3)


on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="parts are kept compiled on PostgreSQL only")


@pytest.fixture(autouse=True)
def _no_kept_shapes():
    forget_shapes()
    yield
    forget_shapes()


@on_postgresql
def test_kept_parts_read_the_rows_the_built_ones_read(units):
    windows = [(None, None), (None, NOON), (NOON - dt.timedelta(hours=3), NOON), (NOON - dt.timedelta(hours=2), None)]
    for _round in range(2):  # learnt on the first, filled in on the second
        for after, before in windows:
            kept = shaped(("test", 1), _built, after=after, before=before)
            assert all(isinstance(part.rows, Compiled) for part in kept)
            assert _window_rows(kept) == _window_rows(_built(after, before))


@on_postgresql
def test_a_kept_shape_builds_nothing_again(units):
    calls = []

    def build(after, before):
        calls.append((after, before))
        return _built(after, before)

    shaped(("test", 2), build, after=None, before=NOON)
    assert len(calls) == 2  # the two sets of sentinels, none with the real value
    shaped(("test", 2), build, after=None, before=NOON - dt.timedelta(hours=1))
    assert len(calls) == 2
    shaped(("test", 2), build, after=NOON, before=None)  # another shape: learnt once
    assert len(calls) == 4


@on_postgresql
def test_a_value_made_into_another_is_not_kept(units):
    """A parameter made from a value (here its date) cannot be filled in: the
    parts are built every time, and read the right rows."""

    def build(after, before):
        rows = Unit.objects.filter(created_at__date__lte=before.date()) if before else Unit.objects.all()
        return [TimelinePart(rows=rows.order_by("-created_at", "-id").values_list("created_at", "name"), entry=_entry)]

    for before in (NOON, NOON - dt.timedelta(days=1)):
        parts = shaped(("test", 3), build, after=None, before=before)
        assert not isinstance(parts[0].rows, Compiled)
        assert _window_rows(parts) == _window_rows(build(None, before))


def test_elsewhere_the_parts_are_built(units):
    parts = shaped(("test", 4), _built, after=None, before=NOON)
    if connection.vendor != "postgresql":
        assert not isinstance(parts[0].rows, Compiled)
    assert _window_rows(parts) == _window_rows(_built(None, NOON))
