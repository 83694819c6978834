"""Ticking an orientation item (and acknowledging reading one) without a
network: the step waits in the browser's queue and is sent when the
connection returns; a step sent twice is recorded once (issue 20, item 4)."""

import pytest
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from omavalvonta.organisation.models import Role
from omavalvonta.people import services
from omavalvonta.people.orientation_defaults import ensure_default_cards
from omavalvonta.testing.browser import login, snap
from omavalvonta.testing.factories import member

JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture(autouse=True)
def _sign_in_counts_reset():
    yield
    cache.clear()


@pytest.fixture
def orientation(db, supervisor_a, colleague_a, unit_a):
    ensure_default_cards()
    newcomer = member(Role.EMPLOYEE, unit=unit_a, full_name="Nea Uusi", email="nea@omavalvonta.example")
    return services.orientation_start(
        actor=supervisor_a, unit=unit_a, newcomer=newcomer, role="hourly", mentor=colleague_a,
        started_on=timezone.localdate(),
    )


def _item(orientation, *, needs_ack):
    return orientation.items.filter(card_item__needs_ack=needs_ack).select_related("card_item").order_by("pk").first()


@pytest.mark.django_db
def test_the_queue_gets_json_and_a_step_sent_twice_is_recorded_once(client, orientation, colleague_a):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    item = _item(orientation, needs_ack=False)
    client.force_login(colleague_a)
    url = reverse("people:orientation", args=[orientation.pk])
    first = client.post(url, {"item": item.pk, "step": "tick", "submission_key": "k1"}, **JSON)
    item.refresh_from_db()
    when = item.ticked_at
    second = client.post(url, {"item": item.pk, "step": "tick", "submission_key": "k1"}, **JSON)
    assert (first.status_code, first.json()["status"]) == (201, "created")
    assert (second.status_code, second.json()["status"]) == (200, "exists")
    item.refresh_from_db()
    assert when is not None and item.ticked_at == when


@pytest.mark.django_db
def test_a_refused_step_stays_in_the_queue_with_the_reason(client, orientation, unit_a):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    item = _item(orientation, needs_ack=False)
    client.force_login(orientation.newcomer)  # the newcomer does not tick their own items
    url = reverse("people:orientation", args=[orientation.pk])
    refused = client.post(url, {"item": item.pk, "step": "tick"}, **JSON)
    assert refused.status_code == 422 and refused.json()["status"] == "refused"
    assert "Your mentor ticks the items" in str(refused.json()["errors"])
    unknown = client.post(url, {"item": 999999, "step": "tick"}, **JSON)
    assert unknown.status_code == 422 and "Reload the page" in str(unknown.json()["errors"])
    nonsense = client.post(url, {"item": item.pk, "step": "delete"}, **JSON)
    assert nonsense.status_code == 422
    item.refresh_from_db()
    assert item.ticked_at is None


@pytest.mark.browser
def test_a_mentor_ticks_offline_and_the_tick_is_sent_when_the_connection_returns(
    phone_page, live_server, orientation, colleague_a, password
):
    item = _item(orientation, needs_ack=False)
    page = phone_page
    login(page, live_server, colleague_a.email, password)
    page.goto(reverse("people:orientation", args=[orientation.pk]))
    queue = page.locator("[data-offline-queue]")
    expect(queue).to_have_attribute("data-count", "0")  # the script ran, with the person's key

    page.context.set_offline(True)
    page.locator(f"#item-{item.pk}").get_by_role("button", name="Kuittaa käydyksi").click()
    expect(queue).to_have_attribute("data-count", "1")
    assert "Perehdytys: " in page.locator("[data-offline-item]").inner_text()
    item.refresh_from_db()
    assert item.ticked_at is None
    snap(page, "offline-orientation-tick-queued")

    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(queue).to_have_attribute("data-count", "0")
    item.refresh_from_db()
    assert item.ticked_at is not None and item.ticked_by == colleague_a
