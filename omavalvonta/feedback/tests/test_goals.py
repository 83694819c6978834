"""Team incentive goals evaluated from the data, every six months."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from omavalvonta.deviations.services import deviation_submit
from omavalvonta.feedback import goals
from omavalvonta.feedback.models import TeamGoal
from omavalvonta.feedback.tests.helpers import answer, open_round
from omavalvonta.testing.factories import deviation_kwargs

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _autumn():
    with time_machine.travel(dt.datetime(2026, 11, 10, 10, tzinfo=dt.UTC), tick=False):
        yield


def test_client_experience_goals_from_the_answers(supervisor_a, unit_a):
    unit_a.places = 5
    unit_a.save(update_fields=["places"])
    round_ = open_round(supervisor_a, unit_a)
    for nps in [10, 10, 9, 8, 3]:  # NPS +40
        answer(round_, "parent", nps=nps)
    answer(round_, "child", nps=10)
    g1 = goals.goal_create(
        actor=supervisor_a, unit=unit_a, year=2026, half=2, metric="nps", group="parent", target=30, description="Vanhempien NPS yli 30"
    )
    g2 = goals.goal_create(
        actor=supervisor_a, unit=unit_a, year=2026, half=2, metric="nps", group="child", target=0, description="Lasten NPS positiivinen"
    )
    g3 = goals.goal_create(
        actor=supervisor_a,
        unit=unit_a,
        year=2026,
        half=2,
        metric="response_rate",
        group="parent",
        target=80,
        description="Vanhemmista 80 % vastaa",
    )
    g4 = goals.goal_create(
        actor=supervisor_a, unit=unit_a, year=2026, half=2, metric="manual", description="Nuortenkokous joka kuukausi"
    )
    results = {r.goal.pk: r for r in goals.goals_evaluated(actor=supervisor_a, unit=unit_a, year=2026, half=2)}
    assert (results[g1.pk].actual, results[g1.pk].met) == (40, True)
    assert results[g2.pk].met is None and "Fewer than five" in results[g2.pk].note  # one child answered
    assert (results[g3.pk].actual, results[g3.pk].met) == (100, True)  # 5 of 5 places, one round
    assert results[g4.pk].met is None
    goals.goal_assess(actor=supervisor_a, goal=g4, met=True, note="Pidettiin kuusi kokousta")
    results = {r.goal.pk: r for r in goals.goals_evaluated(actor=supervisor_a, unit=unit_a, year=2026, half=2)}
    assert results[g4.pk].met is True and results[g4.pk].note == "Pidettiin kuusi kokousta"


def test_operational_goal_from_deviation_handling(supervisor_a, employee_a, unit_a):
    from omavalvonta.deviations.models import Deviation

    goal = goals.goal_create(
        actor=supervisor_a, unit=unit_a, year=2026, half=2, metric="handling_on_time", target=90, description="Käsittely alkaa ajallaan"
    )
    first = deviation_submit(actor=employee_a, **deviation_kwargs(unit_a)).deviation
    [result] = goals.goals_evaluated(actor=supervisor_a, unit=unit_a, year=2026, half=2)
    assert result.actual is None and result.met is None  # not yet due: not counted
    Deviation.objects.filter(pk=first.pk).update(handling_due_at=first.submitted_at - dt.timedelta(hours=1))  # late, never started
    second = deviation_submit(actor=employee_a, **deviation_kwargs(unit_a)).deviation
    Deviation.objects.filter(pk=second.pk).update(handling_started_at=second.submitted_at)
    [result] = goals.goals_evaluated(actor=supervisor_a, unit=unit_a, year=2026, half=2)
    assert result.goal == goal and result.actual == 50 and result.met is False


def test_goal_rules(supervisor_a, supervisor_b, employee_a, unit_a):
    with pytest.raises(ValidationError) as error:
        goals.goal_create(actor=supervisor_a, unit=unit_a, year=2026, half=3, metric="nps", group="", target=200, description="")
    assert set(error.value.message_dict) == {"half", "group", "target", "description"}
    with pytest.raises(PermissionDenied):
        goals.goal_create(actor=supervisor_b, unit=unit_a, year=2026, half=2, metric="manual", description="x")
    with pytest.raises(PermissionDenied):
        goals.goal_create(actor=employee_a, unit=unit_a, year=2026, half=2, metric="manual", description="x")


def test_goals_page(client, supervisor_a, supervisor_b, unit_a):
    client.force_login(supervisor_a)
    url = reverse("feedback:unit_goals", args=[unit_a.pk])
    assert client.get(url).status_code == 200
    bad = client.post(url + "?puolivuosi=2026-2", {"metric": "nps", "target": "", "description": "Vanhempien NPS"})
    assert bad.status_code == 400 and "Vanhempien NPS" in bad.content.decode()
    ok = client.post(url + "?puolivuosi=2026-2", {"metric": "manual", "description": "Perehdytys kaikille"})
    assert ok.status_code == 302
    goal = TeamGoal.objects.get()
    assert client.post(reverse("feedback:goal_assess", args=[goal.pk]), {"met": "0", "note": "Kesken"}).status_code == 302
    goal.refresh_from_db()
    assert goal.manual_met is False
    client.force_login(supervisor_b)
    assert client.get(url).status_code == 404
    assert client.post(reverse("feedback:goal_delete", args=[goal.pk])).status_code == 404
    client.force_login(supervisor_a)
    assert client.post(reverse("feedback:goal_delete", args=[goal.pk])).status_code == 302
    assert not TeamGoal.objects.exists()


# --- The team's reward (issue 21 item 13) -------------------------------------------------


def _manual(actor, unit, year=2026, half=1, met=True):
    goal = goals.goal_create(actor=actor, unit=unit, year=year, half=half, metric="manual", description="Nuortenkokous")
    if met is not None:
        goals.goal_assess(actor=actor, goal=goal, met=met)
    return goal


def test_the_reward_is_recorded_only_after_the_half_and_only_when_every_goal_was_met(supervisor_a, employee_a, unit_a):
    from omavalvonta.feedback.models import TeamReward

    first = _manual(supervisor_a, unit_a)
    second = _manual(supervisor_a, unit_a, met=None)  # not assessed: not met
    decided = dt.date(2026, 7, 10)
    with pytest.raises(ValidationError, match="every goal"):
        goals.reward_record(actor=supervisor_a, unit=unit_a, year=2026, half=1, decision="Laivaristeily", decided_on=decided)
    goals.goal_assess(actor=supervisor_a, goal=second, met=True)
    with pytest.raises(ValidationError, match="ended"):  # the autumn half is still running
        _manual(supervisor_a, unit_a, half=2)
        goals.reward_record(actor=supervisor_a, unit=unit_a, year=2026, half=2, decision="x", decided_on=decided)
    with pytest.raises(PermissionDenied):
        goals.reward_record(actor=employee_a, unit=unit_a, year=2026, half=1, decision="x", decided_on=decided)
    with pytest.raises(ValidationError) as error:
        goals.reward_record(actor=supervisor_a, unit=unit_a, year=2026, half=1, decision="  ", decided_on=dt.date(2027, 1, 1))
    assert set(error.value.message_dict) == {"decision", "decided_on"}
    reward = goals.reward_record(actor=supervisor_a, unit=unit_a, year=2026, half=1, decision="Laivaristeily", decided_on=decided)
    assert (reward.decision, reward.decided_on, reward.recorded_by) == ("Laivaristeily", decided, supervisor_a)
    # A correction replaces the decision: still one per half-year.
    goals.reward_record(actor=supervisor_a, unit=unit_a, year=2026, half=1, decision="Ravintolailta", decided_on=decided)
    assert list(TeamReward.objects.values_list("decision", flat=True)) == ["Ravintolailta"]
    assert first.unit == unit_a


def test_the_goals_page_records_the_reward_and_keeps_bad_input(client, supervisor_a, supervisor_b, employee_a, unit_a):
    _manual(supervisor_a, unit_a)
    url = reverse("feedback:unit_goals", args=[unit_a.pk]) + "?puolivuosi=2026-1"
    post = reverse("feedback:reward_record", args=[unit_a.pk]) + "?puolivuosi=2026-1"
    client.force_login(supervisor_a)
    page = client.get(url, headers={"accept-language": "fi"}).content.decode()
    assert 'data-section="team-reward"' in page and 'name="decision"' in page
    bad = client.post(post, {"decision": "Yhteinen ravintolailta", "decided_on": "32.13.2026"}, headers={"accept-language": "fi"})
    assert bad.status_code == 400 and "Yhteinen ravintolailta" in bad.content.decode()
    ok = client.post(post, {"decision": "Yhteinen ravintolailta", "decided_on": "2026-07-10"})
    assert ok.status_code == 302
    assert "Yhteinen ravintolailta" in client.get(url).content.decode()
    # The running half has no form; another unit's supervisor and the staff cannot record.
    assert 'name="decision"' not in client.get(reverse("feedback:unit_goals", args=[unit_a.pk]) + "?puolivuosi=2026-2").content.decode()
    client.force_login(supervisor_b)
    assert client.post(post, {"decision": "x", "decided_on": "2026-07-10"}).status_code == 404
    client.force_login(employee_a)
    assert client.post(post, {"decision": "x", "decided_on": "2026-07-10"}).status_code == 403


@pytest.mark.browser
def test_the_supervisor_records_the_reward_on_a_phone(phone_page, live_server, supervisor_a, unit_a, password):
    from omavalvonta.testing.browser import login, snap

    _manual(supervisor_a, unit_a)
    login(phone_page, live_server, supervisor_a.email, password)
    phone_page.goto(live_server.url + reverse("feedback:unit_goals", args=[unit_a.pk]) + "?puolivuosi=2026-1")
    section = phone_page.locator("[data-section='team-reward']")
    section.locator("textarea[name=decision]").fill("Yhteinen laivaristeily elokuussa.")
    section.locator("input[name=decided_on]").fill("2026-07-10")
    with phone_page.expect_navigation():
        section.locator("button[type=submit]").click()
    section = phone_page.locator("[data-section='team-reward']")
    assert "Yhteinen laivaristeily elokuussa." in section.inner_text() and not section.locator("textarea").is_visible()
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    snap(phone_page, "feedback-team-reward-phone")


def test_a_correction_opened_before_anothers_is_refused_with_the_text_kept(client, supervisor_a, responsible_a, unit_a):
    _manual(supervisor_a, unit_a)
    reward = goals.reward_record(actor=supervisor_a, unit=unit_a, year=2026, half=1, decision="Laivaristeily",
                                 decided_on=dt.date(2026, 7, 10))
    opened_at = reward.edit_version
    goals.reward_record(actor=responsible_a, unit=unit_a, year=2026, half=1, decision="Ravintolailta",
                        decided_on=dt.date(2026, 7, 10), expected_version=opened_at)
    client.force_login(supervisor_a)
    post = reverse("feedback:reward_record", args=[unit_a.pk]) + "?puolivuosi=2026-1"
    stale = client.post(post, {"decision": "Keilailu", "decided_on": "2026-07-10", "edit_version": opened_at})
    assert stale.status_code == 400 and "Keilailu" in stale.content.decode()
    assert goals.reward_get(unit=unit_a, year=2026, half=1).decision == "Ravintolailta"
