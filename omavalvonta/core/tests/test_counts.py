"""core/lib/counts.py: several counts in one statement, and blocks that count
first (the home page's HOME_BLOCKS)."""

import pytest

from omavalvonta.core.lib.counts import CountsFirst, count_all, counts_first, resolve_many
from omavalvonta.organisation.models import Region, Unit


@pytest.fixture
def units(unit_a, unit_b):
    return Unit.objects.filter(pk__in=[unit_a.pk, unit_b.pk])


def test_count_all_counts_each_queryset_in_one_query(units, unit_a, django_assert_num_queries):
    with django_assert_num_queries(1):
        counted = count_all(
            {
                "all": units,
                "a": units.filter(pk=unit_a.pk),
                "none": units.none(),
                "empty_list": units.filter(pk__in=[]),
                "no_match": units.filter(pk=-1),
                "ordered": units.order_by("-name"),
                "regions": Region.objects.filter(units__in=units).distinct(),
            }
        )
    assert counted == {"all": 2, "a": 1, "none": 0, "empty_list": 0, "no_match": 0, "ordered": 2, "regions": 2}


def test_count_all_of_nothing_makes_no_query(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert count_all({}) == {}


def test_a_block_that_counts_first_is_an_ordinary_function_for_other_callers(units, django_assert_num_queries):
    @counts_first
    def block(*, qs):
        return CountsFirst({"n": qs}, lambda counted: {"n": counted["n"]} if counted["n"] else None)

    with django_assert_num_queries(1):
        assert block(qs=units) == {"n": 2}
    assert block(qs=units.filter(pk=-1)) is None
    assert isinstance(block.declare(qs=units), CountsFirst)


def test_resolve_many_counts_every_block_in_one_query_and_keeps_plain_data(units, unit_a, django_assert_num_queries):
    declared = [
        CountsFirst({"n": units}, lambda counted: counted["n"]),
        None,
        {"plain": True},
        CountsFirst({"n": units.filter(pk=unit_a.pk), "m": units}, lambda counted: (counted["n"], counted["m"])),
    ]
    with django_assert_num_queries(1):
        assert resolve_many(declared) == [2, None, {"plain": True}, (1, 2)]
