"""On a 390 x 844 phone (issue 16, done-when): the supervisor records a movement
restriction as a decision, signs it and gets its decision PDF with the appeal
instructions; earlier restraints make this the third measure within 30 days,
so the child is flagged and the social worker asked for an assessment through
the outbox, with no child data in either e-mail; the social worker opens the
download page with the one-time code; the flag shows on the child's page until
the supervisor records how it was handled."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from omavalvonta.clients.models import SocialWorkerDownload
from omavalvonta.notifications.models import Notification
from omavalvonta.restrictions.models import ChildFlag, Restriction
from omavalvonta.restrictions.services import restriction_record
from omavalvonta.restrictions.tests.conftest import fill_measure_form, restraint_kwargs
from omavalvonta.testing.browser import fits_phone, login, snap

pytestmark = pytest.mark.browser


def test_a_decision_its_pdf_the_flag_and_the_social_workers_download_on_a_phone(
    phone_page, live_server, employee_a, supervisor_a, child_a, password
):
    for hours in (50, 26):
        started = timezone.now().replace(microsecond=0) - dt.timedelta(hours=hours)
        restriction_record(
            actor=employee_a, placement=child_a,
            **restraint_kwargs(started_at=started, ended_at=started + dt.timedelta(minutes=3)),
        )
    page = phone_page
    login(page, live_server, supervisor_a.email, password)
    page.goto(f"{live_server.url}/rajoitukset/lapsi/{child_a.pk}/uusi/")
    fill_measure_form(
        page, earlier=dt.timedelta(minutes=30), lasts=dt.timedelta(days=3), measure="movement", record_kind="decision",
        details="Lapsi ei saa poistua yksiköstä ilman aikuista.",
        reason="Lapsi on karannut kahdesti ja vaarantanut terveytensä.",
        milder_means="Sovittiin kotiintuloajoista ja puhuttiin.", carried_out_by="Sari Esihenkilö",
        child_view="En halua jäädä sisälle.",
    )
    page.check("input[name=conditions_confirmed]")
    page.get_by_role("button", name="Tallenna").click()
    page.wait_for_url(re.compile(r"/rajoitukset/\d+/$"))
    restriction = Restriction.objects.get(measure="movement")
    fits_phone(page)
    # Sign the decision: an empty reasoning is refused first, in Finnish.
    page.get_by_role("link", name="Kirjoita ja allekirjoita päätös").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Allekirjoita").click()
    assert "Kirjoita päätöksen perustelut." in page.content()
    page.fill("textarea[name=reasoning]", "Liikkumisvapauden rajoittaminen on välttämätöntä lapsen turvallisuuden vuoksi.")
    page.get_by_role("button", name="Allekirjoita").click()
    page.wait_for_url(re.compile(r"/rajoitukset/\d+/$"))
    assert "Kirjallinen päätös" in page.content() and "Ei vielä annettu" in page.content()
    fits_phone(page)
    snap(page, "restrictions2-phone-decision")
    pdf = page.request.get(f"{live_server.url}/rajoitukset/{restriction.pk}/asiakirja/1/fi.pdf")
    assert pdf.status == 200 and pdf.body().startswith(b"%PDF")
    assert page.request.get(f"{live_server.url}/rajoitukset/{restriction.pk}/asiakirja/1/sv.pdf").status == 200
    # The third measure within 30 days flagged the child and asked the social worker for an assessment.
    flag = ChildFlag.objects.get(placement=child_a)
    link = Notification.objects.get(pk=flag.social_worker_delivery.link_notification_id)
    code = Notification.objects.get(pk=flag.social_worker_delivery.code_notification_id)
    for message in (link, code):
        assert message.email == child_a.social_worker_email
        assert child_a.name not in message.body and child_a.unit.name not in message.body
        assert "karannut" not in message.body
    page.goto(f"{live_server.url}/lapset/{child_a.pk}/")
    panel = page.locator("section[aria-labelledby=restrictions-title]")
    assert "Useita, peräkkäisiä tai pitkiä rajoitustoimenpiteitä" in panel.inner_text()
    fits_phone(page)
    snap(page, "restrictions2-phone-flag")
    # The social worker's download page (signed out): a wrong code, then the right one.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}{link.link}")
    fits_phone(page)
    page.fill("input[name=code]", "12")
    with page.expect_navigation():
        page.get_by_role("button", name="Nouda").click()
    assert "Koodi ei ole oikea" in page.content()
    snap(page, "restrictions2-phone-download")
    digits = code.body.split(": ", 1)[1].split()[0]
    page.fill("input[name=code]", digits)
    with page.expect_download() as download:
        page.get_by_role("button", name="Nouda").click()
    assert download.value.suggested_filename.endswith(".pdf")
    assert SocialWorkerDownload.objects.filter(succeeded=True).count() == 1
    # The supervisor records how the flag was handled: it leaves the child's page.
    login(page, live_server, supervisor_a.email, password)
    page.goto(f"{live_server.url}/rajoitukset/lippu/{flag.pk}/")
    page.fill("textarea[name=handling]", "Sosiaalityöntekijä arvioi palvelutarpeen; hoitoneuvottelu sovittu.")
    page.get_by_role("button", name="Merkitse käsitellyksi").click()
    page.wait_for_url(re.compile(r"/lapset/\d+/$"))
    assert "Useita, peräkkäisiä" not in page.locator("section[aria-labelledby=restrictions-title]").inner_text()
    page.goto(f"{live_server.url}/rajoitukset/yksikko/{child_a.unit_id}/luvut/")
    fits_phone(page)
    snap(page, "restrictions2-phone-figures")
