"""The reminder job: due soon, overdue and effectiveness-check reminders, each at
most once per action, whichever worker runs it and however often."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from omavalvonta.core import jobs
from omavalvonta.deviations import services as deviation_services
from omavalvonta.deviations.models import Deviation
from omavalvonta.improvement import services
from omavalvonta.improvement.models import Action
from omavalvonta.notifications.models import Notification
from omavalvonta.testing.factories import deviation_kwargs

HELSINKI = ZoneInfo("Europe/Helsinki")
MONDAY = dt.datetime(2026, 3, 2, 9, 0, tzinfo=HELSINKI)


pytestmark = pytest.mark.usefixtures("english_texts")


def at(day_offset, hour=9):
    return MONDAY + dt.timedelta(days=day_offset, hours=hour - 9)


def kinds(user):
    return sorted(Notification.objects.filter(recipient=user).exclude(kind="action.assigned").values_list("kind", flat=True))


@pytest.fixture
def action(supervisor_a, employee_a, unit_a):
    with time_machine.travel(MONDAY, tick=False):
        return services.action_create(
            actor=supervisor_a, unit=unit_a, owner=employee_a, title="Palohälytysharjoitus", due_date=dt.date(2026, 3, 12)
        )


def run(when):
    with time_machine.travel(when, tick=False):
        return services.actions_send_reminders()


def test_the_job_is_registered_for_the_worker():
    job = next(j for j in jobs.registered() if j.name == "improvement.action_reminders")
    assert job.func is services.actions_send_reminders
    assert job.every_seconds == 3600


def test_nothing_is_sent_long_before_the_due_date(action, employee_a):
    assert run(at(0)) == 0
    assert kinds(employee_a) == []


def test_the_owner_is_reminded_three_days_before_once_only(action, employee_a):
    assert run(at(7)) == 1  # 9.3., due 12.3.
    assert run(at(7, hour=10)) == 0  # a second run
    assert run(at(8)) == 0
    assert kinds(employee_a) == ["action.due_soon"]
    [note] = Notification.objects.filter(kind="action.due_soon")
    assert "12.3.2026" in note.subject
    assert note.link == f"/kehittaminen/toimenpiteet/{action.pk}/"


def test_an_overdue_action_is_notified_once(action, employee_a):
    run(at(7))
    assert run(at(11)) == 1  # 13.3.
    assert run(at(12)) == 0
    assert run(at(30)) == 0
    assert kinds(employee_a) == ["action.due_soon", "action.overdue"]


def test_an_action_found_only_when_overdue_gets_the_overdue_notice_only(action, employee_a):
    assert run(at(20)) == 1
    assert run(at(21)) == 0
    assert kinds(employee_a) == ["action.overdue"]


def test_two_workers_with_a_stale_view_send_one_reminder(action, employee_a):
    # The second worker read the row before the first one claimed it: the
    # conditional UPDATE still lets only one of them through.
    with time_machine.travel(at(7), tick=False):
        stale = Action.objects.get(pk=action.pk)
        assert services.actions_send_reminders() == 1
        from omavalvonta.improvement.services.jobs import _claim

        assert _claim(stale, "reminded_at", at(7)) is False
    assert kinds(employee_a) == ["action.due_soon"]


def test_done_and_cancelled_actions_are_not_reminded(action, supervisor_a, employee_a, unit_a):
    with time_machine.travel(MONDAY, tick=False):
        other = services.action_create(
            actor=supervisor_a, unit=unit_a, owner=employee_a, title="Toinen", due_date=dt.date(2026, 3, 12)
        )
        services.action_complete(actor=employee_a, action=action, note="Tehty")
        services.action_cancel(actor=supervisor_a, action=other, reason="Turha")
    assert run(at(7)) == 0
    assert run(at(20)) == 0


def test_a_new_due_date_rearms_the_reminders(action, supervisor_a, employee_a):
    run(at(11))
    with time_machine.travel(at(11), tick=False):
        action.refresh_from_db()
        services.action_update(
            actor=supervisor_a, action=action, title=action.title, owner=employee_a, due_date=dt.date(2026, 3, 20)
        )
    assert run(at(16)) == 1  # 18.3.: due soon again
    assert run(at(19)) == 1  # 21.3.: overdue again
    assert kinds(employee_a).count("action.overdue") == 2


def test_the_effectiveness_check_is_asked_for_once_when_it_falls_due(supervisor_a, employee_a, unit_a):
    with time_machine.travel(MONDAY, tick=False):
        deviation = deviation_services.deviation_submit(actor=employee_a, **deviation_kwargs(unit_a)).deviation
        Deviation.objects.filter(pk=deviation.pk).update(risk_level="very_high")
        deviation.refresh_from_db()
        action = deviation_services.deviation_add_action(
            actor=supervisor_a, deviation=deviation, title="Korjaus", owner=employee_a, due_date=dt.date(2026, 3, 20)
        )
        services.action_complete(actor=employee_a, action=action, note="Tehty")
    assert Notification.objects.filter(kind="action.check_due").count() == 0
    run(at(29))  # 31.3.: not yet (due 1.4.)
    assert Notification.objects.filter(kind="action.check_due").count() == 0
    run(at(30))
    run(at(31))
    notes = Notification.objects.filter(kind="action.check_due")
    assert [n.recipient for n in notes] == [supervisor_a]


def test_an_owner_who_chose_a_digest_gets_the_action_reminders_in_it(action, employee_a):
    from omavalvonta.notifications.digest import digest_preference_set
    from omavalvonta.notifications.models import DeliveryState

    digest_preference_set(actor=employee_a, frequency="weekly")
    run(at(7))
    run(at(11))
    reminders = Notification.objects.filter(recipient=employee_a, kind__in=["action.due_soon", "action.overdue"])
    assert reminders.count() == 2
    # Held for the weekly digest, but shown in the product at once.
    assert set(reminders.values_list("state", flat=True)) == {DeliveryState.HELD}
    assert all(reminders.values_list("in_app", flat=True))
