"""The access kernel (organisation/access.py): the role table, scopes, kind
limits, 404 versus 403, the owner rule and deny-by-default."""

import datetime as dt
import itertools

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.test import RequestFactory
from django.utils import timezone

from omavalvonta.deviations.models import Deviation
from omavalvonta.organisation import access, access_unit
from omavalvonta.organisation.models import Membership, Role
from omavalvonta.testing.factories import UnitFactory, member

pytestmark = pytest.mark.django_db

_numbers = itertools.count(1)


def deviation(unit, kind="quality", **fields):
    now = timezone.now()
    return Deviation.objects.create(
        unit=unit,
        number=f"T-{next(_numbers):05d}",
        kind=kind,
        occurred_at=now - dt.timedelta(hours=1),
        description="Testitapahtuma",
        handling_due_at=now + dt.timedelta(days=3),
        due_date=timezone.localdate() + dt.timedelta(days=30),
        **fields,
    )


def visible(actor, perm=access.P_DEVIATION_VIEW):
    return set(Deviation.objects.for_actor(actor, perm).values_list("pk", flat=True))


# --- The role table ----------------------------------------------------------------------------


def test_every_role_has_a_row_in_the_permission_table():
    assert set(access.ROLE_PERMISSIONS) == set(Role.values)


def test_the_table_names_only_known_permissions():
    for perms in access.ROLE_PERMISSIONS.values():
        assert perms <= access.PERMISSIONS


def test_only_administrators_administer_the_organisation():
    admins = {role for role, perms in access.ROLE_PERMISSIONS.items() if access.P_ORG_ADMIN in perms}
    assert admins == {Role.ADMINISTRATOR}


def test_an_employee_may_report_and_follow_the_unit_but_not_read_or_handle_reports():
    assert access.ROLE_PERMISSIONS[Role.EMPLOYEE] == {
        access.P_DEVIATION_REPORT,
        access.P_UNIT_VIEW,
        access.P_ACTION_VIEW,
        access.P_MEETING_VIEW,
        access.P_RISK_VIEW,
        # Staff record the children's meetings of the unit.
        access.P_CHILDRENS_MEETING_RECORD,
        # Staff read the unit's self-supervision plan and write its drafts (approval is the responsible person's).
        access.P_PLAN_VIEW,
        access.P_PLAN_EDIT,
        # Staff know the unit's children (their placements; keeping the records is the leaders').
        access.P_CLIENT_COUNT,
        access.P_CLIENT_VIEW,
        # Staff read and record the restrictive measures used on the unit's children; deciding
        # the director's measures is the unit's leaders' (restriction.decide).
        access.P_RESTRICTION_VIEW,
        access.P_RESTRICTION_RECORD,
    }


def test_the_unit_leaders_alone_decide_the_directors_restrictive_measures():
    roles = {role for role, perms in access.ROLE_PERMISSIONS.items() if access.P_RESTRICTION_DECIDE in perms}
    assert roles == {Role.SUPERVISOR, Role.RESPONSIBLE_PERSON}


def test_kind_limited_specialists_do_not_read_the_units_meetings_actions_or_logs():
    for role in (Role.SAFETY_MANAGER, Role.DATA_PROTECTION_OFFICER):
        perms = access.ROLE_PERMISSIONS[role]
        assert not perms & {access.P_MEETING_VIEW, access.P_ACTION_VIEW, access.P_LOG_VIEW, access.P_GUIDANCE_VIEW}


def test_reporter_identity_is_for_the_responsible_person_and_quality_director_only():
    roles = {role for role, perms in access.ROLE_PERMISSIONS.items() if access.P_DEVIATION_VIEW_REPORTER in perms}
    assert roles == {Role.RESPONSIBLE_PERSON, Role.QUALITY_DIRECTOR}


def test_an_administrator_cannot_read_deviations():
    assert access.P_DEVIATION_VIEW not in access.ROLE_PERMISSIONS[Role.ADMINISTRATOR]


