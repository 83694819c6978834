"""The deviation list in a real browser: one table, a card per report on a
phone (390 px, nothing scrolls sideways, the whole card opens the report) and
a table with its column heads at a desk."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from omavalvonta.deviations import services
from omavalvonta.testing.browser import login, snap
from omavalvonta.testing.factories import deviation_kwargs

pytestmark = pytest.mark.browser


@pytest.fixture
def reports(employee_a, supervisor_a, unit_a):
    def submit(days_ago, **overrides):
        when = timezone.now() - dt.timedelta(days=days_ago)
        return services.deviation_submit(
            actor=employee_a, submitted_at=when, **deviation_kwargs(unit_a, occurred_at=when, **overrides)
        ).deviation

    grievance = submit(5, kind="grievance")
    critical = submit(4)
    services.deviation_classify(actor=supervisor_a, deviation=critical, consequence=4, likelihood=2)
    late = submit(60, kind="near_miss")
    ordinary = [submit(days, kind="quality") for days in (3, 2, 1)]
    return grievance, critical, late, ordinary


def test_on_a_phone_each_report_is_a_card_that_opens_it(phone_page, live_server, supervisor_a, password, reports):
    grievance, critical, late, ordinary = reports
    login(phone_page, live_server, supervisor_a.email, password)
    phone_page.goto(reverse("deviations:list"))
    table = phone_page.locator(".deviations-table")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    card = table.locator("tr", has_text=late.number)
    assert "is-overdue" in card.get_attribute("class")
    assert card.locator(".badge--overdue").is_visible()
    assert card.locator(".dv-handler").is_hidden()
    risky = table.locator("tr", has_text=critical.number)
    assert risky.locator(".dv-risk .dv-phone").is_visible()
    assert risky.locator(".dv-risk .dv-wide").is_hidden()
    snap(phone_page, "deviation-list-phone")
    # The whole card is the link: a tap on its unit's name opens the report.
    card.scroll_into_view_if_needed()
    box = card.locator(".dv-unit").bounding_box()
    phone_page.mouse.click(box["x"] + 5, box["y"] + box["height"] / 2)
    phone_page.wait_for_url(re.compile(rf"/poikkeamat/{late.pk}/$"))


def test_at_a_desk_the_list_is_a_table_with_column_heads(desktop_page, live_server, supervisor_a, password, reports):
    grievance, critical, late, ordinary = reports
    login(desktop_page, live_server, supervisor_a.email, password)
    desktop_page.goto(reverse("deviations:list"))
    table = desktop_page.locator(".deviations-table table")
    heads = table.locator("thead th[scope=col]")
    assert heads.count() == 8 and heads.first.is_visible()
    assert table.evaluate("t => getComputedStyle(t.querySelector('tbody tr')).display") == "table-row"
    risky = table.locator("tr", has_text=critical.number)
    assert risky.locator(".dv-risk .dv-wide").is_visible()
    assert risky.locator(".dv-risk .dv-phone").is_hidden()
    assert table.locator("tr", has_text=late.number).locator(".dv-handler").is_visible()
    snap(desktop_page, "deviation-list-desktop")
