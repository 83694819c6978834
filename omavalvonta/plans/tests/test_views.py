import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from omavalvonta.organisation.models import Role
from omavalvonta.plans import services
from omavalvonta.plans.models import PlanVersion, VersionState
from omavalvonta.plans.tests.helpers import approved_plan, fill_required
from omavalvonta.testing.factories import UnitFactory, member

pytestmark = pytest.mark.django_db

SS = "omavalvontasuunnitelma"
GT = "hyvan-kohtelun-suunnitelma"


def test_supervisor_starts_a_draft_and_edits_a_section(client, supervisor_a, unit_a):
    client.force_login(supervisor_a)
    response = client.post(reverse("plans:draft_start", args=[unit_a.pk, SS]))
    draft = PlanVersion.objects.get(unit=unit_a)
    assert response.url == draft.get_absolute_url()
    section = draft.sections.get(key="henkilosto")
    url = reverse("plans:section", args=[draft.pk, section.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"text": "Seitsemän ohjaajaa ja esihenkilö."})
    assert response.status_code == 302
    section.refresh_from_db()
    assert section.text == "Seitsemän ohjaajaa ja esihenkilö."
    page = client.get(draft.get_absolute_url())
    assert "Seitsemän ohjaajaa ja esihenkilö." in page.content.decode()


def test_too_long_section_text_keeps_what_was_typed(client, supervisor_a, unit_a):
    draft = services.plan_draft_start(actor=supervisor_a, unit=unit_a)
    section = draft.sections.get(key="henkilosto")
    client.force_login(supervisor_a)
    text = "x" * (services.TEXT_MAX + 1)
    response = client.post(reverse("plans:section", args=[draft.pk, section.pk]), {"text": text})
    assert response.status_code == 200
    assert "too long" in response.content.decode()
    assert text in response.content.decode()


def test_responsible_person_approves_through_the_page(client, supervisor_a, responsible_a, unit_a):
    draft = services.plan_draft_start(actor=supervisor_a, unit=unit_a)
    fill_required(draft, supervisor_a)
    client.force_login(responsible_a)
    url = reverse("plans:approve", args=[draft.pk])
    response = client.post(url, {"change_summary": ""})
    assert response.status_code == 200  # required summary missing: the form again
    response = client.post(url, {"change_summary": "Päivitetty henkilöstö"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.state == VersionState.APPROVED


def test_approval_with_missing_sections_shows_what_is_missing(client, supervisor_a, responsible_a, unit_a):
    draft = services.plan_draft_start(actor=supervisor_a, unit=unit_a)
    client.force_login(responsible_a)
    response = client.post(reverse("plans:approve", args=[draft.pk]), {"change_summary": "Valmis"})
    assert response.status_code == 200
    assert "has no text" in response.content.decode()
    assert "Valmis" in response.content.decode()


def test_supervisor_may_not_approve(client, supervisor_a, unit_a):
    draft = services.plan_draft_start(actor=supervisor_a, unit=unit_a)
    client.force_login(supervisor_a)
    assert client.get(reverse("plans:approve", args=[draft.pk])).status_code == 403


def test_editing_an_approved_version_is_refused(client, supervisor_a, responsible_a, unit_a):
    version = approved_plan(unit_a, supervisor_a, responsible_a)
    section = version.sections.get(key="henkilosto")
    client.force_login(supervisor_a)
    response = client.post(reverse("plans:section", args=[version.pk, section.pk]), {"text": "Muutos"})
    assert response.status_code == 302
    section.refresh_from_db()
    assert section.text != "Muutos"


def test_other_unit_gets_404_for_a_version(client, supervisor_a, responsible_a, unit_a, supervisor_b):
    version = approved_plan(unit_a, supervisor_a, responsible_a)
    client.force_login(supervisor_b)
    assert client.get(version.get_absolute_url()).status_code == 404
    assert client.get(reverse("plans:plan", args=[unit_a.pk, SS])).status_code == 404


def test_review_without_changes_through_the_page(client, supervisor_a, responsible_a, unit_a):
    approved_plan(unit_a, supervisor_a, responsible_a)
    client.force_login(responsible_a)
    url = reverse("plans:review", args=[unit_a.pk, SS])
    assert client.post(url, {"note": ""}).status_code == 200
    response = client.post(url, {"note": "Käyty läpi, ei muutoksia."})
    assert response.status_code == 302
    assert PlanVersion.objects.filter(unit=unit_a, is_review_only=True, state=VersionState.APPROVED).count() == 1


def test_compare_page_shows_both_versions(client, supervisor_a, responsible_a, unit_a):
    approved_plan(unit_a, supervisor_a, responsible_a)
    draft = services.plan_draft_start(actor=supervisor_a, unit=unit_a)
    services.plan_section_save(actor=supervisor_a, section=draft.sections.get(key="henkilosto"), text="Uusi teksti")
    client.force_login(supervisor_a)
    response = client.get(reverse("plans:compare", args=[unit_a.pk, SS]))
    assert response.status_code == 200
    assert "<ins>Uusi teksti</ins>" in response.content.decode()
    # A malformed choice is not an error page.
    assert client.get(reverse("plans:compare", args=[unit_a.pk, SS]) + "?a=x&b=99").status_code == 200


def test_good_treatment_plan_page_of_an_open_care_unit_is_404(client, supervisor_a, unit_a):
    unit_a.service_type = "open_care"
    unit_a.save()
    client.force_login(supervisor_a)
    assert client.get(reverse("plans:plan", args=[unit_a.pk, GT])).status_code == 404
    assert client.get(reverse("plans:plan", args=[unit_a.pk, "tuntematon"])).status_code == 404


def test_template_page_is_for_the_quality_director(client, quality_director, supervisor_a):
    client.force_login(supervisor_a)
    assert client.get(reverse("plans:template")).status_code == 403
    client.force_login(quality_director)
    assert client.get(reverse("plans:template")).status_code == 200
    response = client.post(reverse("plans:template_new"), {"kind": "self_supervision", "title": "", "order": "5"})
    assert response.status_code == 200
    response = client.post(reverse("plans:template_new"), {
        "kind": "self_supervision", "number": "2.12", "title": "Väkivallan ennaltaehkäisy", "order": "115",
        "required": "on", "is_active": "on",
    })
    assert response.status_code == 302


def test_plan_list_query_count_does_not_grow_with_units(client, quality_director, region_a, supervisor_a, responsible_a, unit_a):
    with time_machine.travel(dt.datetime(2026, 1, 5, 10, tzinfo=dt.UTC)):
        approved_plan(unit_a, supervisor_a, responsible_a)
    client.force_login(quality_director)
    client.get(reverse("plans:list"))
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("plans:list")).status_code == 200
    for _ in range(5):
        unit = UnitFactory(region=region_a)
        writer = member(Role.SUPERVISOR, unit=unit)
        approver = member(Role.RESPONSIBLE_PERSON, unit=unit)
        approved_plan(unit, writer, approver)
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("plans:list"))
    assert response.status_code == 200
    assert len(many) == len(few)


def test_send_for_approval_through_the_page(client, supervisor_a, responsible_a, unit_a):
    draft = services.plan_draft_start(actor=supervisor_a, unit=unit_a)
    client.force_login(supervisor_a)
    url = reverse("plans:request_approval", args=[draft.pk])
    response = client.post(url, follow=True)
    assert "has no text" in response.content.decode()  # refused: what is missing is shown
    fill_required(draft, supervisor_a)
    response = client.post(url, follow=True)
    assert "asked to approve" in response.content.decode()
    assert client.get(url).status_code == 405
