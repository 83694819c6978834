"""Retention of the remaining record types (registry.RETENTION): meeting
minutes from their closing, a child's functional-capacity measurements and
restrictive measures from the end of the placement; defaults with their
sources; destroyed through their owners with their dependants."""

import datetime as dt

import pytest
from django.utils import timezone

from omavalvonta.clients.models import Placement
from omavalvonta.core import registry
from omavalvonta.core.models import AuditEvent
from omavalvonta.meetings.models import Meeting
from omavalvonta.meetings.tests.helpers import closed_meeting, team_meeting
from omavalvonta.organisation.models import Role
from omavalvonta.outcomes.models import Goal, Measurement
from omavalvonta.outcomes.tests.helpers import record as measurement_record
from omavalvonta.privacy import services
from omavalvonta.privacy.models import DestructionRecord
from omavalvonta.privacy.retention_defaults import DEFAULTS
from omavalvonta.privacy.tests.conftest import destroyed_in_one_run
from omavalvonta.restrictions.models import Restriction, RestrictionDocument
from omavalvonta.restrictions.services import restriction_record
from omavalvonta.restrictions.tests.conftest import restraint_kwargs
from omavalvonta.testing.factories import member, placement_kwargs

pytestmark = pytest.mark.django_db


def test_the_defaults_and_their_sources():
    names = {e.name for e in registry.entries(registry.RETENTION)}
    assert {"meeting", "measurement", "restriction"} <= names
    assert DEFAULTS["meeting"].months == 120
    for name in ("measurement", "restriction"):
        source = str(DEFAULTS[name].source)
        assert "703/2023" in source and "To be confirmed by the DPO" in source


@pytest.fixture
def ended_child(unit_a, county):
    from omavalvonta.clients.services import placement_create

    keeper = member(Role.SUPERVISOR, unit=unit_a)
    return placement_create(actor=keeper, unit=unit_a, **placement_kwargs(county=county))


def test_minutes_measurements_and_measures_fall_due_and_go_with_their_dependants(dpo, unit_a, supervisor_a, employee_a,
                                                                                  ended_child):
    closed = closed_meeting(supervisor_a, unit_a, participants=[employee_a])
    still_open = team_meeting(supervisor_a, unit_a)
    measurement = measurement_record(employee_a, ended_child, on=ended_child.starts_on)
    measure = restriction_record(actor=employee_a, placement=ended_child, **restraint_kwargs())
    # The DPO shortens the periods; the minutes closed and the placement ended two years ago.
    for record_type in ("meeting", "measurement", "restriction"):
        services.retention_rule_set(actor=dpo, record_type=record_type, months=12, basis="Testi: lyhyt aika")
    two_years_ago = timezone.now() - dt.timedelta(days=800)
    Meeting.objects.filter(pk=closed.pk).update(closed_at=two_years_ago)
    Placement.objects.filter(pk=ended_child.pk).update(ends_on=two_years_ago.date())
    destroyed_in_one_run(
        dpo, due=[("meeting", closed.pk), ("measurement", measurement.pk), ("restriction", measure.pk)],
        kept=[("meeting", still_open.pk)],
    )
    assert not Meeting.objects.filter(pk=closed.pk).exists() and Meeting.objects.filter(pk=still_open.pk).exists()
    assert not Measurement.objects.filter(pk=measurement.pk).exists()
    assert not Goal.objects.filter(measurement_id=measurement.pk).exists()
    assert not Restriction.objects.filter(pk=measure.pk).exists()
    assert not RestrictionDocument.objects.filter(restriction_id=measure.pk).exists()
    assert not AuditEvent.objects.filter(verb__startswith="restriction.", target_id=measure.pk).exists()
    assert set(DestructionRecord.objects.values_list("record_type", flat=True)) >= {"meeting", "measurement", "restriction"}


def test_a_current_placements_records_are_never_due(dpo, unit_a, employee_a, ended_child):
    measurement_record(employee_a, ended_child, on=ended_child.starts_on)
    restriction_record(actor=employee_a, placement=ended_child, **restraint_kwargs())
    for record_type in ("measurement", "restriction"):
        services.retention_rule_set(actor=dpo, record_type=record_type, months=1, basis="Testi")
    far = timezone.localdate() + dt.timedelta(days=3650)
    for record_type in ("measurement", "restriction"):
        assert registry.get(registry.RETENTION, record_type).func(cutoff=far, limit=10) == []
