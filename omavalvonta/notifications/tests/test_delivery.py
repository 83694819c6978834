import datetime as dt
import smtplib

import pytest
from django.core.mail import EmailMessage

from omavalvonta.notifications import services
from omavalvonta.notifications.models import DeliveryState, Notification
from omavalvonta.notifications.services import (
    CLAIM_SECONDS,
    MAX_ATTEMPTS,
    _claim_batch,
    notification_enqueue,
    notifications_deliver_due,
    notifications_send_due,
)
from omavalvonta.notifications.tests.conftest import T0, enqueue_email

pytestmark = pytest.mark.django_db


def failing_send(error):
    def send(self, fail_silently=False):
        raise error

    return send


SERVER_DOWN = [
    pytest.param(smtplib.SMTPException("Connection unexpectedly closed"), id="SMTPException"),
    pytest.param(ConnectionRefusedError(111, "Connection refused"), id="ConnectionRefusedError"),
]


def test_a_pending_email_is_sent_exactly_once(mailoutbox, settings):
    settings.SITE_URL = "https://omavalvonta.example"
    n = enqueue_email(link="/poikkeamat/7/")

    assert notifications_send_due() == 1
    assert notifications_send_due() == 0

    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["kirjaamo@hva.example"]
    assert message.subject == "Ilmoitus käsittelyyn"
    assert message.body.endswith("\n\nhttps://omavalvonta.example/poikkeamat/7/")
    n.refresh_from_db()
    assert n.state == DeliveryState.SENT
    assert n.attempts == 1
    assert n.sent_at is not None
    assert n.claimed_until is None


def test_in_app_only_notifications_are_never_emailed(person, mailoutbox):
    n = notification_enqueue(recipient=person, kind="k", subject="s", body="b", send_email=False)
    assert _claim_batch(10) == []
    assert notifications_send_due() == 0
    assert mailoutbox == []
    n.refresh_from_db()
    assert n.state == DeliveryState.NOT_EMAILED
    assert n.attempts == 0


@pytest.mark.parametrize("error", SERVER_DOWN)
def test_a_mail_server_that_is_down_keeps_the_row_pending_for_a_retry(frozen, monkeypatch, mailoutbox, error):
    n = enqueue_email()
    monkeypatch.setattr(EmailMessage, "send", failing_send(error))

    assert notifications_send_due() == 0

    n.refresh_from_db()
    assert n.state == DeliveryState.PENDING
    assert n.attempts == 1
    assert n.next_attempt_at == T0 + dt.timedelta(minutes=1)
    assert n.next_attempt_at > services.timezone.now()
    assert n.claimed_until is None
    assert type(error).__name__ in n.last_error

    # Not due during the backoff, even once the server is back.
    monkeypatch.undo()
    frozen.move_to(T0 + dt.timedelta(seconds=59), tick=False)
    assert notifications_send_due() == 0
    frozen.move_to(T0 + dt.timedelta(seconds=60), tick=False)
    assert notifications_send_due() == 1
    assert len(mailoutbox) == 1
    n.refresh_from_db()
    assert (n.state, n.attempts) == (DeliveryState.SENT, 2)


@pytest.mark.parametrize("error", SERVER_DOWN)
def test_after_max_attempts_the_row_is_failed_with_its_error_kept(frozen, monkeypatch, mailoutbox, error):
    n = enqueue_email()
    monkeypatch.setattr(EmailMessage, "send", failing_send(error))
    waits = []
    for attempt in range(1, MAX_ATTEMPTS + 1):
        assert notifications_deliver_due().claimed == 1, f"attempt {attempt} was not due"
        n.refresh_from_db()
        assert n.attempts == attempt
        if attempt < MAX_ATTEMPTS:
            assert n.state == DeliveryState.PENDING
            waits.append(n.next_attempt_at - services.timezone.now())
            frozen.move_to(n.next_attempt_at, tick=False)

    assert n.state == DeliveryState.FAILED
    assert type(error).__name__ in n.last_error
    # Exponential backoff: 1, 2, 4 ... minutes, capped at six hours.
    minutes = [w / dt.timedelta(minutes=1) for w in waits]
    assert minutes[:5] == [1, 2, 4, 8, 16]
    assert max(minutes) == 360
    assert all(b >= a for a, b in zip(minutes, minutes[1:], strict=False))
    # A failed row is never claimed again.
    frozen.move_to(T0 + dt.timedelta(days=30), tick=False)
    assert _claim_batch(10) == []
    assert mailoutbox == []


def test_a_server_failure_hands_the_rest_of_the_batch_back_untouched(frozen, monkeypatch):
    rows = [enqueue_email(subject=f"Viesti {i}") for i in range(3)]
    monkeypatch.setattr(EmailMessage, "send", failing_send(ConnectionRefusedError(111, "Connection refused")))

    stats = notifications_deliver_due(limit=10)

    assert (stats.claimed, stats.retrying, stats.released, stats.sent) == (3, 1, 2, 0)
    first, *rest = [Notification.objects.get(pk=r.pk) for r in rows]
    assert (first.state, first.attempts) == (DeliveryState.PENDING, 1)
    for n in rest:
        assert (n.state, n.attempts, n.claimed_until, n.last_error) == (DeliveryState.PENDING, 0, None, "")
        assert n.next_attempt_at == T0  # still due: tried on the next pass


