"""core.lib.compound: sliced parts in one UNION ALL (PostgreSQL) or one query
a part (SQLite), the same rows either way."""

from django.db import connection

from omavalvonta.core.lib.compound import newest_of_parts, newest_rows
from omavalvonta.organisation.models import Unit


def test_each_part_gets_its_own_first_rows(unit_a, unit_b, django_assert_num_queries):
    newest = Unit.objects.order_by("-pk").values_list("pk", "name")
    oldest = Unit.objects.order_by("pk").values_list("pk", "name")
    one_query = connection.features.supports_slicing_ordering_in_compound
    with django_assert_num_queries(1 if one_query else 2):
        got_newest, got_oldest = newest_of_parts(newest, oldest, limit=1)
    assert got_newest == list(newest[:1]) and got_oldest == list(oldest[:1])
    assert got_newest != got_oldest
    assert newest_of_parts(newest, limit=5) == [list(newest)]


def test_an_empty_part_stays_empty(unit_a):
    nothing = Unit.objects.none().values_list("pk", "name")
    every = Unit.objects.order_by("pk").values_list("pk", "name")
    assert newest_of_parts(every, nothing, limit=3) == [list(every), []]


def test_the_newest_rows_of_all_parts_are_cut_to_the_limit():
    import datetime as dt

    day = dt.datetime(2026, 5, 1, tzinfo=dt.UTC)
    received = [(1, "a", day + dt.timedelta(hours=5)), (2, "b", day + dt.timedelta(hours=1))]
    closed = [(1, "a", day + dt.timedelta(hours=3)), (3, "c", day)]
    assert newest_rows([received, closed], at=2, limit=3) == [
        (0, received[0]), (1, closed[0]), (0, received[1]),
    ]
    assert newest_rows([[], closed], at=2, limit=5) == [(1, closed[0]), (1, closed[1])]
