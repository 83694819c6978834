"""The orientation items' and development discussions' duties counted in the
database (DUTY_SOURCES `counts`) agree with the duties made one by one, day
after day (a membership started late in the evening, a person with two
memberships, discussions held and not, items ticked and not)."""

import datetime as dt

import pytest

from omavalvonta.organisation.models import Membership, Role
from omavalvonta.people import services, training_selectors
from omavalvonta.people.models import DevelopmentDiscussion, OrientationItem
from omavalvonta.people.orientation_defaults import ensure_default_cards
from omavalvonta.testing.factories import member
from omavalvonta.yearclock import duties

pytestmark = pytest.mark.django_db


def at(day: dt.date, hour: int = 8) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=dt.UTC)


def same_every_day(name: str, first: dt.date, last: dt.date, unit) -> tuple[int, int]:
    """Both ways of counting agree on every day; the due and late counted over all days."""
    due = late = 0
    day = first
    while day <= last:
        unit_ids = [unit.pk] if day.day % 2 else None
        in_database, from_duties = duties.source_counts_both_ways(name, today=day, unit_ids=unit_ids)
        assert in_database == from_duties, day
        due += sum(row["due"] for row in in_database.values())
        late += sum(row["late"] for row in in_database.values())
        day += dt.timedelta(days=1)
    return due, late


def test_orientation_counts_agree_with_its_duties(time_machine, settings, supervisor_a, unit_a, unit_b, colleague_a):
    settings.LANGUAGE_CODE = "fi"
    ensure_default_cards()
    start = dt.date(2026, 3, 2)
    time_machine.move_to(at(start), tick=False)
    first = member(Role.EMPLOYEE, unit=unit_a, full_name="Nea Uusi")
    second = member(Role.EMPLOYEE, unit=unit_a, full_name="Olli Uusi")
    one = services.orientation_start(actor=supervisor_a, unit=unit_a, newcomer=first, role="hourly",
                                     mentor=colleague_a, started_on=start)
    services.orientation_start(actor=supervisor_a, unit=unit_a, newcomer=second, role="hourly",
                               mentor=colleague_a, started_on=start + dt.timedelta(days=3))
    # The first week's items of the first orientation ticked.
    OrientationItem.objects.filter(orientation=one, due_on=start).update(ticked_at=at(start))
    due, late = same_every_day("people.orientation", start - dt.timedelta(days=2), start + dt.timedelta(days=40), unit_a)
    assert due and late


def test_development_counts_agree_with_its_duties(time_machine, supervisor_a, employee_a, colleague_a, unit_a, unit_b):
    time_machine.move_to(at(dt.date(2026, 1, 5)), tick=False)
    Membership.objects.update(created_at=at(dt.date(2025, 3, 1)))
    # Late in the evening in UTC: the next day in the provider's time.
    Membership.objects.filter(user=colleague_a).update(created_at=at(dt.date(2025, 3, 31), hour=22))
    # A second membership of the same person, later.
    Membership.objects.create(user=employee_a, unit=unit_a, role=Role.SUPERVISOR, created_at=at(dt.date(2025, 5, 1)))
    DevelopmentDiscussion.objects.create(person=supervisor_a, unit=unit_a, held_on=dt.date(2025, 4, 15))
    # An earlier discussion before the last one, and one held in another unit
    # (it does not count in this one).
    DevelopmentDiscussion.objects.create(person=supervisor_a, unit=unit_a, held_on=dt.date(2024, 2, 1))
    DevelopmentDiscussion.objects.create(person=employee_a, unit=unit_b, held_on=dt.date(2026, 2, 1))
    due, late = same_every_day("people.development", dt.date(2026, 1, 20), dt.date(2026, 5, 10), unit_a)
    assert due and late


def test_development_counts_agree_with_every_members_next_discussion(time_machine, supervisor_a, employee_a,
                                                                     colleague_a, unit_a, unit_b):
    """Counted in the database as the unit's competence page finds each member's
    next discussion (every member read, none left out by the counts' filter):
    held before, held after the date in question, never held, held elsewhere."""
    time_machine.move_to(at(dt.date(2026, 1, 5)), tick=False)
    Membership.objects.update(created_at=at(dt.date(2025, 3, 1)))
    Membership.objects.filter(user=colleague_a).update(created_at=at(dt.date(2025, 6, 30), hour=22))
    DevelopmentDiscussion.objects.create(person=supervisor_a, unit=unit_a, held_on=dt.date(2025, 4, 15))
    DevelopmentDiscussion.objects.create(person=supervisor_a, unit=unit_a, held_on=dt.date(2024, 4, 1))
    DevelopmentDiscussion.objects.create(person=employee_a, unit=unit_b, held_on=dt.date(2025, 9, 1))
    seen_due = seen_late = 0
    day = dt.date(2026, 2, 1)
    while day <= dt.date(2026, 8, 31):
        horizon = day + dt.timedelta(days=training_selectors.DISCUSSION_REMIND_DAYS)
        members = training_selectors.unit_discussions(unit=unit_a, today=day).values()
        expected = {
            "due": sum(1 for m in members if day <= m["due_on"] <= horizon),
            "late": sum(1 for m in members if m["due_on"] < day),
        }
        counted = training_selectors.development_duty_counts(today=day, unit_ids=[unit_a.pk])
        row = {r["unit_id"]: r for r in counted}.get(unit_a.pk, {"due": 0, "late": 0})
        assert {"due": row["due"], "late": row["late"]} == expected, day
        seen_due += expected["due"]
        seen_late += expected["late"]
        day += dt.timedelta(days=3)
    assert seen_due and seen_late
