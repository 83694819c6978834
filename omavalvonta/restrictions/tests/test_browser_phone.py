"""On a 390 x 844 phone: an instructor opens a child's page, records a restraint
with the child's view, first forgetting an answer (nothing typed is lost), and
lands on the measure's page."""

import datetime as dt
import re

import pytest

from omavalvonta.restrictions.models import Restriction
from omavalvonta.restrictions.tests.conftest import fill_measure_form
from omavalvonta.testing.browser import fits_phone, login, snap

pytestmark = pytest.mark.browser


def test_an_instructor_records_a_restraint_with_the_childs_view_on_a_phone(
    phone_page, live_server, employee_a, child_a, password
):
    page = phone_page
    login(page, live_server, employee_a.email, password)
    page.goto(f"{live_server.url}/lapset/{child_a.pk}/")
    fits_phone(page)
    page.get_by_role("link", name="Kirjaa rajoitustoimenpide").click()
    page.wait_for_url(re.compile(r"/rajoitukset/lapsi/\d+/uusi/$"))
    fill_measure_form(
        page, earlier=dt.timedelta(minutes=10), lasts=dt.timedelta(minutes=4),
        details="Pidettiin kiinni sohvalla kahden aikuisen voimin.",
        milder_means="Puhuttiin rauhallisesti, ohjattiin omaan huoneeseen.",
    )
    fits_phone(page)
    # The general conditions are not confirmed: the form comes back with everything typed.
    with page.expect_navigation():
        page.get_by_role("button", name="Tallenna").click()
    assert "never as a punishment" not in page.content()  # Finnish, not the msgid
    assert "eikä koskaan rangaistuksena" in page.content()
    assert page.input_value("textarea[name=child_view]") == "Minua suututti, kun peli otettiin pois."
    assert not Restriction.objects.exists()
    fits_phone(page)
    snap(page, "restrictions-phone-refused")
    page.check("input[name=conditions_confirmed]")
    snap(page, "restrictions-phone-form")
    page.get_by_role("button", name="Tallenna").click()
    page.wait_for_url(re.compile(r"/rajoitukset/\d+/$"))
    restriction = Restriction.objects.get()
    assert (restriction.measure, restriction.record_kind, restriction.placement_id) == ("restraint", "account", child_a.pk)
    assert restriction.ended_at - restriction.started_at == dt.timedelta(minutes=4)
    assert "Minua suututti" in page.content() and "Kiinnipitäminen" in page.locator("h1").inner_text()
    fits_phone(page)
    snap(page, "restrictions-phone-detail")
    # Something went wrong: a deviation report starts from the measure, filled in from it.
    page.get_by_role("link", name="Menikö jokin pieleen? Tee poikkeamailmoitus").click()
    page.wait_for_url(re.compile(r"/poikkeamat/uusi/\?alkupera=restriction:\d+$"))
    assert "Ilmoitus tehdään kirjauksesta: Kiinnipitäminen" in page.content()
    assert page.is_checked("input[name=kind][value=threat_or_violence]")
    assert page.is_checked("input[name=restraint_used]")
    page.check("input[name=violence_target][value=child]")
    page.fill("textarea[name=description]", "Kiinnipidossa lapsen ranne kipeytyi; tarkistettiin terveydenhoitajalla.")
    fits_phone(page)
    snap(page, "restrictions-phone-report-from-measure")
    page.get_by_role("button", name="Lähetä ilmoitus").click()
    page.wait_for_url(re.compile(r"/poikkeamat/kiitos/$"))
    restriction.refresh_from_db()
    assert restriction.deviation_id is not None
    page.goto(f"{live_server.url}/rajoitukset/{restriction.pk}/")
    assert "Menikö jokin pieleen?" not in page.content()
    assert page.locator(f"a[href='/poikkeamat/{restriction.deviation_id}/']").count() == 1
    # The child's page lists the measure, with the debrief still missing.
    page.get_by_role("link", name="Aino K.").first.click()
    page.wait_for_url(re.compile(r"/lapset/\d+/$"))
    panel = page.locator("section[aria-labelledby=restrictions-title]")
    assert "Kiinnipitäminen" in panel.inner_text() and "jälkikeskustelu puuttuu" in panel.inner_text()
    fits_phone(page)
    snap(page, "restrictions-phone-child-page")
