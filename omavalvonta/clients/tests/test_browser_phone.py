"""On a 390 x 844 phone: the unit's supervisor adds a child's placement, then
reports a deviation naming the child; the handler's notification page proposes
the child's own county."""

import re

import pytest
from django.urls import reverse

from omavalvonta.clients.models import Placement, PlacementMention
from omavalvonta.deviations.models import Deviation
from omavalvonta.testing.browser import fits_phone, login, snap

pytestmark = pytest.mark.browser


def test_adding_a_placement_and_reporting_a_deviation_naming_the_child_on_a_phone(
    phone_page, live_server, keeper_a, unit_a, county, county_b, password
):
    unit_a.counties.add(county_b)
    page = phone_page
    login(page, live_server, keeper_a.email, password)

    # The menu leads to the unit's children (one unit: straight to its list).
    page.goto(reverse("clients:overview"))
    page.wait_for_url(re.compile(rf"/lapset/yksikko/{unit_a.pk}/$"))
    fits_phone(page)
    page.get_by_role("link", name="Lisää sijoitus").click()
    page.wait_for_url(re.compile(r"/uusi/$"))
    page.fill("input[name=name]", "Aino K.")
    page.fill("input[name=birth_year]", "2012")
    page.check("input[name=placement_type][value=substitute_care]")
    page.select_option("select[name=county]", str(county_b.pk))
    page.fill("input[name=social_worker_name]", "Sanna Satakunta")
    page.fill("input[name=social_worker_email]", "sanna@satakunta.example")
    page.fill("input[name=social_worker_phone]", "044 765 4321")
    fits_phone(page)
    snap(page, "clients-phone-add-placement")
    page.get_by_role("button", name="Tallenna").click()
    page.wait_for_url(re.compile(r"/lapset/\d+/$"))
    child = Placement.objects.get()
    assert (child.name, child.county_id, child.unit_id) == ("Aino K.", county_b.pk, unit_a.pk)
    assert "Aino K." in page.locator("h1").inner_text()
    fits_phone(page)
    snap(page, "clients-phone-child-page")

    # The report form offers the unit's children; ticking "anonymous" hides the chooser.
    page.goto(reverse("deviations:new"))
    page.check("input[name=kind][value=grievance]")
    page.fill("textarea[name=description]", "Iltavuorossa ei ollut ketään valvomassa.")
    chooser = page.get_by_label("Aino K.")
    assert chooser.is_visible()
    page.check("input[name=anonymous]")
    assert not chooser.is_visible()
    page.uncheck("input[name=anonymous]")
    chooser.check()
    fits_phone(page)
    snap(page, "clients-phone-report-naming-a-child")
    page.locator("form[data-kind-form] button[type=submit]").click()
    page.wait_for_url(re.compile(r"/poikkeamat/kiitos/"))
    deviation = Deviation.objects.get()
    assert list(PlacementMention.objects.values_list("placement_id", "target_id")) == [(child.pk, deviation.pk)]

    # The notification page proposes the child's county and social worker, not the unit's other county.
    page.goto(reverse("deviations:notify", args=[deviation.pk]))
    assert page.locator(f"input[name=counties][value='{county_b.pk}']").is_checked()
    assert not page.locator(f"input[name=counties][value='{county.pk}']").is_checked()
    assert page.locator("input[name=social_workers]").is_checked()
    fits_phone(page)
    snap(page, "clients-phone-notify-proposes-the-childs-county")
