"""The priority reports above the deviation list: the database picks them, Python
puts the few rows in order (selectors._priority_key), the same order as SQL's."""

import datetime as dt

import pytest
from django.utils import timezone

from omavalvonta.deviations import selectors, services
from omavalvonta.deviations.models import Deviation
from omavalvonta.testing.factories import deviation_kwargs

pytestmark = pytest.mark.django_db


def test_the_priority_rows_come_in_the_order_the_database_would_give(employee_a, supervisor_a, unit_a):
    now = timezone.now()

    def submit(days_ago, **fields):
        when = now - dt.timedelta(days=days_ago)
        deviation = services.deviation_submit(
            actor=employee_a, submitted_at=when, **deviation_kwargs(unit_a, occurred_at=when)
        ).deviation
        Deviation.objects.filter(pk=deviation.pk).update(**fields)
        return deviation.pk

    critical = submit(9, is_critical=True)
    notified = submit(8, notification_due_at=now - dt.timedelta(days=1), notification_done_at=now)
    later_clock = submit(7, notification_due_at=now + dt.timedelta(days=3))
    older_grievance = submit(6, kind="grievance")
    newer_grievance = submit(2, kind="grievance")
    sooner_clock = submit(1, notification_due_at=now + dt.timedelta(days=1))
    submit(3)  # an ordinary report stays out
    submit(4, kind="grievance", state="closed")  # and a closed one

    expected = [sooner_clock, later_clock, older_grievance, newer_grievance, notified, critical]
    in_sql = Deviation.objects.filter(pk__in=expected).order_by(*selectors._PRIORITY_ORDER)
    assert list(in_sql.values_list("pk", flat=True)) == expected
    assert [d.pk for d in selectors.deviation_priority_list(actor=supervisor_a)] == expected
    assert [d.pk for d in selectors.deviation_priority_list(actor=supervisor_a, limit=3)] == expected[:3]
