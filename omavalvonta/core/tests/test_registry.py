"""core.registry: the plug points through which areas contribute to each other."""

import pytest

from omavalvonta.core import registry

SLOT = "tests.slot"


@pytest.fixture(autouse=True)
def _empty_slot():
    before = registry.snapshot(SLOT)
    registry.restore(SLOT, [])
    yield
    registry.restore(SLOT, before)


def test_entries_come_in_order_then_in_the_order_added():
    registry.register(SLOT, "late", len, order=20)
    registry.register(SLOT, "first", min, order=10, kind="a")
    registry.register(SLOT, "second", max, order=10)
    assert [e.name for e in registry.entries(SLOT)] == ["first", "second", "late"]
    assert registry.get(SLOT, "first").kind == "a"  # the details read as attributes
    with pytest.raises(AttributeError):
        _ = registry.get(SLOT, "second").kind


def test_registering_a_name_again_replaces_the_entry_in_its_place():
    registry.register(SLOT, "a", min)
    registry.register(SLOT, "b", max)
    registry.register(SLOT, "a", len)
    assert [(e.name, e.func) for e in registry.entries(SLOT)] == [("a", len), ("b", max)]


def test_one_wants_exactly_one_provider():
    with pytest.raises(LookupError):
        registry.one(SLOT)
    registry.register(SLOT, "outbox", print)
    assert registry.one(SLOT) is print
    registry.register(SLOT, "another", len)
    with pytest.raises(LookupError):
        registry.one(SLOT)


def test_the_areas_fill_the_slots_when_the_apps_are_ready():
    assert registry.one(registry.OUTBOX).__module__ == "omavalvonta.notifications.services"
    assert registry.get(registry.DEVIATION_PANELS, "risks") is not None
    evidence = [e.name for e in registry.entries(registry.EVIDENCE_SOURCES)]
    assert evidence[:3] == ["plans.planversion", "improvement.action", "meetings.meeting"]
    assert {"audits.selfassessment", "audits.audit", "audits.drill"} <= set(evidence)
    assert registry.entries(registry.MINUTES_CLOSED) and registry.entries(registry.UNIT_SAVED)
