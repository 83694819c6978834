"""The unit timeline (dashboards/timeline.py): entries of several areas merged
newest first, filtered by area and period, paged by a time cursor in a fixed
number of queries, each entry only for those who may see its area in the unit."""

import datetime as dt

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from omavalvonta.core import registry
from omavalvonta.core.registry import TimelineEntry, TimelinePart
from omavalvonta.dashboards import timeline
from omavalvonta.deviations.models import Deviation
from omavalvonta.deviations.services import deviation_submit
from omavalvonta.improvement.services.actions import action_create
from omavalvonta.meetings.models import Meeting, MeetingState
from omavalvonta.testing.factories import deviation_kwargs

pytestmark = pytest.mark.django_db

URL = "unit_timeline"


def _report(actor, unit, **overrides):
    return deviation_submit(actor=actor, **deviation_kwargs(unit, **overrides)).deviation


def _data(unit, reporter, supervisor, n):
    """`n` reports (half closed), `n` actions and `n` closed meetings in `unit`."""
    for i in range(n):
        report = _report(reporter, unit, kind="grievance" if i % 3 == 0 else "quality")
        if i % 2:
            Deviation.objects.filter(pk=report.pk).update(closed_at=timezone.now() - dt.timedelta(hours=i))
        action_create(
            actor=supervisor, unit=unit, title=f"Toimenpide {i}", owner=supervisor,
            due_date=timezone.localdate() + dt.timedelta(days=7), check_access=False,
        )
        # Meetings at fixed hours of their local day, so that "the day i days
        # ago" holds exactly meeting i whatever the hour the suite runs.
        day = timezone.localdate() - dt.timedelta(days=i)
        at = timezone.make_aware(dt.datetime.combine(day, dt.time(10, 0)))
        Meeting.objects.create(
            unit=unit, title=f"Tiimipalaveri {i}", starts_at=at,
            chair=supervisor, created_by=supervisor, state=MeetingState.MINUTES_CLOSED,
            closed_at=at + dt.timedelta(hours=1),
        )


def test_the_timeline_merges_the_areas_newest_first(client, unit_a, employee_a, supervisor_a):
    _data(unit_a, employee_a, supervisor_a, 3)
    client.force_login(supervisor_a)
    response = client.get(reverse(URL, args=[unit_a.pk]))
    assert response.status_code == 200
    entries = [row.entry for row in response.context["rows"]]
    assert {"deviations", "actions", "meetings"} <= {e.area for e in entries}
    assert [e.at for e in entries] == sorted((e.at for e in entries), reverse=True)
    html = response.content.decode()
    assert "Tiimipalaveri 2" in html
    # Reports and actions are named by kind and number only: their texts can name people.
    assert "Iltalääkkeet" not in html and "Toimenpide 1" not in html
    assert employee_a.full_name not in html  # the reporter


def test_an_employee_sees_only_the_areas_they_may_read(client, unit_a, employee_a, supervisor_a):
    _data(unit_a, employee_a, supervisor_a, 2)
    client.force_login(employee_a)
    response = client.get(reverse(URL, args=[unit_a.pk]))
    areas = {row.entry.area for row in response.context["rows"]}
    # The unit's staff do not read its reports (deviation.view), only their own.
    own = set(Deviation.objects.filter(reporter=employee_a).values_list("pk", flat=True))
    shown = {row.entry.link for row in response.context["rows"] if row.entry.area == "deviations"}
    assert shown <= {reverse("deviations:detail", args=[pk]) for pk in own}
    assert "meetings" in areas and "actions" in areas


def test_another_units_timeline_is_404_for_its_staff(client, unit_b, supervisor_a):
    client.force_login(supervisor_a)
    assert client.get(reverse(URL, args=[unit_b.pk])).status_code == 404


@pytest.mark.parametrize("rows", [2, 12])
def test_the_query_count_does_not_grow_with_the_data(client, django_assert_max_num_queries, unit_a, employee_a, supervisor_a, rows):
    _data(unit_a, employee_a, supervisor_a, rows)
    client.force_login(supervisor_a)
    client.get(reverse(URL, args=[unit_a.pk]))  # warm the session
    # The session, the user and their memberships, the unit, the navigation's two counts, and every
    # area's events in one query (PostgreSQL; SQLite: one query a kind of event, 19 of them).
    with django_assert_max_num_queries(7 if connection.vendor == "postgresql" else 25):
        assert client.get(reverse(URL, args=[unit_a.pk])).status_code == 200


