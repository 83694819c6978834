"""obligation_home_items: my duties this month or late, and the late count in a
director's scope."""

import datetime as dt

from omavalvonta.yearclock.models import ObligationTemplate, Occurrence, OccurrenceState
from omavalvonta.yearclock.selectors import obligation_home_items

TODAY = dt.date(2026, 11, 23)


def _duty(unit, owner, due, **fields):
    template = ObligationTemplate.objects.create(title="Riskiarviointi", kind="risk_assessment", recurrence="yearly")
    return Occurrence.objects.create(template=template, unit=unit, due_date=due, owner=owner, **fields)


def test_my_duties_due_this_month_or_late(supervisor_a, unit_a):
    late = _duty(unit_a, supervisor_a, dt.date(2026, 10, 1))
    _duty(unit_a, supervisor_a, dt.date(2026, 11, 30))
    _duty(unit_a, supervisor_a, dt.date(2026, 12, 1))  # next month
    _duty(unit_a, supervisor_a, dt.date(2026, 10, 2), state=OccurrenceState.DONE)
    items = obligation_home_items(actor=supervisor_a, today=TODAY)
    assert (items["total"], items["late"], items["scope_late"]) == (2, 1, None)
    assert items["rows"][0].pk == late.pk


def test_staff_see_nothing_and_a_director_counts_late_duties_in_their_region_only(
    employee_a, regional_director_a, supervisor_a, supervisor_b, unit_a, unit_b
):
    _duty(unit_a, supervisor_a, dt.date(2026, 11, 1))
    _duty(unit_b, supervisor_b, dt.date(2026, 11, 1))
    assert obligation_home_items(actor=employee_a, today=TODAY) is None
    assert obligation_home_items(actor=regional_director_a, today=TODAY)["scope_late"] == 1


def test_a_duty_i_own_in_a_unit_i_no_longer_lead_is_not_shown(supervisor_a, unit_b):
    _duty(unit_b, supervisor_a, dt.date(2026, 11, 1))
    assert obligation_home_items(actor=supervisor_a, today=TODAY) is None
