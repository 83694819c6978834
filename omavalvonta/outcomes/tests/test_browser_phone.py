"""On a 390 x 844 phone: a worker opens a child due for measurement from the
home page, records the child's and the worker's answers, follows up the goal
agreed last time, agrees two new goals in the child's words and sees the
trajectory. No page scrolls sideways."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from omavalvonta.core.models import AccessLogEntry
from omavalvonta.outcomes import selectors, services
from omavalvonta.outcomes.models import Goal, Measurement
from omavalvonta.outcomes.tests.helpers import record
from omavalvonta.testing.browser import fits_phone, login, snap

pytestmark = pytest.mark.browser


def test_a_worker_measures_a_due_child_agrees_two_goals_and_sees_the_trajectory_on_a_phone(
    phone_page, live_server, make_placement, employee_a, password
):
    today = timezone.localdate()
    child = make_placement(name="Aino K.", starts_on=today - dt.timedelta(days=95))
    first = record(employee_a, child, on=child.starts_on, scores={"school_or_work": (2, 3), "safety": (4, 3)})
    version = first.version
    safety = version.items.get(domain="safety")
    earlier = services.goals_agree(actor=employee_a, measurement=first, goals=[(safety.pk, "Tulen kotiin ajoissa")])[0]
    page = phone_page
    login(page, live_server, employee_a.email, password)

    # The home page lists the child whose measurement is due.
    page.goto(reverse("home"))
    block = page.locator("[data-block=measurements]")
    assert "Aino K." in block.inner_text()
    fits_phone(page)
    snap(page, "outcomes-phone-1-home-due")
    block.get_by_role("link", name=re.compile("Aino K.")).click()
    page.wait_for_url(re.compile(rf"/toimintakyky/lapsi/{child.pk}/$"))
    page.get_by_role("link", name="Kirjaa mittaus").click()
    page.wait_for_url(re.compile(r"/mittaus/$"))
    fits_phone(page)
    snap(page, "outcomes-phone-2-form")

    # Each question is a group named by its wording; the chips are radio buttons named by their number.
    items = list(version.items.all())
    for n, item in enumerate(items):
        child_group = page.get_by_role("group", name=re.compile(re.escape(item.child_fi[:25])))
        child_group.get_by_role("radio", name=str(min(10, 3 + n)), exact=True).check()
        worker_group = page.get_by_role("group", name=re.compile(re.escape(item.worker_fi[:25])))
        worker_group.get_by_role("radio", name=str(min(10, 2 + n)), exact=True).check()
    page.locator(f"#id_followup_{earlier.pk}_field").get_by_label("Edistyy").check()
    page.locator("[data-domain=school_or_work]").scroll_into_view_if_needed()
    fits_phone(page)
    snap(page, "outcomes-phone-3-answers")
    page.get_by_role("button", name="Tallenna mittaus").click()
    page.wait_for_url(re.compile(r"/mittaus/\d+/tavoitteet/$"))
    measurement = Measurement.objects.exclude(pk=first.pk).get()
    answer = measurement.answers.get(item=items[0])
    assert (answer.child_score, answer.worker_score) == (3, 2)
    earlier.refresh_from_db()
    assert earlier.follow_up == "progressing" and earlier.followed_up_in == measurement

    # Goals: the lowest-scoring domains are proposed; two goals in the child's words.
    proposed = selectors.proposed_items(measurement)
    assert page.locator("select[name=goal_0_domain]").input_value() == str(proposed[0].pk)
    page.fill("textarea[name=goal_0_text]", "Herään itse seitsemältä")
    page.fill("textarea[name=goal_1_text]", "Syön aamupalan ennen koulua")
    fits_phone(page)
    snap(page, "outcomes-phone-4-goals")
    page.get_by_role("button", name="Tallenna tavoitteet").click()
    page.wait_for_url(re.compile(rf"/toimintakyky/lapsi/{child.pk}/$"))
    assert list(Goal.objects.filter(measurement=measurement).values_list("text", flat=True)) == [
        "Herään itse seitsemältä", "Syön aamupalan ennen koulua",
    ]

    # The trajectory: one chart per domain, two measurements each, the child's and the worker's lines.
    charts = page.locator("figure.trajectory__chart")
    assert charts.count() == 8
    assert page.locator("polyline.trajectory__line--child").count() == 8
    assert "Herään itse seitsemältä" in page.content()
    fits_phone(page)
    snap(page, "outcomes-phone-5-trajectory")
    page.locator("#trajectory-title").scroll_into_view_if_needed()
    snap(page, "outcomes-phone-6-trajectory-charts")
    assert page.goto(reverse("outcomes:goals_print", args=[child.pk])).status == 200
    assert "Syön aamupalan ennen koulua" in page.content()
    fits_phone(page)
    snap(page, "outcomes-phone-7-goals-print")
    assert page.goto(reverse("clients:detail", args=[child.pk])).status == 200
    assert page.locator("[data-panel=outcomes] svg").count() == 8
    fits_phone(page)
    snap(page, "outcomes-phone-8-child-page")


def test_the_supervisor_sends_the_report_and_the_social_worker_downloads_it_with_the_code_on_a_phone(
    phone_page, live_server, make_placement, keeper_a, password
):
    from omavalvonta.clients.models import SocialWorkerDelivery, SocialWorkerDownload
    from omavalvonta.notifications.models import Notification

    today = timezone.localdate()
    child = make_placement(name="Aino K.", starts_on=today - dt.timedelta(days=200))
    first = record(keeper_a, child, on=child.starts_on, scores={"school_or_work": (2, 3)})
    school = first.answers.get(item__domain="school_or_work").item
    goal = services.goals_agree(actor=keeper_a, measurement=first, goals=[(school.pk, "Käyn koulussa joka päivä")])[0]
    record(keeper_a, child, on=today - dt.timedelta(days=3), scores={"school_or_work": (8, 7)},
           follow_ups={goal.pk: "achieved"})
    page = phone_page
    login(page, live_server, keeper_a.email, password)
    page.goto(reverse("outcomes:child", args=[child.pk]))
    page.get_by_role("link", name="Raportti sosiaalityöntekijälle").click()
    page.wait_for_url(re.compile(r"/raportti/$"))
    fits_phone(page)
    snap(page, "outcomes-phone-9-report")
    # The PDF the unit looks at before sending.
    href = page.get_by_role("link", name=re.compile(r"\(PDF\)")).get_attribute("href")
    pdf = page.request.get(f"{live_server.url}{href}")
    assert pdf.status == 200 and pdf.body().startswith(b"%PDF")
    # A period ending in the future is refused in Finnish, with what was typed kept.
    future = (today + dt.timedelta(days=3)).strftime("%Y-%m-%d")
    page.fill("input[name=period_start]", (today - dt.timedelta(days=30)).strftime("%Y-%m-%d"))
    page.fill("input[name=period_end]", future)
    with page.expect_navigation():
        page.get_by_role("button", name="Lähetä raportti").click()
    assert "Jakso ei voi päättyä tulevaisuudessa." in page.content()
    assert page.input_value("input[name=period_end]") == future
    page.fill("input[name=period_end]", today.strftime("%Y-%m-%d"))
    page.get_by_role("button", name="Lähetä raportti").click()
    page.wait_for_url(re.compile(r"/raportti/$"))
    assert "Raportti lähetettiin" in page.content()
    fits_phone(page)
    snap(page, "outcomes-phone-10-report-sent")
    delivery = SocialWorkerDelivery.objects.get(placement=child)
    link = Notification.objects.get(pk=delivery.link_notification_id)
    code = Notification.objects.get(pk=delivery.code_notification_id)
    for message in (link, code):
        for secret in (child.name, child.unit.name, "Käyn koulussa"):
            assert secret not in message.body and secret not in message.subject
    # The social worker (signed out): the page asks for the code; the right code downloads the PDF.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}{link.link}")
    assert "Aino" not in page.content()
    fits_phone(page)
    snap(page, "outcomes-phone-11-download-asks-code")
    page.fill("input[name=code]", code.body.split(": ", 1)[1].split()[0])
    with page.expect_download() as download:
        page.get_by_role("button", name="Nouda").click()
    assert download.value.suggested_filename.startswith("vaikuttavuusraportti-")
    assert SocialWorkerDownload.objects.filter(delivery=delivery, succeeded=True).count() == 1
    # ... and in the access log, as a read of the child's data by the social worker.
    read = AccessLogEntry.objects.get(what="placement.social_worker_download")
    assert (read.actor_id, read.target_id) == (None, child.pk) and delivery.email in read.reader
    # Back in the unit: the download is in the report's log.
    login(page, live_server, keeper_a.email, password)
    page.goto(reverse("outcomes:report", args=[child.pk]))
    assert "Ladattu 1 kerran." in page.content()
    page.get_by_text("Latausloki").click()
    fits_phone(page)
    snap(page, "outcomes-phone-12-report-log")
