"""On a 390 x 844 phone: the quality calendar shows the unit's medication plan
late; the supervisor records its new version with the region's doctor's
approval, and the calendar's late mark is gone."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from omavalvonta.audits import document_services
from omavalvonta.audits.document_kinds import DocumentKind
from omavalvonta.audits.models import TrackedDocument
from omavalvonta.testing.browser import fits_phone, login, snap

pytestmark = pytest.mark.browser

LABEL = "Tarkistettavat tai uusittavat asiakirjat"


def test_a_supervisor_records_the_medication_plans_new_version_and_the_late_mark_goes(
    phone_page, live_server, supervisor_a, unit_a, password
):
    today = timezone.localdate()
    document = document_services.document_create(
        actor=supervisor_a, kind=DocumentKind.MEDICATION_PLAN, unit=unit_a, owner=supervisor_a,
        due_on=today - dt.timedelta(days=3),
    )
    page = phone_page
    login(page, live_server, supervisor_a.email, password)

    # The calendar's due page: the documents' row is late.
    page.goto(live_server.url + reverse("yearclock:due"))
    row = page.locator("li.card", has_text=LABEL)
    assert "card--danger" in row.get_attribute("class")
    fits_phone(page)
    snap(page, "documents-phone-calendar-late")

    # From the row to the unit's documents and the plan's page.
    row.get_by_role("link").click()
    page.wait_for_url(re.compile(rf"/auditointi/asiakirjat/yksikko/{unit_a.pk}/$"))
    fits_phone(page)
    page.get_by_role("link", name=re.compile("Lääkehoitosuunnitelma")).first.click()
    page.wait_for_url(re.compile(rf"/auditointi/asiakirjat/{document.pk}/$"))
    assert page.locator(".badge--overdue").count() >= 1

    # The new version, with the doctor's approval (the next review is offered a year ahead).
    page.fill("input[name=dated_on]", today.isoformat())
    page.fill("textarea[name=note]", "Tarkistettu yksikön lääkärin kanssa; tarvittaessa annettavat lääkkeet päivitetty.")
    page.fill("input[name=approver_name]", "LL Anna Lindqvist")
    page.fill("input[name=approved_on]", today.isoformat())
    assert page.input_value("input[name=next_due]") > today.isoformat()
    fits_phone(page)
    snap(page, "documents-phone-version-form")
    page.get_by_role("button", name="Kirjaa versio").click()
    page.wait_for_url(re.compile(rf"/auditointi/asiakirjat/{document.pk}/$"))
    assert page.locator(".badge--overdue").count() == 0
    assert "hyväksynyt LL Anna Lindqvist" in page.content()
    fits_phone(page)
    snap(page, "documents-phone-version-recorded")
    document = TrackedDocument.objects.get(pk=document.pk)
    assert document.due_on > today and document.current.approver_name == "LL Anna Lindqvist"

    # Back on the calendar: no late documents.
    page.goto(live_server.url + reverse("yearclock:due"))
    assert page.locator("li.card--danger", has_text=LABEL).count() == 0
    fits_phone(page)
    snap(page, "documents-phone-calendar-after")
