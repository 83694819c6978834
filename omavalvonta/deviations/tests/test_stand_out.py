"""§ 29 grievances, critical reports and serious events stand out in the
handler's lists: a badge on the row, and first in order."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from omavalvonta.deviations import selectors, services
from omavalvonta.testing.factories import deviation_kwargs

pytestmark = pytest.mark.usefixtures("english_pages")


@pytest.fixture
def reports(employee_a, supervisor_a, unit_a):
    def submit(days_ago, **overrides):
        when = timezone.now() - dt.timedelta(days=days_ago)
        return services.deviation_submit(
            actor=employee_a, submitted_at=when, **deviation_kwargs(unit_a, occurred_at=when, **overrides)
        ).deviation

    grievance = submit(5, kind="grievance")
    critical = submit(4)
    services.deviation_classify(actor=supervisor_a, deviation=critical, consequence=4, likelihood=2)
    ordinary = [submit(days) for days in (3, 2, 1)]
    return grievance, critical, ordinary


def test_grievances_and_critical_reports_come_first_in_the_list_with_their_badges(client, supervisor_a, reports):
    grievance, critical, ordinary = reports
    client.force_login(supervisor_a)
    page = client.get(reverse("deviations:list")).content.decode()

    first = page.split('id="priority-title"', 1)[1].split("</section>", 1)[0]
    assert first.index(critical.number) < first.index(grievance.number)  # a running § 28 clock first
    assert all(d.number not in first for d in ordinary)
    assert "§ 29 grievance" in first and "Critical" in first
    # In the list itself the rows are marked too.
    rows = page.split('class="table-wrap deviations-table"', 1)[1]
    grievance_row = rows.split(grievance.number, 1)[0].rsplit("<tr", 1)[1]
    assert "is-stand-out" in grievance_row
    ordinary_row = rows.split(ordinary[0].number, 1)[0].rsplit("<tr", 1)[1]
    assert "is-stand-out" not in ordinary_row


def test_the_handler_s_queue_on_the_home_page_puts_them_first(client, supervisor_a, reports):
    grievance, critical, ordinary = reports
    client.force_login(supervisor_a)
    queue = client.get(reverse("home")).context["waiting"]["queue"]
    assert {d.pk for d in queue[:2]} == {grievance.pk, critical.pk}
    assert [d.pk for d in queue[2:]] == [d.pk for d in reversed(ordinary)]


def test_the_priority_block_is_left_out_of_a_filtered_list(client, supervisor_a, reports):
    client.force_login(supervisor_a)
    assert 'id="priority-title"' not in client.get(reverse("deviations:list") + "?kind=quality").content.decode()
    assert selectors.deviation_priority_list(actor=supervisor_a)[0].pk == reports[1].pk


def test_a_list_longer_than_the_count_limit_says_more_than_and_still_pages(client, monkeypatch, supervisor_a, reports):
    """Counting half a million reports took 30-40 ms: the list counts up to a
    limit and says "more than" (issue 13); the pages still walk the reports."""
    from omavalvonta.deviations.views import reporting

    monkeypatch.setattr(reporting, "LIST_COUNT_LIMIT", 3)
    monkeypatch.setattr(reporting, "PAGE_SIZE", 2)
    client.force_login(supervisor_a)
    page = client.get(reverse("deviations:list")).content.decode()
    assert "More than 3 reports: the newest are shown" in page
    assert "Page 1 of 2" in page
    second = client.get(reverse("deviations:list"), {"page": 2}).content.decode()
    assert "Page 2 of 2" in second and "More than 3 reports" in second
    # Under the limit: the exact count as before.
    monkeypatch.setattr(reporting, "LIST_COUNT_LIMIT", 50)
    assert "5 reports" in client.get(reverse("deviations:list")).content.decode()
