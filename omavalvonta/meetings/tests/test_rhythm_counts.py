"""The meeting rhythms' duties counted in the database (DUTY_SOURCES `counts`,
meetings/rhythms.py) agree with the duties made one by one, day after day:
months held and missed, a meeting planned but not closed, another kind of
meeting, a unit created in the first hours of a month (the provider's time),
a unit that is not a children's home, and a rhythm asking for two meetings."""

import dataclasses
import datetime as dt

import pytest

from omavalvonta.core import registry
from omavalvonta.meetings import rhythms
from omavalvonta.meetings.models import MeetingKind
from omavalvonta.organisation.models import ServiceType, Unit
from omavalvonta.testing.factories import UnitFactory
from omavalvonta.yearclock import counted, duties

from .test_rhythms import _childrens, _held, frozen, old_units  # noqa: F401 -- fixtures

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_texts")]


def _same_every_day(name: str, first: dt.date, last: dt.date, unit_ids) -> tuple[int, int]:
    due = late = 0
    day = first
    while day <= last:
        in_database, from_duties = duties.source_counts_both_ways(name, today=day, unit_ids=unit_ids if day.day % 2 else None)
        assert in_database == from_duties, (name, day)
        due += sum(row["due"] for row in in_database.values())
        late += sum(row["late"] for row in in_database.values())
        day += dt.timedelta(days=7 if day.day < 25 else 1)
    return due, late


@pytest.mark.usefixtures("old_units")
def test_rhythm_counts_agree_with_their_duties(unit_a, unit_b, supervisor_a, employee_a, supervisor_b):
    _held(supervisor_a, unit_a, dt.date(2026, 2, 18))
    _held(supervisor_a, unit_a, dt.date(2026, 3, 20), close=False)
    _held(supervisor_b, unit_b, dt.date(2026, 3, 4))
    _held(supervisor_b, unit_b, dt.date(2026, 2, 4), kind=MeetingKind.SUPERVISOR_REVIEW)
    _childrens(employee_a, unit_a, dt.date(2026, 2, 8), kind="weekly")
    _childrens(employee_a, unit_a, dt.date(2026, 3, 1))
    Unit.objects.filter(pk=unit_b.pk).update(service_type=ServiceType.OPEN_CARE)
    new = UnitFactory(region=unit_a.region)
    # 1.3.2026 01.30 in Helsinki: the unit owes March's meeting, not February's.
    Unit.objects.filter(pk=new.pk).update(created_at=dt.datetime(2026, 2, 28, 23, 30, tzinfo=dt.UTC))
    unit_ids = [unit_a.pk, unit_b.pk, new.pk]
    for name in ("meetings.team_meeting", "meetings.childrens_meeting"):
        due, late = _same_every_day(name, dt.date(2026, 2, 1), dt.date(2026, 5, 3), unit_ids)
        assert due and late, name


@pytest.mark.usefixtures("old_units")
def test_a_rhythm_of_two_meetings_counts_as_its_duties(unit_a, supervisor_a, monkeypatch):
    twice = dataclasses.replace(rhythms.rhythm("team_meeting"), key="twice", per_month=2)
    monkeypatch.setattr(rhythms, "RHYTHMS", (twice,))
    monkeypatch.setitem(registry._SLOTS, registry.DUTY_SOURCES, [])
    rhythms.register()
    counted.forget_kept()
    _held(supervisor_a, unit_a, dt.date(2026, 2, 18))
    _held(supervisor_a, unit_a, dt.date(2026, 3, 5))
    _held(supervisor_a, unit_a, dt.date(2026, 3, 9))
    due, late = _same_every_day("meetings.twice", dt.date(2026, 2, 1), dt.date(2026, 4, 30), [unit_a.pk])
    assert due and late
