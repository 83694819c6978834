"""A request for explanation answered in time, in a real browser: the quality
director registers it at a desk, the responsible person answers on a phone, the
quality director approves the response before the deadline."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from omavalvonta.guidance.models import Guidance, State
from omavalvonta.testing.browser import login, snap

pytestmark = pytest.mark.browser


@pytest.mark.browser
def test_request_for_explanation_is_answered_and_approved_before_the_deadline(
    desktop_page, phone_page, live_server, quality_director, responsible_a, unit_a, authority, password
):
    deadline = timezone.localdate() + dt.timedelta(days=21)

    # The quality director registers the request.
    desk = desktop_page
    login(desk, live_server, quality_director.email, password)
    desk.goto(reverse("guidance:create"))
    desk.check("input[name=kind][value=information_request]")
    desk.select_option("select[name=sender]", f"a{authority.pk}")
    desk.fill("input[name=sender_reference]", "LVV/4711/2026")
    desk.fill("input[name=title]", "Selvityspyyntö yövuorojen henkilöstömitoituksesta")
    desk.fill("textarea[name=content]", "Lupa- ja valvontavirasto pyytää selvitystä yövuorojen mitoituksesta.")
    desk.fill("input[name=deadline]", deadline.isoformat())
    desk.check(f"input[name=units][value='{unit_a.pk}']")
    desk.select_option("select[name=assignee]", str(responsible_a.pk))
    snap(desk, "guidance-register-desktop")
    desk.locator("form.form button[type=submit]").click()
    desk.wait_for_url(re.compile(r"/ohjaus/\d+/$"))
    guidance = Guidance.objects.get()
    assert guidance.deadline == deadline and guidance.assignee == responsible_a

    # The responsible person prepares and submits the response on a phone.
    phone = phone_page
    login(phone, live_server, responsible_a.email, password)
    phone.goto(reverse("guidance:list"))
    phone.get_by_role("link", name="Selvityspyyntö yövuorojen henkilöstömitoituksesta").first.click()
    phone.wait_for_url(re.compile(rf"/ohjaus/{guidance.pk}/$"))
    phone.fill("textarea[name=response-response]", "Yövuoroissa on aina kaksi ohjaajaa; vuorolistat liitteenä.")
    with phone.expect_navigation():
        phone.locator("button[name=submit][value=draft]").click()
    assert Guidance.objects.get().state == State.RESPONSE_IN_PREPARATION
    with phone.expect_navigation():
        phone.locator("button[name=submit][value=review]").click()
    snap(phone, "guidance-submitted-phone")
    assert Guidance.objects.get().state == State.RESPONSE_IN_REVIEW

    # The quality director approves it, before the deadline.
    desk.goto(reverse("guidance:detail", args=[guidance.pk]))
    desk.check("input[name=review-decision][value=approve]")
    with desk.expect_navigation():
        desk.locator(f"form[action='{reverse('guidance:review', args=[guidance.pk])}'] button[type=submit]").click()
    guidance.refresh_from_db()
    assert guidance.state == State.RESPONDED
    assert guidance.response_date <= guidance.deadline
    badge = desk.locator(".page-header .badge").first
    assert badge.inner_text().strip() == "Vastattu"  # "Responded", in the browser's Finnish
    snap(desk, "guidance-responded-desktop")
