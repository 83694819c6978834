"""Two workers run the reminder job at once on PostgreSQL: each reminder and
escalation is queued exactly once (the claim row's unique constraint)."""

import datetime as dt

import pytest
from django.db import connection

from omavalvonta.notifications.models import Notification
from omavalvonta.organisation.models import Role
from omavalvonta.testing.concurrency import run_side_by_side
from omavalvonta.testing.factories import UnitFactory, member
from omavalvonta.yearclock import reminders, services
from omavalvonta.yearclock.models import Occurrence, OccurrenceNotice

from .conftest import template_data

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent transactions: PostgreSQL only"),
]


def test_two_workers_queue_each_reminder_and_escalation_once(time_machine, region_a, quality_director):
    time_machine.move_to(dt.datetime(2026, 3, 2, 8, tzinfo=dt.UTC), tick=False)
    units = [UnitFactory(region=region_a, name=f"Yksikkö {i}", public_slug=f"yks{i}") for i in range(15)]
    for unit in units:
        member(Role.SUPERVISOR, unit=unit)
    member(Role.REGIONAL_DIRECTOR, region=region_a)
    services.obligation_template_save(actor=quality_director, **template_data(recurrence="specific_months", months=[3, 4]))
    time_machine.move_to(dt.datetime(2026, 4, 20, 8, tzinfo=dt.UTC), tick=False)

    results = run_side_by_side(reminders.obligations_remind_and_escalate)

    # 15 late March duties escalate to the regional director, 15 April duties remind their supervisors.
    assert sum(results) == 30
    assert Notification.objects.filter(kind="obligation.late").count() == 15
    assert Notification.objects.filter(kind="obligation.reminder").count() == 15
    assert OccurrenceNotice.objects.count() == 30
    assert Occurrence.objects.count() == 15 * 2
