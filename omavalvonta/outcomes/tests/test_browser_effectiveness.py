"""On a 390 x 844 phone: the supervisor opens the effectiveness figures from
the menu, the unit's own page, and sees the measurements due among the quality
calendar's duties of the month. No page scrolls sideways; no child is named."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from omavalvonta.outcomes import selectors
from omavalvonta.outcomes.tests.helpers import record
from omavalvonta.testing.browser import fits_phone, login, snap

pytestmark = pytest.mark.browser


def test_the_supervisor_sees_the_units_effectiveness_and_the_due_measurements_on_a_phone(
    phone_page, live_server, make_placement, keeper_a, unit_a, password
):
    today = timezone.localdate()
    start = today - dt.timedelta(days=290)
    version = selectors.current_version()
    for i, latest in enumerate([8, 8, 7, 5, 5, 2]):
        child = make_placement(name=f"Lapsi {i}", starts_on=start)
        record(keeper_a, child, on=start, scores={item.domain: (5, 5) for item in version.items.all()})
        record(keeper_a, child, on=today - dt.timedelta(days=110), scores={item.domain: (latest, latest) for item in version.items.all()})
    page = phone_page
    login(page, live_server, keeper_a.email, password)

    page.goto(reverse("outcomes:effectiveness"))
    text = page.inner_text("main")
    assert "Kaikki yksikkösi" in text and "Parantunut 50 %" in text and "Heikentynyt 17 %" in text
    assert "Lapsi" not in text
    fits_phone(page)
    snap(page, "outcomes-phone-effectiveness-1-overview")

    page.get_by_role("link", name=unit_a.name).first.click()
    page.wait_for_url(re.compile(rf"/vaikuttavuus/yksikko/{unit_a.pk}/$"))
    page.get_by_text("Keskimääräinen muutos osa-alueittain").click()
    text = page.inner_text("main")
    assert "Nyt odottavat mittaukset" in text and "6 lapsen mittaus on ajankohtainen" in text
    fits_phone(page)
    snap(page, "outcomes-phone-effectiveness-2-unit")

    page.goto(reverse("yearclock:due"))
    card = page.locator(".card", has_text="Toimintakykymittaukset")
    assert "6 ajankohtaista" in card.inner_text() or "myöhässä" in card.inner_text()
    fits_phone(page)
    snap(page, "outcomes-phone-effectiveness-3-calendar")
    card.get_by_role("link").click()
    page.wait_for_url(re.compile(rf"/vaikuttavuus/yksikko/{unit_a.pk}/$"))


def test_a_worker_records_session_checks_and_sees_the_plot_and_the_flag_on_a_phone(
    phone_page, live_server, make_placement, keeper_a, employee_a, unit_a, password
):
    from omavalvonta.outcomes import services, sessions

    services.unit_practice_set(actor=keeper_a, unit=unit_a, session_checks=True)
    today = timezone.localdate()
    child = make_placement(name="Aino K.", starts_on=today - dt.timedelta(days=60))
    for days, score in ((21, 8), (14, 7)):
        scores = {code: score for code in sessions.CODES}
        services.session_check_record(actor=employee_a, placement=child, checked_on=today - dt.timedelta(days=days), scores=scores)
    page = phone_page
    login(page, live_server, employee_a.email, password)
    page.goto(reverse("outcomes:child", args=[child.pk]))
    page.get_by_role("link", name="Tapaamiskyselyt").click()
    page.wait_for_url(re.compile(rf"/lapsi/{child.pk}/tapaamiset/$"))
    # The questions are radio groups named by their wording (Finnish here).
    for question in ("Miten minulla on mennyt", "Asiat läheisteni kanssa", "Koulu, työ tai arki", "Elämäni kokonaisuutena"):
        page.get_by_role("group", name=question).get_by_role("radio", name="6", exact=True).check()
    for question in ("Minua kuunneltiin ja ymmärrettiin", "Puhuimme minulle tärkeistä asioista",
                     "Tapa, jolla teimme töitä, sopi minulle", "Tämä tapaaminen kokonaisuutena"):
        page.get_by_role("group", name=question).get_by_role("radio", name="9", exact=True).check()
    fits_phone(page)
    snap(page, "outcomes-phone-sessions-1-form")
    page.get_by_role("button", name="Tallenna tarkistus").click()
    page.wait_for_url(re.compile(rf"/lapsi/{child.pk}/tapaamiset/$"))
    assert page.locator("[data-flag=off-track]").is_visible()
    assert page.locator("[data-plot=sessions] svg").is_visible()
    fits_phone(page)
    snap(page, "outcomes-phone-sessions-2-flag")
