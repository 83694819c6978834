"""Deadlines are reminded before they fall and escalated when missed, once each."""

import datetime as dt

import pytest

from omavalvonta.core import jobs
from omavalvonta.guidance import deadlines, services
from omavalvonta.guidance.models import Guidance
from omavalvonta.notifications.models import Notification

pytestmark = pytest.mark.django_db

# Monday 2 March 2026, 10:00 Helsinki. Five working days later: Monday 9 March.
MONDAY = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)


def _kinds(kind):
    return sorted(Notification.objects.filter(kind=kind).values_list("recipient_id", flat=True))


def test_the_job_is_registered_hourly():
    job = {j.name: j for j in jobs.registered()}["guidance.deadlines"]
    assert job.func is deadlines.guidance_deadlines_check and job.every_seconds == 3600


def test_reminder_goes_five_working_days_before_the_deadline_once(
    register, quality_director, responsible_a, unit_a, time_machine
):
    time_machine.move_to(MONDAY, tick=False)
    g = register(quality_director, units=[unit_a], assignee=responsible_a, deadline=dt.date(2026, 3, 10))
    # Tuesday 10 March is six working days away: not yet.
    assert deadlines.guidance_deadlines_check() == 0
    time_machine.move_to(MONDAY + dt.timedelta(days=1), tick=False)
    assert deadlines.guidance_deadlines_check() == 1
    assert deadlines.guidance_deadlines_check() == 0  # the second run sends nothing
    assert _kinds("guidance.deadline_reminder") == sorted([responsible_a.pk, quality_director.pk])
    g.refresh_from_db()
    assert g.reminded_at is not None and g.escalated_at is None


def test_a_missed_deadline_is_escalated_once_to_quality_and_regional_directors(
    register, quality_director, responsible_a, regional_director_a, unit_a, time_machine
):
    time_machine.move_to(MONDAY, tick=False)
    register(quality_director, units=[unit_a], assignee=responsible_a, deadline=dt.date(2026, 3, 4))
    deadlines.guidance_deadlines_check()
    assert len(_kinds("guidance.deadline_reminder")) == 2
    time_machine.move_to(MONDAY + dt.timedelta(days=3), tick=False)  # Thursday 5 March
    assert deadlines.guidance_deadlines_check() == 1
    assert deadlines.guidance_deadlines_check() == 0
    assert _kinds("guidance.deadline_missed") == sorted([quality_director.pk, regional_director_a.pk])
    assert len(_kinds("guidance.deadline_reminder")) == 2  # no second reminder either


def test_an_approved_response_stops_the_reminders(register, quality_director, responsible_a, unit_a, time_machine):
    time_machine.move_to(MONDAY, tick=False)
    g = register(quality_director, units=[unit_a], assignee=responsible_a, deadline=dt.date(2026, 3, 4))
    services.guidance_response_submit(actor=responsible_a, guidance=g, response="Vastaus")
    services.guidance_review(actor=quality_director, guidance=g, approve=True)
    time_machine.move_to(MONDAY + dt.timedelta(days=5), tick=False)
    assert deadlines.guidance_deadlines_check() == 0
    assert not Notification.objects.filter(kind__startswith="guidance.deadline").exists()


def test_a_claim_taken_by_another_worker_is_not_sent_again(register, quality_director, responsible_a, unit_a, time_machine):
    time_machine.move_to(MONDAY, tick=False)
    g = register(quality_director, units=[unit_a], assignee=responsible_a, deadline=dt.date(2026, 3, 4))
    # Another worker claimed the reminder between our read and our UPDATE.
    assert deadlines._claim(g, "reminded_at", MONDAY) is True
    assert deadlines._claim(g, "reminded_at", MONDAY) is False
    assert deadlines.guidance_deadlines_check() == 0
    assert Guidance.objects.get(pk=g.pk).reminded_at == MONDAY
