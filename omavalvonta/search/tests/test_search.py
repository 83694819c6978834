"""Search across units: Finnish inflections find each other, results stay in
the searcher's scope, a protected reporter is never in a snippet, reads are
logged and the page's queries do not grow with the data.

The inflection tests run on both databases: SQLite matches the stems with
LIKE, PostgreSQL (the CI's run) with the `finnish` tsvector and prefix terms
(`test_the_database_path_is_the_vendors`)."""

import datetime as dt

import pytest
from django.db import connection
from django.urls import reverse

from omavalvonta.core.lib import textsearch
from omavalvonta.core.models import AccessLogEntry
from omavalvonta.deviations.search import deviation_search
from omavalvonta.organisation.models import Role
from omavalvonta.search.query import search_query
from omavalvonta.search.selectors import search_run
from omavalvonta.search.tests.conftest import report
from omavalvonta.testing.factories import member

pytestmark = pytest.mark.django_db

VENDORS = pytest.mark.parametrize("vendor", [connection.vendor])


def _found(actor, text, area=None):
    return {area.name: [h.title for h in area.hits] for area in search_run(actor=actor, query=search_query(text), area=area)}


def _numbers(actor, text):
    return {h.link for h in deviation_search(actor=actor, query=search_query(text))}


@VENDORS
@pytest.mark.parametrize("word", ["lääkkeen", "lääke", "lääkkeitä", "Lääkkeet"])
def test_an_inflection_finds_the_others(vendor, word, texts, quality_director):
    """"lääkkeen" finds "lääkkeen" and "lääkkeitä, lääke"; so does every other form."""
    found = _numbers(quality_director, word)
    assert reverse("deviations:detail", args=[texts["a_medicine"].pk]) in found, vendor
    assert reverse("deviations:detail", args=[texts["b_medicines"].pk]) in found, vendor
    assert reverse("deviations:detail", args=[texts["a_door"].pk]) not in found


@VENDORS
def test_every_word_must_match(vendor, texts, quality_director):
    assert len(_numbers(quality_director, "lääkkeen iltavuoro")) == 1
    assert _numbers(quality_director, "lääkkeen ovesta") == set()
    assert len(_numbers(quality_director, "ovi lukitsematta")) == 1


@VENDORS
@pytest.mark.parametrize("word", ["lääke", "LÄÄKKEEN", "Lääkkeitä"])
def test_capitals_with_umlauts_are_found_on_both_databases(vendor, word, unit_a, employee_a, quality_director):
    """SQLite's LOWER and LIKE fold ASCII only: "LÄÄKKEEN" and "lääk" must meet
    anyway (a Python lower-case on SQLite; PostgreSQL's tsvector as before)."""
    if vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT lower('Ä') = 'ä'")
            if not cursor.fetchone()[0]:
                pytest.skip("this PostgreSQL's LC_CTYPE (C/POSIX) folds ASCII only: initdb it with a UTF-8 locale")
    shouted = report(employee_a, unit_a, "VÄÄRÄ LÄÄKKEEN ANNOS ILTAVUOROSSA")
    found = _numbers(quality_director, word)
    assert reverse("deviations:detail", args=[shouted.pk]) in found, vendor
    assert reverse("deviations:detail", args=[shouted.pk]) in _numbers(quality_director, "väärä " + word)


def test_the_newest_matches_are_the_same_by_either_path(texts, quality_director, monkeypatch):
    """On PostgreSQL a search first walks the last days newest first, then (fewer
    than a page found) lets the GIN index find every match: the same reports."""
    from omavalvonta.deviations import search as deviation_search_module

    usual = _numbers(quality_director, "lääkkeen")
    monkeypatch.setattr(deviation_search_module, "RECENT_DAYS", 0)  # nothing recent: the index path
    monkeypatch.setattr(deviation_search_module, "WIDER_DAYS", 0)
    assert _numbers(quality_director, "lääkkeen") == usual and len(usual) == 2


@pytest.mark.parametrize("days", [0, 7])
def test_every_scope_finds_the_newest_page_by_its_path(texts, unit_a, employee_a, supervisor_a, regional_director_a,
                                                       quality_director, monkeypatch, days):
    """The organisation's, a region's and a unit's searches (each its own path on
    PostgreSQL) find the newest `limit` reports, whether the walk of the last
    days finds a page or the index must find the rest."""
    from omavalvonta.deviations import search as deviation_search_module

    monkeypatch.setattr(deviation_search_module, "RECENT_DAYS", days)
    monkeypatch.setattr(deviation_search_module, "WIDER_DAYS", days)
    made = [report(employee_a, unit_a, f"Lääkkeen jako {i} viivästyi illalla.") for i in range(5)]
    for i, d in enumerate(made):
        type(d).objects.filter(pk=d.pk).update(submitted_at=d.submitted_at - dt.timedelta(days=3 * i))
    newest = [reverse("deviations:detail", args=[d.pk]) for d in made[:3]]
    for actor in (quality_director, regional_director_a, supervisor_a):
        hits = deviation_search(actor=actor, query=search_query("lääkkeen viivästyi"), limit=3)
        assert sorted(h.link for h in hits) == sorted(newest), actor
    assert deviation_search(actor=quality_director, query=search_query("lääkkeen ovi"), limit=3) == []


