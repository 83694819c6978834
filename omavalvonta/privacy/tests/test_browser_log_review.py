"""The data-protection officer reviews a flagged read on a phone."""

import pytest
from django.urls import reverse

from omavalvonta.core.services import access_log_page_record
from omavalvonta.privacy.models import LogReview
from omavalvonta.testing.browser import login, snap

pytestmark = pytest.mark.browser


def test_the_dpo_filters_the_flagged_reads_and_marks_one_reviewed(
    phone_page, live_server, dpo, quality_director, supervisor_a, unit_a, password
):
    access_log_page_record(actor=supervisor_a, what="deviation.detail", right="deviation.view", unit=unit_a)
    entry = access_log_page_record(actor=quality_director, what="deviation.reporter", right="deviation.view_reporter", unit=unit_a)
    page = phone_page
    login(page, live_server, dpo.email, password)
    page.goto(live_server.url + reverse("privacy:log"))
    assert page.locator("h1").inner_text() == "Lokitiedot"
    page.locator("select[name=flag]").select_option("unreviewed")
    with page.expect_navigation():
        page.get_by_role("button", name="Suodata").click()
    cards = page.locator(".log-review > li")
    assert cards.count() == 1  # the supervisor's read in their own unit is not flagged
    card = cards.first
    assert "Laura Laatujohtaja" in card.inner_text()
    assert "Suojatun ilmoittajan henkilöllisyys" in card.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    snap(page, "privacy-log-review-phone")
    card.get_by_label("Tarkistuksen huomautus").fill("Vastuuhenkilön pyynnöstä, asia hoidossa")
    with page.expect_navigation():
        card.get_by_role("button", name="Merkitse tarkistetuksi").click()
    assert "flag=unreviewed" in page.url  # back to the same filtered page
    assert "Merkitty tarkistetuksi." in page.locator(".messages").inner_text()
    assert page.locator(".log-review > li").count() == 0
    review = LogReview.objects.get(entry=entry)
    assert review.reviewed_by == dpo and review.note == "Vastuuhenkilön pyynnöstä, asia hoidossa"
