"""Reminders before a duty falls due and escalation when it is late: once each,
through the outbox, with frozen time."""

import datetime as dt
import smtplib

import pytest
from django.core.mail import EmailMessage
from django.urls import reverse

from omavalvonta.core import jobs
from omavalvonta.notifications.models import Notification
from omavalvonta.notifications.services import notifications_send_due
from omavalvonta.yearclock import reminders, services
from omavalvonta.yearclock.models import NoticeKind, Occurrence, OccurrenceNotice, Recurrence

pytestmark = pytest.mark.django_db

MARCH_16 = dt.datetime(2026, 3, 16, 8, tzinfo=dt.UTC)  # 15 days before 31.3.
MARCH_17 = dt.datetime(2026, 3, 17, 8, tzinfo=dt.UTC)  # 14 days before 31.3.
APRIL_1 = dt.datetime(2026, 4, 1, 8, tzinfo=dt.UTC)  # the day after


@pytest.fixture
def duty(frozen, make_template, unit_a, supervisor_a, responsible_a, regional_director_a):
    make_template(title="Riskiarvio", recurrence=Recurrence.SPECIFIC_MONTHS, months=[3])
    return Occurrence.objects.get(unit=unit_a)


def notes(kind):
    return list(Notification.objects.filter(kind=kind).select_related("recipient"))


def test_the_jobs_are_registered():
    names = {job.name for job in jobs.registered()}
    assert {"yearclock.generate", "yearclock.reminders"} <= names


def test_no_reminder_before_the_reminder_day(duty, frozen):
    frozen.move_to(MARCH_16, tick=False)
    assert reminders.obligations_remind_and_escalate() == 0


def test_the_owner_is_reminded_once_on_the_reminder_day(duty, frozen, supervisor_a):
    frozen.move_to(MARCH_17, tick=False)
    assert reminders.obligations_remind_and_escalate() == 1
    assert reminders.obligations_remind_and_escalate() == 0
    (note,) = notes("obligation.reminder")
    assert note.recipient == supervisor_a
    assert "Riskiarvio" in note.subject and "31.3.2026" in note.subject
    assert note.link == reverse("yearclock:detail", args=[duty.pk])


def test_a_duty_done_in_time_is_neither_reminded_nor_escalated(duty, frozen, supervisor_a):
    services.occurrence_complete(actor=supervisor_a, occurrence=duty, note="Tehty ajoissa")
    for moment in (MARCH_17, APRIL_1):
        frozen.move_to(moment, tick=False)
        assert reminders.obligations_remind_and_escalate() == 0


def test_a_late_duty_escalates_to_the_owners_managers_once(duty, frozen, supervisor_a, responsible_a, regional_director_a):
    frozen.move_to(MARCH_17, tick=False)
    reminders.obligations_remind_and_escalate()
    frozen.move_to(APRIL_1, tick=False)
    assert reminders.obligations_remind_and_escalate() == 2
    assert reminders.obligations_remind_and_escalate() == 0
    late = notes("obligation.late")
    assert {n.recipient for n in late} == {responsible_a, regional_director_a}
    assert all(supervisor_a.full_name in n.body for n in late)
    notice = OccurrenceNotice.objects.get(occurrence=duty, kind=NoticeKind.ESCALATION)
    assert set(notice.recipients) == {responsible_a.pk, regional_director_a.pk}


def test_the_owner_who_is_the_responsible_person_is_not_told_about_themself(
    frozen, make_template, unit_a, responsible_a, regional_director_a
):
    make_template(recurrence=Recurrence.SPECIFIC_MONTHS, months=[3], owner_role="responsible_person")
    frozen.move_to(APRIL_1, tick=False)
    reminders.obligations_escalate()
    assert {n.recipient for n in notes("obligation.late")} == {regional_director_a}


def test_with_no_manager_the_quality_director_hears_of_it(frozen, make_template, unit_b, supervisor_b, quality_director):
    make_template(recurrence=Recurrence.SPECIFIC_MONTHS, months=[3], unit_scope="chosen", units=[unit_b])
    frozen.move_to(APRIL_1, tick=False)
    reminders.obligations_escalate()
    assert {n.recipient for n in notes("obligation.late")} == {quality_director}


def test_a_duty_without_an_owner_reminds_the_units_leaders(frozen, make_template, unit_b, quality_director):
    from omavalvonta.organisation.models import Role
    from omavalvonta.testing.factories import member

    make_template(recurrence=Recurrence.SPECIFIC_MONTHS, months=[3], unit_scope="chosen", units=[unit_b])
    Occurrence.objects.update(owner=None)
    leader = member(Role.RESPONSIBLE_PERSON, unit=unit_b, full_name="Vilma Vastaava")
    frozen.move_to(MARCH_17, tick=False)
    reminders.obligations_remind()
    assert {n.recipient for n in notes("obligation.reminder")} == {leader}


def test_a_mail_server_that_fails_then_recovers_delivers_each_reminder_exactly_once(duty, frozen, monkeypatch, mailoutbox):
    frozen.move_to(APRIL_1, tick=False)  # the reminder day passed unnoticed: the escalation goes out
    assert reminders.obligations_remind_and_escalate() == 2

    def down(self, fail_silently=False):
        raise smtplib.SMTPException("Connection unexpectedly closed")

    monkeypatch.setattr(EmailMessage, "send", down)
    assert notifications_send_due() == 0
    # The job runs again meanwhile: nothing new is queued.
    assert reminders.obligations_remind_and_escalate() == 0
    monkeypatch.undo()
    frozen.move_to(APRIL_1 + dt.timedelta(minutes=1), tick=False)
    assert notifications_send_due() == 2
    frozen.move_to(APRIL_1 + dt.timedelta(hours=6), tick=False)
    assert notifications_send_due() == 0
    assert reminders.obligations_remind_and_escalate() == 0
    assert sorted(m.to[0] for m in mailoutbox) == ["riitta@omavalvonta.example", "veikko@omavalvonta.example"]


def test_a_crash_before_commit_loses_nothing(duty, frozen, monkeypatch):
    """The claim and the outbox rows commit together: when enqueueing fails the
    claim rolls back too and the next run sends the reminder."""
    frozen.move_to(MARCH_17, tick=False)

    def crash(**kwargs):
        raise RuntimeError("worker died")

    monkeypatch.setattr(reminders, "notification_enqueue", crash)
    with pytest.raises(RuntimeError):
        reminders.obligations_remind()
    assert not OccurrenceNotice.objects.exists()
    monkeypatch.undo()
    assert reminders.obligations_remind() == 1


def test_a_reminder_waits_for_the_owners_digest_but_an_escalation_does_not(duty, frozen, supervisor_a, responsible_a):
    from omavalvonta.notifications.digest import digest_preference_set
    from omavalvonta.notifications.models import DeliveryState

    digest_preference_set(actor=supervisor_a, frequency="weekly")
    digest_preference_set(actor=responsible_a, frequency="weekly")
    frozen.move_to(MARCH_17, tick=False)
    reminders.obligations_remind()
    assert Notification.objects.get(kind="obligation.reminder").state == DeliveryState.HELD
    frozen.move_to(APRIL_1, tick=False)
    reminders.obligations_escalate()
    assert {n.state for n in notes("obligation.late")} == {DeliveryState.PENDING}
