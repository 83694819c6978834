"""On a phone: a § 29 grievance's reporter is hidden from its handler; the unit's
responsible person discloses it with a reason and then sees the name."""

import pytest

from omavalvonta.deviations import services
from omavalvonta.organisation.models import Role
from omavalvonta.testing.browser import login, snap
from omavalvonta.testing.factories import PASSWORD, deviation_kwargs, member

pytestmark = pytest.mark.browser


def test_the_responsible_person_discloses_a_protected_reporter_with_a_reason(browser, live_server, transactional_db, unit_a):
    from omavalvonta.testing.browser import DEFAULT_TIMEOUT_MS, FINNISH, PHONE

    employee = member(Role.EMPLOYEE, unit=unit_a, full_name="Eeva Työntekijä", email="eeva@omavalvonta.example")
    supervisor = member(Role.SUPERVISOR, unit=unit_a, full_name="Sari Esihenkilö", email="sari@omavalvonta.example")
    responsible = member(Role.RESPONSIBLE_PERSON, unit=unit_a, full_name="Veikko Vastuuhenkilö", email="veikko@omavalvonta.example")
    grievance = services.deviation_submit(actor=employee, **deviation_kwargs(unit_a, kind="grievance")).deviation
    assert grievance.handler == supervisor

    def phone():
        context = browser.new_context(base_url=str(live_server.url), **PHONE, **FINNISH)
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        return context, context.new_page()

    # The handler sees the report, not who reported it.
    context, page = phone()
    login(page, live_server, supervisor.email, PASSWORD)
    page.goto(f"/poikkeamat/{grievance.pk}/")
    assert "Henkilöllisyys suojattu" in page.locator("#reporter").inner_text()
    assert "Eeva" not in page.locator("#reporter").inner_text()
    assert page.locator("#reporter a").count() == 0
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    snap(page, "protected-reporter-handler-phone")
    context.close()

    # The responsible person asks to see it, gives a reason, and sees the name.
    context, page = phone()
    login(page, live_server, responsible.email, PASSWORD)
    page.goto(f"/poikkeamat/{grievance.pk}/")
    page.locator("#reporter a").click()
    assert page.locator("h1").inner_text() == "Katso, kuka ilmoitti"
    page.get_by_role("button", name="Kirjaa perustelu ja näytä nimi").click()
    assert page.locator(".field--error, .errorlist").count() > 0  # no reason, no name
    snap(page, "protected-reporter-disclosure-form-phone")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.locator("textarea[name=reason]").fill("Kuulen ilmoittajaa todistajana ennen toimenpiteistä päättämistä.")
    page.get_by_role("button", name="Kirjaa perustelu ja näytä nimi").click()
    page.wait_for_url(f"**/poikkeamat/{grievance.pk}/**")
    assert "Eeva Työntekijä" in page.locator("#reporter").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    snap(page, "protected-reporter-disclosed-phone")
    context.close()
