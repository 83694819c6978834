"""The data-protection officer registers an access request from a member of
staff who reported two deviations and was named in a third, compiles what the
product holds about him, sees his data and who has seen it, with the other
case's protected reporter redacted, and marks the compile reviewed (desktop)."""

import pytest
from django.urls import reverse

from omavalvonta.deviations.selectors import deviation_get
from omavalvonta.privacy.models import SubjectRequest
from omavalvonta.testing.browser import login, snap

pytestmark = pytest.mark.browser


def test_the_dpo_compiles_an_access_request_with_the_protected_reporter_redacted(
    desktop_page, live_server, dpo, staff_member, supervisor_a, three_reports, password
):
    deviation_get(actor=supervisor_a, pk=three_reports["naming"].pk)  # Sanna reads the grievance naming Ville
    page = desktop_page
    login(page, live_server, dpo.email, password)
    page.goto(live_server.url + reverse("privacy:requests"))
    assert page.locator("h1").inner_text() == "Tietopyynnöt"
    page.get_by_role("link", name="Kirjaa tietopyyntö").click()
    page.get_by_label("Tarkastusoikeus (15 art.)").check()
    page.get_by_label("Järjestelmän henkilö (työsähköposti)").fill(staff_member.email)
    page.get_by_label("Miten henkilöllisyys varmistettiin").select_option("in_person")
    page.get_by_label("Lyhyesti").fill("Ajokortti näytetty toimistolla")
    snap(page, "privacy-subject-request-new-desktop")
    with page.expect_navigation():
        page.get_by_role("button", name="Kirjaa", exact=True).click()
    request = SubjectRequest.objects.get()
    assert "Tietopyyntö kirjattiin." in page.locator(".messages").inner_text()
    assert staff_member.full_name in page.locator(".page-header").inner_text()
    snap(page, "privacy-subject-request-detail-desktop")

    with page.expect_navigation():
        page.get_by_role("button", name="Kokoa tiedot").click()
    assert page.url.endswith(reverse("privacy:compilation", args=[request.pk]))
    body = page.locator("main").inner_text()
    assert f"Mitä henkilöstä {staff_member.full_name} on tallennettu" in body
    for d in ("first", "second"):
        assert f"Sinun ilmoituksesi: {three_reports[d].number}" in body
    assert f"Mainitsee sinut: {three_reports['naming'].number}" in body
    assert "jätti lapsen yksin" in body  # the grievance's text that names him
    assert three_reports["colleague"].full_name not in body  # its protected reporter
    assert "Suojatun ilmoittajan henkilöllisyys (sote-valvontalaki 741/2023 29 §)" in body
    seen = page.locator(".compilation__seen tbody tr")
    assert seen.count() == 1 and supervisor_a.full_name in seen.first.inner_text()
    assert page.get_by_role("link", name="Koneluettava (JSON)").count() == 0  # not before the review
    snap(page, "privacy-subject-request-compile-desktop")

    page.get_by_label("Tarkistuksen huomautus").fill("Peitot tarkistettu")
    with page.expect_navigation():
        page.get_by_role("button", name="Merkitse tarkistetuksi").click()
    assert "voidaan luovuttaa" in page.locator(".messages").inner_text()
    assert page.get_by_role("link", name="Koneluettava (JSON)").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    snap(page, "privacy-subject-request-reviewed-desktop")
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.goto(live_server.url + reverse("privacy:requests"))
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    snap(page, "privacy-subject-requests-phone")
