import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from omavalvonta.deviations.services import deviation_classify, deviation_submit
from omavalvonta.testing.factories import deviation_kwargs


def _report(actor, unit, **overrides):
    return deviation_submit(actor=actor, **deviation_kwargs(unit, **overrides)).deviation


def test_employee_home_offers_reporting_and_lists_own_reports(client, employee_a, unit_a):
    _report(employee_a, unit_a, description="Ovi jäi auki yöllä.")
    client.force_login(employee_a)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert response.context["can_report"] is True
    assert response.context["figures"] is None  # an employee sees no unit figures
    assert [d.reporter_id for d in response.context["my_reports"]] == [employee_a.pk]
    assert reverse("deviations:new") in response.content.decode()


def test_supervisor_home_counts_open_waiting_overdue_and_team_meeting(client, employee_a, supervisor_a, unit_a, unit_b, supervisor_b):
    with time_machine.travel(timezone.now() - dt.timedelta(days=60)):
        old = _report(employee_a, unit_a)
    fresh = _report(employee_a, unit_a)
    deviation_classify(actor=supervisor_a, deviation=fresh, consequence=1, likelihood=2, for_team_meeting=True)
    _report(supervisor_b, unit_b)  # another unit: never counted
    client.force_login(supervisor_a)
    figures = client.get(reverse("home")).context["figures"]
    assert (figures.open, figures.not_started, figures.overdue, figures.for_team_meeting) == (2, 1, 1, 1)
    queue = client.get(reverse("home")).context["waiting"]["queue"]
    assert {d.pk for d in queue} == {old.pk, fresh.pk}


@pytest.mark.parametrize("rows", [2, 12])
def test_home_query_count_does_not_grow_with_reports(client, django_assert_max_num_queries, supervisor_a, employee_a, unit_a, rows):
    for _ in range(rows):
        _report(employee_a, unit_a)
    client.force_login(supervisor_a)
    client.get(reverse("home"))  # warm the session
    # The session, the person and their grants; the deviations' figures; my reports, my unread
    # notifications, the menu's two badges and every home block's counts (they all count first,
    # core/lib/counts.py) in one statement; then the rows only where a count is not 0 (here my reports
    # and the handler's queue). Was 26 before the counts were made together, 16 before every block
    # counted first and the menu's badges joined the statement.
    with django_assert_max_num_queries(7):
        assert client.get(reverse("home")).status_code == 200


def test_a_home_page_with_nothing_waiting_reads_no_rows(client, employee_a, unit_a, django_assert_max_num_queries):
    client.force_login(employee_a)
    client.get(reverse("home"))  # warm the session
    # The session, the person and their grants, and the one counting statement (every block's counts,
    # my reports, my notifications, the menu's badges): every count is 0, so no block reads rows.
    with django_assert_max_num_queries(4):
        response = client.get(reverse("home"))
    assert response.context["anything_waiting"] is False


def test_home_figure_links_filter_the_list_to_what_they_count(client, employee_a, supervisor_a, unit_a):
    fresh = _report(employee_a, unit_a)
    done = _report(employee_a, unit_a)
    deviation_classify(actor=supervisor_a, deviation=done, consequence=0, likelihood=1, for_team_meeting=True)
    client.force_login(supervisor_a)
    listed = lambda query: {d.pk for d in client.get(reverse("deviations:list") + query).context["page"]}  # noqa: E731
    assert listed("?state=open") == {fresh.pk, done.pk}
    assert listed("?state=submitted") == {fresh.pk}
    assert listed("?team_meeting=1") == {done.pk}
    assert listed("?mine=1&state=open") == {fresh.pk, done.pk}
