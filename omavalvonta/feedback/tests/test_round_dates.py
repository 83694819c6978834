"""A round's dates can be moved while it runs (another week for the families)."""

import datetime as dt

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from omavalvonta.core.models import AuditEvent
from omavalvonta.feedback import services
from omavalvonta.feedback.models import Round

pytestmark = pytest.mark.django_db


@pytest.fixture
def round_(supervisor_a, unit_a):
    return services.round_create(actor=supervisor_a, unit=unit_a, year=2026, quarter=4)


@pytest.fixture
def post_dates(client, supervisor_a, round_):
    """The supervisor, reading in English, posts the round's dates."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(supervisor_a)
    url = reverse("feedback:round_dates", args=[round_.pk])
    return lambda opens_on, closes_on: client.post(url, {"opens_on": opens_on, "closes_on": closes_on})


def test_a_supervisor_extends_the_round(post_dates, round_):
    assert post_dates("2026-10-01", "2027-01-10").status_code == 302
    round_.refresh_from_db()
    assert (round_.opens_on, round_.closes_on) == (dt.date(2026, 10, 1), dt.date(2027, 1, 10))
    event = AuditEvent.objects.get(verb="feedback.round_dates_changed")
    assert event.data["before"] == ["2026-10-01", "2026-12-31"]


def test_a_closing_day_before_the_opening_day_is_refused_and_the_input_kept(post_dates):
    response = post_dates("2026-11-01", "2026-10-15")
    assert response.status_code == 400
    page = response.content.decode()
    assert "The round cannot close before it opens." in page
    assert 'value="2026-10-15"' in page and 'value="2026-11-01"' in page
    assert Round.objects.get().closes_on == dt.date(2026, 12, 31)
    missing = post_dates("", "x")
    assert missing.status_code == 400 and Round.objects.get().opens_on == dt.date(2026, 10, 1)


def test_only_the_units_managers_move_the_dates(client, employee_a, supervisor_b, round_):
    with pytest.raises(PermissionDenied):
        services.round_dates_update(
            actor=supervisor_b, round=round_, opens_on=dt.date(2026, 10, 1), closes_on=dt.date(2026, 12, 1)
        )
    client.force_login(supervisor_b)
    url = reverse("feedback:round_dates", args=[round_.pk])
    assert client.post(url, {"opens_on": "2026-10-01", "closes_on": "2026-12-01"}).status_code == 404
    client.force_login(employee_a)
    assert client.post(url, {"opens_on": "2026-10-01", "closes_on": "2026-12-01"}).status_code == 403


def test_the_service_names_each_missing_date(supervisor_a, round_):
    with pytest.raises(ValidationError) as error:
        services.round_dates_update(actor=supervisor_a, round=round_, opens_on=None, closes_on=None)
    assert set(error.value.message_dict) == {"opens_on", "closes_on"}


def test_the_questions_recorded_on_behalf_are_shown_in_the_respondents_language(client, supervisor_a, round_):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fi"
    client.force_login(supervisor_a)
    url = reverse("feedback:round_record", args=[round_.pk, "parent"])
    finnish = client.get(url).content.decode()
    swedish = client.get(url + "?language=sv").content.decode()
    from omavalvonta.feedback.services import current_survey

    question = current_survey("parent").questions.order_by("position").first()
    assert question.text["fi"] in finnish and question.text["sv"] not in finnish
    assert question.text["sv"] in swedish
    assert 'aria-current="page">Svenska' in swedish
    # A language that is not offered falls back to the page's own.
    assert question.text["fi"] in client.get(url + "?language=xx").content.decode()


def test_the_date_inputs_carry_iso_dates_in_finnish_too(client, supervisor_a, round_):
    # A date input reads only YYYY-MM-DD: "01.10.2026" left the field empty in Chromium.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fi"
    client.force_login(supervisor_a)
    page = client.get(reverse("feedback:round", args=[round_.pk])).content.decode()
    assert 'type="date" name="opens_on" value="2026-10-01"' in page
    assert 'type="date" name="closes_on" value="2026-12-31"' in page