def test_a_message_refused_for_good_does_not_stop_the_batch(monkeypatch, mailoutbox):
    bad = enqueue_email(email="ei-ole@hva.example", subject="Huono")
    good = enqueue_email(subject="Hyvä")
    real_send = EmailMessage.send

    def send(self, fail_silently=False):
        if self.to == ["ei-ole@hva.example"]:
            raise smtplib.SMTPRecipientsRefused({"ei-ole@hva.example": (550, b"No such user")})
        return real_send(self, fail_silently=fail_silently)

    monkeypatch.setattr(EmailMessage, "send", send)
    stats = notifications_deliver_due(limit=10)

    assert (stats.sent, stats.retrying, stats.released) == (1, 1, 0)
    assert [m.subject for m in mailoutbox] == ["Hyvä"]
    bad.refresh_from_db()
    good.refresh_from_db()
    assert bad.state == DeliveryState.PENDING and "SMTPRecipientsRefused" in bad.last_error
    assert good.state == DeliveryState.SENT


def test_an_expired_claim_is_claimed_again_and_sent(frozen, mailoutbox):
    n = enqueue_email()
    assert _claim_batch(10) == [n.pk]  # a worker claims it, then dies

    frozen.move_to(T0 + dt.timedelta(seconds=CLAIM_SECONDS - 1), tick=False)
    assert _claim_batch(10) == []  # still protected
    assert notifications_send_due() == 0

    frozen.move_to(T0 + dt.timedelta(seconds=CLAIM_SECONDS + 1), tick=False)
    assert notifications_send_due() == 1
    assert len(mailoutbox) == 1
    n.refresh_from_db()
    # The interrupted attempt counts: a message that kills its worker every
    # time ends in `failed` instead of looping for ever.
    assert (n.state, n.attempts) == (DeliveryState.SENT, 2)


def test_a_row_whose_workers_keep_dying_ends_failed(frozen, mailoutbox):
    n = enqueue_email()
    Notification.objects.filter(pk=n.pk).update(
        state=DeliveryState.SENDING, attempts=MAX_ATTEMPTS, claimed_until=T0 - dt.timedelta(seconds=1)
    )
    stats = notifications_deliver_due()
    n.refresh_from_db()
    assert stats.failed == 1
    assert n.state == DeliveryState.FAILED
    assert "worker stopped" in n.last_error
    assert mailoutbox == []


def test_two_claim_batches_never_return_the_same_row():
    ids = {enqueue_email(subject=f"Viesti {i}").pk for i in range(5)}
    first = _claim_batch(3)
    second = _claim_batch(3)
    assert len(first) == 3
    assert len(second) == 2
    assert not set(first) & set(second)
    assert set(first) | set(second) == ids
    assert _claim_batch(3) == []


def test_a_worker_slower_than_its_claim_does_not_send_the_row_taken_over(frozen, monkeypatch, mailoutbox):
    enqueue_email(subject="Eka")
    enqueue_email(subject="Toka")
    real_send = EmailMessage.send
    other = {}

    def hanging_send(self, fail_silently=False):
        if not other:
            # The first send hangs past the claim; meanwhile another worker runs
            # and takes over both rows.
            frozen.move_to(T0 + dt.timedelta(seconds=CLAIM_SECONDS + 5), tick=False)
            other["stats"] = notifications_deliver_due(limit=10)
        return real_send(self, fail_silently=fail_silently)

    monkeypatch.setattr(EmailMessage, "send", hanging_send)
    stats = notifications_deliver_due(limit=10)

    assert other["stats"].sent == 2
    assert stats.lost == 2 and stats.sent == 0
    subjects = [m.subject for m in mailoutbox]
    # "Toka" is sent once: the slow worker saw its claim was gone. "Eka" was
    # already on the wire when the claim ran out: delivery is at least once.
    assert subjects.count("Toka") == 1
    assert subjects.count("Eka") == 2
    assert set(Notification.objects.values_list("state", flat=True)) == {DeliveryState.SENT}


def test_a_stopping_worker_hands_back_what_it_has_not_sent(mailoutbox):
    rows = [enqueue_email(subject=f"Viesti {i}") for i in range(3)]
    answers = iter([False, True])

    stats = notifications_deliver_due(limit=10, should_stop=lambda: next(answers))

    assert (stats.sent, stats.released) == (1, 2)
    assert len(mailoutbox) == 1
    states = [Notification.objects.get(pk=r.pk) for r in rows]
    assert [(n.state, n.attempts) for n in states] == [
        (DeliveryState.SENT, 1),
        (DeliveryState.PENDING, 0),
        (DeliveryState.PENDING, 0),
    ]
