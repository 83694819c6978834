"""core.lib.compound: sliced parts in one UNION ALL (PostgreSQL) or one query
a part (SQLite), the same rows either way."""

from django.db import connection

from omavalvonta.core.lib.compound import newest_of_parts
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