def test_the_filter_by_area_and_period(client, unit_a, employee_a, supervisor_a):
    _data(unit_a, employee_a, supervisor_a, 4)
    client.force_login(supervisor_a)
    response = client.get(reverse(URL, args=[unit_a.pk]), {"area": "meetings"})
    assert {row.entry.area for row in response.context["rows"]} == {"meetings"}
    day = timezone.localdate() - dt.timedelta(days=2)
    response = client.get(reverse(URL, args=[unit_a.pk]), {"area": "meetings", "date_from": day.isoformat(), "date_to": day.isoformat()})
    titles = [row.entry.title for row in response.context["rows"]]
    assert len(titles) == 1 and "Tiimipalaveri 2" in titles[0]


def test_a_period_over_every_area_answers(client, unit_a, employee_a, supervisor_a):
    """Every provider takes the period's bounds (the feedback rounds' own
    "closed before today" bound once clashed with the period's end: a 500)."""
    _data(unit_a, employee_a, supervisor_a, 3)
    client.force_login(supervisor_a)
    today = timezone.localdate()
    period = {"date_from": (today - dt.timedelta(days=30)).isoformat(), "date_to": today.isoformat()}
    response = client.get(reverse(URL, args=[unit_a.pk]), period)
    assert response.status_code == 200 and not response.context["form"].errors
    assert {"deviations", "actions", "meetings"} <= {row.entry.area for row in response.context["rows"]}


def test_pages_go_back_in_time_without_losing_or_repeating_an_entry(unit_a, supervisor_a):
    base = timezone.now()
    for i in range(11):  # two at each time: a page's last time keeps both on the page
        at = base - dt.timedelta(minutes=i // 2)
        Meeting.objects.create(
            unit=unit_a, title=str(i), starts_at=at, chair=supervisor_a, created_by=supervisor_a,
            state=MeetingState.MINUTES_CLOSED, closed_at=at,
        )

    def provider(*, actor, unit, after=None, before=None):
        rows = Meeting.objects.filter(unit=unit).order_by("-closed_at", "-id")
        rows = rows.filter(**{k: v for k, v in (("closed_at__lt", before), ("closed_at__gte", after)) if v is not None})
        entry = lambda at, title: TimelineEntry(at=at, area="test", kind="x", title=title)  # noqa: E731
        return [TimelinePart(rows=rows.values_list("closed_at", "title"), entry=entry)]

    saved = registry.snapshot(registry.UNIT_TIMELINE)
    registry.restore(registry.UNIT_TIMELINE, [])
    registry.register(registry.UNIT_TIMELINE, "test", provider, label="Test")
    try:
        seen, before = [], None
        for _ in range(10):
            page = timeline.unit_timeline(actor=supervisor_a, unit=unit_a, before=before, limit=3)
            seen.extend(e.title for e in page.entries)
            if page.next_before is None:
                break
            before = page.next_before
        assert sorted(seen, key=int) == [str(i) for i in range(11)]
    finally:
        registry.restore(registry.UNIT_TIMELINE, saved)


def test_the_older_link_pages_with_a_cursor(client, unit_a, employee_a, supervisor_a, monkeypatch):
    monkeypatch.setattr(timeline, "PAGE_SIZE", 4)
    monkeypatch.setattr(timeline.unit_timeline, "__kwdefaults__", {**timeline.unit_timeline.__kwdefaults__, "limit": 4})
    _data(unit_a, employee_a, supervisor_a, 3)
    client.force_login(supervisor_a)
    first = client.get(reverse(URL, args=[unit_a.pk]))
    assert first.context["older"]
    second = client.get(reverse(URL, args=[unit_a.pk]) + "?" + first.context["older"])
    assert second.status_code == 200
    newest_second = second.context["rows"][0][0].at
    assert newest_second < first.context["rows"][-1][0].at


@pytest.mark.parametrize(
    "query",
    [
        {"date_from": "31.2.2026"},
        {"date_from": "2026-05-10", "date_to": "2026-05-01"},
        {"before": "eilen"},
        {"before": "2026-05-01T10:00:00"},  # no time zone
        {"area": "nothing-such"},
    ],
)
def test_bad_filters_answer_with_a_message_not_an_error(client, unit_a, supervisor_a, query):
    client.force_login(supervisor_a)
    response = client.get(reverse(URL, args=[unit_a.pk]), query)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert 'id="error-summary"' in response.content.decode()
