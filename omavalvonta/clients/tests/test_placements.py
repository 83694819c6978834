"""Placements: who sees which child, the access log, ending a placement, and
the services' refusals of bad input."""

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from omavalvonta.clients import selectors, services
from omavalvonta.clients.models import Placement
from omavalvonta.core.models import AccessLogEntry, AuditEvent
from omavalvonta.organisation import overview
from omavalvonta.organisation.models import Role
from omavalvonta.testing.factories import member, placement_kwargs

TODAY = timezone.localdate


# --- Who sees what ------------------------------------------------------------------------------


def test_staff_see_their_units_children_and_another_units_child_is_404(
    client, make_placement, employee_a, unit_b, supervisor_b, county
):
    own = make_placement(name="Aino K.")
    other = make_placement(unit=unit_b, keeper=supervisor_b, name="Mikael V.")
    client.force_login(employee_a)
    page = client.get(reverse("clients:unit", args=[own.unit_id])).content.decode()
    assert "Aino K." in page and "Mikael V." not in page
    assert client.get(reverse("clients:detail", args=[own.pk])).status_code == 200
    assert client.get(reverse("clients:detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("clients:unit", args=[unit_b.pk])).status_code == 404
    # Staff read, the unit's leaders keep the records.
    assert client.get(reverse("clients:edit", args=[own.pk])).status_code == 403
    assert client.get(reverse("clients:create", args=[own.unit_id])).status_code == 403


def test_a_director_sees_counts_not_children(client, make_placement, regional_director_a, unit_a):
    child = make_placement(name="Aino K.")
    make_placement(name="Bea L.", placement_type="aftercare")
    client.force_login(regional_director_a)
    response = client.get(reverse("clients:overview"))
    page = response.content.decode()
    assert response.status_code == 200
    assert unit_a.name in page and "Aino K." not in page
    assert "2 children placed now" in page
    assert client.get(reverse("clients:unit", args=[unit_a.pk])).status_code == 403
    assert client.get(reverse("clients:detail", args=[child.pk])).status_code == 403


def test_one_unit_of_staff_goes_straight_to_its_children(client, employee_a, unit_a):
    client.force_login(employee_a)
    response = client.get(reverse("clients:overview"))
    assert response.status_code == 302 and response.url == reverse("clients:unit", args=[unit_a.pk])


def test_the_navigation_offers_children_to_those_who_may_count_them(client, employee_a, administrator):
    client.force_login(employee_a)
    assert reverse("clients:overview") in client.get(reverse("home")).content.decode()
    client.force_login(administrator)
    assert reverse("clients:overview") not in client.get(reverse("home")).content.decode()


# --- The access log -----------------------------------------------------------------------------


def test_every_read_of_a_childs_page_leaves_an_access_log_row(client, make_placement, employee_a):
    child = make_placement()
    client.force_login(employee_a)
    for _ in range(2):
        assert client.get(reverse("clients:detail", args=[child.pk]), REMOTE_ADDR="192.0.2.7").status_code == 200
    rows = AccessLogEntry.objects.filter(
        what="placement.detail", target_type=ContentType.objects.get_for_model(Placement), target_id=child.pk
    )
    assert rows.count() == 2
    assert {(r.actor_id, r.right, r.ip_address, r.unit_id) for r in rows} == {
        (employee_a.pk, "client.view", "192.0.2.7", child.unit_id)
    }


def test_a_refused_read_leaves_no_row(client, make_placement, unit_b, supervisor_b):
    other = make_placement(unit=unit_b, keeper=supervisor_b)
    client.force_login(supervisor_b)
    assert client.get(reverse("clients:detail", args=[other.pk])).status_code == 200
    before = AccessLogEntry.objects.count()
    client.force_login(member(Role.REGIONAL_DIRECTOR, region=other.unit.region))
    assert client.get(reverse("clients:detail", args=[other.pk])).status_code == 403
    assert AccessLogEntry.objects.count() == before


def test_the_units_list_is_logged_as_one_row(client, make_placement, employee_a, unit_a):
    make_placement()
    make_placement(name="Bea L.")
    client.force_login(employee_a)
    client.get(reverse("clients:unit", args=[unit_a.pk]) + "?ended=1")
    [row] = AccessLogEntry.objects.filter(what="placement.list")
    assert row.detail == "ended=1" and row.target_id is None


# --- Ending a placement -------------------------------------------------------------------------


def test_an_ended_placement_keeps_its_history_and_leaves_the_daily_lists(
    client, make_placement, keeper_a, employee_a, unit_a
):
    staying = make_placement(name="Aino K.")
    leaving = make_placement(name="Bea L.")
    client.force_login(keeper_a)
    response = client.post(reverse("clients:end", args=[leaving.pk]), {"ends_on": TODAY().isoformat()})
    assert response.status_code == 302
    leaving.refresh_from_db()
    assert leaving.ends_on == TODAY()
    assert AuditEvent.objects.filter(verb="placement.ended", target_id=leaving.pk).exists()

    client.force_login(employee_a)
    daily = client.get(reverse("clients:unit", args=[unit_a.pk])).content.decode()
    assert "Aino K." in daily and "Bea L." not in daily
    assert "Show 1 ended placement" in daily
    history = client.get(reverse("clients:unit", args=[unit_a.pk]) + "?ended=1").content.decode()
    assert "Bea L." in history and "Aino K." not in history
    # The child's page is still there, marked ended; the report form no longer offers the child.
    assert "Placement ended" in client.get(reverse("clients:detail", args=[leaving.pk])).content.decode()
    assert selectors.child_choices(actor=employee_a, unit=unit_a) == [(staying.pk, "Aino K.")]


def test_ending_refuses_a_future_date_a_date_before_the_start_and_a_second_end(make_placement, keeper_a):
    child = make_placement()
    with pytest.raises(ValidationError) as error:
        services.placement_end(actor=keeper_a, placement=child, ends_on=TODAY() + dt.timedelta(days=1))
    assert "ends_on" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.placement_end(actor=keeper_a, placement=child, ends_on=child.starts_on - dt.timedelta(days=1))
    assert "ends_on" in error.value.message_dict
    services.placement_end(actor=keeper_a, placement=child, ends_on=TODAY())
    with pytest.raises(ValidationError):
        services.placement_end(actor=keeper_a, placement=child, ends_on=TODAY())


def test_ending_keeps_what_was_typed_when_refused(client, make_placement, keeper_a):
    child = make_placement()
    client.force_login(keeper_a)
    future = (TODAY() + dt.timedelta(days=3)).isoformat()
    response = client.post(reverse("clients:end", args=[child.pk]), {"ends_on": future})
    assert response.status_code == 200
    page = response.content.decode()
    assert future in page and "not ahead of time" in page


# --- Writes -------------------------------------------------------------------------------------


def test_adding_a_placement_through_the_form(client, keeper_a, unit_a, county):
    client.force_login(keeper_a)
    assert client.get(reverse("clients:create", args=[unit_a.pk])).status_code == 200
    data = placement_kwargs(county=county.pk, name="Cecilia M.", edit_version=0)
    data = {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in data.items()}
    response = client.post(reverse("clients:create", args=[unit_a.pk]), data)
    child = Placement.objects.get(name="Cecilia M.")
    assert response.status_code == 302 and response.url == reverse("clients:detail", args=[child.pk])
    assert child.unit == unit_a and child.county == county and child.created_by == keeper_a
    event = AuditEvent.objects.get(verb="placement.created", target_id=child.pk)
    assert "Cecilia" not in str(event.data)


def test_bad_input_is_refused_with_messages_and_nothing_typed_is_lost(client, keeper_a, unit_a, county):
    client.force_login(keeper_a)
    data = {
        "name": "Daniel",
        "birth_year": str(TODAY().year + 3),
        "placement_type": "substitute_care",
        "starts_on": TODAY().isoformat(),
        "county": str(county.pk),
        "social_worker_name": "Sanna S.",
        "social_worker_email": "not-an-address",
        "client_plan_on": (TODAY() + dt.timedelta(days=5)).isoformat(),
    }
    response = client.post(reverse("clients:create", args=[unit_a.pk]), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'value="Daniel"' in page and 'value="Sanna S."' in page
    assert "not-an-address" in page
    assert not Placement.objects.exists()
    # The service's own checks (the form's pass): a birth year after the start, a plan in the future.
    data["social_worker_email"] = "sanna@hva.example"
    page = client.post(reverse("clients:create", args=[unit_a.pk]), data).content.decode()
    assert "Give a birth year between" in page and "already made" in page
    assert not Placement.objects.exists()


@pytest.mark.parametrize("value", ["99999999999999999999", "١٢", "-5", "2015.5"])
def test_hostile_birth_years_are_form_errors(client, keeper_a, unit_a, county, value):
    client.force_login(keeper_a)
    data = {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in placement_kwargs(county=county.pk).items()}
    data["birth_year"] = value
    response = client.post(reverse("clients:create", args=[unit_a.pk]), data)
    assert response.status_code == 200 and not Placement.objects.exists()


def test_only_the_units_leaders_write(make_placement, employee_a, supervisor_b, unit_a):
    child = make_placement()
    with pytest.raises(PermissionDenied):
        services.placement_create(actor=employee_a, unit=unit_a, **placement_kwargs(county=child.county))
    with pytest.raises(PermissionDenied):
        services.placement_end(actor=supervisor_b, placement=child, ends_on=TODAY())


def test_two_edits_of_one_placement_do_not_overwrite_each_other(client, make_placement, keeper_a, responsible_a):
    child = make_placement()
    opened = child.edit_version
    base = {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in placement_kwargs(county=child.county_id).items()}
    client.force_login(keeper_a)
    first = client.post(reverse("clients:edit", args=[child.pk]), {**base, "name": "Aino Koivu", "edit_version": opened})
    assert first.status_code == 302
    client.force_login(responsible_a)
    second = client.post(reverse("clients:edit", args=[child.pk]), {**base, "name": "A. K.", "edit_version": opened})
    assert second.status_code == 200 and "NOT saved" in second.content.decode()
    child.refresh_from_db()
    assert child.name == "Aino Koivu"


# --- Query counts -------------------------------------------------------------------------------


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_list_pages_read_a_fixed_number_of_queries(
    client, make_placement, employee_a, regional_director_a, unit_a, region_a
):
    from omavalvonta.testing.factories import UnitFactory

    make_placement()
    UnitFactory(region=region_a)
    client.force_login(employee_a)
    unit_url = reverse("clients:unit", args=[unit_a.pk])
    client.force_login(regional_director_a)
    overview_url = reverse("clients:overview")
    few_overview = _queries(client, overview_url)
    client.force_login(employee_a)
    few_unit = _queries(client, unit_url)
    for i in range(8):
        make_placement(name=f"Lapsi {i}", placement_type=["substitute_care", "aftercare"][i % 2])
    for _ in range(3):
        UnitFactory(region=region_a)
    assert _queries(client, unit_url) == few_unit
    client.force_login(regional_director_a)
    assert _queries(client, overview_url) == few_overview


# --- A large group: regions first ------------------------------------------------------------


def test_a_large_group_sees_the_regions_first_then_a_regions_units(
    client, make_placement, quality_director, unit_a, unit_b, monkeypatch
):

    monkeypatch.setattr(overview, "OVERVIEW_UNIT_ROWS", 1)
    make_placement(name="Aino K.")
    make_placement(name="Bea L.")
    client.force_login(quality_director)
    page = client.get(reverse("clients:overview")).content.decode()
    assert unit_a.region.name in page and unit_b.region.name in page
    assert unit_a.name not in page, "no row per unit before a region is chosen"
    assert f"?alue={unit_a.region_id}" in page and "2 children placed now" in page

    response = client.get(reverse("clients:overview"), {"alue": unit_a.region_id})
    page = response.content.decode()
    assert unit_a.name in page and unit_b.name not in page and "Aino K." not in page
    assert "2 children placed now" in page and reverse("clients:overview") in page

    for odd in ("abc", "99999999999999999999", str(unit_b.region_id + 1000)):
        assert client.get(reverse("clients:overview"), {"alue": odd}).status_code == 200


def test_the_regions_overview_reads_a_fixed_number_of_queries(
    client, make_placement, quality_director, unit_a, region_b, monkeypatch
):
    from omavalvonta.testing.factories import UnitFactory

    monkeypatch.setattr(overview, "OVERVIEW_UNIT_ROWS", 1)
    make_placement()
    UnitFactory(region=region_b)
    client.force_login(quality_director)
    few = _queries(client, reverse("clients:overview"))
    for i in range(5):
        UnitFactory(region=region_b)
        make_placement(name=f"Lapsi {i}")
    assert _queries(client, reverse("clients:overview")) == few
