"""The running sums (Tally) equal what the raw answers say: after answers are
stored through the services, after retention removes some, and after a rebuild.
The expectation is computed here in plain Python from the raw rows, not by the
code under test. Runs on SQLite and PostgreSQL alike (the CI runs both)."""

import datetime as dt
from collections import defaultdict

import pytest
import time_machine
from django.db.models import Q

from omavalvonta.feedback import figures, reports, services, tallies
from omavalvonta.feedback.models import Answer, Response, Tally
from omavalvonta.feedback.tests.helpers import answer, open_round

pytestmark = pytest.mark.django_db


def scopes(unit):
    """The four rows an answer of `unit` counts in, by the unit's region and
    service type now: (unit, region, service type) as models.Tally keeps them."""
    return [(unit.pk, unit.region_id, unit.service_type), (None, unit.region_id, ""), (None, None, unit.service_type),
            (None, None, "")]


def expected_from_raw() -> dict:
    out = defaultdict(lambda: [0, 0, 0, 0, 0])
    rounds = {}
    for r in Response.objects.select_related("round", "unit"):
        rounds[r.pk] = r
        for scope in scopes(r.unit):
            row = out[(*scope, r.round.year, r.round.quarter, r.submitted_on.replace(day=1), r.group, "")]
            row[0] += 1
            if r.nps is not None:
                row[2] += 1
                row[3] += r.nps >= 9
                row[4] += r.nps <= 6
    for a in Answer.objects.exclude(value=None):
        r = rounds[a.response_id]
        for scope in scopes(r.unit):
            row = out[(*scope, r.round.year, r.round.quarter, r.submitted_on.replace(day=1), r.group, a.key)]
            row[0] += 1
            row[1] += a.value
    return {k: v for k, v in out.items()}


def stored() -> dict:
    return {
        (t.unit_id, t.region_id, t.service_type, t.year, t.quarter, t.month, t.group, t.key): [
            getattr(t, f) for f in tallies.FIELDS
        ]
        for t in Tally.objects.all()
    }


@pytest.fixture
def answered(supervisor_a, supervisor_b, unit_a, unit_b):
    with time_machine.travel(dt.datetime(2026, 11, 10, 10, tzinfo=dt.UTC), tick=False):
        ra, rb = open_round(supervisor_a, unit_a), open_round(supervisor_b, unit_b)
        for i, nps in enumerate([10, 9, 8, 7, 6, 0, None]):
            answer(ra, "parent", nps=nps, safe=(i % 5) + 1, submitted_on=dt.date(2026, 10 + i % 2, 3 + i))
        for value in [1, 5, 5, None]:
            answer(ra, "child", safe=value, text="Kiva paikka" if value is None else "")
        for nps in [10, 2, 9]:
            answer(rb, "parent", nps=nps, submitted_on=dt.date(2026, 12, 1))
    return ra, rb


def test_the_tallies_equal_the_raw_answers_after_submissions(answered):
    assert stored() == expected_from_raw()
    assert Tally.objects.filter(figures.ORGANISATION).exists()


def test_a_unit_moved_to_another_region_and_service_type_takes_its_sums_along(
    answered, unit_a, region_b, administrator, django_capture_on_commit_callbacks
):
    from omavalvonta.organisation.models import ServiceType
    from omavalvonta.organisation.services import unit_update

    with django_capture_on_commit_callbacks(execute=True):  # the unit hooks run after the commit
        unit_update(actor=administrator, unit=unit_a, region=region_b, service_type=ServiceType.AFTERCARE)
    unit_a.refresh_from_db()
    assert unit_a.region_id == region_b.pk
    assert stored() == expected_from_raw()
    # Nothing left in the old region: its rows are gone, not left at zero.
    assert not Tally.objects.filter(n=0).exists()


def test_retention_takes_removed_answers_off_the_tallies(answered):
    ra, _rb = answered
    removed = services.responses_remove(responses=Response.objects.filter(round=ra, submitted_on__lt=dt.date(2026, 11, 1)))
    assert removed == 4
    assert stored() == expected_from_raw()
    # Rows with nothing left are gone, not left at zero.
    assert not Tally.objects.filter(n=0).exists()
    services.responses_remove(responses=Response.objects.all())
    assert not Tally.objects.exists()
    assert not Answer.objects.exists()


def test_a_rebuild_gives_the_same_rows(answered):
    before = stored()
    Tally.objects.all().delete()
    assert tallies.tallies_rebuild() == len(before)
    assert stored() == before


