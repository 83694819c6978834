import io

import pytest
from django.core.cache import cache, caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from omavalvonta.deviations.services import deviation_submit
from omavalvonta.organisation.models import Role
from omavalvonta.plans import programme, services
from omavalvonta.plans.tests.helpers import approved_plan
from omavalvonta.testing.factories import UnitFactory, deviation_kwargs, member

pytestmark = pytest.mark.django_db

SS = "omavalvontasuunnitelma"
GT = "hyvan-kohtelun-suunnitelma"


@pytest.fixture
def published(unit_a, supervisor_a, responsible_a, employee_a, colleague_a):
    deviation_submit(actor=colleague_a, **deviation_kwargs(unit_a, description="Lapsi Matti M. löi ohjaajaa."))
    first = approved_plan(unit_a, supervisor_a, responsible_a, summary="Ensimmäinen versio")
    draft = services.plan_draft_start(actor=supervisor_a, unit=unit_a)
    services.plan_section_save(actor=supervisor_a, section=draft.sections.get(key="laatuvaatimukset"),
                               text="LUONNOSTEKSTI jota ei ole hyväksytty")
    return first


def test_index_lists_units_with_an_approved_plan_by_region(client, published, unit_a, unit_b):
    response = client.get(reverse("public:plans_index"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Lastenkoti Koivu" in body and "Pirkanmaa" in body
    assert "Lastenkoti Mänty" not in body  # no approved plan


def test_unit_page_shows_the_approved_version_and_never_the_draft(client, published, unit_a):
    response = client.get(reverse("public:plans_unit", args=[unit_a.public_slug]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Kuvaus yksikön käytännöistä. (laatuvaatimukset)" in body
    assert "LUONNOSTEKSTI" not in body
    assert "Veikko Vastuuhenkilö" in body  # the named responsible person
    # No other staff, no client data, no guidance for writers.
    for secret in ("Sari Esihenkilö", "Eeva Työntekijä", "Kalle Kollega", "Matti M.", "sari@omavalvonta.example"):
        assert secret not in body, secret
    assert "Ensimmäinen versio" in body
    assert reverse("public:plans_unit_pdf", args=[unit_a.public_slug, SS]) in body


def test_unit_without_an_approved_plan_is_404(client, unit_a, supervisor_a):
    services.plan_draft_start(actor=supervisor_a, unit=unit_a)
    assert client.get(reverse("public:plans_unit", args=[unit_a.public_slug])).status_code == 404
    assert client.get(reverse("public:plans_unit_pdf", args=[unit_a.public_slug, SS])).status_code == 404
    assert client.get(reverse("public:plans_unit", args=["ei-ole"])).status_code == 404


def test_unit_page_is_cacheable_and_revalidates(client, published, unit_a):
    url = reverse("public:plans_unit", args=[unit_a.public_slug])
    response = client.get(url)
    assert "public" in response["Cache-Control"] and "max-age=300" in response["Cache-Control"]
    assert "Set-Cookie" not in response.headers and not response.cookies
    again = client.get(url, HTTP_IF_MODIFIED_SINCE=response["Last-Modified"])
    assert again.status_code == 304


def test_unit_page_query_count_does_not_grow_with_versions(client, published, unit_a, supervisor_a, responsible_a):
    url = reverse("public:plans_unit", args=[unit_a.public_slug])
    client.get(url)
    cache.clear()  # the rendered page is kept: count the queries of rendering it
    caches["process"].clear()
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    services.plan_draft_discard(actor=responsible_a, version=unit_a.plans.get().versions.get(state="draft"))
    for i in range(3):
        services.plan_review_record(actor=responsible_a, unit=unit_a, note=f"Tarkistus {i}")
    approved_plan(unit_a, supervisor_a, responsible_a, kind="good_treatment")
    cache.clear()
    caches["process"].clear()
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.status_code == 200
    assert len(many) == len(few)


def test_index_query_count_does_not_grow_with_units(client, published, region_a):
    url = reverse("public:plans_index")
    client.get(url)
    cache.clear()  # the rendered page is kept: count the queries of rendering it
    caches["process"].clear()
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(4):
        unit = UnitFactory(region=region_a)
        approved_plan(unit, member(Role.SUPERVISOR, unit=unit), member(Role.RESPONSIBLE_PERSON, unit=unit))
    cache.clear()
    caches["process"].clear()
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_pdf_contains_the_plan_text_version_and_approver(client, published, unit_a):
    response = client.get(reverse("public:plans_unit_pdf", args=[unit_a.public_slug, SS]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    flat = " ".join(text.split())
    assert "Kuvaus yksikön käytännöistä. (laatuvaatimukset)" in flat
    assert "Veikko Vastuuhenkilö" in flat
    assert "LUONNOSTEKSTI" not in flat
    assert "1 /" in flat  # page numbers


def test_good_treatment_plan_with_the_child_friendly_version_is_public(client, unit_a, supervisor_a, responsible_a):
    approved_plan(unit_a, supervisor_a, responsible_a)
    approved_plan(unit_a, supervisor_a, responsible_a, kind="good_treatment")
    body = client.get(reverse("public:plans_unit", args=[unit_a.public_slug])).content.decode()
    assert "Sinua kohdellaan hyvin." in body
    assert "Talokokous ja omat keskustelut." in body
    assert client.get(reverse("public:plans_unit_pdf", args=[unit_a.public_slug, GT])).status_code == 200


def test_programme_page_shows_only_approved_programme_and_published_reports(client, quality_director):
    import datetime as dt

    assert client.get(reverse("public:plans_programme")).status_code == 404
    draft = programme.programme_draft_save(actor=quality_director, text="Ohjelman teksti.", change_summary="Uusi")
    programme.programme_approve(actor=quality_director, version=draft)
    programme.programme_draft_save(actor=quality_director, text="KESKENERÄINEN ohjelma", change_summary="x")
    report = programme.followup_report_create(actor=quality_director, period_start=dt.date(2026, 1, 1),
                                              period_end=dt.date(2026, 4, 30))
    body = client.get(reverse("public:plans_programme")).content.decode()
    assert "Ohjelman teksti." in body and "KESKENERÄINEN" not in body
    assert reverse("public:plans_report", args=[report.pk]) not in body
    assert client.get(reverse("public:plans_report", args=[report.pk])).status_code == 404
    programme.followup_report_findings_save(actor=quality_director, report=report, findings="Havainnot", measures="Toimet")
    programme.followup_report_approve(actor=quality_director, report=report)
    assert client.get(reverse("public:plans_report", args=[report.pk])).status_code == 404
    programme.followup_report_publish(actor=quality_director, report=report)
    response = client.get(reverse("public:plans_report", args=[report.pk]))
    assert response.status_code == 200 and "Havainnot" in response.content.decode()


def test_public_pages_refuse_posts(client, published, unit_a):
    assert client.post(reverse("public:plans_unit", args=[unit_a.public_slug])).status_code == 405


def test_renaming_the_unit_changes_last_modified(client, published, unit_a):
    import datetime as dt

    import time_machine

    url = reverse("public:plans_unit", args=[unit_a.public_slug])
    first = client.get(url)["Last-Modified"]
    with time_machine.travel(dt.timedelta(hours=1)):
        unit_a.name = "Lastenkoti Koivula"
        unit_a.save()  # as the unit's edit page does: the page kept in memory is forgotten at once
        response = client.get(url, HTTP_IF_MODIFIED_SINCE=first)
    assert response.status_code == 200 and "Lastenkoti Koivula" in response.content.decode()


def test_the_rendered_pages_are_kept_until_the_next_approval(client, published, unit_a, region_a, supervisor_a, responsible_a):
    unit_url = reverse("public:plans_unit", args=[unit_a.public_slug])
    index_url = reverse("public:plans_index")
    first = client.get(unit_url).content.decode()
    client.get(index_url)
    with CaptureQueriesContext(connection) as kept:
        again = client.get(unit_url)
    assert again.content.decode() == first
    assert not any("plans_plansection" in q["sql"] for q in kept.captured_queries)  # read from the cache
    # A new approval: a new page at once (the review is a new approved version).
    services.plan_draft_discard(actor=responsible_a, version=unit_a.plans.get().versions.get(state="draft"))
    services.plan_review_record(actor=responsible_a, unit=unit_a, note="Tarkistus")
    assert client.get(unit_url).content.decode() != first
    # A unit's first approved plan appears in the kept index at once.
    unit = UnitFactory(region=region_a, name="Uusi yksikkö (testi)")
    approved_plan(unit, member(Role.SUPERVISOR, unit=unit), member(Role.RESPONSIBLE_PERSON, unit=unit))
    assert "Uusi yksikkö (testi)" in client.get(index_url).content.decode()


def test_a_page_read_again_costs_no_query_and_still_revalidates(client, published, unit_a, django_assert_num_queries):
    """The public plan pages answer from the worker's own memory (issue 13: as
    fast as the front page), with the same Last-Modified and 304 as the first time."""
    unit_url = reverse("public:plans_unit", args=[unit_a.public_slug])
    index_url = reverse("public:plans_index")
    first = client.get(unit_url)
    client.get(index_url)
    with django_assert_num_queries(0):
        again = client.get(unit_url)
        client.get(index_url)
        not_modified = client.get(unit_url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert again.status_code == 200 and again.content == first.content
    assert again["Last-Modified"] == first["Last-Modified"] and "max-age=300" in again["Cache-Control"]
    assert not_modified.status_code == 304
    assert client.post(unit_url).status_code == 405


def test_other_workers_copies_expire_within_seconds(client, published, unit_a):
    """A change that reached this worker without a save it hears of (another
    worker's approval) shows once the kept copy expires."""
    import datetime as dt

    import time_machine

    from omavalvonta.public.views.plans import PROCESS_KEEP_SECONDS

    url = reverse("public:plans_unit", args=[unit_a.public_slug])
    client.get(url)
    type(unit_a).objects.filter(pk=unit_a.pk).update(name="Lastenkoti Koivula", updated_at=unit_a.updated_at + dt.timedelta(hours=1))
    assert "Lastenkoti Koivula" not in client.get(url).content.decode()
    with time_machine.travel(dt.timedelta(seconds=PROCESS_KEEP_SECONDS + 1)):
        assert "Lastenkoti Koivula" in client.get(url).content.decode()
