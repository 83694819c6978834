"""The feedback figures of a period for the programme's follow-up report, with known data."""

import datetime as dt

import pytest
import time_machine

from omavalvonta.feedback import reports
from omavalvonta.feedback.tests.helpers import answer, open_round

pytestmark = pytest.mark.django_db

FROM, TO = dt.date(2026, 10, 1), dt.date(2026, 11, 30)


@pytest.fixture(autouse=True)
def _autumn():
    with time_machine.travel(dt.datetime(2026, 11, 10, 10, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def known(supervisor_a, supervisor_b, unit_a, unit_b):
    unit_a.places = 10
    unit_a.save(update_fields=["places"])
    unit_b.places = 4
    unit_b.save(update_fields=["places"])
    ra, rb = open_round(supervisor_a, unit_a), open_round(supervisor_b, unit_b)
    for nps in [10, 10, 9, 8, 3, 5]:  # parents in A: 3 promoters, 2 detractors of 6 -> +17
        answer(ra, "parent", nps=nps)
    for nps in [10, 9, 9]:  # children in A: only three -> not shown
        answer(ra, "child", nps=nps)
    for nps in [10, 2]:  # parents in B
        answer(rb, "parent", nps=nps)
    answer(ra, "parent", nps=0, submitted_on=dt.date(2026, 9, 30))  # before the period: not counted
    return unit_a, unit_b


def groups(block):
    return {g["group"]: g for g in block["groups"]}


def test_figures_match_the_known_answers(known, quality_director):
    unit_a, unit_b = known
    f = reports.feedback_period_figures(date_from=FROM, date_to=TO, actor=quality_director)
    org = groups(f["organisation"])
    assert f["organisation"]["total"] == 11
    assert f["organisation"]["places"] == 14  # one round in each unit
    # Parents over the organisation: 8 answers, 4 promoters (10, 10, 9, 10), 3 detractors (3, 5, 2)
    # -> 100 * 1 / 8 = 12.5 -> 12 (round half to even).
    assert org["parent"] == {"group": "parent", "n": 8, "nps": 12, "hidden": False, "rate": 57, "rate_over": False}
    assert org["child"]["n"] is None and org["child"]["nps"] is None and org["child"]["hidden"] is True
    assert org["social_worker"] == {"group": "social_worker", "n": None, "nps": None, "hidden": False, "rate": None, "rate_over": False}
    units = {u["label"]: u for u in f["by_unit"]}
    a = groups(units[unit_a.name])
    assert a["parent"]["n"] == 6 and a["parent"]["nps"] == 17 and a["parent"]["rate"] == 60
    assert units[unit_a.name]["total"] == 9
    # The small-group rule: two parents in B, three children in A: not shown.
    b = groups(units[unit_b.name])
    assert b["parent"]["n"] is None and b["parent"]["nps"] is None and b["parent"]["hidden"]
    assert a["child"]["nps"] is None and a["child"]["hidden"]
    regions = {r["label"]: r for r in f["by_region"]}
    assert groups(regions[unit_a.region.name])["parent"]["nps"] == 17
    assert groups(regions[unit_b.region.name])["parent"]["n"] is None


def test_only_the_actors_units(known, supervisor_a):
    unit_a, unit_b = known
    f = reports.feedback_period_figures(date_from=FROM, date_to=TO, actor=supervisor_a)
    assert [u["label"] for u in f["by_unit"]] == [unit_a.name]
    assert f["organisation"]["total"] == 9


def test_an_empty_period(known, quality_director):
    f = reports.feedback_period_figures(date_from=dt.date(2025, 1, 1), date_to=dt.date(2025, 4, 30), actor=quality_director)
    assert f["organisation"]["total"] == 0 and f["by_unit"] == [] and f["by_region"] == []
    assert all(g["n"] is None and g["nps"] is None and not g["hidden"] for g in f["organisation"]["groups"])


def test_query_count_does_not_grow_with_answers(known, quality_director, supervisor_a, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    reports.feedback_period_figures(date_from=FROM, date_to=TO, actor=quality_director)  # the actor's grants cached
    with CaptureQueriesContext(connection) as few:
        reports.feedback_period_figures(date_from=FROM, date_to=TO, actor=quality_director)
    unit_a, _ = known
    round_ = open_round(supervisor_a, unit_a)
    for nps in range(10):  # ten more answers in a new group
        answer(round_, "social_worker", nps=nps)
    with django_assert_max_num_queries(len(few.captured_queries)):
        reports.feedback_period_figures(date_from=FROM, date_to=TO, actor=quality_director)
    assert len(few.captured_queries) <= 5
