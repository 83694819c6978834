"""The 500 page: in the person's language, plain that nothing was saved, and
made without the database (which may be why it is shown)."""

import pytest
from django.db import OperationalError
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone, translation

from omavalvonta.core.views import server_error
from omavalvonta.deviations import services as deviation_services

pytestmark = pytest.mark.django_db


@pytest.fixture
def broken_submit(monkeypatch):
    def submit(**kwargs):
        raise OperationalError("terminating connection due to administrator command")

    monkeypatch.setattr(deviation_services, "deviation_submit", submit)


def report(client, unit):
    return client.post(
        reverse("deviations:new"),
        {
            "unit": unit.pk,
            "kind": "quality",
            "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "location": "Olohuone",
            "description": "Nuori kaatui portaissa ja löi polvensa.",
            "immediate_actions": "Ensiapu annettiin.",
            "affected_child": "on",
        },
    )


def test_a_failed_report_says_in_finnish_that_it_was_not_saved(client, employee_a, unit_a, broken_submit, settings):
    client.raise_request_exception = False
    client.force_login(employee_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fi"

    response = report(client, unit_a)

    assert response.status_code == 500
    html = response.content.decode()
    assert '<html lang="fi">' in html
    assert "Lähettämääsi EI tallennettu." in html
    assert "Palautettiin lähettämätön tekstisi" in html
    assert response["Cache-Control"] == "no-store"
    assert "drafts.js" in html and "<script>" not in html


def test_the_page_follows_the_persons_language(client, employee_a, unit_a, broken_submit, settings):
    client.raise_request_exception = False
    client.force_login(employee_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "sv"

    html = report(client, unit_a).content.decode()

    assert '<html lang="sv">' in html
    assert "Det du skickade sparades INTE." in html


def test_a_failed_page_view_does_not_speak_of_lost_text():
    request = RequestFactory().get("/")
    with translation.override("en"):
        html = server_error(request).content.decode()
    assert "The page could not be shown" in html
    assert "NOT saved" not in html


def test_the_page_is_made_without_a_single_query(django_assert_num_queries):
    request = RequestFactory().post("/poikkeamat/uusi/")
    with translation.override("en"), django_assert_num_queries(0):
        response = server_error(request)
    assert response.status_code == 500
    assert "What you sent was NOT saved." in response.content.decode()
