"""Daily and weekly digests: reminders wait for the person's digest, which goes
out once per period; urgent messages never wait; switching back releases them."""

import datetime as dt

import pytest
from django.urls import reverse

from omavalvonta.notifications.digest import digest_preference_set, notifications_send_digests
from omavalvonta.notifications.models import DeliveryState, DigestPreference, Notification
from omavalvonta.notifications.services import notification_enqueue, notifications_send_due

pytestmark = pytest.mark.django_db

MONDAY_6 = dt.datetime(2026, 3, 2, 4, 0, tzinfo=dt.UTC)  # 6.00 in Helsinki
MONDAY_8 = dt.datetime(2026, 3, 2, 6, 0, tzinfo=dt.UTC)  # 8.00


def remind(person, n=1, **kw):
    for i in range(n):
        notification_enqueue(recipient=person, kind="test.reminder", subject=f"Muistutus {i}", body="b",
                             link=f"/vuosikello/{i}/", digestible=True, **kw)


def test_without_a_choice_reminders_go_at_once(person, frozen):
    remind(person)
    assert Notification.objects.get().state == DeliveryState.PENDING


def test_a_daily_digest_gathers_the_reminders_into_one_email(person, frozen, mailoutbox):
    digest_preference_set(actor=person, frequency="daily")
    remind(person, 3)
    assert set(Notification.objects.values_list("state", flat=True)) == {DeliveryState.HELD}
    assert notifications_send_due() == 0  # held rows are not the worker's
    assert Notification.objects.filter(in_app=True).count() == 3  # shown in the product at once

    frozen.move_to(MONDAY_8, tick=False)
    assert notifications_send_digests() == 1
    assert notifications_send_digests() == 0  # once per period
    assert notifications_send_due() == 1
    (mail,) = mailoutbox
    assert mail.to == [person.email] and "(3)" in mail.subject
    assert "Muistutus 2" in mail.body and "/vuosikello/2/" in mail.body
    assert not Notification.objects.filter(state=DeliveryState.HELD).exists()


def test_the_daily_digest_waits_for_the_morning(person, frozen):
    frozen.move_to(MONDAY_8, tick=False)
    digest_preference_set(actor=person, frequency="daily")
    remind(person)
    assert notifications_send_digests() == 1  # the first digest goes at once
    remind(person)
    frozen.move_to(MONDAY_8 + dt.timedelta(hours=10), tick=False)
    assert notifications_send_digests() == 0  # the same day
    frozen.move_to(MONDAY_6 + dt.timedelta(days=1), tick=False)
    assert notifications_send_digests() == 0  # before 7 the next morning
    frozen.move_to(MONDAY_8 + dt.timedelta(days=1), tick=False)
    assert notifications_send_digests() == 1


def test_a_weekly_digest_goes_on_mondays(person, frozen):
    frozen.move_to(MONDAY_8, tick=False)
    digest_preference_set(actor=person, frequency="weekly")
    remind(person)
    assert notifications_send_digests() == 1
    remind(person)
    frozen.move_to(MONDAY_8 + dt.timedelta(days=3), tick=False)
    assert notifications_send_digests() == 0
    frozen.move_to(MONDAY_8 + dt.timedelta(days=7), tick=False)
    assert notifications_send_digests() == 1


def test_urgent_messages_never_wait(person, frozen):
    digest_preference_set(actor=person, frequency="weekly")
    notification_enqueue(recipient=person, kind="deviation.escalated", subject="Kiireellinen", body="b")
    assert Notification.objects.get().state == DeliveryState.PENDING


def test_switching_back_releases_what_waits(person, frozen, mailoutbox):
    digest_preference_set(actor=person, frequency="daily")
    remind(person, 2)
    digest_preference_set(actor=person, frequency="immediate")
    assert notifications_send_due() == 2
    assert notifications_send_digests() == 0


def test_the_choice_is_made_on_the_profile_page(client, person):
    client.force_login(person)
    url = reverse("account_settings")
    assert client.get(url).status_code == 200
    assert client.post(url, {"frequency": "weekly"}).status_code == 302
    assert DigestPreference.objects.get(user=person).frequency == "weekly"
    response = client.post(url, {"frequency": "hourly"})
    assert response.status_code == 200 and response.context["digest_form"].errors
    assert DigestPreference.objects.get(user=person).frequency == "weekly"


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    __import__("django.db").db.connection.vendor != "postgresql", reason="concurrent transactions: PostgreSQL only"
)
def test_two_workers_send_each_digest_once(time_machine):
    import threading

    from django.db import connections

    from omavalvonta.testing.factories import UserFactory

    time_machine.move_to(MONDAY_8, tick=False)
    people = [UserFactory(email=f"henkilo{i}@omavalvonta.example") for i in range(12)]
    for p in people:
        digest_preference_set(actor=p, frequency="daily")
        remind(p, 2)
    barrier = threading.Barrier(2)
    results, errors = [], []

    def run():
        try:
            barrier.wait()
            results.append(notifications_send_digests())
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    assert sum(results) == 12
    assert Notification.objects.filter(kind="digest").count() == 12
