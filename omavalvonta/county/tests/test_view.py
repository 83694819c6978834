"""The county's own view: only its units and the notifications sent to it;
another county's is 404; members of staff are refused; every read is logged."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from omavalvonta.core.models import AccessLogEntry
from omavalvonta.deviations.models import Deviation
from omavalvonta.organisation import services as org_services
from omavalvonta.organisation.models import Role
from omavalvonta.testing.factories import member

pytestmark = pytest.mark.django_db


def test_the_county_sees_its_units_and_notifications_only(client, county_person, report_x, grievance_x, report_y):
    client.force_login(county_person)
    page = client.get(reverse("county:home"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Lastenkoti Kataja" in html and report_x.number in html and grievance_x.number in html
    assert "Lastenkoti Pihlaja" not in html and report_y.number not in html
    listing = client.get(reverse("county:notifications")).content.decode()
    assert report_x.number in listing and report_y.number not in listing


def test_no_child_or_reporter_is_named(client, county_person, report_x):
    client.force_login(county_person)
    html = client.get(reverse("county:notification", args=[report_x.pk])).content.decode()
    assert report_x.number in html and "Kataja: puute hoidossa" in html
    assert report_x.reporter.full_name not in html
    assert report_x.description not in html


def test_another_countys_notification_and_unit_are_404(client, county_person, report_y, unit_y):
    client.force_login(county_person)
    assert client.get(reverse("county:notification", args=[report_y.pk])).status_code == 404
    assert client.get(reverse("county:unit", args=[unit_y.pk])).status_code == 404
    assert client.get(reverse("county:notification", args=[999999])).status_code == 404


def test_a_unit_where_the_county_has_children_placed_concerns_it(client, county_person, county_x, unit_y):
    from omavalvonta.clients.services import placement_create
    from omavalvonta.testing.factories import placement_kwargs

    supervisor = member(Role.SUPERVISOR, unit=unit_y)
    placement_create(actor=supervisor, unit=unit_y, **placement_kwargs(county=county_x))
    client.force_login(county_person)
    assert client.get(reverse("county:unit", args=[unit_y.pk])).status_code == 200
    assert "Lastenkoti Pihlaja" in client.get(reverse("county:home")).content.decode()


def test_staff_have_no_county_view(client, unit_x):
    for role in (Role.QUALITY_DIRECTOR, Role.ADMINISTRATOR):
        client.force_login(member(role))
        assert client.get(reverse("county:home")).status_code == 403
    client.force_login(member(Role.SUPERVISOR, unit=unit_x))
    assert client.get(reverse("county:home")).status_code == 403


def test_signed_out_goes_to_sign_in(client):
    response = client.get(reverse("county:home"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_revoked_access_is_refused(client, admin, county_person):
    grant = county_person.county_accesses.get()
    org_services.county_access_revoke(actor=admin, grant=grant)
    client.force_login(county_person)
    assert client.get(reverse("county:home")).status_code == 403


def test_the_home_page_of_a_county_person_is_the_county_view(client, county_person):
    client.force_login(county_person)
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"] == reverse("county:home")


def test_every_read_is_logged(client, county_person, report_x, unit_x):
    client.force_login(county_person)
    before = AccessLogEntry.objects.count()
    client.get(reverse("county:home"))
    client.get(reverse("county:notifications"))
    client.get(reverse("county:notification", args=[report_x.pk]))
    client.get(reverse("county:unit", args=[unit_x.pk]))
    rows = list(AccessLogEntry.objects.order_by("pk")[before:])
    assert [r.what for r in rows] == ["county.home", "county.notifications", "county.notification", "county.unit"]
    assert all(r.actor == county_person and r.right == "county.view" for r in rows)
    assert (rows[2].target_type, rows[2].target_id) == (ContentType.objects.get_for_model(Deviation), report_x.pk)


def test_a_bad_period_says_so_and_shows_the_default(client, county_person):
    client.force_login(county_person)
    response = client.get(reverse("county:home"), {"alkaen": "2026-05-01", "asti": "2026-01-01"})
    assert response.status_code == 200
    assert "The period ends before it starts." in response.content.decode()
    response = client.get(reverse("county:home"), {"alkaen": "ei päivä"})
    assert response.status_code == 200


def test_the_notification_records_its_county(report_x, county_x):
    assert set(report_x.statutory_notifications.values_list("county_id", flat=True)) == {county_x.pk}


@pytest.mark.parametrize("extra", [0, 6])
def test_the_county_pages_take_a_fixed_number_of_queries(
    client, settings, county_person, unit_x, county_x, extra, django_assert_max_num_queries
):
    """The database's own queries (the figures' run and the figures kept in it
    live in the shared cache: a database table without Redis, counted apart here)."""
    from omavalvonta.county.tests.conftest import _notified

    settings.CACHES = {**settings.CACHES, "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    for _i in range(extra):
        _notified(unit_x, county_x)
    client.force_login(county_person)
    for url in (reverse("county:home"), reverse("county:notifications"), reverse("county:unit", args=[unit_x.pk])):
        with django_assert_max_num_queries(13):
            assert client.get(url).status_code == 200
    # Within the run of the figures' job the home computes none of them.
    with django_assert_max_num_queries(10):
        assert client.get(reverse("county:home")).status_code == 200


def test_the_learning_summaries_shared_with_the_countys_units_are_shown(client, county_person, unit_x, quality_director):
    """Issue 19 item 5: the county sees the learning summaries shared with its
    units (all units, or the service type of one of them), not the others."""
    from django.utils import timezone

    from omavalvonta.learning.models import LearningReview, LearningSummary
    from omavalvonta.organisation.models import ServiceType

    def summary(title, text, service_type=""):
        review = LearningReview.objects.create(
            unit=None, title=title, facilitator=quality_director, opened_by=quality_director,
            due_date=timezone.localdate(),
        )
        return LearningSummary.objects.create(
            review=review, unit=None, title=title, text=text, written_by=quality_director,
            shared_at=timezone.now(), shared_by=quality_director, service_type=service_type,
        )

    other = next(t for t in ServiceType.values if t != unit_x.service_type)
    summary("Iltalääkkeet", "Lääkelista vuoronvaihdon kansioon kaikissa yksiköissä.")
    summary("Avohuollon kotikäynnit", "Kotikäynnit kahdestaan.", service_type=other)
    client.force_login(county_person)
    html = client.get(reverse("county:home")).content.decode()
    assert 'data-list="county-learning"' in html and "Lääkelista vuoronvaihdon kansioon" in html
    assert "Kotikäynnit kahdestaan." not in html


def _tally(unit, n, *, promoters=0, detractors=0, group="child"):
    """The feedback tallies of `unit` this month: `n` answers of a group (children)."""
    from django.utils import timezone

    from omavalvonta.feedback.models import Group, Tally

    month = timezone.localdate().replace(day=1)
    Tally.objects.create(
        unit=unit, region=unit.region, service_type=unit.service_type, year=month.year,
        quarter=(month.month - 1) // 3 + 1, month=month, group=Group(group), key="", n=n,
        nps_answered=n, promoters=promoters, detractors=detractors,
    )


def test_the_home_shows_each_units_figures_in_its_table_of_units(client, county_person, unit_x, county_x):
    """The county's units a page at a time, each with its answers and NPS (a
    group under five hidden); the figures of all the units together above,
    without a second table of every unit."""
    from omavalvonta.testing.factories import UnitFactory

    small = UnitFactory(region=unit_x.region, name="Lastenkoti Vaahtera", counties=[county_x])
    quiet = UnitFactory(region=unit_x.region, name="Lastenkoti Tammi", counties=[county_x])
    _tally(unit_x, 8, promoters=6, detractors=1)
    _tally(small, 3, promoters=3)
    client.force_login(county_person)
    response = client.get(reverse("county:home"))
    figures = {u.name: u.figures["feedback"] for u in response.context["units"]}
    assert figures[unit_x.name]["n"] == 8 and figures[unit_x.name]["nps"] == 62
    assert figures[small.name]["n"] is None and figures[small.name]["nps"] is None
    assert figures[quiet.name] is None
    feedback = next(s for s in response.context["sections"] if s["name"] == "feedback")
    assert feedback["figures"]["total"]["n"] == 11 and "by_unit" not in feedback["figures"]
    html = response.content.decode()
    assert html.count(unit_x.name) == 1  # in the table of units only, not in a table of the figures again
    # The unit's own page still has its figures in the area's table.
    unit_html = client.get(reverse("county:unit", args=[unit_x.pk])).content.decode()
    assert unit_html.count(unit_x.name) >= 3


def test_the_figures_are_kept_for_the_run_of_the_job(client, county_person, unit_x, county_x, token_x):
    """The home and the API compute a county's figures once per run of the
    job (county.figures): new answers show after the next run, and the page
    says when the figures were computed. A unit that starts to concern the
    county counts at once (the units are in the key)."""
    from omavalvonta.core import jobs
    from omavalvonta.county import figures
    from omavalvonta.testing.factories import UnitFactory

    assert {j.name: j for j in jobs.registered()}["county.figures"].func is figures.refresh
    _tally(unit_x, 6)
    client.force_login(county_person)

    def answers():
        response = client.get(reverse("county:home"))
        assert response.context["computed_at"] is not None
        return next(s for s in response.context["sections"] if s["name"] == "feedback")["figures"]["total"]["n"]

    def api_answers():
        _token, raw = token_x
        body = client.get("/api/v1/county/figures", HTTP_AUTHORIZATION=f"Bearer {raw}").json()
        assert body["computed_at"]
        return next(s for s in body["sections"] if s["name"] == "feedback")["figures"]["total"]["n"]

    assert answers() == 6 and api_answers() == 6
    _tally(unit_x, 5, group="parent")
    assert answers() == 6 and api_answers() == 6
    figures.refresh()
    assert answers() == 11 and api_answers() == 11
    _tally(UnitFactory(region=unit_x.region, name="Lastenkoti Koivu", counties=[county_x]), 5)
    assert answers() == 16 and api_answers() == 16


def test_the_homes_newest_notifications_are_the_lists_first_ones(unit_x, county_x, report_y, county_y):
    """The home's newest five are chosen before the messages are grouped: the
    same rows as the top of the whole list, and never another county's."""
    from omavalvonta.county import selectors
    from omavalvonta.county.tests.conftest import _notified

    for _i in range(7):
        _notified(unit_x, county_x)
    whole = list(selectors.notifications(county=county_x))
    assert len(whole) == 7
    for newest in (1, 5, 9):
        assert list(selectors.notifications(county=county_x, newest=newest)) == whole[:newest]
    assert {row["deviation_id"] for row in selectors.notifications(county=county_y, newest=5)} == {report_y.pk}
    with pytest.raises(ValueError):
        selectors.notifications(county=county_x, unit_id=unit_x.pk, newest=5)


