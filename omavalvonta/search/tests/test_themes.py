"""Themes across units: computed by the job or the command, never at the page's
load; three units with like reports form one theme; scoped by the kernel; a
learning review can start from a theme (core.registry LEARNING_ORIGINS)."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from omavalvonta.core import jobs, registry
from omavalvonta.deviations.models import Deviation
from omavalvonta.organisation.models import Role
from omavalvonta.search import services, themes
from omavalvonta.search.models import Theme, ThemeRun
from omavalvonta.search.tests.conftest import report
from omavalvonta.testing.factories import UnitFactory, member

pytestmark = pytest.mark.django_db

MEDICINE = [
    "Iltalääkkeet jäivät antamatta vuoron vaihtuessa, lääkelista oli väärässä kansiossa.",
    "Lapsi jäi ilman iltalääkettä, koska lääkelista puuttui kansiosta vuoronvaihdossa.",
    "Iltalääkkeen antaminen unohtui vuoron vaihtuessa, lääkelistaa ei löytynyt kansiosta.",
]


@pytest.fixture
def unit_c(region_a, county):
    return UnitFactory(region=region_a, name="Lastenkoti Pihlaja", public_slug="pihlaja", counties=[county])


def _move(deviation, days_ago):
    Deviation.objects.filter(pk=deviation.pk).update(submitted_at=timezone.now() - dt.timedelta(days=days_ago))


@pytest.fixture
def three_units(unit_a, unit_b, unit_c, employee_a, supervisor_b):
    employee_c = member(Role.EMPLOYEE, unit=unit_c, full_name="Cecilia Pihlajainen", email="cecilia@omavalvonta.example")
    reports = [
        report(employee_a, unit_a, MEDICINE[0], kind="medication"),
        report(supervisor_b, unit_b, MEDICINE[1], kind="medication"),
        report(employee_c, unit_c, MEDICINE[2], kind="medication"),
        report(employee_a, unit_a, "Ulko-ovi jäi lukitsematta yöllä.", kind="quality"),
    ]
    # The period before: one like report.
    earlier = report(employee_a, unit_a, "Iltalääke jäi antamatta, lääkelista hukassa.", kind="medication")
    _move(earlier, 100)
    return reports


def test_the_texts_become_terms_without_names_or_common_words():
    counts, seen = themes.terms_of("Ohjaaja huomasi, että Maija Meikäläinen antoi lääkkeen ja lääkkeitä jäi yli.")
    assert "lääk" in counts and counts["lääk"] == 2 and seen["lääk"] == {"lääkkeen": 1, "lääkkeitä": 1}
    assert not any(t.startswith(("maij", "meik")) for t in counts)
    assert "että" not in counts and "ja" not in counts
    # A capitalised word beginning a sentence is a word, not a name.
    assert "ohjaaj" in counts


def test_three_units_with_like_reports_form_one_theme(three_units, unit_a, unit_b, unit_c):
    run = services.theme_run_compute(region_id=None)
    assert (run.deviations, run.previous_deviations) == (4, 1)
    [theme] = run.themes.all()
    assert theme.kind == "medication" and theme.count == 3 and theme.units_affected == 3
    assert sorted(theme.unit_ids) == sorted([unit_a.pk, unit_b.pk, unit_c.pk])
    assert sorted(theme.deviation_ids) == sorted(d.pk for d in three_units[:3])
    # Explained by the words the reports share.
    assert {"lääkelista", "vuoronvaihdossa"} & set(theme.top_words) or "iltalääkkeet" in theme.top_words
    assert all(isinstance(w, float) for _t, _w2, w in theme.terms)
    # One like report before: growing.
    assert (theme.previous_count, theme.trend) == (1, "up")


def test_trend_words():
    assert [themes.trend(3, 0), themes.trend(3, 1), themes.trend(2, 2), themes.trend(1, 4)] == ["new", "up", "same", "down"]


def test_unlike_reports_make_no_theme(unit_a, employee_a):
    report(employee_a, unit_a, "Ulko-ovi jäi lukitsematta yöllä.")
    report(employee_a, unit_a, "Tulostin ei toiminut toimistossa.")
    assert services.theme_run_compute(region_id=None).themes.count() == 0


def test_a_region_run_reads_only_the_regions_units(three_units, region_a, unit_a, unit_c):
    run = services.theme_run_compute(region_id=region_a.pk)
    [theme] = run.themes.all()
    assert sorted(theme.unit_ids) == sorted([unit_a.pk, unit_c.pk]) and theme.units_affected == 2


def test_the_command_and_the_job_compute_every_scope_once_a_day(three_units, region_a, region_b):
    call_command("compute_themes", "--days", "30")
    assert set(ThemeRun.objects.values_list("region_id", flat=True)) == {None, region_a.pk, region_b.pk}
    ThemeRun.objects.all().delete()
    job = next(j for j in jobs.registered() if j.name == "search.themes")
    assert job.func() == 3
    assert job.func() == 0  # already computed today
    for _ in range(services.RUNS_KEPT + 2):
        services.theme_run_compute(region_id=None)
    assert ThemeRun.objects.filter(region__isnull=True).count() == services.RUNS_KEPT


def test_the_page_shows_the_newest_run_without_computing(client, three_units, quality_director, unit_b):
    client.force_login(quality_director)
    page = client.get(reverse("search:themes")).content.decode()
    assert "have not been computed yet" in page and not ThemeRun.objects.exists()
    services.themes_compute()
    page = client.get(reverse("search:themes")).content.decode()
    assert "Medication deviation" in page and "3 reports" in page and "3 units" in page and "Growing" in page
    assert "Lastenkoti Mänty" in page
    assert "Ulko-ovi" not in page and "Eeva" not in page


def test_a_regional_director_sees_their_regions_themes_only(client, three_units, regional_director_a, region_a, region_b):
    services.themes_compute()
    client.force_login(regional_director_a)
    page = client.get(reverse("search:themes")).content.decode()
    assert "2 units" in page and "Lastenkoti Mänty" not in page
    # Another region or the organisation's run: not offered, the own region is shown instead.
    for scope in (str(region_b.pk), "", "x"):
        page = client.get(reverse("search:themes"), {"alue": scope}).content.decode()
        assert "Lastenkoti Mänty" not in page and "Lastenkoti Koivu" in page


def test_others_may_not_see_themes(client, supervisor_a, employee_a):
    for person in (supervisor_a, employee_a):
        client.force_login(person)
        assert client.get(reverse("search:themes")).status_code == 403


def test_the_themes_page_reads_a_fixed_number_of_queries(client, django_assert_max_num_queries, three_units,
                                                         quality_director, unit_a, employee_a):
    services.themes_compute()
    client.force_login(quality_director)
    url = reverse("search:themes")
    client.get(url)
    with django_assert_max_num_queries(8) as few:
        client.get(url)
    for i in range(6):
        report(employee_a, unit_a, f"Tulostin {i} rikki, paperi juuttui tulostimeen toimistossa.")
        report(employee_a, unit_a, f"Auton {i} rengas puhkesi, auto jäi tien varteen.")
    services.themes_compute()
    assert Theme.objects.filter(run=ThemeRun.objects.filter(region__isnull=True).first()).count() >= 2
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_a_learning_review_starts_from_a_theme(three_units, quality_director, regional_director_a, supervisor_b, region_b):
    origin = registry.get(registry.LEARNING_ORIGINS, "theme")
    services.themes_compute()
    theme = Theme.objects.get(run__region__isnull=True)
    found = origin.func(actor=quality_director, ref=str(theme.pk))
    assert found["deviation_ids"] == sorted(theme.deviation_ids) and len(found["units"]) == 3
    assert "Medication deviation" in found["title"]
    assert origin.func(actor=quality_director, ref=f"theme:{theme.pk}") == found
    # The organisation's theme is not the regional director's; their region's is, with the reports they see.
    assert origin.func(actor=regional_director_a, ref=str(theme.pk)) is None
    regional = Theme.objects.get(run__region__isnull=False)
    assert len(origin.func(actor=regional_director_a, ref=str(regional.pk))["deviation_ids"]) == 2
    assert origin.func(actor=supervisor_b, ref=str(theme.pk)) is None
    assert origin.func(actor=quality_director, ref="nothing") is None
    assert origin.func(actor=quality_director, ref="999999") is None


def test_the_review_link_appears_only_when_the_learning_area_has_its_page(client, three_units, quality_director):
    services.themes_compute()
    client.force_login(quality_director)
    page = client.get(reverse("search:themes")).content.decode()
    try:
        url = reverse("learning:review_new")
    except Exception:  # noqa: BLE001 - the learning area is not installed
        assert "Open a learning review" not in page
    else:
        theme = Theme.objects.get(run__region__isnull=True)
        assert f"{url}?alkupera=theme:{theme.pk}" in page


def test_a_theme_across_many_units_names_a_few_and_counts_the_rest(client, three_units, quality_director, monkeypatch):
    from omavalvonta.search import selectors

    monkeypatch.setattr(selectors, "UNITS_SHOWN", 1)
    services.themes_compute()
    client.force_login(quality_director)
    page = client.get(reverse("search:themes")).content.decode()
    assert "and 2 others" in page and "3 units" in page
