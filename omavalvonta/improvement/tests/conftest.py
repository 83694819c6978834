import pytest
from django.utils import timezone

from omavalvonta.improvement import services


@pytest.fixture
def plan(supervisor_a, employee_a, unit_a):
    """Unit A's action plan for this year, started by its supervisor with an employee taking part."""
    return services.action_plan_create(
        actor=supervisor_a, unit=unit_a, year=timezone.localdate().year, participants=[supervisor_a, employee_a]
    )
