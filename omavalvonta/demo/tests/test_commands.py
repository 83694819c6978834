"""The demo and bench commands: refusals, --reset, --print-logins, the bench table."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from omavalvonta.demo import builder
from omavalvonta.deviations.models import Deviation
from omavalvonta.organisation.models import Organisation

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def _fingerprint():
    return list(
        Deviation.objects.order_by("submitted_at", "id").values_list(
            "kind", "state", "description", "unit__name", "reporter__email", "consequence", "is_anonymous"
        )
    )


def test_a_second_run_is_refused_and_reset_builds_the_same_organisation_again():
    run("load_demo", "--small")
    first = _fingerprint()
    with pytest.raises(CommandError, match="--reset"):
        run("load_demo", "--small")
    assert _fingerprint() == first
    out = run("load_demo", "--small", "--reset")
    assert "Removed the previous demo data" in out
    assert Organisation.objects.count() == 1
    # The same seed, the same organisation.
    assert _fingerprint() == first


def test_reset_refuses_to_wipe_an_organisation_that_is_not_the_demo():
    Organisation.objects.create(name="Oikea Palveluntuottaja Oy")
    with pytest.raises(CommandError, match="not demo data"):
        run("load_demo", "--reset")
    assert Organisation.objects.filter(name="Oikea Palveluntuottaja Oy").exists()


def test_print_logins_prints_every_role_and_builds_nothing(settings):
    settings.SITE_URL = "http://demo.example:8000"
    out = run("load_demo", "--print-logins")
    assert "http://demo.example:8000/" in out
    for _role, email, description in builder.DEMO_LOGINS:
        assert email in out
        assert description in out
    assert out.count(builder.DEMO_PASSWORD) == len(builder.DEMO_LOGINS)
    assert not Organisation.objects.exists()


def test_bench_smoke_prints_the_table():
    from omavalvonta.feedback.models import Survey

    # A transactional test run before this one flushes the question sets that a
    # migration made: the bench puts them back itself.
    Survey.objects.all().delete()
    out = run(
        "bench", "--units", "3", "--deviations", "50", "--requests", "3", "--staff-per-unit", "4", "--responses", "200"
    )
    assert "Database: SQLite" in out or "Database: PostgreSQL" in out
    assert "50 deviations" in out and "200 responses" in out and "years of measurements" in out
    for row in (
        "trivial page /oma/ (baseline)",
        "list, supervisor (1 unit)",
        "list, regional director",
        "list, quality director (all)",
        "detail, supervisor",
        "submit",
        "home, quality director",
        "feedback results, organisation (QD)",
        "feedback overview, quality director",
        "calendar late overview (QD)",
        "follow-up report page (QD)",
        "follow-up report compile (function)",
        "public feedback form",
        "public plan page of a unit",
        "child's page with outcomes (employee)",
        "unit effectiveness (supervisor)",
        "effectiveness, organisation (QD)",
        "report to the social worker (supervisor)",
    ):
        assert row in out
    assert "p95/baseline" in out
    assert "unexpected status" not in out


def test_bench_measures_the_trivial_page_beside_each_page():
    from omavalvonta.demo import bench

    calls = []
    samples, statuses, baseline = bench._time(
        4, lambda i: calls.append(("page", i)) or 200, baseline=lambda i: calls.append(("trivial", i))
    )
    # Each of the page's requests right after one of the trivial page's: the same minutes.
    assert calls == [(name, i) for i in range(4) for name in ("trivial", "page")]
    assert len(samples) == len(baseline) == 4 and statuses == {200}
    first = bench.Timing("trivial", [10.0] * 20, "200")
    paired = bench.Timing("page", [30.0] * 20, "200", baseline=[20.0] * 20)
    assert paired.ratio(first) == 1.5  # against its own minutes' trivial page, not the first
    assert bench.Timing("page", [30.0] * 20, "200").ratio(first) == 3.0
    table = "\n".join(bench.format_table([first, paired]))
    assert "baseline p95" in table and "1.50" in table
    assert bench.warnings_for([first, paired]) == []


def test_bench_refuses_a_database_with_another_organisation():
    Organisation.objects.create(name="Oikea Palveluntuottaja Oy")
    with pytest.raises(CommandError, match="DATABASE_URL"):
        run("bench", "--units", "3", "--deviations", "10", "--requests", "1")