def test_safety_manager_and_dpo_are_limited_to_their_kinds():
    assert access.ROLE_KIND_LIMITS[Role.SAFETY_MANAGER]["deviation"] == {"threat_or_violence"}
    assert access.ROLE_KIND_LIMITS[Role.DATA_PROTECTION_OFFICER]["deviation"] == {"data_protection"}


# --- Scopes ---------------------------------------------------------------------------------------


def test_a_unit_membership_covers_only_that_unit(employee_a, unit_a, unit_b):
    assert access.can(employee_a, access.P_DEVIATION_REPORT, unit_a)
    assert not access.can(employee_a, access.P_DEVIATION_REPORT, unit_b)


def test_a_unit_membership_grants_only_its_roles_permissions(employee_a, unit_a):
    assert not access.can(employee_a, access.P_DEVIATION_VIEW, unit_a)
    assert not access.can(employee_a, access.P_DEVIATION_HANDLE, unit_a)


def test_a_supervisor_handles_in_own_unit_only(supervisor_a, unit_a, unit_b):
    assert access.can(supervisor_a, access.P_DEVIATION_HANDLE, unit_a)
    assert not access.can(supervisor_a, access.P_DEVIATION_HANDLE, unit_b)


def test_a_region_membership_covers_the_units_of_that_region(regional_director_a, unit_a, unit_b, region_a):
    other_unit_in_region = UnitFactory(region=region_a)
    assert access.can(regional_director_a, access.P_DEVIATION_VIEW, unit_a)
    assert access.can(regional_director_a, access.P_DEVIATION_VIEW, other_unit_in_region)
    assert not access.can(regional_director_a, access.P_DEVIATION_VIEW, unit_b)


def test_an_organisation_wide_membership_covers_every_unit(quality_director, unit_a, unit_b):
    assert access.can(quality_director, access.P_DEVIATION_VIEW, unit_a)
    assert access.can(quality_director, access.P_DEVIATION_VIEW, unit_b)


def test_no_unit_means_no(quality_director):
    assert not access.can(quality_director, access.P_DEVIATION_VIEW, None)


def test_units_for_lists_the_active_units_in_scope(regional_director_a, unit_a, unit_b, region_a):
    closed = UnitFactory(region=region_a, is_active=False)
    units = set(access.units_for(regional_director_a, access.P_DEVIATION_VIEW))
    assert unit_a in units
    assert unit_b not in units
    assert closed not in units


def test_several_memberships_add_up(employee_a, unit_a, unit_b):
    Membership.objects.create(user=employee_a, role=Role.SUPERVISOR, unit=unit_b)
    access.forget(employee_a)
    assert access.can(employee_a, access.P_DEVIATION_HANDLE, unit_b)
    assert not access.can(employee_a, access.P_DEVIATION_HANDLE, unit_a)


def test_grants_are_cached_until_forgotten(employee_a, unit_b):
    assert not access.can(employee_a, access.P_DEVIATION_REPORT, unit_b)
    Membership.objects.create(user=employee_a, role=Role.EMPLOYEE, unit=unit_b)
    assert not access.can(employee_a, access.P_DEVIATION_REPORT, unit_b)  # cached
    access.forget(employee_a)
    assert access.can(employee_a, access.P_DEVIATION_REPORT, unit_b)


def test_scope_q_for_a_unit_supervisor_matches_that_units_deviations(supervisor_a, unit_a, unit_b):
    mine, other = deviation(unit_a), deviation(unit_b)
    assert visible(supervisor_a) == {mine.pk}
    assert other.pk not in visible(supervisor_a)


def test_scope_q_for_a_regional_director_matches_the_region(regional_director_a, unit_a, unit_b):
    mine, other = deviation(unit_a), deviation(unit_b)
    assert visible(regional_director_a) == {mine.pk}
    assert other.pk not in visible(regional_director_a)


