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


def test_the_overview_states_read_in_the_database_are_those_of_the_rows(quality_director, region_a):
    """The overview filters, counts and pages units by a review state computed
    in SQL; it must be the state each row shows (UnitPlanRow.review_state)."""
    from omavalvonta.plans import selectors
    from omavalvonta.plans.models import Plan, PlanKind

    today = dt.date(2026, 3, 1)
    own_and_good = {
        "no plan": (None, None),
        "never approved": ("never", None),
        "ok": (today + dt.timedelta(days=60), None),
        "due soon": (today + dt.timedelta(days=10), None),
        "overdue": (today - dt.timedelta(days=1), None),
        "good plan overdue": (today + dt.timedelta(days=60), today - dt.timedelta(days=3)),
        "good plan due": (today + dt.timedelta(days=60), today + dt.timedelta(days=21)),
        "good plan never approved": (today + dt.timedelta(days=60), "never"),
        "own none, good overdue": ("never", today - dt.timedelta(days=3)),
    }
    for name, dues in own_and_good.items():
        unit = UnitFactory(region=region_a, name=name)
        for kind, due in zip((PlanKind.SELF_SUPERVISION, PlanKind.GOOD_TREATMENT), dues, strict=True):
            if due is not None:
                Plan.objects.create(unit=unit, kind=kind, next_review_due=None if due == "never" else due)
    with time_machine.travel(dt.datetime(2026, 3, 1, 10, tzinfo=dt.UTC)):
        units, counts = selectors.plan_overview_units(actor=quality_director, filters={"region": region_a.pk})
        units = [u for u in units if u.name in own_and_good]
        rows = {r.unit.name: r.review_state for r in selectors.plan_rows(units)}
        assert {u.name: u.review for u in units} == rows
        assert rows == {
            "no plan": "none", "never approved": "none", "ok": "ok", "due soon": "due", "overdue": "overdue",
            "good plan overdue": "overdue", "good plan due": "due", "good plan never approved": "none",
            "own none, good overdue": "overdue",
        }
        assert counts["overdue"] == 3 and counts["due"] == 5
        overdue, _counts = selectors.plan_overview_units(actor=quality_director, filters={"review": "overdue"})
        assert sorted(u.name for u in overdue) == ["good plan overdue", "overdue", "own none, good overdue"]
        # The counts stay those of the whole scope when the list is filtered.
        assert _counts == counts


def test_the_overview_renders_one_page_of_units(client, quality_director, region_a):
    from omavalvonta.plans.views import PAGE_SIZE

    for i in range(PAGE_SIZE + 3):
        UnitFactory(region=region_a, name=f"Yksikkö {i:03d}")
    client.force_login(quality_director)
    response = client.get(reverse("plans:list"))
    assert len(response.context["rows"]) == PAGE_SIZE
    assert response.context["page"].paginator.count >= PAGE_SIZE + 3
    assert response.context["counts"]["none"] >= PAGE_SIZE + 3
