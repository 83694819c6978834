"""The deviation loop in a real browser (Debian Chromium via Playwright), as
staff live it: reporting on a phone, handling at a desk, reading the answer."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from omavalvonta.deviations.models import Deviation, NotificationRecipient, State, StatutoryNotification
from omavalvonta.testing.browser import login, snap

pytestmark = pytest.mark.browser


def _open_panel(page, url):
    """Open the <details> panel holding the form that posts to `url`."""
    form = page.locator(f"form[action='{url}']")
    form.evaluate("f => { const d = f.closest('details'); if (d) d.open = true; }")
    return form


def _report(page, *, kind, description, extra=None, anonymous=False):
    page.goto(reverse("deviations:new"))
    page.check(f"input[name=kind][value={kind}]")
    page.fill("input[name=location]", "Olohuone")
    page.fill("textarea[name=description]", description)
    page.fill("textarea[name=immediate_actions]", "Tilanne rauhoitettiin ja nuori ohjattiin omaan huoneeseensa.")
    page.check("input[name=affected_staff]")
    for action in extra or ():
        action(page)
    if anonymous:
        page.check("input[name=anonymous]")
    page.locator("form[data-kind-form] button[type=submit]").click()
    page.wait_for_url(re.compile(r"/poikkeamat/kiitos/"))


def _handle(page, deviation, *, answer, action_owner):
    page.goto(reverse("deviations:detail", args=[deviation.pk]))
    form = _open_panel(page, reverse("deviations:classify", args=[deviation.pk]))
    form.locator("input[name=classify-consequence][value='2']").check()
    form.locator("select[name=classify-likelihood]").select_option("3")
    form.locator("textarea[name=classify-contributing_factors]").fill("Iltavuorossa oli yksi työntekijä liian vähän.")
    form.locator("input[name=classify-for_team_meeting]").check()
    with page.expect_navigation():
        form.locator("button[type=submit]").click()

    form = _open_panel(page, reverse("deviations:add_action", args=[deviation.pk]))
    form.locator("input[name=action-title]").fill("Iltavuoron vähimmäisvahvuus kahteen ohjaajaan")
    form.locator("select[name=action-owner]").select_option(str(action_owner.pk))
    form.locator("input[name=action-due_date]").fill((timezone.localdate() + dt.timedelta(days=14)).isoformat())
    with page.expect_navigation():
        form.locator("button[type=submit]").click()

    form = _open_panel(page, reverse("deviations:answer", args=[deviation.pk]))
    form.locator("textarea[name=answer-answer]").fill(answer)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()

    form = _open_panel(page, reverse("deviations:decide", args=[deviation.pk]))
    form.locator("input[name=decisions-instruction_followed][value=yes]").check()
    form.locator("input[name=decisions-must_change][value=no]").check()
    form.locator("input[name=decisions-outside_needed][value=no]").check()
    with page.expect_navigation():
        form.locator("button[type=submit]").click()


def test_violence_report_goes_round_the_loop_from_phone_to_handler_and_back(
    phone_page, desktop_page, live_server, employee_a, supervisor_a, password
):
    # An employee on a phone reports a violence situation.
    login(phone_page, live_server, employee_a.email, password)

    def violence_details(page):
        page.check("input[name=violence_target][value=staff]")
        page.check("input[name=restraint_used]")

    _report(phone_page, kind="threat_or_violence", description="Nuori heitti tuolin ohjaajaa kohti.", extra=[violence_details])
    snap(phone_page, "journey-violence-submitted-phone")
    report = Deviation.objects.get()
    assert (report.kind, report.reporter_id, report.handler_id) == ("threat_or_violence", employee_a.pk, supervisor_a.pk)
    assert report.restraint_used and report.violence_target == "staff"
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390

    # The supervisor finds it on the home page, classifies it, decides an action, answers and closes.
    login(desktop_page, live_server, supervisor_a.email, password)
    assert report.number in desktop_page.locator("main").inner_text()
    answer = "Iltavuoroon lisätään toinen ohjaaja joulukuun alusta. Kiitos ilmoituksesta."
    _handle(desktop_page, report, answer=answer, action_owner=supervisor_a)
    with desktop_page.expect_navigation():
        desktop_page.locator(f"form[action='{reverse('deviations:close', args=[report.pk])}'] button").click()
    snap(desktop_page, "journey-violence-closed-desktop")
    report.refresh_from_db()
    assert report.state == State.CLOSED
    assert (report.consequence, report.likelihood, report.risk_level) == (2, 3, "moderate")
    assert report.answer == answer
    timeline = desktop_page.locator(".timeline").inner_text()
    assert len(desktop_page.locator(".timeline li").all()) >= 5, timeline

    # The reporter reads the answer on their phone.
    phone_page.goto(reverse("deviations:mine"))
    with phone_page.expect_navigation():
        phone_page.locator(f"a[href='{reverse('deviations:detail', args=[report.pk])}']").first.click()
    assert answer in phone_page.locator("main").inner_text()
    assert phone_page.locator(f"form[action='{reverse('deviations:classify', args=[report.pk])}']").count() == 0
    snap(phone_page, "journey-violence-answer-phone")


def test_grievance_produces_a_recorded_county_notification(
    phone_page, desktop_page, live_server, employee_a, supervisor_a, county, password
):
    login(phone_page, live_server, employee_a.email, password)
    _report(phone_page, kind="grievance", description="Nuoren tapaamisia rajoitettiin ilman päätöstä.")
    report = Deviation.objects.get()

    login(desktop_page, live_server, supervisor_a.email, password)
    desktop_page.goto(reverse("deviations:detail", args=[report.pk]))
    with desktop_page.expect_navigation():
        desktop_page.locator(f"a[href='{reverse('deviations:notify', args=[report.pk])}']").first.click()
    snap(desktop_page, "journey-grievance-notify-desktop")
    desktop_page.locator("main form button[type=submit]").click()
    desktop_page.wait_for_url(re.compile(rf"/poikkeamat/{report.pk}/$"))

    sent = StatutoryNotification.objects.filter(deviation=report)
    assert {(n.recipient_kind, n.recipient_email) for n in sent} == {
        (NotificationRecipient.COUNTY, county.notification_email),
        (NotificationRecipient.LEAD_OFFICIAL, county.lead_official_email),
    }
    assert all(n.sent_by_id == supervisor_a.pk and n.outbox_id for n in sent)
    # The reporter of a § 29 grievance is protected: the county is not told who.
    assert all(employee_a.full_name not in n.body for n in sent)
    # The page lists what was sent, to whom (the address opens with the message).
    sent_list = desktop_page.locator("section[aria-labelledby=notifications-title]")
    assert county.name in sent_list.inner_text()
    assert county.notification_email in sent_list.text_content()


def test_anonymous_reporter_reads_the_answer_with_the_follow_up_code(
    phone_page, desktop_page, live_server, browser, employee_a, supervisor_a, password
):
    login(phone_page, live_server, employee_a.email, password)
    _report(phone_page, kind="quality", description="Vuoronvaihdon raportti jäi pitämättä.", anonymous=True)
    code = phone_page.locator(".code-box").inner_text().strip()
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", code)
    report = Deviation.objects.get()
    assert report.reporter_id is None and report.is_anonymous

    login(desktop_page, live_server, supervisor_a.email, password)
    _handle(desktop_page, report, answer="Raportointikäytäntö kerrataan tiimikokouksessa.", action_owner=supervisor_a)

    # Without signing in, on another device.
    context = browser.new_context(base_url=str(live_server.url), viewport={"width": 390, "height": 844}, locale="fi-FI")
    anonymous = context.new_page()
    anonymous.goto(reverse("public:followup"))
    anonymous.fill("input[name=code]", code.lower().replace("-", " "))
    with anonymous.expect_navigation():
        anonymous.locator("main form button[type=submit]").click()
    text = anonymous.locator("main").inner_text()
    assert "Raportointikäytäntö kerrataan tiimikokouksessa." in text
    assert report.number in text
    assert supervisor_a.full_name not in text
    snap(anonymous, "journey-followup-phone")
    context.close()


def test_supervisor_of_another_unit_gets_404(desktop_page, live_server, employee_a, supervisor_b, password):
    login(desktop_page, live_server, employee_a.email, password)
    _report(desktop_page, kind="near_miss", description="Lääkekaappi oli jäänyt auki.")
    report = Deviation.objects.get()
    desktop_page.context.clear_cookies()

    login(desktop_page, live_server, supervisor_b.email, password)
    response = desktop_page.goto(reverse("deviations:detail", args=[report.pk]))
    assert response.status == 404
    assert report.description not in desktop_page.content()