def test_the_walking_form_of_a_scope_matches_the_same_rows_in_the_same_order(
    regional_director_a, unit_a, unit_b, region_a
):
    """`walk=True` only changes how the database plans a page of the list."""
    sibling = UnitFactory(region=region_a)
    made = [deviation(u) for u in (unit_a, unit_b, sibling, unit_a)]
    own_elsewhere = deviation(unit_b)
    Deviation.objects.filter(pk=own_elsewhere.pk).update(handler=regional_director_a)
    perm = access.P_DEVIATION_VIEW
    plain = Deviation.objects.for_actor(regional_director_a, perm).order_by("-submitted_at", "-id")
    walking = Deviation.objects.for_actor(regional_director_a, perm, walk=True).order_by("-submitted_at", "-id")
    assert list(walking.values_list("pk", flat=True)) == list(plain.values_list("pk", flat=True))
    assert set(plain.values_list("pk", flat=True)) == {made[0].pk, made[2].pk, made[3].pk, own_elsewhere.pk}
    # The region's units are matched through an expression the unit index cannot serve.
    assert "+ 0" in str(walking.query).replace("+0", "+ 0")


# People whose scopes the tests below compare: of a unit, a region, the
# organisation, and kind-limited.
SCOPED_PEOPLE = ["employee_a", "supervisor_a", "regional_director_a", "quality_director", "safety_manager", "dpo"]


def _reports_of_three_kinds(unit_a, unit_b, region_a) -> None:
    """A report of each of three kinds in unit A, unit B and a new unit of A's region."""
    for unit in (unit_a, unit_b, UnitFactory(region=region_a)):
        for kind in ("quality", "threat_or_violence", "data_protection"):
            deviation(unit, kind=kind)


@pytest.mark.parametrize("who", SCOPED_PEOPLE)
@pytest.mark.parametrize("walk", [False, True])
def test_the_compact_form_of_a_scope_matches_the_same_rows(who, walk, request, unit_a, unit_b, region_a):
    """`compact=True` writes a region as a subquery of its units instead of the
    list of their ids: the same rows (object rules and kind limits included),
    alone or with `walk`, for everyone."""
    actor = request.getfixturevalue(who)
    _reports_of_three_kinds(unit_a, unit_b, region_a)
    deviation(unit_b, kind="medication", reporter=actor)
    deviation(unit_b, kind="quality", handler=actor)
    perm = access.P_DEVIATION_VIEW
    plain = Deviation.objects.for_actor(actor, perm).order_by("-submitted_at", "-id")
    compact = Deviation.objects.for_actor(actor, perm, walk=walk, compact=True).order_by("-submitted_at", "-id")
    assert list(compact.values_list("pk", flat=True)) == list(plain.values_list("pk", flat=True))
    assert access.scope_q(actor, perm, compact=True) == access.scope_q(actor, perm) or who == "regional_director_a"


def test_the_compact_form_names_the_region_not_its_units(regional_director_a, unit_a, region_a, django_assert_num_queries):
    """A regional director's compact scope is a subquery on the units of the
    region (no query of its own, no list of ids in the statement); the plain
    form lists the ids, read once."""
    siblings = [UnitFactory(region=region_a) for _ in range(3)]
    access.forget(regional_director_a)
    access.grants(regional_director_a)
    perm = access.P_DEVIATION_VIEW
    with django_assert_num_queries(0):
        compact = str(Deviation.objects.for_actor(regional_director_a, perm, compact=True).query)
    where = compact.split(" WHERE ", 1)[1]
    assert '"organisation_unit" U0 WHERE' in where and f'region_id" = {region_a.pk})' in where
    with django_assert_num_queries(1):
        plain = str(Deviation.objects.for_actor(regional_director_a, perm).query)
    assert "organisation_unit" not in plain
    assert all(str(u.pk) in plain for u in (unit_a, *siblings))
    # The same subquery for the other unit-scoped models (a meeting's, an action's).
    from omavalvonta.improvement.models import Action

    assert "region_id" in str(Action.objects.for_actor(regional_director_a, access.P_ACTION_VIEW, compact=True).query)


