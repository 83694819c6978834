"""The response rate's one rule (feedback.rates): answers against the places the
period's rounds offered, capped at 100 % with a note when a group has more answers
than places, the same in every figure that shows a rate (issue 11, item 10)."""

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse

from omavalvonta.feedback import goals, reports, selectors
from omavalvonta.feedback.rates import ResponseRate
from omavalvonta.feedback.tests.helpers import answer, open_round
from omavalvonta.plans.report_view import feedback_context

pytestmark = pytest.mark.django_db

NOTE = "More answers than places"


@pytest.fixture(autouse=True)
def _autumn():
    with time_machine.travel(dt.datetime(2026, 11, 10, 10, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def eleven_parents_for_eight_places(supervisor_a, unit_a):
    """The case a new user found: "11 answers (138 %)" for 8 places."""
    unit_a.places = 8
    unit_a.save(update_fields=["places"])
    round_ = open_round(supervisor_a, unit_a)
    for nps in [10, 9, 9, 8, 10, 7, 6, 10, 9, 3, 10]:
        answer(round_, "parent", nps=nps)
    for nps in [10, 9, 8, 7, 10, 9]:
        answer(round_, "child", nps=nps)
    return round_


def test_the_rule():
    assert ResponseRate(6, 8).percent == 75 and not ResponseRate(6, 8).over and str(ResponseRate(6, 8)) == "75 %"
    assert ResponseRate(8, 8).percent == 100 and not ResponseRate(8, 8).over
    over = ResponseRate(11, 8)
    assert over.percent == 100 and over.over and str(over) == "100 %*"
    assert ResponseRate(3, 0).percent is None and not ResponseRate(3, 0).over and str(ResponseRate(3, None)) == "–"


def test_unit_results_cap_and_explain(eleven_parents_for_eight_places, client, supervisor_a, unit_a):
    reports = {r.group: r for r in selectors.unit_results(actor=supervisor_a, unit=unit_a)["reports"]}
    parent_rate = reports["parent"].periods[-1][3]
    assert (parent_rate.answers, parent_rate.places, parent_rate.percent, parent_rate.over) == (11, 8, 100, True)
    assert reports["parent"].rates_over and not reports["child"].rates_over
    assert reports["child"].periods[-1][3].percent == 75
    # A quarter without a round offered no places: no rate, not 0 %.
    assert reports["parent"].periods[0][3].percent is None

    client.force_login(supervisor_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("feedback:unit", args=[unit_a.pk])).content.decode()
    assert "138 %" not in page
    assert "100 %*" in page and NOTE in page and "75 %" in page


def test_scope_results_count_only_the_places_of_rounds_held(eleven_parents_for_eight_places, quality_director, unit_a, unit_b):
    unit_b.places = 100  # no round in B this quarter: its places are not offered
    unit_b.save(update_fields=["places"])
    result = selectors.scope_results(actor=quality_director, level="organisation")
    parent = {r.group: r for r in result["reports"]}["parent"]
    assert parent.periods[-1][3].places == 8 and parent.periods[-1][3].percent == 100 and parent.rates_over


def test_follow_up_figures_and_report_use_the_same_rule(eleven_parents_for_eight_places, quality_director, unit_a):
    figures = reports.feedback_period_figures(
        date_from=dt.date(2026, 10, 1), date_to=dt.date(2026, 11, 30), actor=quality_director
    )
    parent = {g["group"]: g for g in figures["organisation"]["groups"]}["parent"]
    assert parent["n"] == 11 and parent["rate"] == 100 and parent["rate_over"] is True
    context = feedback_context(figures)
    row = {c["label"]: c for c in context["feedback_org"]}
    assert any(c["rate"] == "100 %*" for c in row.values())
    assert context["feedback_rates_over"]


def test_home_page_open_round_uses_the_same_rule(eleven_parents_for_eight_places, client, supervisor_a):
    block = selectors.round_home_items(actor=supervisor_a, today=dt.date(2026, 11, 10))
    rates = {g["label"]: g["rate"] for g in block["rows"][0].groups}
    assert {r.percent for r in rates.values()} == {100, 75}
    assert block["rates_over"]
    client.force_login(supervisor_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get("/").content.decode()
    assert "100 %*" in page and NOTE in page and "138" not in page


def test_team_goal_response_rate_is_capped(eleven_parents_for_eight_places, supervisor_a, unit_a):

    goals.goal_create(
        actor=supervisor_a, unit=unit_a, year=2026, half=2, metric="response_rate", group="parent", target=80, description="80 %"
    )
    [result] = goals.goals_evaluated(actor=supervisor_a, unit=unit_a, year=2026, half=2)
    assert result.actual == 100 and result.met is True
