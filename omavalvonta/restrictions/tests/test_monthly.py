"""The overview's figures from the counted months (restrictions.monthly): the
same numbers as counting the measures, forgotten when a measure comes late
into a closed month or a unit changes, in a fixed number of queries; and the
overview's rows written in Python (restrictions.overview_rows)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from omavalvonta.organisation.models import Region
from omavalvonta.restrictions import monthly, overview_rows
from omavalvonta.restrictions.models import MonthCount, Restriction
from omavalvonta.testing.factories import UnitFactory

pytestmark = pytest.mark.django_db


def _months_ago(months: int, *, day: int = 10) -> dt.datetime:
    first = timezone.localdate().replace(day=1)
    for _i in range(months):
        first = (first - dt.timedelta(days=1)).replace(day=1)
    return timezone.make_aware(dt.datetime.combine(first.replace(day=day), dt.time(12)))


def _record_at(record, actor, child, started, n=1):
    for i in range(n):
        at = started + dt.timedelta(minutes=10 * i)
        record(actor, child, started_at=at, ended_at=at + dt.timedelta(minutes=2))


def _figures(actor, now=None):
    regions = monthly.regions(actor=actor)
    figures = monthly.region_figures(actor=actor, regions=regions, now=now)
    return regions, figures


def _expected(w, unit_ids):
    """The figures counted from the measures themselves."""
    rows = Restriction.objects.filter(unit_id__in=unit_ids)
    cells = [rows.filter(started_at__gte=w.bounds[i], started_at__lt=w.bounds[i + 1]).count() for i in range(12)]
    return cells, rows.filter(started_at__gte=w.since).count()


def test_counted_months_give_the_numbers_of_the_measures(regional_director_a, supervisor_a, child_a, record):
    _record_at(record, supervisor_a, child_a, _months_ago(2), n=6)
    _record_at(record, supervisor_a, child_a, _months_ago(3), n=2)
    _record_at(record, supervisor_a, child_a, timezone.now() - dt.timedelta(hours=3), n=5)
    regions, figures = _figures(regional_director_a)
    w = monthly.window(timezone.now())
    cells, total = _expected(w, [child_a.unit_id])
    [row] = figures["rows"]
    assert row["cells"] == [monthly._hide_small(n) for n in cells]
    assert regions[0]["total"] == total == 13 and not regions[0]["small"]
    assert figures["months"] == w.starts
    # The closed months are counted once: in all, per region and per unit.
    assert MonthCount.objects.filter(unit__isnull=True, region__isnull=True).count() == len(w.counted) + bool(w.lead)
    assert MonthCount.objects.get(unit=child_a.unit, month=w.starts[-3]).n == 6


@pytest.mark.parametrize("days_in", [3, 25])
def test_the_year_starting_inside_a_month_is_counted_from_its_smaller_side(
    regional_director_a, supervisor_a, child_a, record, days_in
):
    # A "now" whose year (365 days back) starts `days_in` days into a month: a
    # few days in, the month is read from its count less those days; late in
    # the month, its last days are counted from the measures.
    month = _months_ago(13, day=1).date()
    since = monthly._start_of(month) + dt.timedelta(days=days_in, hours=1)
    now = since + dt.timedelta(days=monthly.OVERVIEW_DAYS)
    # Recorded in the placement, then moved back before it (a placement's own dates are not the point here).
    for at, n in ((monthly._start_of(month) + dt.timedelta(days=1, hours=8), 2), (since + dt.timedelta(hours=12), 3)):
        _record_at(record, supervisor_a, child_a, timezone.now() - dt.timedelta(hours=5), n=n)
        moved = Restriction.objects.filter(started_at__gte=timezone.now() - dt.timedelta(hours=6))
        moved.update(started_at=at, ended_at=at + dt.timedelta(minutes=2))
    _record_at(record, supervisor_a, child_a, _months_ago(4), n=1)
    w = monthly.window(now)
    assert (w.lead == month) is (days_in == 3)
    regions, figures = _figures(regional_director_a, now=now)
    cells, total = _expected(w, [child_a.unit_id])
    assert regions[0]["total"] == total == 4
    assert figures["rows"][0]["cells"] == [monthly._hide_small(n) for n in cells]
    # Counted: the same again, in two queries.
    with CaptureQueriesContext(connection) as queries:
        again = monthly.region_figures(actor=regional_director_a, regions=monthly.regions(actor=regional_director_a), now=now)
    assert again == figures and len(queries) == 4  # two of them the regions'


def test_the_figures_are_read_in_two_queries_once_counted(regional_director_a, supervisor_a, child_a, record):
    _record_at(record, supervisor_a, child_a, _months_ago(2), n=3)
    regions = monthly.regions(actor=regional_director_a)
    monthly.region_figures(actor=regional_director_a, regions=regions)
    with CaptureQueriesContext(connection) as queries:
        monthly.region_figures(actor=regional_director_a, regions=regions)
    assert len(queries) == 2


def test_a_measure_recorded_late_into_a_closed_month_is_counted(regional_director_a, supervisor_a, child_a, record):
    _record_at(record, supervisor_a, child_a, _months_ago(2), n=5)
    _figures(regional_director_a)
    month = _months_ago(2).date().replace(day=1)
    assert MonthCount.objects.filter(month=month).exists()
    _record_at(record, supervisor_a, child_a, _months_ago(2, day=20))
    assert not MonthCount.objects.filter(month=month).exists()
    regions, figures = _figures(regional_director_a)
    assert figures["rows"][0]["cells"][-3] == 6


def test_a_measure_of_this_month_leaves_the_counted_months(regional_director_a, supervisor_a, child_a, record):
    _record_at(record, supervisor_a, child_a, _months_ago(2), n=5)
    _figures(regional_director_a)
    counted = MonthCount.objects.count()
    record(supervisor_a, child_a)
    assert MonthCount.objects.count() == counted


def test_a_unit_saved_forgets_the_counted_months(regional_director_a, supervisor_a, child_a, record):
    _record_at(record, supervisor_a, child_a, _months_ago(2), n=5)
    _figures(regional_director_a)
    assert MonthCount.objects.exists()
    monthly.unit_saved(unit=child_a.unit)
    assert not MonthCount.objects.exists()


def test_a_region_counted_in_part_reads_its_units_rows(
    region_a, regional_director_a, supervisor_a, child_a, make_placement, record
):
    other = UnitFactory(region=region_a, name="Lastenkoti Kuusi")
    other_child = make_placement(other, name="Eero L.")
    _record_at(record, supervisor_a, child_a, _months_ago(2), n=5)
    keeper = other_child.unit
    from omavalvonta.organisation.models import Role
    from omavalvonta.testing.factories import member

    _record_at(record, member(Role.SUPERVISOR, unit=keeper), other_child, _months_ago(2), n=7)
    _figures(regional_director_a)  # the region's row: both units
    regions, figures = _figures(regional_director_a)
    assert figures["rows"][0]["cells"][-3] == 12
    regions, figures = _figures(supervisor_a)  # one unit of the two: its own row
    assert [r["units"] for r in regions] == [1] and figures["rows"][0]["cells"][-3] == 5


def test_a_month_is_counted_only_once_closed_for_a_while(regional_director_a, supervisor_a, child_a, record):
    first = timezone.localdate().replace(day=1)
    start = timezone.make_aware(dt.datetime.combine(first, dt.time()))
    just_closed = monthly.window(start + dt.timedelta(minutes=5))
    assert len(just_closed.starts) - 2 not in just_closed.counted  # the month before: still counted live
    later = monthly.window(start + monthly.SETTLE + dt.timedelta(minutes=1))
    assert len(later.starts) - 2 in later.counted and len(later.starts) - 1 not in later.counted


def test_the_overview_reads_the_counted_months_in_a_fixed_number_of_queries(
    client, monkeypatch, quality_director, supervisor_a, child_a, unit_b, make_placement, record
):
    from omavalvonta.organisation import overview

    monkeypatch.setattr(overview, "OVERVIEW_UNIT_ROWS", 0)
    _record_at(record, supervisor_a, child_a, _months_ago(2), n=5)
    client.force_login(quality_director)
    url = reverse("restrictions:overview")
    assert client.get(url).status_code == 200  # counts the closed months
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    _record_at(record, supervisor_a, child_a, timezone.now() - dt.timedelta(hours=2), n=3)
    make_placement(unit_b, name="Eero L.")
    with CaptureQueriesContext(connection) as after:
        page = client.get(url).content.decode()
    assert len(after) == len(before) <= 12
    assert child_a.unit.region.name in page and unit_b.region.name in page


def test_the_region_cards_and_month_rows_are_escaped():
    region = Region(pk=7, name='<b>"Pohjoinen"</b>')
    cards = overview_rows.region_cards(
        [{"region": region, "units": 1, "total": 12, "small": False}], url="/rajoitukset/", small=5
    )
    assert '<a href="/rajoitukset/?alue=7">' in cards
    assert '<span class="list-cards__title">&lt;b&gt;&quot;Pohjoinen&quot;&lt;/b&gt;</span>' in cards
    assert "<span>1 unit</span>" in cards and "<span>12 measures</span>" in cards
    small = overview_rows.region_cards(
        [{"region": region, "units": 2, "total": 3, "small": True}], url="/rajoitukset/", small=5
    )
    assert "<span>2 units</span>" in small and "<span>fewer than 5 measures</span>" in small and ">3 " not in small
    rows = overview_rows.month_rows([{"region": region, "cells": [0, None, 7]}])
    assert rows == (
        '<tr><th scope="row">&lt;b&gt;&quot;Pohjoinen&quot;&lt;/b&gt;</th><td>0</td><td>–</td><td>7</td></tr>'
    )


def test_the_unit_cards_link_only_the_registers_the_person_reads():
    from omavalvonta.organisation.models import Unit

    rows = [
        {"unit": Unit(pk=3, name="Koti <Koivu>"), "count": 9, "can_view": True, "small": False},
        {"unit": Unit(pk=4, name="Koti Mänty"), "count": 2, "can_view": False, "small": True},
    ]
    cards = overview_rows.unit_cards(rows, small=5)
    assert f'<a href="{reverse("restrictions:unit", args=[3])}">' in cards and "Koti &lt;Koivu&gt;" in cards
    assert "<span>9 measures</span>" in cards and "<span>fewer than 5 measures</span>" in cards
    assert cards.count("<a ") == 1 and cards.count("<div>") == 1 and "/yksikko/4/" not in cards
