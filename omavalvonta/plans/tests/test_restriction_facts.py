"""The good-treatment plan's section on reducing restrictions and the follow-up
report take the restrictive measures from the restrictions area through
core.registry (PLAN_FACTS and REPORT_SECTIONS): counts by type, small counts hidden, no child."""

import datetime as dt

import pytest
from django.utils import timezone

from omavalvonta.clients import services as clients_services
from omavalvonta.organisation.models import Role
from omavalvonta.plans import facts
from omavalvonta.plans.defaults import GOOD_TREATMENT
from omavalvonta.restrictions.services import restriction_record
from omavalvonta.restrictions.tests.conftest import restraint_kwargs
from omavalvonta.testing.factories import member, placement_kwargs

pytestmark = pytest.mark.django_db


def test_the_plan_and_the_report_show_restrictions_by_type_without_names(unit_a, county, supervisor_a):
    assert any(row[0] == "rajoitukset" and row[5] == "restrictions" for row in GOOD_TREATMENT)
    keeper = member(Role.SUPERVISOR, unit=unit_a)
    child = clients_services.placement_create(actor=keeper, unit=unit_a, **placement_kwargs(county=county, name="Eino E."))
    for hours in range(7, 1, -1):
        started = timezone.now().replace(microsecond=0) - dt.timedelta(hours=hours)
        restriction_record(
            actor=supervisor_a, placement=child,
            **restraint_kwargs(started_at=started, ended_at=started + dt.timedelta(minutes=2)),
        )
    fact = facts.facts_for(unit_a, actor=supervisor_a, live_facts={"restrictions"})["restrictions"]
    assert fact["total"] == 6 and fact["by_type"][0]["count"] == 6 and "Eino" not in str(fact)
    today = timezone.localdate()
    report = facts.contributed("restrictions", actor=supervisor_a, period_start=today - dt.timedelta(days=10), period_end=today)
    assert report["total"] == 6 and report["by_region"][0]["count"] == 6
