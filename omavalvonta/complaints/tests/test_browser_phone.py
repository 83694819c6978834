"""On a 390 px phone: a parent sends a complaint (muistutus) through the public
website, the unit's supervisor names themself its handler and records the
written answer. No page scrolls sideways, and nothing of the complaint is in
an address."""

import re
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from omavalvonta.complaints.models import Complaint, State
from omavalvonta.testing.browser import fits_phone, login, snap

pytestmark = pytest.mark.browser


def test_a_public_complaint_is_answered_by_its_handler_on_a_phone(phone_page, live_server, supervisor_a, unit_a, password):
    page = phone_page
    page.goto(live_server.url + reverse("public:feedback_send"))
    page.check("input[name=kind][value=complaint]")
    page.select_option("select[name=unit]", str(unit_a.pk))
    page.fill("textarea[name=message]", "Lapseni puhelin otettiin iltaisin pois ilman perusteluja.")
    page.select_option("select[name=complainant_kind]", "guardian")
    page.fill("input[name=sender_name]", "Pekka Vanhempi")
    page.fill("input[name=sender_contact]", "pekka@example.test")
    fits_phone(page)
    with page.expect_navigation():
        page.locator("form.card button[type=submit]").click()
    snap(page, "complaint-public-sent-phone")
    complaint = Complaint.objects.get()
    assert complaint.received_via == "public_site" and complaint.unit == unit_a
    assert "Kiitos, muistutuksesi on vastaanotettu" in page.content()
    address = urlsplit(page.url)
    assert (address.path, address.query) == (reverse("public:feedback_send"), "")
    fits_phone(page)

    # The supervisor finds it in the unit's complaints, names themself the handler and answers.
    page.context.clear_cookies()
    login(page, live_server, supervisor_a.email, password)
    page.goto(live_server.url + reverse("complaints:list"))
    fits_phone(page)
    page.get_by_role("link", name=re.compile(f"#{complaint.pk}")).first.click()
    page.wait_for_url(re.compile(rf"/muistutukset/{complaint.pk}/$"))
    assert "Pekka Vanhempi" in page.content()
    fits_phone(page)
    page.select_option("select[name=assign-handler]", str(supervisor_a.pk))
    with page.expect_navigation():
        page.locator(f"form[action='{reverse('complaints:assign', args=[complaint.pk])}'] button[type=submit]").click()
    assert Complaint.objects.get().handler == supervisor_a
    # A missing gist is refused with the message, the date kept.
    page.fill("input[name=answer-answered_on]", timezone.localdate().isoformat())
    with page.expect_navigation():
        page.locator(f"form[action='{reverse('complaints:answer', args=[complaint.pk])}'] button[type=submit]").click()
    assert Complaint.objects.get().state == State.IN_HANDLING
    assert page.locator("#id_answer-answer_summary[aria-invalid=true]").count() == 1
    page.fill("textarea[name=answer-answer_summary]", "Pahoittelimme. Puhelimen käytöstä sovitaan jatkossa lapsen kanssa.")
    page.locator(f"form[action='{reverse('complaints:answer', args=[complaint.pk])}'] button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/muistutukset/{complaint.pk}/$"))
    complaint.refresh_from_db()
    assert complaint.state == State.ANSWERED and not complaint.answered_late
    snap(page, "complaint-answered-phone")
    fits_phone(page)
    page.goto(live_server.url + reverse("complaints:new"))
    snap(page, "complaint-new-phone")
    fits_phone(page)
