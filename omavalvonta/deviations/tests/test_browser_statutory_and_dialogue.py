"""The statutory clocks and the dialogue with the reporter, on phones (390×844) as
staff live them: a serious event reported during a shift reaches the county and
the supervisory authority the same day; the handler and the reporter talk, named
and anonymously; a § 29 grievance is not closed uncorrected without the
responsible person's reason, and can still reach the authority afterwards."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from omavalvonta.deviations.models import (
    Deviation,
    DeviationMessage,
    NotificationPurpose,
    NotificationRecipient,
    State,
    StatutoryNotification,
)
from omavalvonta.deviations.tests.test_browser_journeys import _open_panel, _report
from omavalvonta.notifications.models import Notification
from omavalvonta.testing.browser import fits_phone, login, open_phone, snap, submit
from omavalvonta.testing.factories import handling_questions_answered

pytestmark = pytest.mark.browser


def test_a_serious_event_reaches_the_county_and_the_authority_the_same_day_and_the_handler_asks_the_reporter(
    phone_page, browser, live_server, employee_a, supervisor_a, responsible_a, county, authority, password
):
    # The employee reports violence in which a child was hurt, on a phone, during the shift.
    login(phone_page, live_server, employee_a.email, password)

    def injured(page):
        page.check("input[name=violence_target][value=child]")
        page.check("input[name=injury]")

    _report(phone_page, kind="threat_or_violence", description="Nuori löi toista nuorta, joka loukkaantui.", extra=[injured])
    report = Deviation.objects.get()
    assert report.serious_reasons == ["violence_injury"] and report.notification_due_at is not None
    # The responsible person hears at once (not in a digest).
    assert Notification.objects.filter(kind="deviation.serious", recipient=responsible_a).exists()

    # The supervisor, on a phone too, sees the same-day deadline on the home page.
    context, handler = open_phone(browser, live_server)
    login(handler, live_server, supervisor_a.email, password)
    block = handler.locator("[data-block=statutory]")
    assert report.number in block.inner_text()
    snap(handler, "journey-serious-home-phone")
    fits_phone(handler)
    handler.goto(reverse("deviations:detail", args=[report.pk]))
    notice = handler.locator("section[aria-labelledby=notify-title]").inner_text()
    due = timezone.localtime(report.notification_due_at)
    assert "Vakava tapahtuma: ilmoita tänään" in notice
    assert f"Ilmoita viimeistään {due:%-d.%-m.%Y} 23.59." in notice
    assert "Sote-valvontalaki (741/2023) 28 §" in notice
    snap(handler, "journey-serious-report-phone")
    fits_phone(handler)

    # The handler asks the reporter a question.
    form = _open_panel(handler, reverse("deviations:message", args=[report.pk]))
    form.locator("textarea[name=message-body]").fill("Tarvitsiko loukkaantunut nuori lääkärin hoitoa?")
    submit(handler, form)
    assert "Tarvitsiko loukkaantunut nuori" in handler.locator("section[aria-labelledby=messages-title]").inner_text()

    # Notify: the unit's only county is chosen, and the authority is ticked for a serious event.
    with handler.expect_navigation():
        handler.locator(f"a[href='{reverse('deviations:notify', args=[report.pk])}']").first.click()
    assert handler.locator(f"input[name=counties][value='{county.pk}']").is_checked()
    assert handler.locator("input[name=notify_authority]").is_checked()
    snap(handler, "journey-serious-notify-phone")
    fits_phone(handler)
    submit(handler, handler.locator("main form"))
    assert handler.url.endswith(reverse("deviations:detail", args=[report.pk]))
    sent = StatutoryNotification.objects.filter(deviation=report)
    assert {n.recipient_kind for n in sent} == {
        NotificationRecipient.COUNTY, NotificationRecipient.LEAD_OFFICIAL, NotificationRecipient.AUTHORITY,
    }
    report.refresh_from_db()
    assert report.notification_done_at is not None and not report.notification_is_late
    timeline = handler.locator(".timeline").inner_text()
    assert "Lakisääteisen ilmoituksen määräaika alkoi" in timeline
    assert "Vastuuhenkilöille ilmoitettiin heti" in timeline
    assert "Lakisääteiset ilmoitukset tehty ajallaan" in timeline
    assert handler.locator("section[aria-labelledby=notify-title]").count() == 0

    # The reporter was told by e-mail, without the question in it; reads it and answers in the product.
    told = Notification.objects.get(kind="deviation.question", recipient=employee_a)
    assert "Tarvitsiko" not in told.subject + told.body
    phone_page.goto(reverse("deviations:detail", args=[report.pk]))
    assert "Käsittelijä on esittänyt sinulle kysymyksen" in phone_page.locator("main").inner_text()
    reply = phone_page.locator(f"form[action='{reverse('deviations:reply', args=[report.pk])}']")
    reply.locator("textarea[name=reply-body]").fill("Kyllä, käsi tutkittiin päivystyksessä.")
    submit(phone_page, reply)
    snap(phone_page, "journey-serious-reporter-answers-phone")
    fits_phone(phone_page)

    handler.reload()
    thread = handler.locator("section[aria-labelledby=messages-title]").inner_text()
    assert "Kyllä, käsi tutkittiin päivystyksessä." in thread
    assert "Viesti ilmoittajalta" in handler.locator(".timeline").inner_text()
    context.close()


def test_an_anonymous_grievance_talks_with_its_code_is_not_closed_uncorrected_and_reaches_the_authority(
    phone_page, browser, live_server, employee_a, supervisor_a, responsible_a, county, authority, password
):
    # An anonymous § 29 grievance: the code is shown once, with a copy button; no "my reports" link.
    login(phone_page, live_server, employee_a.email, password)
    _report(phone_page, kind="grievance", description="Nuoren puhelut rajoitettiin ilman päätöstä.", anonymous=True)
    code = phone_page.locator(".code-box").inner_text().strip()
    copy = phone_page.locator("button[data-copy]")
    copy.click()
    expect(copy).to_have_text("Kopioitu")
    assert phone_page.locator(f"main a[href='{reverse('deviations:mine')}']").count() == 0
    snap(phone_page, "journey-grievance-code-phone")
    report = Deviation.objects.get()

    # The supervisor notifies the county, decides an action, answers and asks a question.
    context, handler = open_phone(browser, live_server)
    login(handler, live_server, supervisor_a.email, password)
    handler.goto(reverse("deviations:notify", args=[report.pk]))
    assert handler.locator("input[name=notify_authority]").count() == 0  # § 29: the county, not yet the authority
    submit(handler, handler.locator("main form"))
    form = _open_panel(handler, reverse("deviations:add_action", args=[report.pk]))
    form.locator("input[name=action-title]").fill("Rajoituspäätöksen käytäntö kerrataan")
    form.locator("select[name=action-owner]").select_option(str(supervisor_a.pk))
    form.locator("input[name=action-due_date]").fill((timezone.localdate() + dt.timedelta(days=10)).isoformat())
    submit(handler, form)
    form = _open_panel(handler, reverse("deviations:answer", args=[report.pk]))
    form.locator("textarea[name=answer-answer]").fill("Kiitos. Käytäntö korjataan ja kerrataan tiimissä.")
    submit(handler, form)
    form = _open_panel(handler, reverse("deviations:message", args=[report.pk]))
    form.locator("textarea[name=message-body]").fill("Koskiko rajoitus muitakin nuoria?")
    submit(handler, form)

    # The reporter, signed out on another phone, reads the question with the code and answers.
    reporter_context, reporter = open_phone(browser, live_server)
    reporter.goto(reverse("public:followup"))
    reporter.fill("input[name=code]", code)
    submit(reporter, reporter.locator("main form"))
    text = reporter.locator("main").inner_text()
    assert "Käsittelijä on esittänyt sinulle kysymyksen" in text and "Koskiko rajoitus muitakin" in text
    assert "Vastattu" in text and supervisor_a.full_name not in text
    reporter.locator("textarea[name=body]").fill("Kyllä, kahta muuta nuorta.")
    submit(reporter, reporter.locator("form:has(textarea[name=body])"))
    assert "Viestisi lähetettiin käsittelijälle." in reporter.locator("main").inner_text()
    snap(reporter, "journey-grievance-followup-phone")
    fits_phone(reporter)
    assert DeviationMessage.objects.filter(deviation=report, author__isnull=True).count() == 1
    reporter_context.close()

    # Closing: every unmet condition at once, back on the report page.
    handler.goto(reverse("deviations:detail", args=[report.pk]))
    submit(handler, handler.locator(f"form[action='{reverse('deviations:close', args=[report.pk])}']"))
    assert re.search(rf"/poikkeamat/{report.pk}/(#close-title)?$", handler.url)
    refusal = handler.locator("section[aria-labelledby=close-title]").inner_text()
    assert "korjaava toimenpide on yhä avoinna" in refusal
    snap(handler, "journey-grievance-close-refused-phone")
    assert Deviation.objects.get(pk=report.pk).state != State.CLOSED

    # Before the correction date, the escalation page claims nothing about a missed deadline.
    handler.goto(reverse("deviations:escalate", args=[report.pk]))
    assert "Ei korjattu määräpäivään mennessä" not in handler.locator("main").inner_text()
    assert handler.locator("textarea[name=body]").count() == 0
    context.close()

    # The responsible person closes it uncorrected, recording why.
    handling_questions_answered(responsible_a, report)
    context, responsible = open_phone(browser, live_server)
    login(responsible, live_server, responsible_a.email, password)
    responsible.goto(reverse("deviations:detail", args=[report.pk]))
    form = responsible.locator(f"form[action='{reverse('deviations:close', args=[report.pk])}']")
    form.locator("textarea[name=close-reason]").fill("Päätöskäytäntö kerrataan koulutuksessa ensi kuussa.")
    submit(responsible, form)
    report.refresh_from_db()
    assert report.state == State.CLOSED and report.uncorrected_close_reason

    # The correction date passes with the action still open: the authority can still be told.
    StatutoryNotification.objects.filter(deviation=report).update(correction_due=timezone.localdate() - dt.timedelta(days=1))
    responsible.goto(reverse("deviations:detail", args=[report.pk]))
    card = responsible.locator("section[aria-labelledby=escalate-title]")
    assert "Ei korjattu määräpäivään mennessä" in card.inner_text()
    snap(responsible, "journey-grievance-closed-escalate-phone")
    fits_phone(responsible)
    with responsible.expect_navigation():
        card.locator("a").click()
    submit(responsible, responsible.locator("main form"))
    assert StatutoryNotification.objects.filter(deviation=report, purpose=NotificationPurpose.ESCALATION).count() == 1
    context.close()
