"""The kernel's answers to the scoping questions the areas used to compute
themselves: the actor's own units, organisation-wide rights, organisation-level
records (no unit) and the reverse queries of organisation/access_people.py."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from omavalvonta.feedback.models import PublicFeedback
from omavalvonta.organisation import access, access_people
from omavalvonta.organisation.models import Role
from omavalvonta.testing.factories import UnitFactory, member

pytestmark = pytest.mark.django_db


def test_own_unit_ids_are_the_units_of_the_actors_unit_memberships(supervisor_a, unit_a, unit_b, regional_director_a):
    member_of_both = member(Role.EMPLOYEE, unit=unit_a)
    member_of_both.memberships.create(role=Role.SUPERVISOR, unit=unit_b)
    assert access.own_unit_ids(supervisor_a) == [unit_a.pk]
    assert sorted(access.own_unit_ids(member_of_both)) == sorted([unit_a.pk, unit_b.pk])
    # With a right: only where the membership gives it (an employee handles nothing).
    assert access.own_unit_ids(member_of_both, access.P_DEVIATION_HANDLE) == [unit_b.pk]
    # A regional director belongs to a region, not to a unit of their own.
    assert access.own_unit_ids(regional_director_a) == []


def test_organisation_wide_rights_are_not_given_by_a_unit_or_a_region(quality_director, supervisor_a, regional_director_a):
    assert access.has_perm_organisation_wide(quality_director)
    assert access.has_perm_organisation_wide(quality_director, access.P_FEEDBACK_VIEW)
    assert not access.has_perm_organisation_wide(supervisor_a, access.P_FEEDBACK_VIEW)
    assert not access.has_perm_organisation_wide(regional_director_a)
    assert access.has_perm_above_unit(regional_director_a, access.P_DEVIATION_VIEW)
    assert not access.has_perm_above_unit(supervisor_a, access.P_DEVIATION_VIEW)
    assert access.has_role_organisation_wide(quality_director, Role.QUALITY_DIRECTOR, Role.MANAGEMENT_GROUP)
    assert not access.has_role_organisation_wide(supervisor_a, Role.SUPERVISOR)
    with pytest.raises(ValueError):
        access.has_perm_organisation_wide(quality_director, "no.such_right")


def test_is_member_and_roles_with(supervisor_a, django_user_model):
    assert access.is_member(supervisor_a)
    assert not access.is_member(django_user_model.objects.create(email="ei@example.fi", full_name="Ei Ketään"))
    handlers = access.roles_with(access.P_DEVIATION_HANDLE)
    assert Role.SUPERVISOR in handlers and Role.EMPLOYEE not in handlers
    # The data protection officer handles data protection reports only.
    assert Role.DATA_PROTECTION_OFFICER in access.roles_with(access.P_DEVIATION_HANDLE, kind="data_protection")
    assert Role.DATA_PROTECTION_OFFICER not in access.roles_with(access.P_DEVIATION_HANDLE, kind="quality")


def _feedback_to_the_organisation():
    return PublicFeedback.objects.create(unit=None, message="Kiitos", followup_code_digest="x" * 64)


def test_an_organisation_level_record_is_the_organisation_wide_members_alone(
    quality_director, safety_manager, supervisor_a, regional_director_a
):
    feedback = _feedback_to_the_organisation()
    qs = PublicFeedback.objects.all()
    assert access.access_object(qs, quality_director, feedback.pk, access.P_FEEDBACK_VIEW) == feedback
    # Organisation-wide, but without the right: 403.
    with pytest.raises(PermissionDenied):
        access.access_object(qs, safety_manager, feedback.pk, access.P_FEEDBACK_VIEW)
    # Not organisation-wide at all: the record does not exist for them.
    for outsider in (supervisor_a, regional_director_a):
        with pytest.raises(Http404):
            access.access_object(qs, outsider, feedback.pk, access.P_FEEDBACK_VIEW)
        assert not access.can_on(outsider, feedback, access.P_FEEDBACK_VIEW)
        assert not PublicFeedback.objects.filter(access.scope_q(outsider, access.P_FEEDBACK_VIEW)).exists()
    assert access.can_on(quality_director, feedback, access.P_FEEDBACK_MANAGE)
    assert PublicFeedback.objects.filter(access.scope_q(quality_director, access.P_FEEDBACK_VIEW)).exists()


def test_people_with_a_right_in_a_unit_come_through_the_unit_its_region_and_the_organisation(
    unit_a, unit_b, employee_a, supervisor_a, supervisor_b, regional_director_a, quality_director, dpo
):
    handlers = set(access_people.people_with(access.P_DEVIATION_HANDLE, unit_a))
    assert {supervisor_a, regional_director_a, quality_director} <= handlers
    assert employee_a not in handlers and supervisor_b not in handlers
    assert dpo in set(access_people.people_with(access.P_DEVIATION_HANDLE, unit_a, kind="data_protection"))
    assert dpo not in set(access_people.people_with(access.P_DEVIATION_HANDLE, unit_a, kind="quality"))
    supervisor_a.is_active = False
    supervisor_a.save(update_fields=["is_active"])
    assert supervisor_a not in set(access_people.people_with(access.P_DEVIATION_HANDLE, unit_a))


def test_memberships_of_narrows_by_role_and_place(unit_a, unit_b, employee_a, supervisor_a, responsible_a, regional_director_a):
    in_a = access_people.memberships_of([Role.SUPERVISOR, Role.RESPONSIBLE_PERSON], unit=unit_a)
    assert {m.user for m in in_a} == {supervisor_a, responsible_a}
    assert not access_people.memberships_of([], unit=unit_a).exists()  # no role asked: nobody
    assert set(access_people.people_holding(unit=unit_a)) == {employee_a, supervisor_a, responsible_a}
    assert regional_director_a in set(access_people.people_holding(unit_or_region=unit_a))
    assert regional_director_a not in set(access_people.people_holding(unit_or_region=unit_b))
    elsewhere = UnitFactory(region=unit_a.region)
    assert regional_director_a in set(access_people.people_holding([Role.REGIONAL_DIRECTOR], covering=[elsewhere]))
