"""Organisation administration in the product: pages, permissions, the
messages a clerk sees, and the audit trail of every change."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from omavalvonta.core.models import AuditEvent
from omavalvonta.organisation import access, services
from omavalvonta.organisation.models import Membership, Region, Role, Unit, User, WellbeingCounty
from omavalvonta.organisation.tests.helpers import audit
from omavalvonta.testing.factories import UnitFactory, UserFactory, member, reauthenticated

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, administrator):
    client.force_login(administrator)
    # Granting roles that read protected data asks for the password again
    # (tested in test_roles_security.py); here the administrator has just typed it.
    return reauthenticated(client, administrator)


def unit_data(region, **overrides):
    data = {
        "name": "Lastenkoti Kuusi",
        "service_type": "substitute_care",
        "region": str(region.pk),
        "places": "6",
        "street_address": "Kuusitie 1",
        "postal_code": "33100",
        "city": "Tampere",
        "email": "kuusi@omavalvonta.example",
        "phone": "040 123 4567",
        "public_slug": "",
        "is_active": "on",
    }
    data.update(overrides)
    return data


def person_data(**overrides):
    data = {"full_name": "Uusi Ohjaaja", "email": "uusi.ohjaaja@omavalvonta.example", "title": "Ohjaaja",
            "phone": "", "password": "", "role": "", "scope": "", "region": "", "unit": ""}
    data.update(overrides)
    return data


def page_urls(unit, county, region, person, membership):
    return [
        reverse("organisation:admin_home"),
        reverse("organisation:unit_list"),
        reverse("organisation:unit_create"),
        reverse("organisation:unit_edit", args=[unit.pk]),
        reverse("organisation:county_list"),
        reverse("organisation:county_create"),
        reverse("organisation:county_edit", args=[county.pk]),
        reverse("organisation:region_list"),
        reverse("organisation:region_create"),
        reverse("organisation:region_edit", args=[region.pk]),
        reverse("organisation:person_list"),
        reverse("organisation:person_create"),
        reverse("organisation:person_detail", args=[person.pk]),
        reverse("organisation:person_edit", args=[person.pk]),
        reverse("organisation:person_password", args=[person.pk]),
        reverse("organisation:membership_remove", args=[person.pk, membership.pk]),
    ]


@pytest.fixture
def all_urls(unit_a, county, region_a, employee_a):
    return page_urls(unit_a, county, region_a, employee_a, employee_a.memberships.get())


# --- Who may enter -----------------------------------------------------------------------------------


def test_every_admin_page_opens_for_an_administrator(admin_client, all_urls):
    for url in all_urls:
        response = admin_client.get(url)
        assert response.status_code == 200, url


@pytest.mark.parametrize("who", ["employee_a", "supervisor_a", "regional_director_a", "quality_director", "dpo"])
def test_other_roles_get_403_on_every_admin_page(client, all_urls, who, request):
    client.force_login(request.getfixturevalue(who))
    for url in all_urls:
        assert client.get(url).status_code == 403, url


def test_other_roles_cannot_post_either(client, supervisor_a, region_a):
    client.force_login(supervisor_a)
    response = client.post(reverse("organisation:unit_create"), unit_data(region_a))
    assert response.status_code == 403
    assert not Unit.objects.filter(name="Lastenkoti Kuusi").exists()


def test_an_anonymous_visitor_is_sent_to_sign_in(client, all_urls):
    for url in all_urls:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


def test_every_admin_view_declares_the_admin_permission():
    from omavalvonta.organisation import urls

    for pattern in urls.urlpatterns:
        assert pattern.callback.access_permission == access.P_ORG_ADMIN, pattern.name


def test_the_navigation_offers_administration_to_administrators_only(client, administrator, employee_a):
    client.force_login(administrator)
    assert reverse("organisation:admin_home") in client.get(reverse("home")).content.decode()
    client.force_login(employee_a)
    assert reverse("organisation:admin_home") not in client.get(reverse("home")).content.decode()


def test_services_refuse_a_non_administrator(supervisor_a, region_a, unit_a, employee_a):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.region_create(actor=supervisor_a, name="Kanta-Häme")
    with pytest.raises(PermissionDenied):
        services.unit_update(actor=supervisor_a, unit=unit_a, name="Uusi nimi")
    with pytest.raises(PermissionDenied):
        services.membership_add(actor=supervisor_a, person=employee_a, role=Role.SUPERVISOR, unit=unit_a)
    with pytest.raises(PermissionDenied):
        services.person_update(actor=supervisor_a, person=employee_a, is_active=False)


# --- Home -------------------------------------------------------------------------------------------------


def test_admin_home_shows_the_counts(admin_client, unit_a, unit_b, county, employee_a):
    UserFactory()  # a person without a role
    response = admin_client.get(reverse("organisation:admin_home"))
    counts = response.context["counts"]
    assert counts["units"] == 2
    assert counts["regions"] == 2
    assert counts["counties"] == 1
    assert counts["people_without_role"] == 1
    assert "has no role yet" in response.content.decode()


# --- Units ------------------------------------------------------------------------------------------------


def test_creating_a_unit_makes_the_slug_from_the_name_and_writes_an_audit_event(
    admin_client, administrator, region_a, county
):
    response = admin_client.post(
        reverse("organisation:unit_create"), {**unit_data(region_a), "counties": [str(county.pk)]}
    )
    assert response.status_code == 302
    unit = Unit.objects.get(name="Lastenkoti Kuusi")
    assert unit.public_slug == "lastenkoti-kuusi"
    assert list(unit.counties.all()) == [county]
    assert unit.places == 6 and unit.region == region_a and unit.is_active
    event = audit("unit.created", unit).get()
    assert event.actor == administrator
    assert event.unit == unit


def test_a_slug_made_from_a_taken_name_gets_a_number(admin_client, region_a):
    UnitFactory(region=region_a, public_slug="lastenkoti-kuusi")
    admin_client.post(reverse("organisation:unit_create"), unit_data(region_a))
    assert Unit.objects.get(name="Lastenkoti Kuusi", public_slug="lastenkoti-kuusi-2")


def test_a_finnish_name_becomes_an_ascii_slug(admin_client, region_a):
    admin_client.post(reverse("organisation:unit_create"), unit_data(region_a, name="Jälkihuolto Pyhäjärvi"))
    assert Unit.objects.get(name="Jälkihuolto Pyhäjärvi").public_slug == "jalkihuolto-pyhajarvi"


def test_a_duplicate_slug_is_refused_with_a_clear_message_and_the_typed_values_stay(admin_client, region_a, unit_a):
    response = admin_client.post(
        reverse("organisation:unit_create"), unit_data(region_a, public_slug=unit_a.public_slug)
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Another unit already uses this public address." in html
    assert 'value="Lastenkoti Kuusi"' in html
    assert 'value="Kuusitie 1"' in html
    assert not Unit.objects.filter(name="Lastenkoti Kuusi").exists()


def test_a_slug_with_spaces_or_capitals_is_refused(admin_client, region_a):
    response = admin_client.post(reverse("organisation:unit_create"), unit_data(region_a, public_slug="Kuusi Koti"))
    assert "Use only lowercase letters" in response.content.decode()


def test_required_unit_fields_and_a_bad_postal_code_are_explained(admin_client, region_a):
    response = admin_client.post(
        reverse("organisation:unit_create"), unit_data(region_a, name="", service_type="", postal_code="331")
    )
    form = response.context["form"]
    assert set(form.errors) >= {"name", "service_type", "postal_code"}
    assert "A postal code has five digits" in response.content.decode()
    assert "field--error" in response.content.decode()


def test_editing_a_unit_saves_the_changes_and_records_which_fields_changed(
    admin_client, unit_a, region_b, county
):
    other = WellbeingCounty.objects.create(
        name="Satakunnan hyvinvointialue", notification_email="k@sata.example",
        lead_official_name="Sanna", lead_official_email="s@sata.example",
    )
    data = unit_data(region_b, name="Lastenkoti Koivu", public_slug="koivu", counties=[str(other.pk)], places="9")
    response = admin_client.post(reverse("organisation:unit_edit", args=[unit_a.pk]), data)
    assert response.status_code == 302
    unit_a.refresh_from_db()
    assert unit_a.region == region_b and unit_a.places == 9
    assert list(unit_a.counties.all()) == [other]
    changed = audit("unit.updated", unit_a).get().data["changed"]
    assert {"region", "places", "counties"} <= set(changed)
    assert "name" not in changed


def test_editing_a_unit_keeps_its_own_slug(admin_client, unit_a, region_a):
    data = unit_data(region_a, name=unit_a.name, public_slug=unit_a.public_slug)
    assert admin_client.post(reverse("organisation:unit_edit", args=[unit_a.pk]), data).status_code == 302


def test_deactivating_a_unit(admin_client, unit_a, region_a):
    data = unit_data(region_a, name=unit_a.name, public_slug=unit_a.public_slug)
    del data["is_active"]
    admin_client.post(reverse("organisation:unit_edit", args=[unit_a.pk]), data)
    unit_a.refresh_from_db()
    assert not unit_a.is_active


def test_the_unit_list_filters_by_region_service_type_and_state(admin_client, unit_a, unit_b, region_a):
    UnitFactory(region=region_a, name="Avohuolto Tampere", service_type="open_care")
    UnitFactory(region=region_a, name="Suljettu koti", is_active=False)
    url = reverse("organisation:unit_list")

    def names(**params):
        return {u.name for u in admin_client.get(url, params).context["page"]}

    assert names(region=region_a.pk) == {"Lastenkoti Koivu", "Avohuolto Tampere", "Suljettu koti"}
    assert names(service_type="open_care") == {"Avohuolto Tampere"}
    assert names(active="no") == {"Suljettu koti"}
    assert names(region=region_a.pk, active="yes", service_type="substitute_care") == {"Lastenkoti Koivu"}


def test_the_unit_list_shows_20_per_page_and_keeps_the_filters_in_page_links(admin_client, region_a):
    for i in range(25):
        UnitFactory(region=region_a, name=f"Yksikkö {i:02d}")
    url = reverse("organisation:unit_list")
    first = admin_client.get(url, {"region": region_a.pk})
    assert len(first.context["page"].object_list) == 20
    assert f"region={region_a.pk}&amp;page=2" in first.content.decode()
    second = admin_client.get(url, {"region": region_a.pk, "page": 2})
    assert len(second.context["page"].object_list) == 5


# --- Counties and regions -----------------------------------------------------------------------------------


def test_adding_a_county(admin_client, administrator):
    response = admin_client.post(
        reverse("organisation:county_create"),
        {
            "name": "Kanta-Hämeen hyvinvointialue",
            "notification_email": "Kirjaamo@OmaHame.example",
            "lead_official_name": "Hanna Häme",
            "lead_official_email": "hanna@omahame.example",
            "lead_official_phone": "03 123 456",
        },
    )
    assert response.status_code == 302
    county = WellbeingCounty.objects.get(name="Kanta-Hämeen hyvinvointialue")
    assert county.notification_email == "kirjaamo@omahame.example"
    assert audit("county.created", county).get().actor == administrator


def test_a_duplicate_county_name_and_a_bad_address_are_explained(admin_client, county):
    response = admin_client.post(
        reverse("organisation:county_create"),
        {"name": county.name.upper(), "notification_email": "not-an-address", "lead_official_name": "X",
         "lead_official_email": "x@hva.example"},
    )
    assert response.status_code == 200
    assert "notification_email" in response.context["form"].errors
    response = admin_client.post(
        reverse("organisation:county_create"),
        {"name": county.name.upper(), "notification_email": "k@hva.example", "lead_official_name": "X",
         "lead_official_email": "x@hva.example"},
    )
    assert "A wellbeing services county with this name already exists." in response.content.decode()


def test_editing_a_county(admin_client, county):
    response = admin_client.post(
        reverse("organisation:county_edit", args=[county.pk]),
        {"name": county.name, "notification_email": county.notification_email,
         "lead_official_name": "Uusi Johtaja", "lead_official_email": "uusi@hva.example"},
    )
    assert response.status_code == 302
    county.refresh_from_db()
    assert county.lead_official_name == "Uusi Johtaja"
    assert set(audit("county.updated", county).get().data["changed"]) == {"lead_official_name", "lead_official_email"}


def test_adding_and_renaming_a_region(admin_client, organisation, region_a):
    assert admin_client.post(reverse("organisation:region_create"), {"name": "Kanta-Häme"}).status_code == 302
    region = Region.objects.get(name="Kanta-Häme")
    assert region.organisation == organisation
    assert audit("region.created", region).exists()
    response = admin_client.post(reverse("organisation:region_edit", args=[region.pk]), {"name": "pirkanmaa"})
    assert "A region with this name already exists." in response.content.decode()
    admin_client.post(reverse("organisation:region_edit", args=[region.pk]), {"name": "Etelä-Pohjanmaa"})
    region.refresh_from_db()
    assert region.name == "Etelä-Pohjanmaa"
    assert audit("region.updated", region).exists()


# --- People ----------------------------------------------------------------------------------------------------


def test_creating_a_person_with_a_generated_password_shows_it_once(admin_client, administrator, unit_a):
    response = admin_client.post(
        reverse("organisation:person_create"),
        person_data(role=Role.EMPLOYEE, scope="unit", unit=str(unit_a.pk)),
    )
    assert response.status_code == 302
    person = User.objects.get(email="uusi.ohjaaja@omavalvonta.example")
    first = admin_client.get(response["Location"])
    password = first.context["new_password"]
    assert password and password in first.content.decode()
    assert person.check_password(password)
    second = admin_client.get(response["Location"])
    assert second.context["new_password"] is None
    assert password not in second.content.decode()
    assert list(person.memberships.values_list("role", "unit")) == [(Role.EMPLOYEE, unit_a.pk)]
    assert audit("person.created", person).get().actor == administrator
    assert audit("membership.added", person).get().data["role"] == Role.EMPLOYEE
    assert password not in str(list(AuditEvent.objects.values_list("data", flat=True)))


def test_the_new_person_can_sign_in_with_the_chosen_password(admin_client, client, unit_a):
    admin_client.post(
        reverse("organisation:person_create"),
        person_data(password="Kesäleiri-2026-Koivu", role=Role.EMPLOYEE, unit=str(unit_a.pk)),
    )
    admin_client.logout()
    response = client.post(
        reverse("account_login"), {"login": "uusi.ohjaaja@omavalvonta.example", "password": "Kesäleiri-2026-Koivu"}
    )
    assert response.status_code == 302
    assert client.get(reverse("home")).context["user"].email == "uusi.ohjaaja@omavalvonta.example"


def test_a_duplicate_email_is_refused_in_words_a_clerk_understands(admin_client, employee_a):
    response = admin_client.post(
        reverse("organisation:person_create"), person_data(email=employee_a.email.upper(), full_name="Toinen Eeva")
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "A person with this e-mail address already exists." in html
    assert 'value="Toinen Eeva"' in html
    assert User.objects.filter(email__iexact=employee_a.email).count() == 1


def test_every_problem_of_a_new_person_is_reported_at_once(admin_client, employee_a):
    response = admin_client.post(
        reverse("organisation:person_create"),
        person_data(email=employee_a.email, password="1234", role=Role.SUPERVISOR, scope="organisation"),
    )
    errors = response.context["form"].errors
    assert set(errors) == {"email", "password", "unit"}


def test_missing_fields_get_plain_messages(admin_client):
    response = admin_client.post(reverse("organisation:person_create"), person_data(full_name="", email=""))
    errors = response.context["form"].errors
    assert errors["full_name"] == ["Enter the person's name."]
    assert errors["email"] == ["Enter the person's e-mail address."]


def test_a_weak_password_is_refused(admin_client):
    response = admin_client.post(reverse("organisation:person_create"), person_data(password="12345678"))
    assert "password" in response.context["form"].errors
    assert not User.objects.filter(email="uusi.ohjaaja@omavalvonta.example").exists()


def test_a_first_role_without_its_unit_is_refused_and_nobody_is_created(admin_client):
    response = admin_client.post(
        reverse("organisation:person_create"), person_data(role=Role.SUPERVISOR, scope="organisation")
    )
    assert "works in one unit" in response.content.decode()
    assert not User.objects.filter(email="uusi.ohjaaja@omavalvonta.example").exists()


def test_the_people_list_searches_names_and_addresses(admin_client, employee_a, colleague_a, supervisor_a):
    url = reverse("organisation:person_list")

    def names(**params):
        return {p.full_name for p in admin_client.get(url, params).context["page"]}

    assert names(q="kalle") == {"Kalle Kollega"}
    assert names(q="sari@omavalvonta") == {"Sari Esihenkilö"}
    assert names(q="eeva työntekijä") == {"Eeva Työntekijä"}


def test_the_people_list_filters_by_unit_role_and_state(
    admin_client, employee_a, colleague_a, supervisor_a, supervisor_b, unit_a
):
    # A second role in the same unit must not list the person twice.
    Membership.objects.create(user=supervisor_a, role=Role.RESPONSIBLE_PERSON, unit=unit_a)
    UserFactory(full_name="Ilman Roolia")
    colleague_a.is_active = False
    colleague_a.save()
    url = reverse("organisation:person_list")

    def names(**params):
        return [p.full_name for p in admin_client.get(url, params).context["page"]]

    assert sorted(names(unit=unit_a.pk)) == ["Eeva Työntekijä", "Kalle Kollega", "Sari Esihenkilö"]
    assert sorted(names(role=Role.SUPERVISOR)) == ["Mikko Muualta", "Sari Esihenkilö"]
    assert names(unit=unit_a.pk, role=Role.SUPERVISOR) == ["Sari Esihenkilö"]
    assert names(role="none") == ["Ilman Roolia"]
    assert names(unit=unit_a.pk, active="no") == ["Kalle Kollega"]


def test_the_people_list_pages_by_20_and_its_queries_do_not_grow_with_rows(admin_client, unit_a):
    url = reverse("organisation:person_list")
    for _ in range(3):
        member(Role.EMPLOYEE, unit=unit_a)
    admin_client.get(url)  # warm up (session, content types)
    with CaptureQueriesContext(connection) as few:
        admin_client.get(url)
    for _ in range(30):
        member(Role.EMPLOYEE, unit=unit_a)
    with CaptureQueriesContext(connection) as many:
        response = admin_client.get(url)
    assert len(response.context["page"].object_list) == 20
    assert len(many.captured_queries) == len(few.captured_queries)


def test_editing_a_person_and_deactivating_a_leaver(admin_client, administrator, employee_a):
    response = admin_client.post(
        reverse("organisation:person_edit", args=[employee_a.pk]),
        {"full_name": "Eeva Esimerkki", "email": "Eeva.Esimerkki@omavalvonta.example", "title": "Ohjaaja", "phone": ""},
    )
    assert response.status_code == 302
    employee_a.refresh_from_db()
    assert employee_a.full_name == "Eeva Esimerkki"
    assert employee_a.email == "eeva.esimerkki@omavalvonta.example"
    assert not employee_a.is_active
    assert audit("person.deactivated", employee_a).get().actor == administrator
    assert set(audit("person.updated", employee_a).get().data["changed"]) == {"full_name", "email", "title"}


def test_after_an_address_change_only_the_new_address_signs_in(admin_client, employee_a, password):
    client = Client()  # admin_client is the `client` fixture, signed in as the administrator
    edited = admin_client.post(
        reverse("organisation:person_edit", args=[employee_a.pk]),
        {"full_name": employee_a.full_name, "email": "eeva.uusi@omavalvonta.example", "is_active": "on"},
    )
    assert edited.status_code == 302
    old = client.post(reverse("account_login"), {"login": "eeva@omavalvonta.example", "password": password})
    assert old.status_code == 200
    new = client.post(reverse("account_login"), {"login": "eeva.uusi@omavalvonta.example", "password": password})
    assert new.status_code == 302
    assert list(employee_a.emailaddress_set.values_list("email", "verified", "primary")) == [
        ("eeva.uusi@omavalvonta.example", True, True)
    ]


def test_editing_a_person_to_an_address_in_use_is_refused(admin_client, employee_a, colleague_a):
    response = admin_client.post(
        reverse("organisation:person_edit", args=[employee_a.pk]),
        {"full_name": employee_a.full_name, "email": colleague_a.email, "is_active": "on"},
    )
    assert "A person with this e-mail address already exists." in response.content.decode()


def test_an_administrator_cannot_deactivate_themselves(admin_client, administrator):
    response = admin_client.post(
        reverse("organisation:person_edit", args=[administrator.pk]),
        {"full_name": administrator.full_name, "email": administrator.email},
    )
    assert "You cannot deactivate your own account." in response.content.decode()
    administrator.refresh_from_db()
    assert administrator.is_active


def test_setting_a_new_password(admin_client, administrator, employee_a, password):
    response = admin_client.post(reverse("organisation:person_password", args=[employee_a.pk]), {"password": ""})
    assert response.status_code == 302
    shown = admin_client.get(response["Location"]).context["new_password"]
    employee_a.refresh_from_db()
    assert employee_a.check_password(shown)
    assert not employee_a.check_password(password)
    assert audit("person.password_set", employee_a).get().data == {"generated": True}


# --- Memberships ---------------------------------------------------------------------------------------------------


def add_role(client, person, **data):
    return client.post(
        reverse("organisation:membership_add", args=[person.pk]),
        {f"membership-{k}": v for k, v in data.items()},
    )


def test_adding_a_unit_role(admin_client, administrator, employee_a, unit_b):
    response = add_role(admin_client, employee_a, role=Role.SUPERVISOR, scope="unit", unit=unit_b.pk)
    assert response.status_code == 302
    assert employee_a.memberships.filter(role=Role.SUPERVISOR, unit=unit_b, region=None).exists()
    event = audit("membership.added", employee_a).get()
    assert event.actor == administrator and event.unit == unit_b and event.data["role"] == Role.SUPERVISOR


@pytest.mark.parametrize("role", [Role.EMPLOYEE, Role.SUPERVISOR, Role.RESPONSIBLE_PERSON])
def test_unit_level_roles_need_a_unit(admin_client, colleague_a, role, region_a):
    response = add_role(admin_client, colleague_a, role=role, scope="organisation")
    assert "works in one unit: choose the unit" in response.content.decode()
    response = add_role(admin_client, colleague_a, role=role, scope="region", region=region_a.pk)
    assert "works in one unit: choose the unit" in response.content.decode()
    assert colleague_a.memberships.count() == 1


def test_choosing_the_unit_scope_without_a_unit_asks_for_it(admin_client, colleague_a):
    response = add_role(admin_client, colleague_a, role=Role.SUPERVISOR, scope="unit")
    assert response.context["membership_form"].errors["unit"] == ["Choose the unit."]


def test_a_regional_director_needs_a_region(admin_client, colleague_a, region_b, unit_a):
    response = add_role(admin_client, colleague_a, role=Role.REGIONAL_DIRECTOR, scope="unit", unit=unit_a.pk)
    assert "A regional director leads one region" in response.content.decode()
    assert add_role(admin_client, colleague_a, role=Role.REGIONAL_DIRECTOR, region=region_b.pk).status_code == 302
    assert colleague_a.memberships.filter(role=Role.REGIONAL_DIRECTOR, region=region_b, unit=None).exists()


def test_group_roles_may_cover_the_whole_organisation(admin_client, colleague_a):
    for role in (Role.QUALITY_DIRECTOR, Role.SAFETY_MANAGER, Role.MANAGEMENT_GROUP, Role.ADMINISTRATOR):
        assert add_role(admin_client, colleague_a, role=role, scope="organisation").status_code == 302
    assert colleague_a.memberships.filter(unit=None, region=None).count() == 4


def test_an_administrator_role_cannot_be_limited_to_a_unit(admin_client, colleague_a, unit_a):
    response = add_role(admin_client, colleague_a, role=Role.ADMINISTRATOR, scope="unit", unit=unit_a.pk)
    assert "An administrator maintains the whole organisation" in response.content.decode()


def test_the_same_role_twice_in_one_place_is_refused(admin_client, employee_a, unit_a):
    response = add_role(admin_client, employee_a, role=Role.EMPLOYEE, scope="unit", unit=unit_a.pk)
    assert response.status_code == 200
    assert "This person already has this role here." in response.content.decode()
    assert employee_a.memberships.count() == 1


def test_a_new_role_takes_effect_at_once(administrator, employee_a, unit_b):
    assert not access.can(employee_a, access.P_DEVIATION_HANDLE, unit_b)
    services.membership_add(actor=administrator, person=employee_a, role=Role.SUPERVISOR, unit=unit_b)
    assert access.can(employee_a, access.P_DEVIATION_HANDLE, unit_b)


def test_removing_a_role_asks_first_then_removes_it(admin_client, administrator, employee_a, unit_a):
    membership = employee_a.memberships.get()
    url = reverse("organisation:membership_remove", args=[employee_a.pk, membership.pk])
    confirm = admin_client.get(url)
    assert "Remove the role" in confirm.content.decode()
    assert Membership.objects.filter(pk=membership.pk).exists()
    response = admin_client.post(url)
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    event = audit("membership.removed", employee_a).get()
    assert event.actor == administrator and event.data["role"] == Role.EMPLOYEE and event.data["unit_id"] == unit_a.pk
    access.forget(employee_a)
    assert not access.can(employee_a, access.P_DEVIATION_REPORT, unit_a)


def test_a_role_of_another_person_cannot_be_removed_through_this_persons_page(admin_client, employee_a, colleague_a):
    other = colleague_a.memberships.get()
    url = reverse("organisation:membership_remove", args=[employee_a.pk, other.pk])
    assert admin_client.post(url).status_code == 404
    assert Membership.objects.filter(pk=other.pk).exists()


def test_an_administrator_cannot_remove_their_own_last_admin_role(admin_client, administrator):
    membership = administrator.memberships.get()
    response = admin_client.post(reverse("organisation:membership_remove", args=[administrator.pk, membership.pk]))
    assert "You cannot change your own roles. Ask another administrator." in response.content.decode()
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_the_person_page_shows_the_history(admin_client, employee_a, unit_b):
    add_role(admin_client, employee_a, role=Role.SUPERVISOR, unit=unit_b.pk)
    html = admin_client.get(reverse("organisation:person_detail", args=[employee_a.pk])).content.decode()
    assert "Role added: Supervisor – Lastenkoti Mänty" in html