@pytest.mark.parametrize("who", SCOPED_PEOPLE)
def test_the_split_count_matches_the_scoped_rows(who, request, unit_a, unit_b, region_a):
    actor = request.getfixturevalue(who)
    _reports_of_three_kinds(unit_a, unit_b, region_a)
    # Their own reports outside their scope count once, inside it once too.
    deviation(unit_b, kind="medication", reporter=actor)
    deviation(unit_a, kind="medication", handler=actor)
    deviation(unit_b, kind="quality", reporter=actor, handler=actor)
    perm = access.P_DEVIATION_VIEW
    for base in (Deviation.objects.all(), Deviation.objects.filter(kind="medication")):
        expected = access.filter_for_actor(base, actor, perm).count()
        assert access.count_for_actor(base, actor, perm) == expected
        # With a limit, counting stops there and never says more than it.
        for limit in (1, 2, expected, expected + 5):
            assert access.count_for_actor(base, actor, perm, limit=limit) == min(expected, limit)


@pytest.mark.parametrize("who", SCOPED_PEOPLE)
def test_the_rows_in_one_unit_match_the_scoped_rows_there(who, request, unit_a, unit_b, region_a):
    """filter_in_unit (one unit's timeline): the same rows as the full scope
    narrowed to the unit, whether the short form (the whole unit) or the scope is used."""
    actor = request.getfixturevalue(who)
    sibling = UnitFactory(region=region_a)
    for unit in (unit_a, unit_b, sibling):
        for kind in ("quality", "threat_or_violence", "data_protection"):
            deviation(unit, kind=kind)
        deviation(unit, kind="medication", reporter=actor)
        deviation(unit, kind="quality", handler=actor)
    perm = access.P_DEVIATION_VIEW
    for unit in (unit_a, unit_b, sibling):
        expected = set(access.filter_for_actor(Deviation.objects.all(), actor, perm).filter(unit_id=unit.pk).values_list("pk", flat=True))
        got = set(access_unit.filter_in_unit(Deviation.objects.all(), actor, perm, unit).values_list("pk", flat=True))
        assert got == expected
        # The short form only where every row of the unit is the actor's to see.
        whole = set(Deviation.objects.filter(unit_id=unit.pk).values_list("pk", flat=True))
        assert access_unit.sees_all_of_unit(actor, perm, unit, kind_field="kind") == (expected == whole)
    assert set(access_unit.filter_in_unit(Deviation.objects.all(), AnonymousUser(), perm, unit_a).values_list("pk", flat=True)) == set()


def test_scope_q_for_the_quality_director_matches_everything(quality_director, unit_a, unit_b):
    both = {deviation(unit_a).pk, deviation(unit_b).pk}
    q = access.scope_q(quality_director, access.P_DEVIATION_VIEW, kind_field="kind")
    assert set(Deviation.objects.filter(q).values_list("pk", flat=True)) == both


def test_for_actor_gives_the_quality_director_every_report(quality_director, unit_a, unit_b):
    both = {deviation(unit_a).pk, deviation(unit_b).pk}
    assert visible(quality_director) == both


# --- Kind limits ------------------------------------------------------------------------------------


def test_the_safety_manager_sees_only_threat_and_violence_reports(safety_manager, unit_a, unit_b):
    violence = deviation(unit_a, kind="threat_or_violence")
    violence_b = deviation(unit_b, kind="threat_or_violence")
    deviation(unit_a, kind="quality")
    deviation(unit_a, kind="data_protection")
    q = access.scope_q(safety_manager, access.P_DEVIATION_VIEW, kind_field="kind")
    assert set(Deviation.objects.filter(q).values_list("pk", flat=True)) == {violence.pk, violence_b.pk}


def test_the_dpo_sees_only_data_protection_reports(dpo, unit_a):
    breach = deviation(unit_a, kind="data_protection")
    deviation(unit_a, kind="threat_or_violence")
    deviation(unit_a, kind="medication")
    assert visible(dpo) == {breach.pk}


def test_kind_limits_apply_to_can_with_a_kind(safety_manager, unit_a):
    assert access.can(safety_manager, access.P_DEVIATION_VIEW, unit_a, kind="threat_or_violence")
    assert not access.can(safety_manager, access.P_DEVIATION_VIEW, unit_a, kind="medication")


def test_a_kind_limit_does_not_narrow_another_membership(safety_manager, unit_a):
    # A safety manager who also supervises a unit sees all of that unit's reports.
    Membership.objects.create(user=safety_manager, role=Role.SUPERVISOR, unit=unit_a)
    access.forget(safety_manager)
    quality = deviation(unit_a, kind="quality")
    assert quality.pk in visible(safety_manager)


