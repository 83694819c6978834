"""The report form keeps its draft in the browser: after a server error the
person's text comes back with a note, and a saved report leaves no draft."""

import re

import pytest
from django.db import OperationalError
from django.urls import reverse

from omavalvonta.deviations import services
from omavalvonta.deviations.models import Deviation
from omavalvonta.testing.browser import login, snap

pytestmark = pytest.mark.browser

TEXT = "Nuori kaatui portaissa ja löi polvensa. Kaide oli irti seinästä."


def test_a_report_lost_to_a_server_error_comes_back_from_the_browser(
    phone_page, live_server, employee_a, unit_a, password, monkeypatch
):
    page = phone_page
    login(page, live_server, employee_a.email, password)

    def database_away(**kwargs):
        raise OperationalError("terminating connection due to administrator command")

    monkeypatch.setattr(services, "deviation_submit", database_away)
    page.goto(reverse("deviations:new"))
    page.check("input[name=kind][value=quality]")
    page.fill("input[name=location]", "Portaikko")
    page.fill("textarea[name=description]", TEXT)
    page.check("input[name=affected_child]")
    page.locator("form[data-kind-form] button[type=submit]").click()

    page.get_by_text("Lähettämääsi EI tallennettu.").wait_for()
    snap(page, "draft-500-page")
    assert Deviation.objects.count() == 0

    # A fresh load of the form (not the browser's back-forward cache): the
    # server's form is empty and the text comes from the browser's draft.
    page.goto(reverse("deviations:new"))
    note = page.locator(".draft-note")
    note.wait_for()
    assert "Palautettiin lähettämätön tekstisi" in note.inner_text()
    assert page.input_value("textarea[name=description]") == TEXT
    assert page.input_value("input[name=location]") == "Portaikko"
    assert page.is_checked("input[name=kind][value=quality]")
    assert page.is_checked("input[name=affected_child]")
    # The restored draft carries the key of the copy kept in the browser's
    # queue as the form was sent: sending either stores one report.
    assert page.input_value("input[name=submission_key]") != ""
    snap(page, "draft-restored")

    # The database is back: the report is saved, and the draft is gone.
    monkeypatch.undo()
    page.locator("form[data-kind-form] button[type=submit]").click()
    page.wait_for_url(re.compile(r"/poikkeamat/kiitos/"))
    assert Deviation.objects.get().description == TEXT
    page.evaluate("window.Omavalvonta.offlineQueue.sendAll()")
    page.wait_for_timeout(500)
    assert Deviation.objects.count() == 1, "the kept copy is the same report"
    page.goto(reverse("deviations:new"))
    page.wait_for_load_state()
    assert page.locator(".draft-note").count() == 0
    assert page.input_value("textarea[name=description]") == ""


def test_discarding_a_restored_draft_brings_back_the_empty_form(phone_page, live_server, employee_a, unit_a, password):
    page = phone_page
    login(page, live_server, employee_a.email, password)
    page.goto(reverse("deviations:new"))
    page.fill("textarea[name=description]", "Keskeneräinen teksti")
    page.wait_for_timeout(600)  # the draft is written a moment after typing
    page.reload()
    page.locator(".draft-note").wait_for()
    assert page.input_value("textarea[name=description]") == "Keskeneräinen teksti"

    page.locator(".draft-note button").click()

    assert page.input_value("textarea[name=description]") == ""
    assert page.locator(".draft-note").count() == 0
    page.reload()
    page.wait_for_load_state()
    assert page.locator(".draft-note").count() == 0
