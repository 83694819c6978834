"""Several workers side by side on PostgreSQL: each thread has its own database
connection, as separate worker processes would."""

import datetime as dt
import threading

import pytest
from django.db import connection, connections, transaction
from django.utils import timezone

from omavalvonta.notifications.models import DeliveryState, Notification
from omavalvonta.notifications.services import _claim_batch, notifications_send_due

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks with SKIP LOCKED: PostgreSQL only"),
]


def make_rows(count):
    return {
        n.pk
        for n in Notification.objects.bulk_create(
            Notification(kind="test", subject=f"Viesti {i}", body="b", email=f"saaja{i}@hva.example", in_app=False)
            for i in range(count)
        )
    }


def run_side_by_side(target, workers=2):
    """Start `workers` threads together; each gets its own connection, closed at the end."""
    barrier = threading.Barrier(workers)
    results = [[] for _ in range(workers)]
    errors = []

    def run(out):
        try:
            barrier.wait()
            target(out)
        except BaseException as exc:  # surfaced in the test thread below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(out,)) for out in results]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not any(t.is_alive() for t in threads), "a worker thread hung"
    assert errors == []
    return results


def test_concurrent_claims_from_two_connections_never_overlap():
    ids = make_rows(300)

    def claim_until_empty(out):
        while batch := _claim_batch(7):
            out.extend(batch)

    first, second = run_side_by_side(claim_until_empty)

    assert first and second, "both workers should have claimed something"
    assert not set(first) & set(second)
    assert len(first) + len(second) == len(ids)
    assert set(first) | set(second) == ids


def test_a_claim_skips_rows_another_worker_is_claiming_right_now():
    ids = sorted(make_rows(6))
    held = ids[:3]
    with transaction.atomic():
        # Worker A is between its SELECT ... FOR UPDATE and its commit.
        list(Notification.objects.select_for_update().filter(pk__in=held))
        (other,) = run_side_by_side(lambda out: out.extend(_claim_batch(10)), workers=1)
        Notification.objects.filter(pk__in=held).update(
            state=DeliveryState.SENDING, claimed_until=timezone.now() + dt.timedelta(minutes=2)
        )
    assert sorted(other) == ids[3:]  # did not wait, did not take A's rows
    assert _claim_batch(10) == []


def test_two_workers_send_each_email_exactly_once(mailoutbox):
    make_rows(120)

    def send_until_empty(out):
        while sent := notifications_send_due(limit=5):
            out.append(sent)

    first, second = run_side_by_side(send_until_empty)

    subjects = [m.subject for m in mailoutbox]
    assert len(subjects) == 120
    assert len(set(subjects)) == 120
    assert sum(first) + sum(second) == 120
    assert set(Notification.objects.values_list("state", flat=True)) == {DeliveryState.SENT}
