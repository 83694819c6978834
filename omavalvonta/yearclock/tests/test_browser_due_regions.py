"""'Due this month' over many units on a phone: the regions first, then a
region's duties, without the page growing wider than the screen."""

import datetime as dt

import pytest
from django.urls import reverse

from omavalvonta.testing.browser import login, snap
from omavalvonta.yearclock.models import Recurrence

pytestmark = pytest.mark.browser


def test_due_this_month_by_region_on_a_phone(
    phone_page, live_server, time_machine, monkeypatch, make_template, quality_director, unit_a, unit_b, password
):
    from omavalvonta.yearclock import selectors

    monkeypatch.setattr(selectors, "DUE_UNITS", 1)
    time_machine.move_to(dt.datetime(2026, 4, 2, 8, tzinfo=dt.UTC), tick=True)
    make_template(title="Paloharjoitus", recurrence=Recurrence.SPECIFIC_MONTHS, months=[4])
    page = phone_page
    login(page, live_server, quality_director.email, password)
    page.goto(live_server.url + reverse("yearclock:due"))
    table = page.locator("table.table")
    assert unit_a.region.name in table.inner_text() and unit_b.region.name in table.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    snap(page, "yearclock-due-by-region-phone")
    with page.expect_navigation():
        table.get_by_text(unit_a.region.name).click()
    assert "Paloharjoitus" in page.inner_text("main") and unit_a.name in page.inner_text("main")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    snap(page, "yearclock-due-region-phone")
