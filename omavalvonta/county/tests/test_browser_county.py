"""A county supervisor's journey on a 390 px phone: signing in lands on the
county's own view, which lists only that county's units and notifications; a
notification opens without naming anyone; another county's is 404."""

import re

import pytest
from django.urls import reverse

from omavalvonta.testing.browser import fits_phone, login, snap

pytestmark = pytest.mark.browser


def test_a_county_supervisor_sees_only_their_countys_notifications_and_units(
    phone_page, live_server, county_person, report_x, grievance_x, report_y, password
):
    from omavalvonta.county.tests.test_view import _tally

    _tally(report_x.unit, 8, promoters=6, detractors=1)  # the unit's answers and NPS in the table of units
    page = phone_page
    login(page, live_server, county_person.email, password)
    page.wait_for_url(re.compile(r"/hyvinvointialue/$"))
    assert "Pirkanmaan hyvinvointialue" in page.locator("h1").inner_text()
    body = page.locator("main").inner_text()
    assert report_x.number in body and grievance_x.number in body and "Lastenkoti Kataja" in body
    assert report_y.number not in body and "Lastenkoti Pihlaja" not in body
    fits_phone(page)
    snap(page, "county-phone-home")

    page.get_by_role("link", name=report_x.number).first.click()
    page.wait_for_url(re.compile(rf"/hyvinvointialue/ilmoitukset/{report_x.pk}/$"))
    text = page.locator("main").inner_text()
    assert "Kataja: puute hoidossa" in text and report_x.reporter.full_name not in text
    fits_phone(page)
    snap(page, "county-phone-notification")

    page.get_by_role("link", name="Lastenkoti Kataja").first.click()
    page.wait_for_url(re.compile(r"/hyvinvointialue/yksikot/\d+/$"))
    fits_phone(page)
    snap(page, "county-phone-unit")

    response = page.goto(reverse("county:notification", args=[report_y.pk]))
    assert response.status == 404
    response = page.goto(reverse("county:unit", args=[report_y.unit_id]))
    assert response.status == 404
