"""Who of a county may sign in: granted and revoked by an administrator, a
county person signs in with a second factor and holds no role; the statutory
notification's county is filled in for messages sent before it existed."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from omavalvonta.core.models import AuditEvent
from omavalvonta.deviations.models import StatutoryNotification
from omavalvonta.organisation import access_county, services as org_services
from omavalvonta.organisation.models import CountyAccess, Role
from omavalvonta.testing.factories import UserFactory, member

pytestmark = pytest.mark.django_db


def test_the_admin_grants_and_revokes_a_countys_access(client, admin, county_x):
    person = UserFactory(full_name="Ville Valvoja")
    client.force_login(admin)
    page = client.get(reverse("organisation:county_access_list"))
    assert page.status_code == 200 and "Ville Valvoja" in page.content.decode()
    response = client.post(reverse("organisation:county_access_list"), {"person": person.pk, "county": county_x.pk})
    assert response.status_code == 302
    grant = CountyAccess.objects.get(user=person)
    assert grant.county == county_x and grant.granted_by == admin and grant.is_active
    assert access_county.county_of(person) == county_x
    assert AuditEvent.objects.filter(verb="county_access.granted").exists()
    client.post(reverse("organisation:county_access_revoke", args=[grant.pk]))
    grant.refresh_from_db()
    assert grant.revoked_at is not None and grant.revoked_by == admin
    assert access_county.county_of(type(person).objects.get(pk=person.pk)) is None


def test_a_bad_grant_says_why_and_keeps_the_choice(client, admin, county_x):
    client.force_login(admin)
    response = client.post(reverse("organisation:county_access_list"), {"person": "999999", "county": county_x.pk})
    assert response.status_code == 200 and not CountyAccess.objects.exists()
    html = response.content.decode()
    assert "error-summary" in html and f'value="{county_x.pk}" selected' in html


def test_a_member_of_staff_cannot_be_given_a_countys_access(admin, county_x, unit_x):
    employee = member(Role.EMPLOYEE, unit=unit_x)
    with pytest.raises(ValidationError):
        org_services.county_access_grant(actor=admin, person=employee, county=county_x)


def test_a_county_person_gets_no_role_and_no_second_county(admin, county_person, county_y, unit_x):
    with pytest.raises(ValidationError):
        org_services.membership_add(actor=admin, person=county_person, role=Role.EMPLOYEE, unit=unit_x)
    with pytest.raises(ValidationError):
        org_services.county_access_grant(actor=admin, person=county_person, county=county_y)


def test_only_an_administrator_grants(county_x, unit_x):
    supervisor = member(Role.SUPERVISOR, unit=unit_x)
    with pytest.raises(PermissionDenied):
        org_services.county_access_grant(actor=supervisor, person=UserFactory(), county=county_x)
    with pytest.raises(PermissionDenied):
        org_services.api_token_create(actor=supervisor, name="x", county=county_x)


def test_a_county_person_must_use_a_second_factor(client, settings, county_person):
    settings.REQUIRE_MFA_FOR_PRIVILEGED = True
    client.force_login(county_person)
    response = client.get(reverse("county:home"))
    assert response.status_code == 302 and response["Location"] == reverse("mfa_activate_totp")


def test_the_admin_pages_need_the_admin(client, county_person, unit_x):
    client.force_login(member(Role.QUALITY_DIRECTOR))
    assert client.get(reverse("organisation:county_access_list")).status_code == 403
    assert client.get(reverse("organisation:api_token_list")).status_code == 403
    client.force_login(county_person)
    assert client.get(reverse("organisation:county_access_list")).status_code == 403


def test_the_migration_fills_the_county_where_it_can(report_x, county_x, county_y):
    StatutoryNotification.objects.update(county=None)
    # The lead official's address shared by two counties: cannot be told apart.
    county_y.lead_official_email = county_x.lead_official_email
    county_y.save()
    migration = importlib.import_module("omavalvonta.deviations.migrations.0012_notification_county")
    migration.fill_county(django_apps, None)
    rows = dict(StatutoryNotification.objects.values_list("recipient_kind", "county_id"))
    assert rows["county"] == county_x.pk
    assert rows["lead_official"] is None
