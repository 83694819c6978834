"""The undecided proposals' duties counted in the database (DUTY_SOURCES
`counts`, deviations/proposals.py) agree with the duties made one by one, day
after day: a proposal made late in the evening in UTC is due from the next
day in the provider's time; a decided one and one of an inactive unit count nothing."""

import datetime as dt

import pytest

from omavalvonta.deviations.models import InstructionProposal, ProposalState
from omavalvonta.testing.factories import UnitFactory
from omavalvonta.yearclock import duties

pytestmark = pytest.mark.django_db


def proposal(unit, responsible, at: dt.datetime, **fields):
    made = InstructionProposal.objects.create(
        unit=unit, instruction="Iltalääkkeiden ohje", proposal="Kaksoistarkistus.", responsible=responsible, **fields
    )
    InstructionProposal.objects.filter(pk=made.pk).update(proposed_at=at)
    return made


def test_proposal_counts_agree_with_its_duties(unit_a, unit_b, responsible_a, supervisor_b):
    proposal(unit_a, responsible_a, dt.datetime(2026, 3, 1, 9, tzinfo=dt.UTC))
    proposal(unit_a, responsible_a, dt.datetime(2026, 3, 9, 22, 30, tzinfo=dt.UTC))  # 10.3. in Helsinki
    proposal(unit_a, responsible_a, dt.datetime(2026, 2, 1, 9, tzinfo=dt.UTC), state=ProposalState.ACCEPTED)
    proposal(unit_b, supervisor_b, dt.datetime(2026, 3, 20, 9, tzinfo=dt.UTC))
    closed = UnitFactory(region=unit_a.region, is_active=False)
    proposal(closed, responsible_a, dt.datetime(2026, 3, 1, 9, tzinfo=dt.UTC))
    day, due, late = dt.date(2026, 3, 10), 0, 0
    while day <= dt.date(2026, 5, 1):
        unit_ids = [unit_a.pk, closed.pk] if day.day % 2 else None
        in_database, from_duties = duties.source_counts_both_ways(
            "deviations.instruction_proposals", today=day, unit_ids=unit_ids
        )
        assert in_database == from_duties, day
        due += sum(row["due"] for row in in_database.values())
        late += sum(row["late"] for row in in_database.values())
        day += dt.timedelta(days=1)
    assert due and late