def test_the_home_links_the_published_follow_up_reports_without_reading_their_figures(client, settings, county_person, admin):
    """The home reads the newest published reports' periods and dates only: a
    report's figures (hundreds of kilobytes) are not read, and no query a report."""
    import datetime as dt

    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from omavalvonta.county import selectors
    from omavalvonta.plans.models import FollowupReport, ReportState

    settings.CACHES = {**settings.CACHES, "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    client.force_login(county_person)
    client.get(reverse("county:home"))
    with CaptureQueriesContext(connection) as without_reports:
        client.get(reverse("county:home"))
    for year in (2023, 2024, 2025, 2026):
        FollowupReport.objects.create(
            period_start=dt.date(year, 1, 1), period_end=dt.date(year, 12, 31), state=ReportState.PUBLISHED,
            figures={"big": "x" * 1000}, created_by=admin, published_at=timezone.now(),
        )
    reports = selectors.newest_published_reports(3)
    assert [r.period_end.year for r in reports] == [2026, 2025, 2024]
    assert all("figures" in r.get_deferred_fields() for r in reports)
    with CaptureQueriesContext(connection) as with_reports:
        html = client.get(reverse("county:home")).content.decode()
    assert len(with_reports) == len(without_reports)
    assert "31.12.2026" in html and "31.12.2024" in html and "31.12.2023" not in html