def test_the_database_path_is_the_vendors(texts):
    q = textsearch.text_match_q(("description",), search_query("lääkkeen"))
    sql = str(type(texts["a_door"]).objects.filter(q).query)
    if connection.vendor == "postgresql":
        assert "to_tsvector" in sql and "@@" in sql
    else:
        assert "LIKE" in sql and textsearch.SQLITE_LOWER in sql


def test_the_stems_and_keys():
    q = search_query("  Lääkkeen   väkivallan ja  ")
    assert q.text == "Lääkkeen väkivallan ja"
    assert q.stems == ["lääk", "väkival", "ja"]
    assert textsearch.match_terms(q) == [["lääk"], ["väkiva"]]
    assert textsearch.match_terms(search_query("lääke")) == [["lääk", "lääke"]]
    assert search_query("ja on").is_empty and textsearch.match_terms(search_query("ja on")) == []


def test_the_terms_are_kept_on_the_query_for_its_page():
    """A page's hits ask for the terms of one query many times: they are kept on
    the query, a caller's change to its copy does not reach the next, and a
    query whose words change gets new terms."""
    from types import SimpleNamespace

    q = search_query("lääkkeen")
    textsearch.match_terms(q)[0].append("xyz")
    assert textsearch.match_terms(q) == [["lääk"]]
    other = SimpleNamespace(text="ovesta", stems=["ove"])
    assert textsearch.match_terms(other) == [["ove"]]
    other.text, other.stems = "lääkkeen", ["lääk"]
    assert textsearch.match_terms(other) == [["lääk"]]


def test_each_area_finds_its_records(texts, quality_director):
    found = _found(quality_director, "lääkkeiden")
    assert set(found) == {"deviations", "actions", "minutes", "guidance"}
    assert found["actions"] == ["Lääkehoitosuunnitelman päivitys · Lastenkoti Koivu (Open)"]
    assert "Tiimipalaveri: Lääkkeenjaon kaksoistarkistus" in found["minutes"]
    assert found["guidance"][0].startswith("Ohje lääkkeiden säilytyksestä")
    assert set(_found(quality_director, "lääke", area="guidance")) == {"guidance"}


def test_a_supervisor_never_finds_another_units_case(texts, supervisor_a, supervisor_b, regional_director_a):
    a_report = reverse("deviations:detail", args=[texts["a_medicine"].pk])
    b_report = reverse("deviations:detail", args=[texts["b_medicines"].pk])
    assert a_report in _numbers(supervisor_a, "lääke") and b_report not in _numbers(supervisor_a, "lääke")
    # Supervisor B reported B's case, and sees only B's.
    assert _numbers(supervisor_b, "lääke") == {b_report}
    assert set(_found(supervisor_b, "lääke")) == {"deviations"}
    # The regional director of A's region: A's report, not B's.
    assert b_report not in _numbers(regional_director_a, "lääke") and a_report in _numbers(regional_director_a, "lääke")


def test_a_kind_limited_role_finds_only_its_kind(texts, safety_manager, unit_a, employee_a):
    violent = report(employee_a, unit_a, "Uhkaava tilanne, lääke heitettiin lattialle.", kind="threat_or_violence",
                     violence_target="staff")
    assert _numbers(safety_manager, "lääke") == {reverse("deviations:detail", args=[violent.pk])}


def test_a_protected_reporter_is_never_in_a_snippet(unit_a, quality_director, responsible_a):
    reporter = member(Role.EMPLOYEE, unit=unit_a, full_name="Pekka Ilmoittaja", email="pekka@omavalvonta.example")
    grievance = report(
        reporter, unit_a, "Minä, Pekka Ilmoittaja, näin että lääke jäi antamatta kolme iltaa peräkkäin.",
        kind="grievance",
    )
    for reader in (quality_director, responsible_a):
        hits = deviation_search(actor=reader, query=search_query("lääkkeen"))
        assert [h.link for h in hits] == [reverse("deviations:detail", args=[grievance.pk])]
        assert "Pekka" not in hits[0].snippet and "Ilmoittaja" not in hits[0].snippet
        assert "lääke jäi antamatta" in hits[0].snippet
    # The reporter sees their own words.
    assert "Pekka Ilmoittaja" in deviation_search(actor=reporter, query=search_query("lääke"))[0].snippet


