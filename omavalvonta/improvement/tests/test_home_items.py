"""action_home_items: the owner's open actions due within two weeks or overdue."""

import datetime as dt

from omavalvonta.improvement.models import Action, ActionState
from omavalvonta.improvement.selectors import action_home_items

TODAY = dt.date(2026, 11, 23)


def _action(unit, owner, days, **fields):
    return Action.objects.create(
        unit=unit, title="Päivitä palo-ohje", owner=owner, due_date=TODAY + dt.timedelta(days=days), created_by=owner, **fields
    )


def test_the_owner_gets_the_nearest_few_overdue_first_with_the_totals(employee_a, unit_a):
    late = _action(unit_a, employee_a, -1)
    for days in (1, 2, 3, 13):
        _action(unit_a, employee_a, days)
    _action(unit_a, employee_a, 15)  # later than two weeks
    _action(unit_a, employee_a, -5, state=ActionState.DONE)  # done
    items = action_home_items(actor=employee_a, today=TODAY)
    assert (items["total"], items["overdue"], len(items["rows"])) == (5, 1, 3)
    assert items["rows"][0] == late


def test_nothing_waiting_gives_none_and_others_never_see_someone_elses_actions(employee_a, colleague_a, unit_a):
    assert action_home_items(actor=employee_a, today=TODAY) is None
    _action(unit_a, employee_a, 1)
    assert action_home_items(actor=colleague_a, today=TODAY) is None


def test_query_count_is_fixed(django_assert_num_queries, employee_a, unit_a):
    _action(unit_a, employee_a, 1)
    with django_assert_num_queries(2):
        action_home_items(actor=employee_a, today=TODAY)
    for days in range(10):
        _action(unit_a, employee_a, days)
    with django_assert_num_queries(2):
        action_home_items(actor=employee_a, today=TODAY)
