"""What learning gives other areas through the registry: the unit's timeline,
the meeting agenda and search (learning summaries, within the searcher's scope)."""

from types import SimpleNamespace

import pytest

from omavalvonta.core import registry
from omavalvonta.dashboards.timeline import unit_timeline
from omavalvonta.learning import plugs, services
from omavalvonta.learning.tests.conftest import answer_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared(review_a, supervisor_a, quality_director):
    answer_all(review_a, supervisor_a)
    summary = services.review_complete(actor=supervisor_a, review=review_a, summary="Lääkkeiden jako vuoronvaihdossa.")
    services.summary_share(actor=quality_director, summary=summary)
    services.summary_requests_make()  # the worker's job
    return summary


def test_the_slots_hold_the_learning_entries():
    for slot in (registry.HOME_BLOCKS, registry.UNIT_TIMELINE, registry.DUTY_SOURCES, registry.AGENDA_SOURCES,
                 registry.SEARCH_SOURCES, registry.DEVIATION_PANELS):
        assert registry.get(slot, "learning") or registry.get(slot, "learning.review"), slot
    assert registry.get(registry.LEARNING_ORIGINS, "deviation") is not None


def test_the_timeline_shows_the_review_opened_completed_and_shared(shared, review_a, unit_a, supervisor_a, supervisor_b):
    kinds = {e.kind for e in unit_timeline(actor=supervisor_a, unit=unit_a, areas={"learning"}).entries}
    assert kinds == {"review_opened", "review_completed", "summary_shared"}
    assert unit_timeline(actor=supervisor_b, unit=unit_a, areas={"learning"}).entries == []


def test_a_shared_summary_is_proposed_for_a_units_meeting(shared, unit_b, supervisor_b):
    proposals = plugs.summaries_for_agenda(actor=supervisor_b, unit=unit_b)
    assert [p["source"] for p in proposals] == [shared]


def test_search_finds_summaries_by_stem_within_scope(shared, supervisor_b, employee_a, unit_a):
    from omavalvonta.testing.factories import UserFactory

    query = SimpleNamespace(text="lääkkeen", stems=["lääk"])
    hits = plugs.summary_search(actor=supervisor_b, query=query, limit=5)
    assert [h.link for h in hits] == [shared.get_absolute_url()]
    assert "Lääkkeiden" in hits[0].snippet
    assert plugs.summary_search(actor=supervisor_b, query=SimpleNamespace(text="kissa", stems=["kis"]), limit=5) == []
    outsider = UserFactory()  # no membership anywhere
    assert plugs.summary_search(actor=outsider, query=query, limit=5) == []
