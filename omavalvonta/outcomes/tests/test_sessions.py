"""Feedback-informed sessions: the off-track rule with known totals, the unit's
choice to use the checks, recording a check (and its refusals, nothing typed
lost), the page's access and its access-log row."""

import datetime as dt
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from omavalvonta.core.models import AccessLogEntry
from omavalvonta.outcomes import selectors, services, sessions
from omavalvonta.outcomes.models import SessionCheck


def test_falling_scores_are_off_track():
    assert sessions.off_track([30, 28, 26], [36, 36, 36]) == [sessions.FALLING]


def test_flat_scores_under_good_are_off_track_but_flat_good_ones_are_not():
    assert sessions.off_track([20, 21, 20, 22], [36] * 4) == [sessions.FLAT]
    assert sessions.off_track([34, 35, 34, 35], [36] * 4) == []
    assert sessions.off_track([20, 21, 22], [36] * 3) == []  # too few to call flat


def test_rising_scores_are_on_track_and_a_meeting_that_felt_wrong_is_flagged():
    assert sessions.off_track([15, 20, 26, 31], [38] * 4) == []
    assert sessions.off_track([15, 20, 26, 31], [38, 38, 38, 24]) == [sessions.MEETING_FELT]
    assert sessions.off_track([], []) == []


def all_scores(life, meeting):
    return {**{c: life for c, _t in sessions.LIFE}, **{c: meeting for c, _t in sessions.MEETING}}


@pytest.fixture
def child(make_placement):
    return make_placement(name="Eetu E.")


@pytest.mark.django_db
def test_a_check_needs_the_unit_to_use_them(child, employee_a, keeper_a, unit_a):
    today = dt.date.today()
    with pytest.raises(ValidationError):
        services.session_check_record(actor=employee_a, placement=child, checked_on=today, scores=all_scores(5, 8))
    with pytest.raises(PermissionDenied):
        services.unit_practice_set(actor=employee_a, unit=unit_a, session_checks=True)
    services.unit_practice_set(actor=keeper_a, unit=unit_a, session_checks=True)
    check = services.session_check_record(actor=employee_a, placement=child, checked_on=today, scores=all_scores(5, 8))
    assert sessions.life_total(check.scores) == 20 and sessions.meeting_total(check.scores) == 32


@pytest.mark.django_db
def test_every_question_is_answered_and_the_date_is_sane(child, employee_a, keeper_a, unit_a):
    services.unit_practice_set(actor=keeper_a, unit=unit_a, session_checks=True)
    scores = all_scores(5, 8)
    scores["meet_way"] = None
    scores["life_me"] = "11"
    with pytest.raises(ValidationError) as error:
        services.session_check_record(
            actor=employee_a, placement=child, checked_on=dt.date.today() + dt.timedelta(days=1), scores=scores
        )
    assert {"meet_way", "life_me", "checked_on"} <= set(error.value.message_dict)
    assert not SessionCheck.objects.exists()


@pytest.mark.django_db
def test_the_page_records_a_check_plots_it_and_flags_off_track(client, child, employee_a, keeper_a, unit_a):
    services.unit_practice_set(actor=keeper_a, unit=unit_a, session_checks=True)
    today = dt.date.today()
    for days, score in ((14, 8), (7, 7)):
        services.session_check_record(
            actor=employee_a, placement=child, checked_on=today - dt.timedelta(days=days), scores=all_scores(score, 9)
        )
    client.force_login(employee_a)
    url = reverse("outcomes:sessions", args=[child.pk])
    before = AccessLogEntry.objects.count()
    page = client.get(url).content.decode()
    assert AccessLogEntry.objects.count() == before + 1
    assert "data-plot" in page and "Off track" not in page
    data = {"checked_on": today.isoformat(), **{k: str(v) for k, v in all_scores(6, 9).items()}}
    data["meet_whole"] = ""
    answer = client.post(url, data)
    assert answer.status_code == 200 and "Choose a number" in answer.content.decode()
    assert re.search(r'name="life_me" value="6"[^>]*checked', answer.content.decode())  # nothing typed is lost
    data["meet_whole"] = "9"
    assert client.post(url, data).status_code == 302
    data = selectors.child_sessions(placement=child)
    assert [life for _c, life, _m in data["checks"]] == [24, 28, 32] and data["off_track"]
    assert "Off track" in client.get(url).content.decode()
    # The child's page shows the flag too.
    assert 'data-flag="off-track"' in client.get(reverse("clients:detail", args=[child.pk])).content.decode()


@pytest.mark.django_db
def test_another_units_child_is_404_and_a_unit_without_checks_shows_no_form(client, child, supervisor_b, employee_a):
    client.force_login(supervisor_b)
    assert client.get(reverse("outcomes:sessions", args=[child.pk])).status_code == 404
    client.force_login(employee_a)
    page = client.get(reverse("outcomes:sessions", args=[child.pk])).content.decode()
    assert "does not use the session checks" in page and "<form method=\"post\" novalidate" not in page
    assert client.post(reverse("outcomes:sessions", args=[child.pk]), {"checked_on": "x"}).status_code == 302


@pytest.mark.django_db
def test_the_unit_page_toggles_the_checks_for_its_leaders_only(client, keeper_a, employee_a, unit_a):
    url = reverse("outcomes:unit_sessions", args=[unit_a.pk])
    client.force_login(employee_a)
    assert client.post(url, {"in_use": "1"}).status_code == 403
    client.force_login(keeper_a)
    assert client.post(url, {"in_use": "1"}).status_code == 302
    assert selectors.session_checks_in_use(unit_a)
    assert "Stop using the session checks" in client.get(reverse("outcomes:unit_effectiveness", args=[unit_a.pk])).content.decode()
    client.post(url, {"in_use": "0"})
    assert not selectors.session_checks_in_use(unit_a)
