"""The learning loop in a real browser, on a phone: a quality director opens a
learning review from a deviation report, the facilitator (the unit's
supervisor) answers and completes it with its summary, the quality director
shares the summary with every unit, a supervisor of another unit acknowledges
it, and the unit's timeline shows the review."""

import pytest
from django.test import override_settings
from django.urls import reverse

from omavalvonta.improvement.models import Acknowledgement
from omavalvonta.learning import services
from omavalvonta.learning.models import LearningReview, State
from omavalvonta.testing.browser import login, snap

pytestmark = pytest.mark.browser


def _as(page, live_server, user, password):
    page.context.clear_cookies()
    login(page, live_server, user.email, password)


def _no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_a_review_from_a_deviation_to_a_summary_acknowledged_in_another_unit(
    phone_page, live_server, deviation_a, quality_director, supervisor_a, employee_a, supervisor_b, unit_a, password
):
    page, base = phone_page, str(live_server.url)

    # The quality director opens a review from the report's page.
    _as(page, live_server, quality_director, password)
    page.goto(base + reverse("deviations:detail", args=[deviation_a.pk]))
    page.get_by_role("link", name="Avaa oppimiskatselmus").click()
    assert page.locator("input[name=title]").input_value() == f"Laatupoikkeama, ilmoitus {deviation_a.number}"
    page.locator("select[name=facilitator]").select_option(str(supervisor_a.pk))
    page.locator(f"input[name=participants][value='{employee_a.pk}']").check()
    _no_sideways_scroll(page)
    snap(page, "learning-new-phone")
    page.get_by_role("button", name="Avaa katselmus").click()
    review = LearningReview.objects.get()
    assert review.origin == f"deviation:{deviation_a.pk}" and list(review.deviations.all()) == [deviation_a]

    # The facilitator answers and completes it.
    _as(page, live_server, supervisor_a, password)
    page.goto(base + reverse("learning:detail", args=[review.pk]))
    page.get_by_label("Mitä odotettiin tapahtuvan?").fill("Iltalääkkeet jaetaan klo 20.")
    page.get_by_label("Mitä todella tapahtui?").fill("Jako jäi vuoronvaihdossa tekemättä.")
    page.get_by_label("Mitä opimme, mitä muutamme?").fill("Lääkkeet vuoronvaihdon raportin alkuun.")
    with page.expect_navigation():
        page.get_by_role("button", name="Tallenna vastaukset").click()
    assert "Vastaukset tallennettiin." in page.locator("main").inner_text()
    _no_sideways_scroll(page)
    snap(page, "learning-detail-phone")
    page.get_by_role("link", name="Päätä katselmus").first.click()
    page.get_by_label("Oppimisyhteenveto").fill("Käykää lääkkeet läpi vuoronvaihdon alussa ja kirjatkaa jako heti.")
    page.get_by_role("button", name="Päätä katselmus").click()
    review.refresh_from_db()
    assert review.state == State.COMPLETED

    # The quality director shares the summary with every unit.
    _as(page, live_server, quality_director, password)
    page.goto(base + reverse("learning:detail", args=[review.pk]))
    page.get_by_role("button", name="Jaa yhteenveto").click()
    assert review.summary.__class__.objects.get(pk=review.summary.pk).shared_at is not None
    assert "matkalla" in page.locator("main").inner_text()  # the requests are on their way
    with override_settings(LANGUAGE_CODE="fi"):  # the worker's job, in the site's language (Finnish)
        services.summary_requests_make()

    # A supervisor of another unit sees it on the home page and acknowledges it.
    _as(page, live_server, supervisor_b, password)
    block = page.locator("[data-block=learning]")
    assert "oppimisyhteenveto kuitattavana" in block.inner_text()
    with page.expect_navigation():
        block.get_by_role("link", name=f"Oppimisyhteenveto: {review.title}").click()
    assert "vuoronvaihdon alussa" in page.locator("main").inner_text()
    _no_sideways_scroll(page)
    snap(page, "learning-summary-phone")
    with page.expect_navigation():
        page.locator("form[action$='/kuittaa/'] button[type=submit]").click()
    assert "Kiitos" in page.locator("main").inner_text()
    assert Acknowledgement.objects.get(target_id=review.summary.pk, user=supervisor_b).acknowledged_at is not None

    # The unit's timeline shows the review, opened and completed.
    _as(page, live_server, supervisor_a, password)
    page.goto(base + reverse("unit_timeline", args=[unit_a.pk]))
    text = page.locator("main").inner_text()
    assert f"Oppimiskatselmus avattu: {review.title}" in text
    assert f"Oppimiskatselmus valmis: {review.title}" in text
    assert f"Oppimisyhteenveto jaettu: {review.title}" in text
