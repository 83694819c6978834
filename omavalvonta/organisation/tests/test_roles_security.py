"""Nobody raises their own rights, and granting a role that reads protected or
child data needs the password again and is told to the other administrators
and the data protection officer.

An outside probe's administrator made themselves organisation-wide quality
director with one POST and then read a protected identity."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from omavalvonta.notifications.models import Notification
from omavalvonta.organisation import access, services
from omavalvonta.organisation.models import Membership, Role
from omavalvonta.testing.factories import PASSWORD, member, reauthenticated

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_admin(organisation):
    return member(Role.ADMINISTRATOR, full_name="Olli Toinen", email="olli@omavalvonta.example")


def add_role(client, person, **data):
    return client.post(
        reverse("organisation:membership_add", args=[person.pk]), {f"membership-{k}": v for k, v in data.items()}
    )


def test_the_table_knows_which_roles_read_protected_data():
    assert access.role_reads_sensitive_data(Role.QUALITY_DIRECTOR)
    assert access.role_reads_sensitive_data(Role.SUPERVISOR)
    assert access.role_reads_sensitive_data(Role.DATA_PROTECTION_OFFICER)
    assert not access.role_reads_sensitive_data(Role.EMPLOYEE)
    assert not access.role_reads_sensitive_data(Role.ADMINISTRATOR)
    assert not access.role_reads_sensitive_data("no-such-role")


def test_an_administrator_cannot_make_themselves_quality_director(client, administrator):
    client.force_login(administrator)
    reauthenticated(client, administrator)
    response = add_role(client, administrator, role=Role.QUALITY_DIRECTOR, scope="organisation")
    assert response.status_code == 200
    assert "You cannot change your own roles. Ask another administrator." in response.content.decode()
    assert not administrator.memberships.filter(role=Role.QUALITY_DIRECTOR).exists()
    access.forget(administrator)
    assert not access.has_perm_anywhere(administrator, access.P_DEVIATION_VIEW_REPORTER)


@pytest.mark.parametrize("role", [Role.EMPLOYEE, Role.QUALITY_DIRECTOR])
def test_the_service_refuses_changes_to_ones_own_roles(administrator, unit_a, role):
    with pytest.raises(ValidationError, match="own roles"):
        services.membership_add(
            actor=administrator, person=administrator, role=role, unit=unit_a if role == Role.EMPLOYEE else None
        )
    with pytest.raises(ValidationError, match="own roles"):
        services.membership_remove(actor=administrator, membership=administrator.memberships.get())


def test_another_administrator_may_change_them(other_admin, administrator):
    services.membership_add(actor=other_admin, person=administrator, role=Role.QUALITY_DIRECTOR)
    assert administrator.memberships.filter(role=Role.QUALITY_DIRECTOR).exists()


def test_granting_a_role_that_reads_protected_data_asks_for_the_password_first(client, administrator, employee_a, unit_a):
    client.force_login(administrator)
    response = add_role(client, employee_a, role=Role.SUPERVISOR, scope="unit", unit=unit_a.pk)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert not employee_a.memberships.filter(role=Role.SUPERVISOR).exists()
    # The password typed again, allauth carries out the waiting POST.
    done = client.post(response["Location"], {"password": PASSWORD})
    assert done.status_code == 302
    assert employee_a.memberships.filter(role=Role.SUPERVISOR, unit=unit_a).exists()


def test_a_wrong_password_grants_nothing(client, administrator, employee_a, unit_a):
    client.force_login(administrator)
    response = add_role(client, employee_a, role=Role.QUALITY_DIRECTOR, scope="organisation")
    client.post(response["Location"], {"password": "väärä-salasana-123"})
    assert not employee_a.memberships.filter(role=Role.QUALITY_DIRECTOR).exists()


def test_a_role_without_protected_data_needs_no_password(client, administrator, colleague_a, unit_b):
    client.force_login(administrator)
    response = add_role(client, colleague_a, role=Role.EMPLOYEE, scope="unit", unit=unit_b.pk)
    assert response.status_code == 302
    assert response["Location"] == reverse("organisation:person_detail", args=[colleague_a.pk])
    assert colleague_a.memberships.filter(role=Role.EMPLOYEE, unit=unit_b).exists()


def test_a_new_person_with_such_a_role_asks_for_the_password_too(client, administrator, unit_a):
    client.force_login(administrator)
    response = client.post(
        reverse("organisation:person_create"),
        {"email": "uusi@omavalvonta.example", "full_name": "Uusi Esihenkilö", "role": Role.SUPERVISOR,
         "scope": "unit", "unit": unit_a.pk, "password": ""},
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert not Membership.objects.filter(user__email="uusi@omavalvonta.example").exists()


def test_the_other_administrators_and_the_dpo_are_told(administrator, other_admin, dpo, employee_a, unit_a):
    services.membership_add(actor=administrator, person=employee_a, role=Role.RESPONSIBLE_PERSON, unit=unit_a)
    told = Notification.objects.filter(kind="organisation.sensitive_role_granted")
    assert set(told.values_list("recipient", flat=True)) == {other_admin.pk, dpo.pk}
    message = told.first()
    assert employee_a.full_name in message.subject
    assert administrator.full_name in message.body
    assert message.link == reverse("organisation:person_detail", args=[employee_a.pk])


def test_nobody_is_told_of_a_role_without_protected_data(administrator, other_admin, dpo, colleague_a, unit_b):
    services.membership_add(actor=administrator, person=colleague_a, role=Role.EMPLOYEE, unit=unit_b)
    assert not Notification.objects.filter(kind="organisation.sensitive_role_granted").exists()
