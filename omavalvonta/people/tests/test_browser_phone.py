"""On a 390 x 844 phone: a supervisor sees an expiring medication permit on the
home page, opens the unit's matrix, records a colleague's criminal-record check
(the form has no file input) and a medication permit (a forgotten field comes
back with everything typed), sees the permit count rise, and finds the
expiring permit on the next team meeting's agenda. No page scrolls sideways."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from omavalvonta.people.models import QualificationRecord
from omavalvonta.testing.browser import fits_phone, login, snap

pytestmark = pytest.mark.browser


def test_a_supervisor_follows_the_units_competence_on_a_phone(
    phone_page, live_server, supervisor_a, employee_a, colleague_a, unit_a, password, record
):
    from omavalvonta.people.services import requirement_save

    today = timezone.localdate()
    record(employee_a, "laakelupa", done_on=today - dt.timedelta(days=700), valid_until=today + dt.timedelta(days=10))
    record(employee_a, "ensiapu", done_on=today - dt.timedelta(days=1200))  # expired
    requirement_save(actor=supervisor_a, unit=unit_a, medication_permits=2, first_aid=2)
    page = phone_page
    login(page, live_server, supervisor_a.email, password)

    block = page.locator("[data-block=competence]")
    assert "Lääkelupa – Eeva Työntekijä" in block.inner_text() and "Vanhenemassa" in block.inner_text()
    fits_phone(page)
    snap(page, "people-phone-home")

    block.get_by_role("link", name="Yksikön osaaminen").click()
    page.wait_for_url(re.compile(r"/osaaminen/yksikko/\d+/$"))
    assert page.locator("[data-figure=medication] .stat").inner_text().strip() == "1 / 2"
    fits_phone(page)
    snap(page, "people-phone-matrix")

    page.get_by_role("link", name="Kalle Kollega").click()
    page.wait_for_url(re.compile(r"/henkilo/\d+/$"))
    page.locator("li.card", has_text="Rikostaustaote nähty").get_by_role("link", name="Kirjaa").click()
    assert page.locator("input[type=file]").count() == 0
    assert "Laki kieltää säilyttämästä rikostaustaotetta" in page.content()
    fits_phone(page)
    snap(page, "people-phone-criminal-record-form")
    page.get_by_role("button", name="Tallenna").click()
    page.wait_for_url(re.compile(r"/henkilo/\d+/$"))
    check = QualificationRecord.objects.get(person=colleague_a, type__key="rikostaustaote")
    assert not check.certificate and check.recorded_by == supervisor_a

    page.locator("li.card", has_text="Lääkelupa").get_by_role("link", name="Kirjaa").click()
    until = (today + dt.timedelta(days=400)).isoformat()
    page.fill("input[name=valid_until]", until)
    page.fill("input[name=note]", "Näyttö annettu")
    with page.expect_navigation():
        page.get_by_role("button", name="Tallenna").click()
    assert "Kuvaa, mitä lupa kattaa." in page.content()
    assert page.input_value("input[name=valid_until]") == until and page.input_value("input[name=note]") == "Näyttö annettu"
    fits_phone(page)
    snap(page, "people-phone-permit-refused")
    page.fill("input[name=scope]", "Lääkkeiden jakaminen ja antaminen suun kautta")
    page.get_by_role("button", name="Tallenna").click()
    page.wait_for_url(re.compile(r"/henkilo/\d+/$"))
    fits_phone(page)
    snap(page, "people-phone-person")

    with page.expect_navigation():
        page.get_by_role("link", name=re.compile("Osaaminen – ")).click()
    assert page.locator("[data-figure=medication] .stat").inner_text().strip() == "2 / 2"

    from omavalvonta.meetings.tests.helpers import team_meeting

    with translation.override("fi"):  # the chair's language when the agenda is built
        meeting = team_meeting(supervisor_a, unit_a)
    page.goto(f"{live_server.url}{reverse('meetings:detail', args=[meeting.pk])}")
    assert "Henkilöstön osaaminen: 1 pätevyys vanhentunut" in page.content()
    assert "1 vanhenemassa" in page.content()
    fits_phone(page)
    snap(page, "people-phone-agenda")
