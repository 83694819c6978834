"""The measurements' duties counted in the database (DUTY_SOURCES `counts`,
schedule.current_due's rule in SQL) agree with the duties made one by one:
starts on a month's last days, short months, measurements inside and before
a window, an ended placement, every day of most of a year."""

import datetime as dt

import pytest

from omavalvonta.clients.models import Placement
from omavalvonta.yearclock import duties

from .helpers import record

STARTS = [
    dt.date(2025, 8, 29), dt.date(2025, 11, 30), dt.date(2025, 12, 31), dt.date(2026, 1, 10),
    dt.date(2026, 1, 31), dt.date(2026, 2, 28), dt.date(2026, 3, 15), dt.date(2026, 5, 31),
]


@pytest.fixture
def placements(time_machine, make_placement, keeper_a, unit_a):
    time_machine.move_to(dt.datetime(2026, 6, 20, 8, tzinfo=dt.UTC), tick=False)
    made = [make_placement(name=f"Lapsi {i}", starts_on=start) for i, start in enumerate(STARTS)]
    # Measured on time, inside a window but late, long before the next window.
    record(keeper_a, made[0], on=dt.date(2025, 11, 20))
    record(keeper_a, made[1], on=dt.date(2026, 3, 20))
    record(keeper_a, made[3], on=dt.date(2026, 1, 12))
    record(keeper_a, made[4], on=dt.date(2026, 5, 20))
    Placement.objects.filter(pk=made[6].pk).update(ends_on=dt.date(2026, 7, 1))
    return made


@pytest.mark.django_db
def test_the_counts_in_the_database_are_the_duties_counted(placements, unit_a):
    day, due, late = dt.date(2026, 2, 10), 0, 0
    while day <= dt.date(2026, 7, 5):
        unit_ids = [unit_a.pk] if day.day % 2 else None
        in_database, from_duties = duties.source_counts_both_ways("outcomes.measurements", today=day, unit_ids=unit_ids)
        assert in_database == from_duties, day
        due += sum(row["due"] for row in in_database.values())
        late += sum(row["late"] for row in in_database.values())
        day += dt.timedelta(days=1)
    assert due and late


@pytest.mark.django_db
def test_a_future_placement_and_an_ended_one_count_nothing(placements, unit_a):
    in_database, from_duties = duties.source_counts_both_ways(
        "outcomes.measurements", today=dt.date(2025, 8, 1), unit_ids=[unit_a.pk]
    )
    assert in_database == from_duties == {}