def test_the_figures_read_from_the_tallies_keep_the_small_group_rule(answered, unit_a):
    with time_machine.travel(dt.datetime(2026, 11, 10, 10, tzinfo=dt.UTC), tick=False):
        cells = figures.by_quarter(Q(unit=unit_a))[(2026, 4)]
    parent, child = cells["parent"], cells["child"]
    assert parent.n == 7 and parent.nps_answered == 6
    assert parent.nps == figures.nps_of(2, 2, 6)
    assert parent.item("helped") == round(sum((i % 5) + 1 for i in range(7)) / 7, 1)
    assert child.n == 4 and child.hidden and child.nps is None and child.item("safe") is None


def test_the_overview_and_the_results_read_the_same_cells_as_by_quarter(
    answered, unit_a, unit_b, django_assert_num_queries
):
    """figures.quarter_cells (the overview's one statement) and
    figures.with_organisation (a scope and the organisation in one query) give
    the cells by_quarter gives each scope (the responses' figures)."""
    period, since = (2026, 4), (2026, 1)
    scope_qs = {
        ("unit", unit_a.pk): Q(unit=unit_a),
        ("unit", unit_b.pk): Q(unit=unit_b),
        ("region", unit_a.region_id): figures.region_scope(unit_a.region_id),
        ("region", unit_b.region_id): figures.region_scope(unit_b.region_id),
        ("service_type", unit_a.service_type): figures.service_type_scope(unit_a.service_type),
        ("organisation", None): figures.ORGANISATION,
    }

    def responses(cells):
        return {g: (c.n, c.nps_answered, c.promoters, c.detractors) for g, c in cells.items()}

    def table(by_period):  # the items' averages rounded: the rows may come in another order
        return {
            p: {g: (responses({g: c})[g], {k: (round(a, 9), n) for k, (a, n) in c.items.items()}) for g, c in cells.items()}
            for p, cells in by_period.items()
        }

    with django_assert_num_queries(1):
        cells = figures.quarter_cells(*period, [unit_a.pk, unit_b.pk])
    for (kind, key), scope_q in scope_qs.items():
        expected = figures.by_quarter(scope_q, since=since)
        assert responses(cells[kind][key]) == responses(expected[period]), (kind, key)
        if kind != "organisation":
            with django_assert_num_queries(1):
                mine, organisation = figures.with_organisation(scope_q, since=since)
            assert table(mine) == table(expected)
            assert table(organisation) == table(figures.by_quarter(figures.ORGANISATION, since=since))
    assert figures.quarter_cells(*period, [])["unit"] == {}


def test_period_figures_join_whole_months_from_tallies_with_partial_months_from_responses(answered, unit_a):
    # 5.10.–30.11.: October 3 is outside, the rest of October and November inside.
    figures = reports.feedback_period_figures(date_from=dt.date(2026, 10, 5), date_to=dt.date(2026, 11, 30))
    raw = Response.objects.filter(unit=unit_a, group="parent", submitted_on__range=(dt.date(2026, 10, 5), dt.date(2026, 11, 30)))
    by_unit = {u["label"]: u for u in figures["by_unit"]}
    parents = next(g for g in by_unit[unit_a.name]["groups"] if g["group"] == "parent")
    assert parents["n"] == raw.count() == 6


def test_whole_months_split():
    assert figures.whole_months(dt.date(2026, 1, 1), dt.date(2026, 4, 30)) == ((dt.date(2026, 1, 1), dt.date(2026, 4, 30)), [])
    assert figures.whole_months(dt.date(2026, 1, 15), dt.date(2026, 4, 10)) == (
        (dt.date(2026, 2, 1), dt.date(2026, 3, 31)),
        [(dt.date(2026, 1, 15), dt.date(2026, 1, 31)), (dt.date(2026, 4, 1), dt.date(2026, 4, 10))],
    )
    assert figures.whole_months(dt.date(2026, 3, 2), dt.date(2026, 3, 20)) == (None, [(dt.date(2026, 3, 2), dt.date(2026, 3, 20))])


def test_retention_through_privacys_table_keeps_the_tallies_equal_to_the_answers(answered):
    """The retention entry (registry.RETENTION "feedback_response") lists answers
    by their date and destroys them through responses_remove: destroyed answers
    are subtracted from the tallies, never left in them."""
    from omavalvonta.core import registry

    entry = registry.get(registry.RETENTION, "feedback_response")
    due = entry.func(cutoff=dt.date(2026, 11, 1), limit=100)
    assert {d.dated for d in due} < {dt.date(2026, 11, 1) - dt.timedelta(days=n) for n in range(1, 60)}
    destroyed = entry.destroy(ids=[d.id for d in due] + [999_999])
    assert sorted(destroyed) == sorted(d.id for d in due) and len(destroyed) == 4
    assert stored() == expected_from_raw()
    assert not Tally.objects.filter(n=0).exists()
