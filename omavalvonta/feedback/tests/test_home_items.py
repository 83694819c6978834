"""round_home_items: open rounds in the units where the actor runs them, with
the response rate per respondent group against the unit's places."""

import datetime as dt

from omavalvonta.feedback.models import Response, Round, Survey
from omavalvonta.feedback.selectors import round_home_items

TODAY = dt.date(2026, 11, 23)


def _round(unit, quarter=4, opens=TODAY - dt.timedelta(days=3), closes=TODAY + dt.timedelta(days=10)):
    return Round.objects.create(unit=unit, year=2026, quarter=quarter, opens_on=opens, closes_on=closes)


def _answers(round_, group, n):
    survey = Survey.objects.filter(group=group).first() or Survey.objects.create(group=group, version=1)
    Response.objects.bulk_create(
        Response(round=round_, unit=round_.unit, survey=survey, group=group, channel="kiosk") for _ in range(n)
    )


def test_open_rounds_with_answers_and_rates_per_group(supervisor_a, unit_a):
    unit_a.places = 8
    unit_a.save(update_fields=["places"])
    current = _round(unit_a)
    _round(unit_a, quarter=3, opens=dt.date(2026, 7, 1), closes=dt.date(2026, 9, 30))  # closed
    _answers(current, "child", 4)
    _answers(current, "parent", 2)
    items = round_home_items(actor=supervisor_a, today=TODAY)
    assert items["total"] == 1 and items["rows"][0].answers == 6
    assert [(g["answers"], g["rate"].percent) for g in items["rows"][0].groups] == [(4, 50), (2, 25)]


def test_without_places_there_is_no_rate_and_other_roles_or_units_see_nothing(supervisor_a, employee_a, supervisor_b, unit_a):
    unit_a.places = None
    unit_a.save(update_fields=["places"])
    current = _round(unit_a)
    _answers(current, "child", 1)
    assert round_home_items(actor=supervisor_a, today=TODAY)["rows"][0].groups[0]["rate"].percent is None
    assert round_home_items(actor=employee_a, today=TODAY) is None
    assert round_home_items(actor=supervisor_b, today=TODAY) is None


def test_query_count_is_fixed(django_assert_num_queries, supervisor_a, unit_a):
    _answers(_round(unit_a, quarter=4), "child", 1)
    round_home_items(actor=supervisor_a, today=TODAY)  # the actor's grants, read once per request
    with django_assert_num_queries(3):
        round_home_items(actor=supervisor_a, today=TODAY)
    for q in (1, 2, 3):
        _answers(_round(unit_a, quarter=q, opens=TODAY, closes=TODAY), "parent", 2)
    with django_assert_num_queries(3):
        round_home_items(actor=supervisor_a, today=TODAY)


def test_a_director_sees_how_many_rounds_are_open_not_the_rows(django_assert_num_queries, regional_director_a, quality_director, unit_a):
    for q in (3, 4):
        _answers(_round(unit_a, quarter=q), "child", 1)
    for director in (regional_director_a, quality_director):
        round_home_items(actor=director, today=TODAY)  # the actor's grants, read once per request
        with django_assert_num_queries(1):  # the count alone
            items = round_home_items(actor=director, today=TODAY)
        assert items == {"rows": [], "total": 2, "today": TODAY, "rates_over": False}
