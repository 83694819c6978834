"""Fixtures of the quality calendar tests: time frozen on a Monday in March 2026."""

import datetime as dt

import pytest

from omavalvonta.yearclock import services
from omavalvonta.yearclock.models import ObligationKind, OwnerRole, Recurrence, UnitScope

T0 = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)  # Monday 2.3.2026 10.00 in Helsinki


@pytest.fixture
def frozen(time_machine):
    time_machine.move_to(T0, tick=False)
    return time_machine


def template_data(**overrides):
    data = {
        "title": "Riskiarvio",
        "kind": ObligationKind.RISK_ASSESSMENT,
        "description": "",
        "recurrence": Recurrence.YEARLY,
        "start_month": 3,
        "interval_months": 12,
        "months": [],
        "owner_role": OwnerRole.SUPERVISOR,
        "remind_days_before": 14,
        "unit_scope": UnitScope.ALL,
        "service_types": [],
        "units": [],
        "is_active": True,
    }
    data.update(overrides)
    return data


@pytest.fixture
def make_template(quality_director):
    def make(**overrides):
        return services.obligation_template_save(actor=quality_director, **template_data(**overrides))

    return make
