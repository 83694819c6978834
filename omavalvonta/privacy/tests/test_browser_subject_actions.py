"""The data-protection officer carries out a rectification and erasure request
item by item (desktop): erases a phone number, rectifies the name, is told why
a report still being handled keeps its reporter, and refuses that item with the
legal reason."""

import pytest
from django.urls import reverse

from omavalvonta.privacy import services
from omavalvonta.privacy.models import RequestKind
from omavalvonta.testing.browser import login, snap

pytestmark = pytest.mark.browser


def test_the_dpo_erases_rectifies_and_refuses_with_the_reason(desktop_page, live_server, dpo, staff_member,
                                                              three_reports, password):
    staff_member.phone = "040 765 4321"
    staff_member.save(update_fields=["phone"])
    req = services.subject_request_register(
        actor=dpo, kind=RequestKind.ERASURE, person=staff_member, received_on=three_reports["first"].submitted_at.date(),
        identity_method="in_person",
    )
    page = desktop_page
    login(page, live_server, dpo.email, password)
    page.goto(live_server.url + reverse("privacy:request", args=[req.pk]))
    with page.expect_navigation():
        page.get_by_role("link", name="Avaa henkilön tiedot").click()
    assert "Säilytetään lain nojalla" in page.locator("main").inner_text()
    snap(page, "privacy-subject-items-desktop")

    phone = page.locator("li.card", has_text="Puhelin")
    phone.get_by_label("Poista").check()
    with page.expect_navigation():
        phone.get_by_role("button", name="Toteuta").click()
    assert "Päätös toteutettiin ja kirjattiin." in page.locator(".messages").inner_text()

    name = page.locator("li.card").filter(has=page.get_by_role("heading", name="Nimi", exact=True))
    name.get_by_label("Oikaise").check()
    name.get_by_label("Oikaistu tieto").fill("Ville Ventola")
    with page.expect_navigation():
        name.get_by_role("button", name="Toteuta").click()

    report = page.locator("li.card", has_text=f"Ilmoituksen {three_reports['first'].number} tekijä")
    report.get_by_label("Poista").check()
    report.get_by_label("Huomio").fill("Pyydetty puhelimessa")
    with page.expect_navigation():
        report.get_by_role("button", name="Toteuta").click()
    report = page.locator("li.card", has_text=f"Ilmoituksen {three_reports['first'].number} tekijä")
    assert "käsittely on kesken" in report.locator(".form-errors").inner_text()
    assert report.get_by_label("Huomio").input_value() == "Pyydetty puhelimessa"  # nothing typed lost
    snap(page, "privacy-subject-items-refused-desktop")
    report.get_by_label("Kieltäydy").check()
    report.get_by_label("Kieltäytymisen laillinen peruste").select_option("legal_obligation")
    with page.expect_navigation():
        report.get_by_role("button", name="Toteuta").click()

    staff_member.refresh_from_db()
    assert (staff_member.full_name, staff_member.phone) == ("Ville Ventola", "")
    assert sorted(req.actions.values_list("action", flat=True)) == ["erase", "rectify", "refuse"]
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    snap(page, "privacy-subject-items-done-desktop")
