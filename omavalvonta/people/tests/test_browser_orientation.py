"""On a 390 x 844 phone: a supervisor starts the orientation of a new hourly
worker with a main mentor; the mentor ticks three items from the home page's
block; the newcomer acknowledges reading the unit's self-supervision plan; the
supervisor's competence page of the unit shows the progress. No page scrolls
sideways."""

import re

import pytest

from omavalvonta.organisation.models import Role
from omavalvonta.people.models import Orientation, OrientationItem
from omavalvonta.people.orientation_defaults import ensure_default_cards
from omavalvonta.testing.browser import fits_phone, login, snap
from omavalvonta.testing.factories import member

pytestmark = pytest.mark.browser

PLAN = "Yksikön omavalvontasuunnitelma luettu"


def _sign_in_as(page, live_server, person, password):
    page.context.clear_cookies()
    login(page, live_server, person.email, password)


def test_an_hourly_workers_orientation_on_a_phone(phone_page, live_server, supervisor_a, colleague_a, unit_a, password):
    ensure_default_cards()
    newcomer = member(Role.EMPLOYEE, unit=unit_a, full_name="Nea Uusi", email="nea@omavalvonta.example")
    newcomer.set_password(password)
    newcomer.save()
    page = phone_page

    # The supervisor starts it from the unit's competence page.
    login(page, live_server, supervisor_a.email, password)
    page.goto(f"{live_server.url}/osaaminen/yksikko/{unit_a.pk}/")
    page.get_by_role("link", name="Aloita perehdytys").first.click()
    page.wait_for_url(re.compile(r"/perehdytys/uusi/$"))
    page.get_by_label("Perehdytettävä").select_option(label="Nea Uusi")
    page.get_by_label("Perehdytyskortti (rooli)").select_option(label="Tuntityöntekijä")
    # A forgotten mentor comes back with a Finnish message and nothing typed lost.
    with page.expect_navigation():
        page.get_by_role("button", name="Aloita perehdytys").click()
    assert "Valitse vastuuperehdyttäjä." in page.content()
    assert page.get_by_label("Perehdytettävä").input_value() == str(newcomer.pk)
    fits_phone(page)
    snap(page, "orientation-phone-start-refused")
    page.get_by_label("Vastuuperehdyttäjä").select_option(label="Kalle Kollega")
    page.get_by_role("button", name="Aloita perehdytys").click()
    page.wait_for_url(re.compile(r"/osaaminen/perehdytys/\d+/$"))
    orientation = Orientation.objects.get(newcomer=newcomer)
    assert orientation.mentor == colleague_a and orientation.card.for_role == "hourly"
    fits_phone(page)
    snap(page, "orientation-phone-started")

    # The mentor finds it on the home page and ticks three items of the first shift.
    _sign_in_as(page, live_server, colleague_a, password)
    block = page.locator("[data-block=orientation]")
    assert "Perehdytän: Nea Uusi" in block.inner_text()
    fits_phone(page)
    snap(page, "orientation-phone-mentor-home")
    block.get_by_role("link").first.click()
    page.wait_for_url(re.compile(r"/osaaminen/perehdytys/\d+/$"))
    for _n in range(3):
        with page.expect_navigation():
            page.get_by_role("button", name="Kuittaa käydyksi").first.click()
    assert OrientationItem.objects.filter(orientation=orientation, ticked_by=colleague_a).count() == 3
    assert page.get_by_role("button", name="Peru kuittaus").count() == 3
    fits_phone(page)
    snap(page, "orientation-phone-mentor-ticked")

    # The newcomer acknowledges reading the unit's self-supervision plan.
    _sign_in_as(page, live_server, newcomer, password)
    block = page.locator("[data-block=orientation]")
    assert "Oma perehdytykseni" in block.inner_text()
    block.get_by_role("link").first.click()
    page.wait_for_url(re.compile(r"/osaaminen/perehdytys/\d+/$"))
    assert page.get_by_role("button", name="Kuittaa käydyksi").count() == 0  # the newcomer ticks nothing
    item = page.locator("li.card", has_text=PLAN)
    with page.expect_navigation():
        item.get_by_role("button", name="Olen lukenut").click()
    assert "Luettu ja kuitattu" in page.locator("li.card", has_text=PLAN).inner_text()
    assert OrientationItem.objects.get(orientation=orientation, card_item__text=PLAN).acknowledged_at is not None
    fits_phone(page)
    snap(page, "orientation-phone-newcomer-acknowledged")

    # The supervisor's competence page of the unit shows the progress.
    _sign_in_as(page, live_server, supervisor_a, password)
    page.goto(f"{live_server.url}/osaaminen/yksikko/{unit_a.pk}/")
    row = page.locator(f"[data-orientation='{orientation.pk}']")
    items = list(orientation.items.select_related("card_item"))
    done = sum(1 for i in items if i.done)  # a ticked item to be read counts once the newcomer acknowledged it
    assert done >= 2
    assert f"{done} / {len(items)} tehty" in row.inner_text() and "Nea Uusi" in row.inner_text()
    fits_phone(page)
    row.scroll_into_view_if_needed()
    snap(page, "orientation-phone-unit-progress")
    page.goto(f"{live_server.url}/osaaminen/yksikko/{unit_a.pk}/perehdytys/")
    fits_phone(page)
    snap(page, "orientation-phone-unit-list")