def test_a_kind_limited_role_gets_403_on_another_kind(safety_manager, unit_a):
    quality = deviation(unit_a, kind="quality")
    with pytest.raises(PermissionDenied):
        access.access_object(Deviation.objects.all(), safety_manager, quality.pk, access.P_DEVIATION_VIEW)


# --- 404 outside, 403 inside ---------------------------------------------------------------------------


def test_a_record_outside_the_actors_units_is_404(supervisor_b, unit_a):
    report = deviation(unit_a)
    with pytest.raises(Http404):
        access.access_object(Deviation.objects.all(), supervisor_b, report.pk, access.P_DEVIATION_VIEW)


def test_a_record_inside_the_unit_without_the_permission_is_403(colleague_a, unit_a):
    report = deviation(unit_a)
    with pytest.raises(PermissionDenied):
        access.access_object(Deviation.objects.all(), colleague_a, report.pk, access.P_DEVIATION_VIEW)


def test_a_record_inside_the_unit_with_the_permission_is_returned(supervisor_a, unit_a):
    report = deviation(unit_a)
    got = access.access_object(Deviation.objects.all(), supervisor_a, report.pk, access.P_DEVIATION_VIEW)
    assert got == report


def test_a_missing_or_malformed_pk_is_404(supervisor_a):
    for pk in (999999, "abc", None):
        with pytest.raises(Http404):
            access.access_object(Deviation.objects.all(), supervisor_a, pk, access.P_DEVIATION_VIEW)


def test_require_raises_permission_denied(employee_a, unit_a):
    access.require(employee_a, access.P_DEVIATION_REPORT, unit_a)
    with pytest.raises(PermissionDenied):
        access.require(employee_a, access.P_DEVIATION_HANDLE, unit_a)


# --- The owner rule ---------------------------------------------------------------------------------------


def test_a_reporter_sees_their_own_report(employee_a, unit_a):
    report = deviation(unit_a, reporter=employee_a)
    got = access.access_object(Deviation.objects.all(), employee_a, report.pk, access.P_DEVIATION_VIEW)
    assert got == report
    assert visible(employee_a) == {report.pk}
    assert access.can_on(employee_a, report, access.P_DEVIATION_VIEW)


def test_a_colleague_does_not_see_someone_elses_report(employee_a, colleague_a, unit_a):
    report = deviation(unit_a, reporter=employee_a)
    assert visible(colleague_a) == set()
    with pytest.raises(PermissionDenied):
        access.access_object(Deviation.objects.all(), colleague_a, report.pk, access.P_DEVIATION_VIEW)


def test_the_reporter_may_not_handle_their_own_report(employee_a, unit_a):
    report = deviation(unit_a, reporter=employee_a)
    assert not access.can_on(employee_a, report, access.P_DEVIATION_HANDLE)
    with pytest.raises(PermissionDenied):
        access.require_on(employee_a, report, access.P_DEVIATION_HANDLE)


def test_the_named_handler_handles_and_sees_the_reporter_even_from_another_unit(supervisor_b, employee_a, unit_a):
    report = deviation(unit_a, reporter=employee_a, handler=supervisor_b)
    assert access.can_on(supervisor_b, report, access.P_DEVIATION_HANDLE)
    assert access.can_on(supervisor_b, report, access.P_DEVIATION_VIEW_REPORTER)
    assert report.pk in visible(supervisor_b, access.P_DEVIATION_HANDLE)


def test_the_owner_rule_does_not_extend_to_other_permissions(employee_a, unit_a):
    report = deviation(unit_a, reporter=employee_a)
    assert report.pk not in visible(employee_a, access.P_DEVIATION_EXPORT)


