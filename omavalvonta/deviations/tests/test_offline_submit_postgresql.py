"""Sends of one queued report at the same moment on PostgreSQL: one report is
stored, and every send answers with it."""

import uuid

import pytest
from django.db import connection

from omavalvonta.deviations import services
from omavalvonta.deviations.models import Deviation
from omavalvonta.testing.concurrency import run_side_by_side
from omavalvonta.testing.factories import deviation_kwargs

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent transactions: PostgreSQL only"),
]


def test_four_sends_of_one_key_at_once_store_one_report(employee_a, unit_a):
    key = str(uuid.uuid4())

    results = run_side_by_side(
        lambda: services.deviation_submit(actor=employee_a, submission_key=key, **deviation_kwargs(unit_a)), workers=4
    )

    assert Deviation.objects.count() == 1
    assert sorted(r.created for r in results) == [False, False, False, True]
    assert {r.deviation.pk for r in results} == {Deviation.objects.get().pk}
