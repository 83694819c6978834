"""The home page in a real browser, on a phone and at a desk: a responsible
person with something waiting in every area sees short, tidy blocks."""

import pytest
from django.utils import timezone

from omavalvonta.dashboards.tests.test_home_waiting import (
    _ack,
    _action,
    _draft,
    _guidance,
    _meeting,
    _occurrence,
    _restraint_unsigned,
    _round,
)
from omavalvonta.testing.browser import login, snap

pytestmark = pytest.mark.browser


def _busy_day(responsible_a, supervisor_a, employee_a, unit_a, authority):
    unit_a.places = 12
    unit_a.save(update_fields=["places"])
    _action(unit_a, responsible_a, -2, title="Päivitä lääkehoitosuunnitelman liite 3")
    _action(unit_a, responsible_a, 6, title="Perehdytä uudet ohjaajat palo-ohjeeseen")
    minutes = _meeting(unit_a, supervisor_a, -3, title="Tiimipalaveri 11/2026")
    _ack(responsible_a, minutes, reason="Uusia ohjeita")
    _occurrence(unit_a, responsible_a, -4, title="Omavalvontasuunnitelman tarkistus")
    _occurrence(unit_a, responsible_a, 3, title="Pelastusharjoitus")
    _draft(unit_a, supervisor_a, review_in_days=-1)
    _guidance(authority, unit_a, assignee=responsible_a, title="Valviran selvityspyyntö lääkehoidosta")
    _meeting(unit_a, responsible_a, 4, title="Esihenkilökatsaus joulukuu", participants=[supervisor_a])
    _round(unit_a, year=timezone.localdate().year, quarter=(timezone.localdate().month - 1) // 3 + 1, answers=7)
    _restraint_unsigned(unit_a, responsible_a)


@pytest.mark.parametrize("viewport", ["phone_page", "desktop_page"])
def test_a_responsible_person_sees_what_is_waiting_in_every_area(
    request, viewport, live_server, responsible_a, supervisor_a, employee_a, unit_a, authority, password
):
    _busy_day(responsible_a, supervisor_a, employee_a, unit_a, authority)
    page = request.getfixturevalue(viewport)
    login(page, live_server, responsible_a.email, password)
    page.goto(str(live_server.url) + "/")
    for block in ("actions", "acknowledgements", "obligations", "plans", "guidance", "meetings", "rounds", "restrictions"):
        assert page.locator(f"[data-block={block}]").is_visible(), block
    text = page.locator("main").inner_text()
    assert "Valviran selvityspyyntö lääkehoidosta" in text
    assert "58 %" in text  # 7 parents' answers of 12 places
    assert "1 päätös tai selvitys allekirjoitettavana" in text  # the restraint's account, no child's name
    # Nothing overflows sideways on a phone.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    snap(page, f"home-waiting-{viewport}")


def test_an_empty_home_page_is_calm_on_a_phone(phone_page, live_server, employee_a, password):
    login(phone_page, live_server, employee_a.email, password)
    phone_page.goto(str(live_server.url) + "/")
    assert phone_page.locator(".home-calm").is_visible()
    snap(phone_page, "home-empty-phone")


def test_a_regional_director_sees_how_many_feedback_rounds_are_open_on_a_phone(
    phone_page, live_server, regional_director_a, unit_a, password
):
    # A region's rounds are many: the director gets their number and the overview's link, not a few rows.
    _round(unit_a, year=timezone.localdate().year, quarter=(timezone.localdate().month - 1) // 3 + 1, answers=3)
    login(phone_page, live_server, regional_director_a.email, password)
    phone_page.goto(str(live_server.url) + "/")
    block = phone_page.locator("[data-block=rounds]")
    assert block.is_visible()
    assert "Tänään on auki 1 kierros." in block.inner_text()
    assert block.locator("a", has_text="Kaikki kierrokset").is_visible()
    assert phone_page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    snap(phone_page, "home-rounds-director-phone")
