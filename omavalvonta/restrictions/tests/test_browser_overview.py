"""On a 390 x 844 phone: the quality director's overview of restrictive
measures over many units shows the regions first (a card each, the months in a
table that scrolls inside its frame), in Finnish; a region's card opens its
units with their figures, no child named."""

import datetime as dt

import pytest
from django.utils import timezone

from omavalvonta.restrictions.services import restriction_record
from omavalvonta.restrictions.tests.conftest import restraint_kwargs
from omavalvonta.testing.browser import fits_phone, login, snap

pytestmark = pytest.mark.browser


def test_the_regions_first_overview_and_its_drill_down_on_a_phone(
    phone_page, live_server, monkeypatch, quality_director, employee_a, child_a, unit_b, password
):
    from omavalvonta.organisation import overview

    monkeypatch.setattr(overview, "OVERVIEW_UNIT_ROWS", 0)
    first = timezone.localdate().replace(day=1)
    last_month = timezone.make_aware(dt.datetime.combine(first - dt.timedelta(days=20), dt.time(12)))
    # One measure this month: halfway between its start and now, so that it stays in
    # this month even when the clock stands just past midnight on the 1st (CI's does).
    now = timezone.now()
    month_start = timezone.make_aware(dt.datetime.combine(first, dt.time()))
    this_month = month_start + (now - month_start) / 2
    for started in [last_month + dt.timedelta(hours=h) for h in range(6)] + [this_month]:
        restriction_record(
            actor=employee_a, placement=child_a,
            **restraint_kwargs(started_at=started, ended_at=started + min(dt.timedelta(minutes=3), (now - started) / 2)),
        )
    page = phone_page
    login(page, live_server, quality_director.email, password)
    page.goto(f"{live_server.url}/rajoitukset/")
    region = child_a.unit.region.name
    card = page.locator(".list-cards li", has_text=region)
    assert "7 toimenpidettä" in card.inner_text() and "1 yksikkö" in card.inner_text()
    assert page.locator(".list-cards li", has_text=unit_b.region.name).count() == 1
    row = page.locator("table tbody tr", has_text=region)
    cells = row.locator("td").all_inner_texts()
    assert len(cells) == 12 and cells[-1] == "–" and "6" in cells
    fits_phone(page)
    snap(page, "restrictions-overview-regions-phone")
    card.locator("a").click()
    page.wait_for_url(f"**/rajoitukset/?alue={child_a.unit.region_id}")
    assert child_a.unit.name in page.content() and child_a.name not in page.content()
    fits_phone(page)
    snap(page, "restrictions-overview-region-units-phone")
