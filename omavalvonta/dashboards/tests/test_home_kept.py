"""The home page's counts kept compiled (core/lib/kept.py): what the page
shows from its kept statement is what every block built for the request shows,
for several roles; a grant change, another day and another time of day are
counted anew; the kept shapes stay bounded. On PostgreSQL the times are filled
into the kept SQL; on SQLite the blocks that take the time are built each time."""

import datetime as dt
import inspect

import pytest
from django.db import connection
from django.utils import timezone

from omavalvonta.core import registry
from omavalvonta.core.lib import kept
from omavalvonta.core.lib.counts import resolve_many
from omavalvonta.dashboards.selectors import home_summary
from omavalvonta.dashboards.tests.test_home_waiting import _fill, _meeting, _restraint_unsigned
from omavalvonta.organisation import access
from omavalvonta.organisation.models import Role, User
from omavalvonta.testing.factories import MembershipFactory, UnitFactory, member

NOON = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _now(time_machine):
    time_machine.move_to(NOON, tick=False)


def _built(actor):
    """Every block built and counted for the request (as the page did before it kept them)."""
    today, now = timezone.localdate(), timezone.now()
    declared = []
    for entry in registry.entries(registry.HOME_BLOCKS):
        declare = getattr(entry.func, "declare", entry.func)
        more = {"now": now} if "now" in inspect.signature(declare).parameters else {}
        declared.append(declare(actor=actor, today=today, **more))
    names = [entry.name for entry in registry.entries(registry.HOME_BLOCKS)]
    return dict(zip(names, resolve_many(declared), strict=True))


def _kept(actor):
    return home_summary(actor=User.objects.get(pk=actor.pk))["waiting"]


def _shapes(kind):
    return [shape for shape in kept._shapes.values() if isinstance(shape, kind)]


def test_the_kept_counts_show_what_the_built_blocks_show_for_every_role(
    authority, region_a, unit_a, supervisor_a, employee_a, regional_director_a, quality_director
):
    busy = member(Role.RESPONSIBLE_PERSON, unit=unit_a)
    MembershipFactory(user=busy, role=Role.QUALITY_DIRECTOR, unit=None, region=None)
    extra = [UnitFactory(region=region_a) for _ in range(2)]
    for unit in extra:
        MembershipFactory(user=busy, role=Role.RESPONSIBLE_PERSON, unit=unit)
    _fill(2, person=busy, unit=unit_a, authority=authority, extra_units=extra)
    _meeting(unit_a, supervisor_a, 2, participants=[employee_a])
    _restraint_unsigned(unit_a, supervisor_a)
    people = [busy, supervisor_a, employee_a, regional_director_a, quality_director]
    for _round in range(2):  # learnt on the first, read from the kept SQL on the second
        for person in people:
            assert _kept(person) == _built(User.objects.get(pk=person.pk)), person
    assert _shapes(kept._Shape)
    if connection.vendor == "postgresql":  # the times too: every block of these people is kept
        assert not [key for key, shape in kept._shapes.items() if shape == kept._UNKEPT]


def test_a_kept_block_counts_the_rows_of_the_moment(unit_a, supervisor_a, employee_a):
    """The kept statement is the same, its counts are not: rows added after it was learnt count."""
    assert not _kept(supervisor_a)["meetings"]
    _meeting(unit_a, supervisor_a, 3)
    assert _kept(supervisor_a)["meetings"]["total"] == 1
    assert _kept(supervisor_a) == _built(supervisor_a)


def test_a_grant_changed_gives_a_new_shape(unit_b, supervisor_b, employee_a):
    _restraint_unsigned(unit_b, supervisor_b)
    assert not _kept(employee_a)["restrictions"]
    shapes = len(kept._shapes)
    MembershipFactory(user=employee_a, role=Role.SUPERVISOR, unit=unit_b)
    after = _kept(employee_a)
    assert len(kept._shapes) > shapes  # learnt again for the new grants
    assert after == _built(User.objects.get(pk=employee_a.pk))
    assert after["restrictions"]["total"] == 1


def test_another_day_and_another_time_are_counted_anew(time_machine, unit_a, supervisor_a):
    _meeting(unit_a, supervisor_a, 0.05)  # in 72 minutes
    assert _kept(supervisor_a)["meetings"]["total"] == 1
    time_machine.move_to(NOON + dt.timedelta(hours=2), tick=False)  # the same day: it has started
    assert not _kept(supervisor_a)["meetings"]
    if connection.vendor == "postgresql":  # kept, with the time filled in
        key = next(key for key in kept._shapes if key[0] == "meetings")
        assert isinstance(kept._shapes[key], kept._Shape)
    learnt = len(kept._shapes)
    _meeting(unit_a, supervisor_a, 13.5)
    time_machine.move_to(NOON + dt.timedelta(days=1), tick=False)  # another day: learnt again
    assert _kept(supervisor_a)["meetings"]["total"] == 1
    assert len(kept._shapes) > learnt
    assert _kept(supervisor_a) == _built(supervisor_a)


def test_the_kept_shapes_stay_bounded(monkeypatch, unit_a, supervisor_a, employee_a, colleague_a):
    monkeypatch.setattr(kept, "SHAPES_KEPT", 25)
    for person in (supervisor_a, employee_a, colleague_a):
        _kept(person)
        assert len(kept._shapes) <= 25
    assert _kept(colleague_a) == _built(colleague_a)


def test_grants_read_for_the_shape_are_the_kernels(region_a, unit_a, regional_director_a):
    """A region's grant names its units: a unit added to the region is another shape."""
    before = access.grants(regional_director_a)
    from omavalvonta.organisation.access_shape import shape_key

    key = shape_key(regional_director_a)
    UnitFactory(region=region_a)
    assert shape_key(User.objects.get(pk=regional_director_a.pk)) != key
    assert before
