"""The offline queue's side of the report form: each idempotency key is accepted
once (a report sent twice is stored once, even when both sends race), the
answer is JSON when the queue asks for it, and a refusal names the fields in
the person's language."""

import uuid
from unittest import mock

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse

from omavalvonta.core.models import AuditEvent
from omavalvonta.deviations import services
from omavalvonta.deviations.models import Deviation
from omavalvonta.deviations.services import reporting
from omavalvonta.deviations.tests.helpers import report_form
from omavalvonta.notifications.models import Notification
from omavalvonta.testing.factories import deviation_kwargs

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_pages")]

JSON = {"HTTP_ACCEPT": "application/json"}


def form_data(unit, **overrides):
    """The report form as the offline queue posts it: with its idempotency key."""
    return report_form(unit, **{"submission_key": str(uuid.uuid4()), **overrides})


def test_a_report_sent_twice_with_one_key_is_stored_once(client, employee_a, unit_a, supervisor_a):
    client.force_login(employee_a)
    data = form_data(unit_a)

    first = client.post(reverse("deviations:new"), data, **JSON)
    second = client.post(reverse("deviations:new"), data, **JSON)

    assert first.status_code == 201
    assert first.json()["status"] == "created"
    assert second.status_code == 200
    assert second.json()["status"] == "exists"
    assert first.json()["number"] == second.json()["number"]
    assert Deviation.objects.count() == 1
    deviation = Deviation.objects.get()
    assert deviation.reporter == employee_a
    # Only the key's HMAC is stored; nothing was routed or told twice.
    assert deviation.submission_digest and data["submission_key"] not in deviation.submission_digest
    assert AuditEvent.objects.filter(verb="deviation.submitted").count() == 1
    assert Notification.objects.filter(kind="deviation.submitted").count() == 1
    assert first.json()["url"] == reverse("deviations:detail", args=[deviation.pk])


def test_an_anonymous_report_sent_twice_shows_the_same_follow_up_code(client, employee_a, unit_a):
    client.force_login(employee_a)
    data = form_data(unit_a, anonymous="on")

    first = client.post(reverse("deviations:new"), data, **JSON).json()
    second = client.post(reverse("deviations:new"), data, **JSON).json()

    assert first["code"] and first["code"] == second["code"]
    assert first["url"] == ""  # an anonymous report is not linked to its reporter
    deviation = Deviation.objects.get()
    assert deviation.reporter is None
    from omavalvonta.deviations import rules

    assert deviation.followup_code_digest == rules.followup_code_digest(first["code"])


def test_different_keys_are_different_reports(client, employee_a, unit_a):
    client.force_login(employee_a)
    client.post(reverse("deviations:new"), form_data(unit_a), **JSON)
    client.post(reverse("deviations:new"), form_data(unit_a), **JSON)
    assert Deviation.objects.count() == 2


def test_a_refusal_names_the_fields_in_the_persons_language(client, employee_a, unit_a):
    client.force_login(employee_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fi"

    response = client.post(reverse("deviations:new"), form_data(unit_a, description=""), **JSON)

    assert response.status_code == 422
    body = response.json()
    assert body["status"] == "refused"
    assert body["errors"]["description"]["label"] == "Mitä tapahtui?"
    assert body["errors"]["description"]["messages"]
    assert "Korjaa" in body["message"]
    assert Deviation.objects.count() == 0


def test_a_malformed_key_is_refused_and_nothing_is_stored(client, employee_a, unit_a):
    client.force_login(employee_a)
    response = client.post(reverse("deviations:new"), form_data(unit_a, submission_key="x"), **JSON)
    assert response.status_code == 422
    assert "submission_key" in response.json()["errors"] or "__all__" in response.json()["errors"]
    assert Deviation.objects.count() == 0
    with pytest.raises(ValidationError):
        services.deviation_submit(actor=employee_a, submission_key="not a key!", **deviation_kwargs(unit_a))


def test_the_html_form_still_answers_with_pages(client, employee_a, unit_a):
    client.force_login(employee_a)
    response = client.post(reverse("deviations:new"), form_data(unit_a))
    assert response.status_code == 302
    refused = client.post(reverse("deviations:new"), form_data(unit_a, description=""))
    assert refused.status_code == 200 and "text/html" in refused["Content-Type"]


def test_a_signed_out_send_is_sent_to_the_sign_in_page(client, unit_a):
    response = client.post(reverse("deviations:new"), form_data(unit_a), **JSON)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_a_send_that_loses_the_race_returns_the_winners_report(employee_a, unit_a):
    """Two sends of one key in flight at once: both passed the first look-up
    before either committed. The unique index refuses the second row inside a
    savepoint and the second send returns the first one's report (how it goes
    on PostgreSQL, where the second insert waits for the first commit)."""
    key = str(uuid.uuid4())
    winner = services.deviation_submit(actor=employee_a, submission_key=key, **deviation_kwargs(unit_a))
    real = reporting._already_submitted
    calls = []

    def not_yet_committed(digest, submission_key):
        calls.append(digest)
        # The first look-up ran before the winner's commit; the second, after the
        # refused insert, sees it.
        return None if len(calls) == 1 else real(digest, submission_key)

    with mock.patch.object(reporting, "_already_submitted", side_effect=not_yet_committed):
        loser = services.deviation_submit(actor=employee_a, submission_key=key, **deviation_kwargs(unit_a))

    assert len(calls) == 2
    assert loser.created is False
    assert loser.deviation.pk == winner.deviation.pk
    assert Deviation.objects.count() == 1
    assert AuditEvent.objects.filter(verb="deviation.submitted").count() == 1
