"""Expiry reminders: before the date, to the person and the supervisor, once per
record (two workers: one claim wins); a person whose membership ended is not
reminded, and their records are kept."""

import datetime as dt

import pytest
import time_machine
from django.db import connection

from omavalvonta.notifications.models import Notification
from omavalvonta.organisation.models import Membership
from omavalvonta.organisation.services import membership_remove
from omavalvonta.people import reminders
from omavalvonta.people.models import QualificationNotice, QualificationRecord
from omavalvonta.testing.concurrency import run_side_by_side

pytestmark = pytest.mark.django_db


def at(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, 8, tzinfo=dt.UTC)


@pytest.fixture
def first_aid(record, employee_a):
    # EA 1 of 10.2.2023: valid for 36 months, until 10.2.2026; reminded 30 days before.
    with time_machine.travel(at(dt.date(2026, 1, 2)), tick=False):
        return record(employee_a, "ensiapu", done_on=dt.date(2023, 2, 10))


def run(day):
    return reminders.qualifications_remind(now=at(day))


def test_the_person_and_the_supervisor_hear_once_before_the_date(first_aid, employee_a, supervisor_a):
    assert first_aid.valid_until == dt.date(2026, 2, 10)
    assert run(dt.date(2026, 1, 2)) == 0  # 39 days before: not yet
    assert run(dt.date(2026, 1, 15)) == 2
    assert sorted(Notification.objects.values_list("recipient__email", flat=True)) == sorted(
        [employee_a.email, supervisor_a.email]
    )
    assert run(dt.date(2026, 1, 16)) == 0
    assert run(dt.date(2026, 2, 9)) == 0
    assert Notification.objects.filter(kind="competence.expiring").count() == 2


def test_a_renewal_is_reminded_again_when_its_own_day_comes(first_aid, record, employee_a):
    run(dt.date(2026, 1, 15))
    with time_machine.travel(at(dt.date(2026, 1, 20)), tick=False):
        record(employee_a, "ensiapu", done_on=dt.date(2026, 1, 20))
    assert run(dt.date(2026, 2, 1)) == 0
    assert run(dt.date(2029, 1, 5)) == 2


def test_scenario_two_workers_with_a_stale_view_send_one_reminder(first_aid):
    """The second worker read the record before the first claimed it: the claim
    row's unique constraint lets only one of them through."""
    stale = QualificationRecord.objects.get(pk=first_aid.pk)
    assert run(dt.date(2026, 1, 15)) == 2
    assert reminders._claim(stale, at(dt.date(2026, 1, 15)), []) is False
    assert QualificationNotice.objects.count() == 1
    assert Notification.objects.count() == 2


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent transactions: PostgreSQL only")
def test_two_workers_at_once_queue_each_reminder_once(first_aid):
    with time_machine.travel(at(dt.date(2026, 1, 15)), tick=False):
        results = run_side_by_side(reminders.qualifications_remind)
    assert sum(results) == 2
    assert QualificationNotice.objects.count() == 1


def test_scenario_ending_a_membership_removes_the_person_from_reminders(first_aid, employee_a, administrator, client):
    [membership] = Membership.objects.filter(user=employee_a)
    membership_remove(actor=administrator, membership=membership)
    assert run(dt.date(2026, 1, 15)) == 0
    assert not Notification.objects.exists()
    # The records are kept (retention rules decide when they go).
    assert QualificationRecord.objects.filter(person=employee_a).count() == 1


def test_a_deactivated_person_is_not_reminded(first_aid, employee_a):
    employee_a.is_active = False
    employee_a.save()
    assert run(dt.date(2026, 1, 15)) == 0
