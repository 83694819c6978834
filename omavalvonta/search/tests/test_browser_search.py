"""A supervisor searches on a phone (390 px) and sees their unit's results only;
the quality director opens the themes across units."""

import pytest
from django.urls import reverse

from omavalvonta.search import services
from omavalvonta.search.tests.conftest import report
from omavalvonta.testing.browser import login, snap

pytestmark = pytest.mark.browser


def test_a_supervisor_searches_on_a_phone(phone_page, live_server, texts, supervisor_a, password):
    page = phone_page
    login(page, live_server, supervisor_a.email, password)
    page.goto(live_server.url + reverse("search:search"))
    assert page.locator("h1").inner_text() == "Haku"
    page.locator("input[name=q]").fill("lääkkeitä")
    with page.expect_navigation():
        page.locator("form[role=search] button[type=submit]").click()
    results = page.locator(".search-area .card")
    text = page.locator("main").inner_text()
    assert "Lapsi sai väärän lääkkeen iltavuorossa." in text
    assert "Kaapista puuttui" not in text  # another unit's report
    assert results.count() >= 4  # a report, an action, a decision, a guidance letter
    assert page.locator("input[name=q]").input_value() == "lääkkeitä"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    snap(page, "search-supervisor-phone")
    with page.expect_navigation():
        page.locator(".search-area .card a").first.click()
    assert page.url != live_server.url + reverse("search:search")


def test_the_quality_director_sees_the_themes_on_a_phone(
    phone_page, live_server, unit_a, unit_b, employee_a, supervisor_b, quality_director, password
):
    for who, unit in ((employee_a, unit_a), (supervisor_b, unit_b), (employee_a, unit_a)):
        report(who, unit, "Iltalääkkeet jäivät antamatta vuoron vaihtuessa, lääkelista oli väärässä kansiossa.",
               kind="medication")
    services.themes_compute()
    page = phone_page
    login(page, live_server, quality_director.email, password)
    page.goto(live_server.url + reverse("search:themes"))
    card = page.locator(".themes > li").first
    assert "Lastenkoti Koivu" in card.inner_text() and "Lastenkoti Mänty" in card.inner_text()
    card.locator("summary").click()
    assert "lääkelista" in card.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    snap(page, "themes-quality-director-phone")
