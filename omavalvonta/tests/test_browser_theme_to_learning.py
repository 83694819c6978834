"""Issue 19's journey across three areas, in a real browser on a phone: the
quality director finds a theme across three units (search), opens a learning
review from it (learning, through core.registry LEARNING_ORIGINS), the
facilitator completes it with an action, the summary is shared, a supervisor of
another unit acknowledges it, and the unit's timeline shows the review and its
action (dashboards, through UNIT_TIMELINE)."""

import datetime as dt

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from omavalvonta.deviations.services import deviation_submit
from omavalvonta.improvement.models import Acknowledgement
from omavalvonta.learning import services as learning
from omavalvonta.learning.models import LearningReview, State
from omavalvonta.organisation.models import Role
from omavalvonta.search import services as search
from omavalvonta.testing.browser import login, snap
from omavalvonta.testing.factories import UnitFactory, deviation_kwargs, member

pytestmark = pytest.mark.browser

MEDICINE = [
    "Iltalääkkeet jäivät antamatta vuoron vaihtuessa, lääkelista oli väärässä kansiossa.",
    "Lapsi jäi ilman iltalääkettä, koska lääkelista puuttui kansiosta vuoronvaihdossa.",
    "Iltalääkkeen antaminen unohtui vuoron vaihtuessa, lääkelistaa ei löytynyt kansiosta.",
]


def _report(actor, unit, text):
    kwargs = deviation_kwargs(unit, description=text, kind="medication", medication_stage="giving", immediate_actions="")
    return deviation_submit(actor=actor, **kwargs).deviation


def _as(page, live_server, user, password):
    page.context.clear_cookies()
    login(page, live_server, user.email, password)


def test_a_theme_across_three_units_becomes_a_shared_lesson(
    phone_page, live_server, region_a, county, unit_a, unit_b, employee_a, supervisor_a, supervisor_b,
    quality_director, password,
):
    unit_c = UnitFactory(region=region_a, name="Lastenkoti Pihlaja", public_slug="pihlaja", counties=[county])
    employee_c = member(Role.EMPLOYEE, unit=unit_c, full_name="Cecilia Pihlajainen", email="cecilia@omavalvonta.example")
    reports = [_report(employee_a, unit_a, MEDICINE[0]), _report(supervisor_b, unit_b, MEDICINE[1]),
               _report(employee_c, unit_c, MEDICINE[2])]
    # Other reports around them (a theme stands out from the rest of the period).
    for text in ("Ulko-ovi jäi lukitsematta yöllä.", "Hälytin ei toiminut aamuvuorossa.", "Pyykkitupa tulvi."):
        deviation_submit(actor=employee_a, **deviation_kwargs(unit_a, description=text, kind="quality", immediate_actions=""))
    search.themes_compute()
    page, base = phone_page, str(live_server.url)

    # The quality director finds the theme and opens a review from it.
    _as(page, live_server, quality_director, password)
    page.goto(base + reverse("search:themes"))
    card = page.locator("li, article").filter(has_text="Lastenkoti Pihlaja").filter(
        has=page.get_by_role("link", name="Avaa oppimiskatselmus")).first
    assert "3 yksikköä" in card.inner_text()
    snap(page, "theme-to-learning-themes-phone")
    card.get_by_role("link", name="Avaa oppimiskatselmus").click()
    if page.locator("select#id_unit").count():  # a theme of several units: which one the review is about
        page.locator("select#id_unit").select_option(str(unit_a.pk))
        page.get_by_role("button", name="Jatka").click()
    page.locator("select[name=facilitator]").select_option(str(supervisor_a.pk))
    page.get_by_role("button", name="Avaa katselmus").click()
    review = LearningReview.objects.get()
    assert review.origin.startswith("theme:")
    assert {d.pk for d in review.deviations.all()} == {r.pk for r in reports}

    # The facilitator answers, decides an action and completes the review.
    learning.review_action_add(actor=supervisor_a, review=review, unit=unit_a, title="Lääkelista vuoronvaihdon kansioon",
                               owner=supervisor_a, due_date=timezone.localdate() + dt.timedelta(days=14))
    _as(page, live_server, supervisor_a, password)
    page.goto(base + reverse("learning:detail", args=[review.pk]))
    page.get_by_label("Mitä odotettiin tapahtuvan?").fill("Iltalääkkeet annetaan klo 20.")
    page.get_by_label("Mitä todella tapahtui?").fill("Lääkelista ei ollut kansiossa vuoronvaihdossa.")
    page.get_by_label("Mitä opimme, mitä muutamme?").fill("Lääkelistan paikka sovitaan kaikissa yksiköissä.")
    page.get_by_role("button", name="Tallenna vastaukset").click()
    page.get_by_role("link", name="Päätä katselmus").first.click()
    page.get_by_label("Oppimisyhteenveto").fill("Lääkelista pidetään aina vuoronvaihdon kansiossa.")
    page.get_by_role("button", name="Päätä katselmus").click()
    review.refresh_from_db()
    assert review.state == State.COMPLETED

    # Shared with every unit; a supervisor of another unit acknowledges it.
    _as(page, live_server, quality_director, password)
    page.goto(base + reverse("learning:detail", args=[review.pk]))
    page.get_by_role("button", name="Jaa yhteenveto").click()
    page.get_by_text("Kuittauspyynnöt ovat matkalla").first.wait_for()
    with override_settings(LANGUAGE_CODE="fi"):  # the worker's job, in the site's language
        learning.summary_requests_make()
    _as(page, live_server, supervisor_b, password)
    page.locator("[data-block=learning]").get_by_role("link", name=f"Oppimisyhteenveto: {review.title}").click()
    page.locator("form[action$='/kuittaa/'] button[type=submit]").click()
    assert Acknowledgement.objects.get(target_id=review.summary.pk, user=supervisor_b).acknowledged_at is not None

    # The unit's timeline shows the review and its action.
    _as(page, live_server, supervisor_a, password)
    page.goto(base + reverse("unit_timeline", args=[unit_a.pk]))
    text = page.locator("main").inner_text()
    assert f"Oppimiskatselmus valmis: {review.title}" in text
    page.goto(base + reverse("unit_timeline", args=[unit_a.pk]) + "?area=actions")
    assert page.locator("main li").count() >= 1
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    snap(page, "theme-to-learning-timeline-phone")
