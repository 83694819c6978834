"""Effectiveness: reliable-change classification with known data, the mean
change per domain, measurement coverage, small groups hidden, the threshold as
data on the instrument, and the pages (access, fixed query counts)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from omavalvonta.organisation.models import Role
from omavalvonta.outcomes import effectiveness, selectors
from omavalvonta.outcomes.models import Instrument
from omavalvonta.testing.factories import UnitFactory, member

from .helpers import record

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 1)
START = dt.date(2025, 6, 1)
LATEST = dt.date(2026, 3, 1)


def all_domains(score):
    version = selectors.current_version()
    return {i.domain: (score, score) for i in version.items.all()}


@pytest.fixture
def today(time_machine):
    time_machine.move_to(dt.datetime(2026, 6, 1, 8, tzinfo=dt.UTC), tick=False)
    return TODAY


@pytest.fixture
def children(today, make_placement, keeper_a):
    """Six children measured at 5 first; at the latest: three +2, two +0.5, one -2."""
    made = []
    for i, latest in enumerate([(7, 7), (7, 7), (7, 7), (5, 6), (6, 5), (3, 3)]):
        p = make_placement(name=f"Lapsi {i}", starts_on=START)
        record(keeper_a, p, on=START, scores=all_domains(5))
        version = selectors.current_version()
        record(keeper_a, p, on=LATEST, scores={d.domain: latest for d in version.items.all()})
        made.append(p)
    return made


def test_reliable_change_classification():
    assert effectiveness.classify(1.5, 1.5) == "improved"
    assert effectiveness.classify(1.49, 1.5) == "unchanged"
    assert effectiveness.classify(-1.5, 1.5) == "worse"
    assert effectiveness.classify(0, 1.5) == "unchanged"


def test_known_children_are_classified_by_the_threshold(children, unit_a, today):
    f = effectiveness.unit_figures([unit_a.pk], today=today)[unit_a.pk]
    assert (f.children, f.improved, f.unchanged, f.worse) == (6, 3, 2, 1)
    assert (f.improved_share, f.unchanged_share, f.worse_share) == (50, 33, 17)
    # Every domain: (3*7 + 5.5 + 5.5 + 3) / 6 - 5 = +0.83
    labels = effectiveness.domain_labels()
    changes = f.domain_changes(labels)
    assert len(changes) == len(labels) and {c for _l, c in changes} == {0.8}
    assert changes[0][0] == next(iter(labels.values()))


def test_the_threshold_is_data_on_the_instrument(children, unit_a, today):
    Instrument.objects.update(reliable_change=Decimal("2.50"))
    f = effectiveness.unit_figures([unit_a.pk], today=today)[unit_a.pk]
    assert (f.improved, f.unchanged, f.worse) == (0, 6, 0)


def test_coverage_counts_due_dates_measured_on_time(children, unit_a, today):
    # Due 1.6., 1.9., 1.12.2025 and 1.3.2026 (1.6.2026 is still in its grace):
    # the first and the last were measured on the day, the two between were missed.
    f = effectiveness.unit_figures([unit_a.pk], today=today)[unit_a.pk]
    assert (f.due, f.on_time, f.coverage) == (24, 12, 50)


def test_a_group_under_five_children_is_hidden(children, unit_a, today):
    for p in children[:2]:
        p.ends_on = today - dt.timedelta(days=1)
        p.save(update_fields=["ends_on"])
    f = effectiveness.unit_figures([unit_a.pk], today=today)[unit_a.pk]
    assert f.compared == 4 and f.hidden
    assert f.improved_share is None and f.bar == [] and f.domain_changes({}) == []
    assert f.coverage is None
    section = selectors.effectiveness_section(actor=children[0].created_by, unit=unit_a)
    assert section["hidden"] and section["improved"] is None and section["domains"] == []


def test_a_child_with_one_measurement_is_not_compared(today, make_placement, keeper_a, unit_a):
    p = make_placement(starts_on=START)
    record(keeper_a, p, on=START)
    f = effectiveness.unit_figures([unit_a.pk], today=today)[unit_a.pk]
    assert (f.children, f.compared) == (1, 0)


def test_groups_add_up_their_units():
    a = effectiveness.Figures(children=3, improved=2, due=4, on_time=3)
    a.domains["x"] = [10.0, 2, 14.0, 2]
    b = effectiveness.Figures(children=4, worse=3, due=2, on_time=2)
    b.domains["x"] = [5.0, 1, 4.0, 1]
    total = effectiveness.total([a, b])
    assert (total.children, total.compared, total.due, total.on_time) == (7, 5, 6, 5)
    assert total.domains["x"] == [15.0, 3, 18.0, 3]
    assert total.domain_changes({"x": "X"}) == [("X", 1.0)]


# --- Pages -------------------------------------------------------------------------------------


def test_the_unit_page_shows_the_figures_without_names(client, children, keeper_a, unit_a):
    client.force_login(keeper_a)
    page = client.get(reverse("outcomes:unit_effectiveness", args=[unit_a.pk])).content.decode()
    assert "Improved 50 %" in page and "Worse 17 %" in page and "Measured on time: 50 %" in page
    assert "Lapsi" not in page


def test_the_unit_page_reads_the_figures_the_job_keeps_once_it_has_run(client, children, keeper_a, unit_a, today):
    url = reverse("outcomes:unit_effectiveness", args=[unit_a.pk])
    client.force_login(keeper_a)
    # Before the job's first run today: computed on the spot, no time shown.
    assert "Figures computed" not in client.get(url).content.decode()
    effectiveness.refresh()
    page = client.get(url).content.decode()
    assert "Figures computed" in page and "Worse 17 %" in page
    # The same figures as the organisation's page until the job runs again.
    record(keeper_a, children[5], on=today, scores=all_domains(9))
    assert "Worse 17 %" in client.get(url).content.decode()
    effectiveness.refresh()
    assert "Worse 0 %" in client.get(url).content.decode()


def test_another_units_page_is_404_and_bad_input_is_no_500(client, children, supervisor_b, unit_a):
    client.force_login(supervisor_b)
    assert client.get(reverse("outcomes:unit_effectiveness", args=[unit_a.pk])).status_code == 404
    assert client.get(reverse("outcomes:effectiveness") + "?alue=x%00").status_code == 200
    assert client.get(reverse("outcomes:effectiveness") + "?alue=99999999999999999999").status_code == 200


def test_a_director_sees_the_organisation_by_region(client, children, unit_a, region_a, today):
    director = member(Role.QUALITY_DIRECTOR, full_name="Laura Laatu")
    client.force_login(director)
    page = client.get(reverse("outcomes:effectiveness")).content.decode()
    assert "All your units" in page and "Improved 50 %" in page and unit_a.name in page
    region_page = client.get(reverse("outcomes:effectiveness") + f"?alue={region_a.pk}").content.decode()
    assert f"Units of {region_a.name}" in region_page


def test_the_rehabilitation_director_may_open_it_but_a_person_without_the_right_may_not(client, rehab_director, administrator):
    client.force_login(rehab_director)
    assert client.get(reverse("outcomes:effectiveness")).status_code == 200
    client.force_login(administrator)
    assert client.get(reverse("outcomes:effectiveness")).status_code == 403


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_query_counts_do_not_grow_with_units_or_children(client, children, keeper_a, region_a, unit_a, today):
    director = member(Role.QUALITY_DIRECTOR, full_name="Laura Laatu")
    client.force_login(director)
    url = reverse("outcomes:effectiveness")
    unit_url = reverse("outcomes:unit_effectiveness", args=[unit_a.pk])
    client.force_login(keeper_a)
    before_unit = _queries(client, unit_url)
    client.force_login(director)
    before = _queries(client, url)
    for n in range(3):
        unit = UnitFactory(region=region_a, name=f"Lisäyksikkö {n}", public_slug=f"lisa{n}")
        keeper = member(Role.SUPERVISOR, unit=unit)
        from omavalvonta.clients import services as client_services
        from omavalvonta.testing.factories import placement_kwargs

        for i in range(4):
            p = client_services.placement_create(
                actor=keeper, unit=unit, **placement_kwargs(county=children[0].county, name=f"U{n}{i}", starts_on=START)
            )
            record(keeper, p, on=START)
            record(keeper, p, on=LATEST, scores=all_domains(8))
    assert _queries(client, url) == before
    client.force_login(keeper_a)
    assert _queries(client, unit_url) == before_unit


# --- The follow-up report and the unit's plan ----------------------------------------------------


def test_the_follow_up_report_and_the_plan_gain_an_effectiveness_section(children, keeper_a, unit_a, today):
    from django.template.loader import render_to_string

    from omavalvonta.plans.facts import facts_for
    from omavalvonta.plans.followup import compile_figures

    director = member(Role.QUALITY_DIRECTOR, full_name="Laura Laatu")
    figures = compile_figures(actor=director, period_start=dt.date(2026, 1, 1), period_end=dt.date(2026, 4, 30))
    e = figures["effectiveness"]
    assert (e["compared"], e["improved"], e["unchanged"], e["worse"]) == (6, 50, 33, 17)
    assert e["as_of"] == "2026-04-30"
    facts = facts_for(unit_a, actor=keeper_a, live_facts={"effectiveness"})
    assert facts["effectiveness"]["compared"] == 6 and facts["effectiveness"]["coverage"] == 50
    html = render_to_string("plans/_effectiveness.html", {"e": facts["effectiveness"]})
    assert "improved 50 %" in html and "Measured on time: 50 % (12 of 24 due)" in html
    # Without the right to count children: nothing.
    outsider = member(Role.ADMINISTRATOR, full_name="Aatu Admin")
    assert facts_for(unit_a, actor=outsider, live_facts={"effectiveness"})["effectiveness"] == {}


def test_a_large_scope_reads_the_figures_the_job_keeps(children, unit_a, keeper_a, today, monkeypatch, client):
    from omavalvonta.core import jobs

    assert "outcomes.effectiveness" in {job.name for job in jobs.registered()}
    director = member(Role.QUALITY_DIRECTOR, full_name="Laura Laatu")
    for n in range(2):
        UnitFactory(region=unit_a.region, name=f"Tyhjä {n}", public_slug=f"tyhja{n}")
    monkeypatch.setattr(effectiveness, "UNIT_ROWS", 2)
    on_the_spot = effectiveness.unit_figures([unit_a.pk], today=today)[unit_a.pk]
    first = selectors.effectiveness_overview(actor=director)
    assert first["computed_at"] is not None and first["figures_key"]
    assert first["total"]["f"].improved == on_the_spot.improved == 3
    client.force_login(director)
    page = client.get(reverse("outcomes:effectiveness")).content.decode()
    assert "Figures computed" in page and "Worse 17 %" in page
    # A new measurement shows after the job's next run, not before: in the
    # figures and in the page's rendered figures, kept until then.
    record(keeper_a, children[5], on=today, scores=all_domains(9))
    assert selectors.effectiveness_overview(actor=director)["total"]["f"].worse == 1
    assert "Worse 17 %" in client.get(reverse("outcomes:effectiveness")).content.decode()
    assert effectiveness.refresh() == 0  # queues nothing
    again = selectors.effectiveness_overview(actor=director)
    assert again["total"]["f"].worse == 0 and again["figures_key"] != first["figures_key"]
    page = client.get(reverse("outcomes:effectiveness")).content.decode()
    assert "Worse 0 %" in page and "Worse 17 %" not in page
    # Another language has its own rendered figures.
    assert "Heikentynyt" in client.get(reverse("outcomes:effectiveness"), HTTP_ACCEPT_LANGUAGE="fi").content.decode()


def test_the_follow_up_report_page_shows_its_effectiveness_section(children, client, today):
    from omavalvonta.plans.programme import followup_report_create

    director = member(Role.QUALITY_DIRECTOR, full_name="Laura Laatu")
    report = followup_report_create(actor=director, period_start=dt.date(2026, 1, 1), period_end=dt.date(2026, 4, 30))
    client.force_login(director)
    page = client.get(reverse("plans:report", args=[report.pk])).content.decode()
    assert 'id="fig-effectiveness"' in page and "improved 50 %" in page
