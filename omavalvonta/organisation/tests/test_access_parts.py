"""The kernel's cheaper forms of the same scope: a region's unit ids as one value
(organisation/access_region.py) and a few units' scope as parts whose union is
the scope (access_unit.scope_parts)."""

import pytest

from omavalvonta.deviations.models import Deviation
from omavalvonta.organisation import access, access_unit
from omavalvonta.organisation.access_region import UnitIds
from omavalvonta.organisation.models import Role
from omavalvonta.organisation.tests.test_access import SCOPED_PEOPLE, _reports_of_three_kinds, deviation
from omavalvonta.testing.factories import MembershipFactory, UnitFactory, member

pytestmark = pytest.mark.django_db


def test_a_regions_ids_are_one_value_for_django():
    """Hashed and compared as one tuple, and not iterable: Django's filter
    building would walk an iterable id by id."""
    ids = UnitIds([3, 1, 2])
    assert ids == UnitIds([3, 1, 2]) and ids != UnitIds([1, 2, 3]) and hash(ids) == hash((3, 1, 2))
    assert ids.literal == "{3,1,2}" and len(ids) == 3
    with pytest.raises(TypeError):
        iter(ids)


def test_a_regional_directors_scope_lists_the_regions_units(regional_director_a, unit_a, unit_b, region_a):
    sibling = UnitFactory(region=region_a)
    for unit in (unit_a, unit_b, sibling):
        deviation(unit)
    access.forget(regional_director_a)
    got = set(Deviation.objects.for_actor(regional_director_a, access.P_DEVIATION_VIEW).values_list("unit_id", flat=True))
    assert got == {unit_a.pk, sibling.pk}
    walked = Deviation.objects.for_actor(regional_director_a, access.P_DEVIATION_VIEW, walk=True)
    assert set(walked.values_list("unit_id", flat=True)) == got


def test_a_region_without_units_matches_nothing(regional_director_a, unit_a):
    deviation(unit_a)
    grant = next(g for g in access.grants(regional_director_a) if g.region_id)
    grant.__dict__["region_ids"] = UnitIds([])
    assert not Deviation.objects.for_actor(regional_director_a, access.P_DEVIATION_VIEW).exists()
    assert not Deviation.objects.for_actor(regional_director_a, access.P_DEVIATION_VIEW, walk=True).exists()


@pytest.mark.parametrize("who", SCOPED_PEOPLE)
def test_the_parts_of_a_scope_are_the_scoped_rows(who, request, unit_a, unit_b, region_a):
    """Each part's rows together are exactly the scope's (object rules and kind
    limits included); a region's or the organisation's grant gives no parts."""
    actor = request.getfixturevalue(who)
    _reports_of_three_kinds(unit_a, unit_b, region_a)
    # Their own reports and those they handle, outside their units and inside.
    own = ((unit_b, "medication", ("reporter",)), (unit_b, "quality", ("handler",)), (unit_a, "quality", ("reporter", "handler")))
    for unit, kind, roles in own:
        deviation(unit, kind=kind, **dict.fromkeys(roles, actor))
    parts = access_unit.scope_parts(actor, access.P_DEVIATION_VIEW, model=Deviation)
    if who in ("regional_director_a", "quality_director", "safety_manager", "dpo"):
        assert parts is None
        return
    expected = set(access.filter_for_actor(Deviation.objects.all(), actor, access.P_DEVIATION_VIEW).values_list("pk", flat=True))
    got = set()
    for part in parts:
        got |= set(Deviation.objects.filter(part).values_list("pk", flat=True))
    assert got == expected


def test_many_units_give_no_parts(unit_a):
    """Seven units and the object rules are more parts than a union walks well."""
    person = member(Role.SUPERVISOR, unit=unit_a)
    for _ in range(6):
        MembershipFactory(user=person, role=Role.SUPERVISOR, unit=UnitFactory())
    perm = access.P_DEVIATION_VIEW
    assert access_unit.scope_parts(person, perm, model=Deviation) is None
    parts = access_unit.scope_parts(person, perm, model=Deviation, most=10)
    assert len(parts) == 7 + len(access.OBJECT_RULES[perm])
