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