# --- Deny by default --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "call",
    [
        lambda user, unit: access.can(user, "deviation.destroy", unit),
        lambda user, unit: access.has_perm_anywhere(user, "nonsense"),
        lambda user, unit: access.scope_q(user, "deviation.everything"),
        lambda user, unit: access.units_for(user, "unit.own"),
        lambda user, unit: access.access_object(Deviation.objects.all(), user, 1, "deviation.peek"),
        lambda user, unit: access.requires("deviation.anything"),
    ],
)
def test_an_unknown_permission_raises_value_error(call, quality_director, unit_a):
    with pytest.raises(ValueError):
        call(quality_director, unit_a)


def test_an_inactive_user_has_nothing(supervisor_a, unit_a):
    report = deviation(unit_a, reporter=supervisor_a)
    supervisor_a.is_active = False
    supervisor_a.save(update_fields=["is_active"])
    access.forget(supervisor_a)
    assert access.grants(supervisor_a) == []
    assert not access.can(supervisor_a, access.P_DEVIATION_VIEW, unit_a)
    assert not access.has_perm_anywhere(supervisor_a, access.P_DEVIATION_REPORT)
    assert not access.has_perm_anywhere(supervisor_a, access.AUTHENTICATED)
    assert not access.owns(supervisor_a, report, access.P_DEVIATION_VIEW)
    assert not access.can_on(supervisor_a, report, access.P_DEVIATION_VIEW)
    with pytest.raises(Http404):
        access.access_object(Deviation.objects.all(), supervisor_a, report.pk, access.P_DEVIATION_VIEW)


def test_an_inactive_reporter_no_longer_lists_their_own_reports(employee_a, unit_a):
    deviation(unit_a, reporter=employee_a)
    employee_a.is_active = False
    employee_a.save(update_fields=["is_active"])
    access.forget(employee_a)
    assert visible(employee_a) == set()


def test_an_anonymous_visitor_has_nothing(unit_a):
    anonymous = AnonymousUser()
    assert access.grants(anonymous) == []
    assert not access.can(anonymous, access.P_DEVIATION_REPORT, unit_a)
    assert Deviation.objects.for_actor(anonymous, access.P_DEVIATION_VIEW).count() == 0


def test_a_person_without_memberships_has_nothing(unit_a):
    nobody = member(Role.EMPLOYEE, unit=unit_a)
    nobody.memberships.all().delete()
    access.forget(nobody)
    deviation(unit_a)
    assert not access.has_perm_anywhere(nobody, access.P_DEVIATION_REPORT)
    assert visible(nobody) == set()


# --- The view declaration ------------------------------------------------------------------------------------


def _view(request):
    return HttpResponse("ok")


def test_requires_marks_the_view_with_its_permission():
    view = access.requires(access.P_ORG_ADMIN)(_view)
    assert view.access_permission == access.P_ORG_ADMIN


def test_requires_sends_an_anonymous_visitor_to_sign_in():
    request = RequestFactory().get("/hallinta/")
    request.user = AnonymousUser()
    response = access.requires(access.P_ORG_ADMIN)(_view)(request)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_requires_refuses_a_person_without_the_permission(employee_a):
    request = RequestFactory().get("/hallinta/")
    request.user = employee_a
    with pytest.raises(PermissionDenied):
        access.requires(access.P_ORG_ADMIN)(_view)(request)


def test_requires_lets_a_person_with_the_permission_in(administrator):
    request = RequestFactory().get("/hallinta/")
    request.user = administrator
    assert access.requires(access.P_ORG_ADMIN)(_view)(request).status_code == 200


def test_public_view_is_marked_and_needs_no_login():
    view = access.public_view(_view)
    assert view.access_public is True
    assert view.login_required is False


def test_access_unit_is_404_outside_the_actors_units_and_403_inside_without_the_right(
    supervisor_a, employee_a, supervisor_b, unit_a
):
    assert access.access_unit(supervisor_a, unit_a.pk, access.P_DEVIATION_ROUTING) == unit_a
    with pytest.raises(PermissionDenied):
        access.access_unit(employee_a, unit_a.pk, access.P_DEVIATION_ROUTING)
    with pytest.raises(Http404):
        access.access_unit(supervisor_b, unit_a.pk, access.P_DEVIATION_ROUTING)
    with pytest.raises(Http404):
        access.access_unit(supervisor_a, "not-a-number", access.P_DEVIATION_ROUTING)
