"""Two people writing the same plan section in real browsers: the second sees
the first one's text beside their own, keeps what they typed, and can save it."""

import re

import pytest

from omavalvonta.plans import services
from omavalvonta.plans.models import PlanSection
from omavalvonta.testing.browser import login, snap

pytestmark = pytest.mark.browser


def test_the_second_writer_sees_both_texts_and_saves_theirs_knowingly(
    phone_page, browser, live_server, supervisor_a, responsible_a, unit_a, password
):
    draft = services.plan_draft_start(actor=supervisor_a, unit=unit_a)
    section = draft.sections.get(key="henkilosto")
    url = f"{live_server.url}/omavalvontasuunnitelmat/versiot/{draft.pk}/osiot/{section.pk}/"

    other = browser.new_context(locale="fi-FI", timezone_id="Europe/Helsinki")
    first = other.new_page()
    login(first, live_server, supervisor_a.email, password)
    login(phone_page, live_server, responsible_a.email, password)
    first.goto(url)
    phone_page.goto(url)  # both have the form open

    first.fill("textarea[name=text]", "Seitsemän ohjaajaa ja esihenkilö.")
    first.locator("form.form button[type=submit]").first.click()
    first.wait_for_url(re.compile(r"/versiot/\d+/"))

    phone_page.fill("textarea[name=text]", "Kahdeksan ohjaajaa ja sairaanhoitaja.")
    phone_page.locator("form.form button[type=submit]").first.click()
    panel = phone_page.locator(".edit-conflict")
    panel.wait_for()
    assert "Seitsemän ohjaajaa ja esihenkilö." in panel.inner_text()
    assert supervisor_a.full_name in panel.inner_text()
    assert phone_page.input_value("textarea[name=text]") == "Kahdeksan ohjaajaa ja sairaanhoitaja."
    assert PlanSection.objects.get(pk=section.pk).text == "Seitsemän ohjaajaa ja esihenkilö."
    assert phone_page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    snap(phone_page, "edit-conflict-phone")

    phone_page.locator("form.form button[type=submit]").first.click()
    phone_page.wait_for_url(re.compile(r"/versiot/\d+/"))
    assert PlanSection.objects.get(pk=section.pk).text == "Kahdeksan ohjaajaa ja sairaanhoitaja."
    other.close()
