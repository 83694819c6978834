"""A child's measurement due every three months is a quality-calendar duty:
the unit's leaders are reminded when it falls due and its managers hear of it
once it is late, each once, with two workers, and no e-mail names the child."""

import datetime as dt

import pytest
from django.db import connection
from django.urls import reverse

from omavalvonta.core import jobs, registry
from omavalvonta.notifications.models import Notification
from omavalvonta.outcomes import selectors
from omavalvonta.yearclock import duties
from omavalvonta.yearclock.models import DutyNotice, NoticeKind

from .helpers import record

START = dt.date(2026, 1, 10)  # the second measurement is due 10.4.2026


def at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(8), tzinfo=dt.UTC)


def recipients(kind):
    return sorted(n.recipient.full_name for n in Notification.objects.filter(kind=kind).select_related("recipient"))


@pytest.fixture
def child(time_machine, make_placement, keeper_a, responsible_a, regional_director_a):
    time_machine.move_to(at(START), tick=False)
    placement = make_placement(name="Eetu E.", starts_on=START)
    record(keeper_a, placement, on=START)
    return placement


@pytest.mark.django_db
def test_the_job_and_the_source_are_registered():
    assert "yearclock.duty_reminders" in {job.name for job in jobs.registered()}
    assert registry.get(registry.DUTY_SOURCES, "outcomes.measurements") is not None


@pytest.mark.django_db
def test_nothing_before_the_measurement_falls_due(child, time_machine):
    time_machine.move_to(at(dt.date(2026, 3, 26)), tick=False)
    assert duties.duties_remind_and_escalate() == 0
    assert not DutyNotice.objects.exists()


@pytest.mark.django_db
def test_a_due_measurement_reminds_the_units_leaders_once(child, time_machine, keeper_a, responsible_a):
    time_machine.move_to(at(dt.date(2026, 3, 27)), tick=False)
    assert duties.duties_remind_and_escalate() == 2
    assert recipients("duty.reminder") == sorted([keeper_a.full_name, responsible_a.full_name])
    assert duties.duties_remind_and_escalate() == 0
    note = Notification.objects.filter(kind="duty.reminder").first()
    assert "Eetu" not in note.subject + note.body
    assert note.link == reverse("outcomes:child", args=[child.pk])
    assert not Notification.objects.filter(kind="duty.late").exists()


@pytest.mark.django_db
def test_a_late_measurement_reminds_once_and_escalates_once(child, time_machine, keeper_a, regional_director_a):
    time_machine.move_to(at(dt.date(2026, 3, 28)), tick=False)
    duties.duties_remind_and_escalate()
    time_machine.move_to(at(dt.date(2026, 4, 25)), tick=False)
    assert duties.duties_remind_and_escalate() == 1
    # The leaders were reminded already: the escalation goes one level up.
    assert recipients("duty.late") == [regional_director_a.full_name]
    assert Notification.objects.filter(kind="duty.reminder").count() == 2
    time_machine.move_to(at(dt.date(2026, 4, 26)), tick=False)
    assert duties.duties_remind_and_escalate() == 0
    assert DutyNotice.objects.filter(kind=NoticeKind.ESCALATION).count() == 1


@pytest.mark.django_db
def test_a_measurement_found_late_reminds_and_escalates_in_one_run(child, time_machine, keeper_a, responsible_a):
    time_machine.move_to(at(dt.date(2026, 5, 1)), tick=False)
    assert duties.duties_remind_and_escalate() == 3
    assert len(recipients("duty.reminder")) == 2 and len(recipients("duty.late")) == 1


@pytest.mark.django_db
def test_a_measurement_done_ends_the_duty(child, time_machine, keeper_a):
    time_machine.move_to(at(dt.date(2026, 4, 2)), tick=False)
    record(keeper_a, child, on=dt.date(2026, 4, 2))
    time_machine.move_to(at(dt.date(2026, 4, 30)), tick=False)
    assert duties.duties_remind_and_escalate() == 0


@pytest.mark.django_db
def test_two_workers_claim_each_notice_once(child, time_machine):
    """The second worker read the duty before the first committed its claim:
    its insert loses and it queues nothing."""
    time_machine.move_to(at(dt.date(2026, 4, 25)), tick=False)
    duty = selectors.measurement_duties(today=dt.date(2026, 4, 25))[0]
    assert duty.late
    people = duties._People([duty])
    unit = people.units[duty.unit_id]
    first = duties._send(duty, NoticeKind.ESCALATION, people.escalated(duty), unit, at(dt.date(2026, 4, 25)))
    second = duties._send(duty, NoticeKind.ESCALATION, people.escalated(duty), unit, at(dt.date(2026, 4, 25)))
    assert first == 1 and second == 0
    assert Notification.objects.filter(kind="duty.late").count() == 1


@pytest.mark.django_db
def test_an_ended_placement_or_a_closed_unit_has_no_duty(child, time_machine, unit_a):
    time_machine.move_to(at(dt.date(2026, 4, 25)), tick=False)
    unit_a.is_active = False
    unit_a.save(update_fields=["is_active"])
    assert duties.duties_remind_and_escalate() == 0


@pytest.mark.django_db
def test_the_calendar_counts_the_units_measurements_without_names(child, time_machine, keeper_a, unit_a, employee_a):
    time_machine.move_to(at(dt.date(2026, 4, 25)), tick=False)
    rows = duties.duties_of_units(actor=keeper_a)
    assert [(r["label"], r["unit_id"], r["due"], r["late"], r["oldest"]) for r in rows] == [
        ("Functional-capacity measurements", unit_a.pk, 0, 1, dt.date(2026, 4, 10))
    ]
    assert duties.duty_counts_text(rows[0]) == "1 late"
    assert duties.duties_of_units(actor=employee_a) == []  # no duty view: nothing


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent transactions: PostgreSQL only")
def test_two_workers_side_by_side_queue_each_notice_once(child, time_machine):
    from omavalvonta.testing.concurrency import run_side_by_side

    time_machine.move_to(at(dt.date(2026, 5, 1)), tick=False)
    results = run_side_by_side(duties.duties_remind_and_escalate)
    assert sum(results) == 3
    assert DutyNotice.objects.count() == 2


@pytest.mark.django_db
def test_the_calendars_due_page_shows_the_count(child, time_machine, keeper_a, client):
    time_machine.move_to(at(dt.date(2026, 4, 25)), tick=False)
    client.force_login(keeper_a)
    page = client.get(reverse("yearclock:due")).content.decode()
    assert "Functional-capacity measurements" in page and "1 late" in page
    assert "Eetu" not in page


@pytest.mark.django_db
def test_the_childs_personal_worker_is_reminded_and_the_leaders_hear_when_late(
    time_machine, make_placement, keeper_a, responsible_a, employee_a, regional_director_a
):
    time_machine.move_to(at(START), tick=False)
    placement = make_placement(name="Eetu E.", starts_on=START, personal_worker=employee_a)
    record(keeper_a, placement, on=START)
    time_machine.move_to(at(dt.date(2026, 3, 27)), tick=False)
    assert duties.duties_remind_and_escalate() == 1
    assert recipients("duty.reminder") == [employee_a.full_name]
    time_machine.move_to(at(dt.date(2026, 4, 25)), tick=False)
    assert duties.duties_remind_and_escalate() == 2
    assert recipients("duty.late") == sorted([keeper_a.full_name, responsible_a.full_name])
    assert duties.duties_remind_and_escalate() == 0
