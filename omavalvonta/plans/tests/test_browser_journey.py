"""The plan's life in a real browser: a supervisor updates a section on a phone,
the responsible person approves at a desk, the public unit page shows the new
version and its PDF; the quality director publishes a follow-up report that the
public can read."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from omavalvonta.plans.models import FollowupReport, PlanVersion, ReportState, VersionState
from omavalvonta.plans.tests.helpers import approved_plan
from omavalvonta.testing.browser import login, snap

pytestmark = pytest.mark.browser

NEW_TEXT = "Yövuoroissa on aina kaksi ohjaajaa, ja vuorolistat tarkistetaan viikoittain."


@pytest.mark.browser
def test_supervisor_updates_the_plan_responsible_person_approves_and_the_public_sees_it(
    phone_page, desktop_page, browser, live_server, supervisor_a, responsible_a, unit_a, password
):
    first = approved_plan(unit_a, supervisor_a, responsible_a)

    # The supervisor starts updating the plan and rewrites one section, on a phone.
    phone = phone_page
    login(phone, live_server, supervisor_a.email, password)
    phone.goto(reverse("plans:list"))
    snap(phone, "plans-list-phone")
    phone.locator(f"a[href='{reverse('plans:plan', args=[unit_a.pk, 'omavalvontasuunnitelma'])}']").click()
    phone.locator(f"form[action='{reverse('plans:draft_start', args=[unit_a.pk, 'omavalvontasuunnitelma'])}'] button").click()
    phone.wait_for_url(re.compile(r"/omavalvontasuunnitelmat/versiot/\d+/$"))
    draft = PlanVersion.objects.get(unit=unit_a, state=VersionState.DRAFT)
    section = draft.sections.get(key="henkilosto")
    phone.locator(f"a[href='{reverse('plans:section', args=[draft.pk, section.pk])}']").click()
    phone.fill("textarea[name=text]", NEW_TEXT)
    snap(phone, "plans-section-edit-phone")
    phone.locator("form.form button[type=submit]").click()
    phone.wait_for_url(re.compile(rf"/versiot/{draft.pk}/"))
    assert NEW_TEXT in phone.content()
    snap(phone, "plans-draft-phone")
    with phone.expect_navigation():
        phone.locator(f"form[action='{reverse('plans:request_approval', args=[draft.pk])}'] button").click()
    from omavalvonta.notifications.models import Notification

    assert Notification.objects.filter(kind="plan.approval_requested", recipient=responsible_a).exists()

    # The responsible person approves it at a desk.
    desk = desktop_page
    login(desk, live_server, responsible_a.email, password)
    desk.goto(reverse("plans:approve", args=[draft.pk]))
    desk.fill("textarea[name=change_summary]", "Henkilöstön riittävyyden seuranta täsmennetty.")
    snap(desk, "plans-approve-desktop")
    desk.locator("form.form button[type=submit]").click()
    desk.wait_for_url(re.compile(rf"/versiot/{draft.pk}/$"))
    draft.refresh_from_db()
    assert draft.state == VersionState.APPROVED and draft.approved_by == responsible_a

    # The public unit page shows the new version, the earlier one's date, and the PDF.
    public = browser.new_context(base_url=str(live_server.url), locale="fi-FI", viewport={"width": 1280, "height": 900})
    try:
        page = public.new_page()
        page.goto(reverse("public:plans_unit", args=[unit_a.public_slug]))
        body = page.content()
        assert NEW_TEXT in body
        assert "Henkilöstön riittävyyden seuranta täsmennetty." in body
        assert first.approved_at.astimezone().strftime("%Y") in body
        snap(page, "plans-public-unit-desktop")
        page.emulate_media(media="print")
        assert not page.locator(".site-header").is_visible()  # the printout is the plan alone
        snap(page, "plans-public-unit-print")
        page.emulate_media(media="screen")
        pdf_link = page.locator(f"a[href='{reverse('public:plans_unit_pdf', args=[unit_a.public_slug, 'omavalvontasuunnitelma'])}']")
        response = page.request.get(pdf_link.get_attribute("href"))
        assert response.status == 200
        assert response.headers["content-type"] == "application/pdf"
        assert response.body().startswith(b"%PDF")
    finally:
        public.close()


@pytest.mark.browser
def test_quality_director_publishes_a_follow_up_report_that_the_public_reads(
    desktop_page, browser, live_server, quality_director, password, request, supervisor_a, unit_a
):
    from omavalvonta.feedback.tests.conftest import ensure_default_surveys
    from omavalvonta.feedback.tests.helpers import answer, open_round

    ensure_default_surveys(request)
    feedback_round = open_round(supervisor_a, unit_a)
    for nps in [10, 10, 9, 8, 3, 5]:  # parents in the period: NPS +17 in the report
        answer(feedback_round, "parent", nps=nps, submitted_on=dt.date(2026, 2, 10))
    answer(feedback_round, "child", nps=10, submitted_on=dt.date(2026, 2, 11))  # one child: not shown
    desk = desktop_page
    login(desk, live_server, quality_director.email, password)
    desk.goto(reverse("plans:reports"))
    desk.fill("input[name=period_start]", "2026-01-01")
    desk.fill("input[name=period_end]", "2026-04-30")
    desk.locator("form.form button[type=submit]").click()
    desk.wait_for_url(re.compile(r"/seuranta/\d+/$"))
    report = FollowupReport.objects.get()
    desk.fill("textarea[name=findings]", "Poikkeamia ilmoitettiin aiempaa enemmän; käsittely nopeutui.")
    desk.fill("textarea[name=measures]", "Lääkehoidon kaksoistarkistus kaikkiin yksiköihin toukokuussa.")
    with desk.expect_navigation():
        desk.locator("aside form button[type=submit]").click()
    with desk.expect_navigation():
        desk.locator(f"form[action='{reverse('plans:report_approve', args=[report.pk])}'] button").click()
    with desk.expect_navigation():
        desk.locator(f"form[action='{reverse('plans:report_publish', args=[report.pk])}'] button").click()
    report.refresh_from_db()
    assert report.state == ReportState.PUBLISHED
    snap(desk, "plans-report-desktop")

    public = browser.new_context(base_url=str(live_server.url), locale="fi-FI", viewport={"width": 390, "height": 844})
    try:
        page = public.new_page()
        page.goto(reverse("public:plans_programme"))
        page.locator(f"a[href='{reverse('public:plans_report', args=[report.pk])}']").click()
        page.wait_for_url(re.compile(rf"/seuranta/{report.pk}/$"))
        assert "Lääkehoidon kaksoistarkistus" in page.content()
        assert "6 / +17" in page.locator("#fig-feedback").locator("..").inner_text()
        snap(page, "plans-public-report-phone")
    finally:
        public.close()
