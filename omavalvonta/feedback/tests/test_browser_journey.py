"""Client feedback in a real browser: a child answers on the unit's tablet in
kiosk mode, a parent answers through a QR link on a phone (and cannot reuse it),
the unit's results page shows both groups, and a public notice is answered by
the handler and read by the sender with the follow-up code."""

import re
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from omavalvonta.deviations.models import Deviation
from omavalvonta.feedback.models import Response
from omavalvonta.feedback.tests.helpers import answer, open_round
from omavalvonta.testing.browser import FINNISH, login, snap

pytestmark = pytest.mark.browser

TABLET = {"viewport": {"width": 800, "height": 1280}, "device_scale_factor": 1, "is_mobile": True, "has_touch": True}


@pytest.fixture
def tablet_page(transactional_db, live_server, browser):
    context = browser.new_context(base_url=str(live_server.url), **TABLET, **FINNISH)
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def _submit(page, form):
    with page.expect_navigation():
        form.locator("button[type=submit]").first.click()


def test_kiosk_link_results_and_public_notice(
    tablet_page, phone_page, desktop_page, live_server, supervisor_a, unit_a, password
):
    round_ = open_round(supervisor_a, unit_a)
    # Four earlier answers in each group: the journey's answers make five, so the
    # figures are shown (the small-group rule hides fewer).
    for _ in range(4):
        answer(round_, "child", nps=9, safe=4)
        answer(round_, "parent", nps=10, safe=5)

    # The supervisor starts kiosk mode on the unit's tablet and is signed out.
    page = tablet_page
    login(page, live_server, supervisor_a.email, password)
    page.goto(reverse("feedback:round", args=[round_.pk]))
    form = page.locator(f"form[action='{reverse('feedback:round_kiosk', args=[round_.pk])}']")
    form.locator("input[name=group][value=child]").check()
    _submit(page, form)
    assert "/julkinen/palaute/kioski/" in page.url
    kiosk_url = page.url
    assert page.locator(".site-nav").count() == 0  # nobody is signed in on the tablet

    # A child answers with the faces (labelled radios), the number scale and words.
    page.get_by_role("radio", name="Tosi hyvä").first.check()
    safe = page.locator("fieldset", has=page.locator("input[name=safe]"))
    assert safe.get_by_role("radio").count() == 5
    page.locator("input[name=nps][value='10']").check(force=True)
    page.locator("textarea[name=comments]").fill("Täällä on kivoja aikuisia")
    snap(page, "feedback-kiosk-child-tablet")
    _submit(page, page.locator("form.stack"))
    assert "kiitos" in page.url
    snap(page, "feedback-kiosk-thanks")
    # Back to the form: a fresh, empty one; going back never shows the answer.
    with page.expect_navigation():
        page.locator("a.btn").click()
    assert page.url == kiosk_url
    assert page.locator("input:checked").count() == 0
    assert page.locator("textarea[name=comments]").input_value() == ""
    page.go_back()
    page.go_back()
    assert "Täällä on kivoja aikuisia" not in page.content()
    assert page.locator("input:checked").count() == 0

    # The supervisor makes a QR sheet for parents at the desk.
    desk = desktop_page
    login(desk, live_server, supervisor_a.email, password)
    desk.goto(reverse("feedback:round", args=[round_.pk]))
    form = desk.locator(f"form[action='{reverse('feedback:round_links', args=[round_.pk])}']")
    form.locator("select[name=group]").select_option("parent")
    form.locator("input[name=count]").fill("2")
    _submit(desk, form)
    assert desk.locator("svg.qr").count() == 2
    # The print button prints (window.print stubbed: a headless browser has no printer).
    desk.evaluate("() => { window.__printed = 0; window.print = () => { window.__printed += 1; }; }")
    desk.locator("button[data-print]").click()
    assert desk.evaluate("window.__printed") == 1
    snap(desk, "feedback-qr-sheet")
    # The printed address is SITE_URL's; the test server answers the same path.
    link = urlsplit(desk.locator(".fb-qr-card__url a").first.get_attribute("href")).path

    # A parent answers on a phone through the link.
    phone = phone_page
    phone.goto(link)
    phone.locator("input[name=informed][value='4']").check()
    phone.locator("input[name=nps][value='9']").check(force=True)
    phone.locator("textarea[name=comments]").fill("Yhteydenpito on toiminut hyvin")
    snap(phone, "feedback-parent-phone")
    _submit(phone, phone.locator("form.stack"))
    assert phone.url.endswith(reverse("public:feedback_thanks"))
    phone.goto(link)
    assert phone.locator("h1").inner_text() == "Tämä linkki on jo käytetty"
    assert phone.locator("form.stack").count() == 0
    assert Response.objects.filter(group="parent").count() == 5

    # The unit's results page shows both groups at once.
    desk.goto(reverse("feedback:unit", args=[unit_a.pk]))
    child = desk.locator("section#g-child, section:has(#g-child)").first
    parent = desk.locator("section:has(#g-parent)").first
    assert "+100" in child.locator(".fb-kpis").inner_text()  # 5 promoters of 5
    assert "+100" in parent.locator(".fb-kpis").inner_text()
    assert "Täällä on kivoja aikuisia" in desk.content() and "Yhteydenpito on toiminut hyvin" in desk.content()
    snap(desk, "feedback-unit-results-desktop")

    # A public notice from a phone becomes a client-rights report for the handler.
    phone.goto(reverse("public:feedback_send"))
    phone.locator("input[name=kind][value=notice]").check()
    phone.locator("select[name=unit]").select_option(str(unit_a.pk))
    phone.locator("textarea[name=message]").fill("Nuoren puhelin otettiin pois viikoksi ilman päätöstä.")
    snap(phone, "feedback-public-notice-form")
    _submit(phone, phone.locator("form.card"))
    code = phone.locator("#followup-code").inner_text().strip()
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", code)
    snap(phone, "feedback-public-notice-sent")
    deviation = Deviation.objects.get()
    assert deviation.kind == "client_rights" and deviation.handler == supervisor_a

    desk.goto(reverse("deviations:detail", args=[deviation.pk]))
    form = desk.locator(f"form[action='{reverse('deviations:answer', args=[deviation.pk])}']")
    form.evaluate("f => f.closest('details').open = true")
    form.locator("textarea").fill("Kiitos ilmoituksesta. Asia on käsitelty ja rajoituspäätöskäytäntö tarkistettu.")
    _submit(desk, form)

    phone.goto(reverse("public:followup"))
    phone.locator("input[name=code]").fill(code)
    _submit(phone, phone.locator("form.card"))
    assert "rajoituspäätöskäytäntö tarkistettu" in phone.locator(".card--highlight").inner_text()
    snap(phone, "feedback-public-notice-answer")
