"""Acknowledging minutes (or new instructions) without a network: the
acknowledgement waits in the browser's queue and is sent when the connection
returns; sending it twice records it once."""

import re

import pytest
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from playwright.sync_api import expect

from omavalvonta.improvement.models import Acknowledgement
from omavalvonta.meetings import services
from omavalvonta.meetings.tests.helpers import team_meeting
from omavalvonta.testing.browser import login, snap

JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture(autouse=True)
def _sign_in_counts_reset():
    """These tests sign in often; allauth counts sign-ins per address in the shared
    cache (30 a minute), so the counts are cleared after them for the next tests."""
    yield
    cache.clear()


def absent_from_closed_meeting(supervisor, employee, unit):
    meeting = team_meeting(supervisor, unit)
    item = services.agenda_item_add(actor=supervisor, meeting=meeting, title="Uusi lääkeohje")
    services.agenda_item_decide(actor=supervisor, item=item, decision="Kaksoistarkistus aina.")
    services.meeting_attendance_set(actor=supervisor, meeting=meeting, participants=[supervisor], absentees=[employee])
    services.meeting_close(actor=supervisor, meeting=meeting)
    return meeting


@pytest.mark.django_db
def test_the_queue_gets_json_and_a_second_send_changes_nothing(client, supervisor_a, employee_a, unit_a):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    absent_from_closed_meeting(supervisor_a, employee_a, unit_a)
    ack = Acknowledgement.objects.get(user=employee_a)
    client.force_login(employee_a)
    url = reverse("meetings:acknowledge_confirm", args=[ack.pk])

    first = client.post(url, **JSON)
    ack.refresh_from_db()
    when = ack.acknowledged_at
    second = client.post(url, **JSON)

    assert (first.status_code, first.json()["status"]) == (201, "created")
    assert (second.status_code, second.json()["status"]) == (200, "exists")
    ack.refresh_from_db()
    assert when is not None and ack.acknowledged_at == when


@pytest.mark.browser
def test_minutes_acknowledged_offline_are_sent_when_the_connection_returns(
    phone_page, live_server, supervisor_a, employee_a, unit_a, password
):
    absent_from_closed_meeting(supervisor_a, employee_a, unit_a)
    page = phone_page
    login(page, live_server, employee_a.email, password)
    page.goto(reverse("meetings:acknowledge"))
    queue = page.locator("[data-offline-queue]")
    expect(queue).to_have_attribute("data-count", "0")  # the script ran, with the person's key

    page.context.set_offline(True)
    page.get_by_role("button", name="Olen lukenut tämän").click()
    expect(queue).to_have_attribute("data-count", "1")
    assert "Kuittaus: " in page.locator("[data-offline-item]").inner_text()
    assert Acknowledgement.objects.get(user=employee_a).acknowledged_at is None
    snap(page, "offline-acknowledgement-queued")

    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(queue).to_have_attribute("data-count", "0")
    assert Acknowledgement.objects.get(user=employee_a).acknowledged_at is not None
    page.goto(reverse("meetings:acknowledge"))
    assert re.search("Ei kuitattavaa", page.content())
