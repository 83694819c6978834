"""Delivery when things break: the database going away mid-batch, one SMTP
connection per batch, the stable Message-ID, and `last_error` once sent.

The database tests run outside a test transaction (transaction=True): the
worker's retry reconnects, which it never does inside a caller's transaction."""

import datetime as dt
import smtplib

import pytest
from django.core import mail
from django.db import OperationalError
from django.db.models import QuerySet

from omavalvonta.notifications import services
from omavalvonta.notifications.models import DeliveryState, Notification
from omavalvonta.notifications.services import CLAIM_SECONDS, message_id, notifications_deliver_due
from omavalvonta.notifications.tests.conftest import T0, enqueue_email


@pytest.fixture(autouse=True)
def nothing_left_unreleased():
    services._unreleased.clear()
    yield
    services._unreleased.clear()


@pytest.fixture
def no_sleep(monkeypatch):
    pauses = []
    monkeypatch.setattr(services.time, "sleep", pauses.append)
    return pauses


class DatabaseOutage:
    """Makes outbox UPDATEs fail with the error a restarted PostgreSQL gives,
    from the first UPDATE that marks a row sent, for `failures` UPDATEs."""

    def __init__(self, monkeypatch, *, failures):
        self.failures = failures
        self.down = False
        self.raised = 0
        real_update = QuerySet.update
        outage = self

        def update(qs, **fields):
            if qs.model is Notification and fields.get("state") == DeliveryState.SENT and outage.raised == 0:
                outage.down = True
            if outage.down and qs.model is Notification:
                outage.raised += 1
                if outage.raised >= outage.failures:
                    outage.down = False
                raise OperationalError("terminating connection due to administrator command")
            return real_update(qs, **fields)

        monkeypatch.setattr(QuerySet, "update", update)


def subjects():
    return sorted(m.subject for m in mail.outbox)


@pytest.mark.django_db(transaction=True)
def test_a_database_restart_while_marking_sent_sends_nothing_twice(monkeypatch, no_sleep, time_machine):
    time_machine.move_to(T0, tick=False)
    for i in range(3):
        enqueue_email(subject=f"Viesti {i}")
    outage = DatabaseOutage(monkeypatch, failures=3)

    stats = notifications_deliver_due(limit=10)

    assert outage.raised == 3 and no_sleep, "the mark-sent was retried after pauses"
    assert (stats.sent, stats.lost, stats.released) == (3, 0, 0)
    assert subjects() == ["Viesti 0", "Viesti 1", "Viesti 2"]
    assert set(Notification.objects.values_list("state", flat=True)) == {DeliveryState.SENT}
    # Nothing is claimed any more, so nothing comes back when claims would expire.
    time_machine.move_to(T0 + dt.timedelta(seconds=CLAIM_SECONDS + 1), tick=False)
    assert notifications_deliver_due(limit=10).claimed == 0
    assert len(mail.outbox) == 3


@pytest.mark.django_db(transaction=True)
def test_a_long_outage_hands_the_rest_of_the_batch_back_when_the_database_returns(monkeypatch, no_sleep, time_machine):
    time_machine.move_to(T0, tick=False)
    rows = [enqueue_email(subject=f"Viesti {i}") for i in range(3)]
    monkeypatch.setattr(services, "CLAIM_SECONDS", 0)  # the retries give up at once
    # Down for the mark-sent and the hand-back after it; back for the next pass.
    DatabaseOutage(monkeypatch, failures=2)

    with pytest.raises(OperationalError):
        notifications_deliver_due(limit=10)
    assert [n.pk for n in services._unreleased] == [rows[1].pk, rows[2].pk]

    # The next pass (the worker loops on) hands the two back and sends them at
    # once, without waiting for their claims to expire.
    monkeypatch.setattr(services, "CLAIM_SECONDS", 120)
    stats = notifications_deliver_due(limit=10)
    assert (stats.released, stats.sent) == (2, 2)
    assert subjects() == ["Viesti 0", "Viesti 1", "Viesti 2"]
    # Only the message that was on the wire when the database went away for
    # good is sent again, once its claim expires: with the same Message-ID.
    time_machine.move_to(T0 + dt.timedelta(seconds=121), tick=False)
    assert notifications_deliver_due(limit=10).sent == 1
    first = [m for m in mail.outbox if m.subject == "Viesti 0"]
    assert len(first) == 2
    assert first[0].extra_headers["Message-ID"] == first[1].extra_headers["Message-ID"] == message_id(rows[0])


@pytest.mark.django_db
def test_every_row_has_its_own_stable_message_id(mailoutbox, settings):
    settings.SITE_URL = "https://omavalvonta.example/"
    a = enqueue_email(subject="A")
    b = enqueue_email(subject="B")
    notifications_deliver_due(limit=10)
    ids = {m.subject: m.message()["Message-ID"] for m in mailoutbox}
    assert ids["A"] == message_id(a) and ids["B"] == message_id(b)
    assert ids["A"] != ids["B"]
    assert ids["A"].startswith(f"<outbox-{a.pk}.") and ids["A"].endswith("@omavalvonta.example>")


class FakeSMTP:
    """Stands in for smtplib.SMTP under Django's SMTP backend: counts connections."""

    opened: list = []

    def __init__(self, host="", port=0, **kwargs):
        FakeSMTP.opened.append(self)
        self.sent = []

    def sendmail(self, from_addr, to_addrs, msg, *args, **kwargs):
        self.sent.append(to_addrs)
        return {}

    def quit(self):
        pass

    def close(self):
        pass


@pytest.mark.django_db
def test_one_smtp_connection_carries_the_whole_batch(monkeypatch, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    FakeSMTP.opened = []
    monkeypatch.setattr(smtplib, "SMTP", FakeSMTP)
    for i in range(7):
        enqueue_email(email=f"saaja{i}@hva.example")

    assert notifications_deliver_due(limit=5).sent == 5
    assert notifications_deliver_due(limit=5).sent == 2

    assert [len(c.sent) for c in FakeSMTP.opened] == [5, 2]


@pytest.mark.django_db
def test_a_row_sent_after_a_failure_forgets_the_old_error(frozen, monkeypatch, mailoutbox):
    n = enqueue_email()
    monkeypatch.setattr(services, "_send", lambda n, c: (_ for _ in ()).throw(ConnectionRefusedError(111, "refused")))
    notifications_deliver_due()
    n.refresh_from_db()
    assert "ConnectionRefusedError" in n.last_error

    monkeypatch.undo()
    frozen.move_to(n.next_attempt_at, tick=False)
    assert notifications_deliver_due().sent == 1
    n.refresh_from_db()
    assert (n.state, n.last_error) == (DeliveryState.SENT, "")
