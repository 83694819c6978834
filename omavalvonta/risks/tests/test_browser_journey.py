"""Risks in a real browser: the supervisor adds a risk on a phone, ties a
deviation report to it from the report's page, and records the unit's continuity."""

import re

import pytest
from django.urls import reverse

from omavalvonta.deviations.services import deviation_submit
from omavalvonta.risks.models import Risk, RiskDeviationLink
from omavalvonta.testing.browser import login, snap
from omavalvonta.testing.factories import deviation_kwargs

pytestmark = pytest.mark.browser


def _submit(page, form):
    with page.expect_navigation():
        form.locator("button[type=submit]").first.click()


def test_a_risk_tied_to_a_deviation_and_the_continuity_page(phone_page, live_server, supervisor_a, colleague_a, unit_a, password):
    deviation = deviation_submit(actor=colleague_a, **deviation_kwargs(unit_a)).deviation
    page = phone_page
    login(page, live_server, supervisor_a.email, password)
    page.goto(live_server.url + reverse("risks:create"))
    form = page.locator("form.form")
    form.locator("select[name=category]").select_option("client_safety")
    form.locator("input[name=title]").fill("Nuoren karkaaminen yöaikaan")
    form.locator("input[name=likelihood][value='4']").check()
    form.locator("input[name=consequence][value='3']").check()
    form.locator("textarea[name=controls]").fill("Yövalvonta ja ovihälyttimet")
    _submit(page, form)
    page.wait_for_url(re.compile(r"/riskit/\d+/$"))
    risk = Risk.objects.get()
    assert risk.level == "high"
    snap(page, "risks-detail-phone")

    page.goto(live_server.url + reverse("deviations:detail", args=[deviation.pk]))
    form = page.locator(f"form[action='{reverse('risks:deviation_link', args=[deviation.pk])}']")
    form.locator("select[name=risk]").select_option(str(risk.pk))
    _submit(page, form)
    assert RiskDeviationLink.objects.filter(risk=risk, deviation=deviation).exists()
    assert "Nuoren karkaaminen yöaikaan" in page.locator("#risks-title").locator("..").inner_text()
    page.goto(live_server.url + reverse("risks:list"))
    page.locator("details.risk-matrix summary").click()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    snap(page, "risks-list-phone")

    page.goto(live_server.url + reverse("audits:continuity", args=[unit_a.pk]))
    page.locator("summary", has_text=re.compile("järjestelmä|system", re.I)).first.click()
    form = page.locator("form:has(input[name=form][value=system])")
    form.locator("input[name=s-name]").fill("Asiakastietojärjestelmä")
    form.locator("textarea[name=s-fallback]").fill("Paperilomakkeet")
    form.locator("input[name=s-tolerable_outage]").fill("8 tuntia")
    _submit(page, form)
    assert "Asiakastietojärjestelmä" in page.inner_text("main")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    snap(page, "continuity-phone")
