"""Two sends of one queued report at the same moment on PostgreSQL: one report
is stored, and both sends answer with it."""

import threading
import uuid

import pytest
from django.db import connection, connections

from omavalvonta.deviations import services
from omavalvonta.deviations.models import Deviation
from omavalvonta.testing.factories import deviation_kwargs

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent transactions: PostgreSQL only"),
]


def test_two_sends_of_one_key_at_once_store_one_report(employee_a, unit_a):
    key = str(uuid.uuid4())
    barrier = threading.Barrier(4)
    results, errors = [], []

    def send():
        try:
            barrier.wait()
            results.append(services.deviation_submit(actor=employee_a, submission_key=key, **deviation_kwargs(unit_a)))
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)

    assert errors == []
    assert Deviation.objects.count() == 1
    assert sorted(r.created for r in results) == [False, False, False, True]
    assert {r.deviation.pk for r in results} == {Deviation.objects.get().pk}
