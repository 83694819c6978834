"""On a 390 x 844 phone: a supervisor opens a colleague's competence page with
several trainings, records one more with its certificate (a wrong hours value
comes back with everything typed) and the date of a development discussion.
No page scrolls sideways."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from omavalvonta.people.models import DevelopmentDiscussion, TrainingRecord
from omavalvonta.people.training_services import training_record
from omavalvonta.testing.browser import fits_phone, login, snap

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_a_supervisor_records_training_on_a_phone(phone_page, live_server, supervisor_a, colleague_a, unit_a,
                                                  password, tmp_path):
    for n, (course, hours) in enumerate((("Traumatietoinen työote lastensuojelussa", "14"),
                                         ("Väkivallan ennaltaehkäisy ja hallinta (MAPA)", "21"),
                                         ("Lääkehoidon verkkokoulutus (LOVe)", "7.5"))):
        training_record(actor=supervisor_a, unit=unit_a, person=colleague_a, course=course,
                        done_on=dt.date.today() - dt.timedelta(days=30 * n + 5), hours=Decimal(hours),
                        provider="Lastensuojelun Keskusliitto")
    page = phone_page
    login(page, live_server, supervisor_a.email, password)
    page.goto(live_server.url + reverse("people:person", args=[unit_a.pk, colleague_a.pk]))
    assert page.locator("[data-training]").count() == 3
    fits_phone(page)
    snap(page, "people-phone-person-trainings")

    page.get_by_role("link", name="Kirjaa koulutus").click()
    page.get_by_label("Kurssi").fill("Ensiapu EA1")
    page.get_by_label("Tunnit").fill("kuusitoista")
    certificate = tmp_path / "ea1.pdf"
    certificate.write_bytes(PDF)
    page.locator("input[type=file]").set_input_files(str(certificate))
    with page.expect_navigation():
        page.get_by_role("button", name="Tallenna").click()
    assert "Anna tunnit lukuna 0,1–999,9." in page.content()
    assert page.get_by_label("Kurssi").input_value() == "Ensiapu EA1"
    fits_phone(page)
    snap(page, "people-phone-training-error")
    page.get_by_label("Tunnit").fill("16")
    page.locator("input[type=file]").set_input_files(str(certificate))
    page.get_by_role("button", name="Tallenna").click()
    page.wait_for_url(re.compile(r"/henkilo/\d+/$"))
    assert TrainingRecord.objects.filter(person=colleague_a, course="Ensiapu EA1").exclude(certificate="").exists()
    assert page.locator("[data-training]").count() == 4

    page.get_by_role("link", name="Kirjaa kehityskeskustelu").click()
    page.get_by_role("button", name="Tallenna").click()
    page.wait_for_url(re.compile(r"/henkilo/\d+/$"))
    assert DevelopmentDiscussion.objects.filter(person=colleague_a, held_on=dt.date.today()).exists()
    assert "Viimeksi käyty" in page.locator("[data-figure=discussion-due]").inner_text()
    fits_phone(page)
    snap(page, "people-phone-person-after")
