"""On a 390 px phone: the quality director adds a member to the readiness
group, records the yearly readiness exercise (first without participants:
refused, the typed text kept) and approves a new version of the
crisis-communication plan; the old version stays. No page scrolls sideways."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from omavalvonta.audits import readiness_services
from omavalvonta.audits.models import CrisisPlanVersion, Drill, ReadinessMember, ReadinessRole, SecurityPlanState
from omavalvonta.testing.browser import fits_phone, login, snap

pytestmark = pytest.mark.browser


def test_the_quality_director_keeps_the_readiness_on_a_phone(
    phone_page, live_server, quality_director, supervisor_a, employee_a, password, settings
):
    settings.REQUIRE_MFA_FOR_PRIVILEGED = False
    readiness_services.readiness_member_add(actor=quality_director, user=supervisor_a, group_role=ReadinessRole.CHAIR,
                                  duties="Johtaa valmiusryhmää.")
    first = readiness_services.crisis_plan_draft_start(actor=quality_director)
    readiness_services.crisis_plan_draft_save(actor=quality_director, version=first,
                                    sections={"spokespersons": "Viestii valmiusryhmän puheenjohtaja."})
    readiness_services.crisis_plan_approve(actor=quality_director, version=first)

    page = phone_page
    login(page, live_server, quality_director.email, password)
    page.goto(live_server.url + reverse("audits:readiness"))
    fits_phone(page)

    # A member: the employee speaks for the organisation.
    page.locator("summary", has_text="Lisää jäsen").click()
    page.select_option("select[name=m-user]", str(employee_a.pk))
    page.select_option("select[name=m-group_role]", "communications")
    page.fill("input[name=m-duties]", "Vastaa mediakyselyihin.")
    with page.expect_navigation():
        page.get_by_role("button", name="Lisää ryhmään").click()
    assert ReadinessMember.objects.get(user=employee_a).group_role == ReadinessRole.COMMUNICATIONS
    assert "Henkilö lisättiin valmiusryhmään." in page.content()
    fits_phone(page)

    # The exercise: without participants it is refused, what was typed stays.
    page.locator("summary", has_text="Kirjaa harjoitus").click()
    page.fill("input[name=e-held_on]", timezone.localdate().isoformat())
    page.fill("input[name=e-scenario]", "Tulipalo yöllä yhdessä yksikössä")
    page.fill("textarea[name=e-went_well]", "Evakuointi sujui kahdeksassa minuutissa.")
    with page.expect_navigation():
        page.get_by_role("button", name="Kirjaa harjoitus").click()
    assert not Drill.objects.exists()
    assert page.input_value("input[name=e-scenario]") == "Tulipalo yöllä yhdessä yksikössä"
    assert "Valitse, ketkä osallistuivat." in page.content()
    snap(page, "readiness-exercise-refused-phone")
    fits_phone(page)
    page.locator("label", has_text=employee_a.full_name).locator("input[name=e-participants]").check()
    page.locator("label", has_text=supervisor_a.full_name).locator("input[name=e-participants]").check()
    page.fill("textarea[name=e-to_improve]", "Yövuoroon taskulamput.")
    with page.expect_navigation():
        page.get_by_role("button", name="Kirjaa harjoitus").click()
    drill = Drill.objects.get()
    assert drill.unit is None and set(drill.participants.all()) == {employee_a, supervisor_a}
    assert "Valmiusharjoitus kirjattiin." in page.content()
    snap(page, "readiness-phone")
    fits_phone(page)

    # The crisis-communication plan: the yearly review makes version 2.
    page.get_by_role("link", name="Avaa kriisiviestintäsuunnitelma").click()
    page.wait_for_url(re.compile(r"/valmius/kriisiviestinta/$"))
    fits_phone(page)
    page.get_by_role("button", name="Aloita vuosikatselmus (uusi luonnos)").click()
    page.wait_for_url(re.compile(r"/valmius/kriisiviestinta/luonnos/$"))
    assert page.input_value("textarea[name=section_spokespersons]") == "Viestii valmiusryhmän puheenjohtaja."
    page.fill("textarea[name=section_media]", "Medialle ei kerrota lapsen tietoja.")
    page.fill("textarea[name=change_note]", "Mediaohje lisätty harjoituksen jälkeen.")
    with page.expect_navigation():
        page.get_by_role("button", name="Tallenna luonnos").click()
    fits_phone(page)
    snap(page, "crisis-plan-draft-phone")
    page.fill("textarea[name=a-review_note]", "Katselmoitu valmiusryhmässä.")
    page.get_by_role("button", name="Hyväksy versio 2").click()
    page.wait_for_url(re.compile(r"/valmius/kriisiviestinta/$"))
    approved = list(CrisisPlanVersion.objects.filter(state=SecurityPlanState.APPROVED).order_by("number"))
    assert [v.number for v in approved] == [1, 2]
    assert approved[0].sections == {"spokespersons": "Viestii valmiusryhmän puheenjohtaja."}
    assert "Medialle ei kerrota lapsen tietoja." in page.content()
    snap(page, "crisis-plan-phone")
    fits_phone(page)


def test_the_chair_sees_what_is_due_on_the_home_page_of_a_phone(
    phone_page, live_server, quality_director, supervisor_a, password, settings
):
    settings.REQUIRE_MFA_FOR_PRIVILEGED = False
    readiness_services.readiness_member_add(actor=quality_director, user=supervisor_a, group_role=ReadinessRole.CHAIR)
    page = phone_page
    login(page, live_server, supervisor_a.email, password)
    page.goto(live_server.url + reverse("home"))
    block = page.locator("[data-block=readiness]")
    assert "Olet valmiusryhmän puheenjohtaja." in block.inner_text()
    fits_phone(page)
    block.scroll_into_view_if_needed()
    snap(page, "readiness-chair-home-phone")
    with page.expect_navigation():
        block.get_by_role("link", name="Kriisiviestintäsuunnitelmaa ei ole vielä hyväksytty.").click()
    assert page.url.endswith(reverse("audits:crisis_plan"))