def test_reads_are_logged_one_row_per_area_with_results(client, texts, quality_director):
    client.force_login(quality_director)
    before = AccessLogEntry.objects.count()
    response = client.get(reverse("search:search"), {"q": "lääkkeen"}, REMOTE_ADDR="192.0.2.9")
    assert response.status_code == 200
    rows = list(AccessLogEntry.objects.order_by("pk")[before:])
    assert sorted(r.what for r in rows) == ["action.search", "deviation.search", "guidance.search", "meeting.search"]
    assert {r.detail for r in rows} == {"q=l%C3%A4%C3%A4kkeen"}
    assert {r.ip_address for r in rows} == {"192.0.2.9"} and {r.actor_id for r in rows} == {quality_director.pk}
    # Nothing found: nothing read, nothing logged.
    client.get(reverse("search:search"), {"q": "kirahvi"})
    assert AccessLogEntry.objects.count() == before + 4


def test_the_page_shows_results_and_says_when_nothing_is_found(client, texts, supervisor_a):
    client.force_login(supervisor_a)
    page = client.get(reverse("search:search"), {"q": "lääkkeitä"}).content.decode()
    assert "Lapsi sai väärän lääkkeen iltavuorossa." in page and "Kaapista puuttui" not in page
    assert reverse("deviations:detail", args=[texts["a_medicine"].pk]) in page
    page = client.get(reverse("search:search"), {"q": "kirahvi"}).content.decode()
    assert "Nothing found for “kirahvi”" in page


@pytest.mark.parametrize(
    "params, message",
    [
        ({"q": "ja on"}, "at least three letters"),
        ({"q": "x" * 201}, "at most 200 characters"),
        ({"q": "lääke", "alue": "nowhere"}, "Select a valid choice"),
    ],
)
def test_bad_input_is_a_clear_message_and_keeps_the_text(client, texts, quality_director, params, message):
    client.force_login(quality_director)
    response = client.get(reverse("search:search"), params)
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page and f'value="{params["q"]}"' in page


def test_only_those_with_the_right_may_search(client, employee_a, texts):
    client.force_login(employee_a)
    assert client.get(reverse("search:search"), {"q": "lääke"}).status_code == 403
    assert search_run(actor=employee_a, query=search_query("lääke")) == []


def test_the_search_page_reads_a_fixed_number_of_queries(client, django_assert_max_num_queries, texts, unit_a, unit_b,
                                                          employee_a, supervisor_b, quality_director):
    client.force_login(quality_director)
    url = reverse("search:search") + "?q=l%C3%A4%C3%A4ke"
    client.get(url)
    with django_assert_max_num_queries(15) as few:
        client.get(url)
    for i in range(15):
        report(*((employee_a, unit_a) if i % 2 else (supervisor_b, unit_b)), f"Lääkkeen jako {i} myöhästyi.")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.content.decode().count("myöhästyi") >= 15


def test_a_regional_directors_search_names_the_region_not_its_units(client, django_assert_max_num_queries, texts,
                                                                    regional_director_a, quality_director):
    """The kernel's compact scope: a regional director's statements read the
    region's units themselves (no list of the units' ids read first and
    repeated in each area's statement), in no more queries than the quality
    director's search."""
    url = reverse("search:search") + "?q=l%C3%A4%C3%A4ke"
    client.force_login(quality_director)
    client.get(url)
    with django_assert_max_num_queries(15) as organisation:
        client.get(url)
    budget = len(organisation.captured_queries)  # read now: the next request empties the log
    client.force_login(regional_director_a)
    client.get(url)
    with django_assert_max_num_queries(budget) as region:
        response = client.get(url)
    assert response.status_code == 200
    sqls = [q["sql"] for q in region.captured_queries]
    assert not any(s.startswith('SELECT "organisation_unit"."id" AS "pk" FROM "organisation_unit"') for s in sqls)
    assert sum('U0."region_id" = ' in s for s in sqls) >= 3


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the GIN index exists on PostgreSQL only")
def test_the_deviation_search_uses_the_gin_index_of_word_beginnings(texts):
    from omavalvonta.deviations.models import Deviation
    from omavalvonta.deviations.search import deviation_beginnings_match

    match = deviation_beginnings_match(search_query("lääkkeen ilta"))
    with connection.cursor() as cursor:
        # With a handful of rows the planner may walk any index in order: leave it
        # only bitmap scans, which need an index that answers the condition.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
    assert "search_deviation_beginnings" in Deviation.objects.filter(match).explain()
    # Exact beginnings find what the prefix terms find.
    assert list(Deviation.objects.filter(match)) == [texts["a_medicine"]]
