import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from omavalvonta.deviations.services import deviation_submit
from omavalvonta.organisation.models import ServiceType
from omavalvonta.plans import selectors, services
from omavalvonta.plans.models import Plan, PlanKind, PlanSection, PlanVersion, SectionTemplate, VersionState
from omavalvonta.plans.tests.helpers import approved_plan, fill_required
from omavalvonta.testing.factories import UnitFactory, deviation_kwargs

pytestmark = pytest.mark.django_db


def test_the_first_draft_starts_from_the_default_template(supervisor_a, unit_a):
    draft = services.plan_draft_start(actor=supervisor_a, unit=unit_a)
    keys = list(draft.sections.values_list("key", flat=True))
    assert keys[0] == "perustiedot"
    assert "ilmoittaminen" in keys and "valmius" in keys
    assert draft.number == 1 and draft.state == VersionState.DRAFT


def test_starting_again_returns_the_draft_in_progress(supervisor_a, employee_a, unit_a):
    first = services.plan_draft_start(actor=supervisor_a, unit=unit_a)
    assert services.plan_draft_start(actor=employee_a, unit=unit_a) == first


def test_staff_of_another_unit_cannot_start_a_draft(supervisor_b, unit_a):
    with pytest.raises(PermissionDenied):
        services.plan_draft_start(actor=supervisor_b, unit=unit_a)


def test_a_required_section_cannot_be_removed_but_an_optional_one_can(supervisor_a, unit_a):
    draft = services.plan_draft_start(actor=supervisor_a, unit=unit_a)
    required = draft.sections.get(key="laatuvaatimukset")
    with pytest.raises(ValidationError):
        services.plan_section_remove(actor=supervisor_a, section=required)
    services.plan_section_remove(actor=supervisor_a, section=draft.sections.get(key="ostopalvelut"))
    assert not draft.sections.filter(key="ostopalvelut").exists()
    assert [t.key for t in selectors.addable_sections(version=draft)] == ["ostopalvelut"]
    services.plan_section_add(actor=supervisor_a, version=draft, key="ostopalvelut")
    assert draft.sections.filter(key="ostopalvelut").exists()


def test_approval_needs_text_in_required_sections_and_a_summary(supervisor_a, responsible_a, unit_a):
    draft = services.plan_draft_start(actor=supervisor_a, unit=unit_a)
    with pytest.raises(ValidationError) as e:
        services.plan_version_approve(actor=responsible_a, version=draft, change_summary="Ensimmäinen versio")
    assert "has no text" in " ".join(e.value.messages)
    fill_required(draft, supervisor_a)
    with pytest.raises(ValidationError) as e:
        services.plan_version_approve(actor=responsible_a, version=draft, change_summary="  ")
    assert "change_summary" in e.value.error_dict


def test_only_the_responsible_person_approves(supervisor_a, responsible_a, unit_a):
    draft = services.plan_draft_start(actor=supervisor_a, unit=unit_a)
    fill_required(draft, supervisor_a)
    with pytest.raises(PermissionDenied):
        services.plan_version_approve(actor=supervisor_a, version=draft, change_summary="Uusi")
    version = services.plan_version_approve(actor=responsible_a, version=draft, change_summary="Uusi")
    assert version.state == VersionState.APPROVED
    assert version.approved_by == responsible_a


@time_machine.travel(dt.datetime(2026, 3, 10, 10, tzinfo=dt.UTC))
def test_approval_freezes_the_facts_and_sets_the_next_review_in_four_months(supervisor_a, responsible_a, unit_a, colleague_a):
    version = approved_plan(unit_a, supervisor_a, responsible_a)
    assert version.plan.next_review_due == dt.date(2026, 7, 10)
    assert version.facts["unit_details"]["unit"] == "Lastenkoti Koivu"
    assert version.facts["responsible_persons"] == [
        {"name": "Veikko Vastuuhenkilö", "title": "", "email": "veikko@omavalvonta.example", "phone": ""}
    ]
    # A deviation reported afterwards does not change what was approved.
    deviation_submit(actor=colleague_a, **deviation_kwargs(unit_a))
    version.refresh_from_db()
    assert version.facts["risks"]["total"] == 0


def test_an_approved_version_cannot_change_through_the_services(supervisor_a, responsible_a, unit_a):
    version = approved_plan(unit_a, supervisor_a, responsible_a)
    section = version.sections.get(key="laatuvaatimukset")
    with pytest.raises(ValidationError):
        services.plan_section_save(actor=supervisor_a, section=section, text="Muutettu jälkikäteen")
    with pytest.raises(ValidationError):
        services.plan_version_details_save(actor=supervisor_a, version=version, change_summary="Muutettu")
    with pytest.raises(ValidationError):
        services.plan_version_approve(actor=responsible_a, version=version, change_summary="Uudestaan")
    with pytest.raises(ValidationError):
        services.plan_draft_discard(actor=responsible_a, version=version)
    section.refresh_from_db()
    assert section.text != "Muutettu jälkikäteen"


def test_an_approved_version_cannot_change_even_when_saved_directly(supervisor_a, responsible_a, unit_a):
    version = approved_plan(unit_a, supervisor_a, responsible_a)
    loaded = PlanVersion.objects.get(pk=version.pk)
    loaded.change_summary = "Kirjoitettu ohi palveluiden"
    with pytest.raises(ValidationError):
        loaded.save()
    section = PlanSection.objects.filter(version=version).first()
    section.text = "Ohi palveluiden"
    with pytest.raises(ValidationError):
        section.save()
    assert PlanVersion.objects.get(pk=version.pk).change_summary != "Kirjoitettu ohi palveluiden"


def test_the_next_draft_starts_from_the_last_approved_version(supervisor_a, responsible_a, unit_a):
    first = approved_plan(unit_a, supervisor_a, responsible_a)
    draft = services.plan_draft_start(actor=supervisor_a, unit=unit_a)
    assert draft.number == 2 and draft.based_on == first
    assert draft.sections.get(key="laatuvaatimukset").text == first.sections.get(key="laatuvaatimukset").text


def test_a_new_required_template_section_joins_the_next_draft(supervisor_a, responsible_a, quality_director, unit_a):
    approved_plan(unit_a, supervisor_a, responsible_a)
    services.template_section_save(
        actor=quality_director, section=None, kind=PlanKind.SELF_SUPERVISION, number="2.12",
        title="Väkivallan ennaltaehkäisy", guidance="Kuvaa käytännöt.", required=True, is_active=True,
    )
    draft = services.plan_draft_start(actor=supervisor_a, unit=unit_a)
    assert draft.sections.filter(title="Väkivallan ennaltaehkäisy", required=True).exists()


def test_only_the_quality_director_edits_the_template(supervisor_a):
    with pytest.raises(PermissionDenied):
        services.template_section_save(
            actor=supervisor_a, section=None, kind=PlanKind.SELF_SUPERVISION, number="9", title="X",
            guidance="", required=False, is_active=True,
        )


def test_a_required_template_section_must_stay_in_use(quality_director):
    services.template_ensure_default(PlanKind.SELF_SUPERVISION)
    section = SectionTemplate.objects.get(kind=PlanKind.SELF_SUPERVISION, key="valmius")
    with pytest.raises(ValidationError):
        services.template_section_save(
            actor=quality_director, section=section, kind=section.kind, number=section.number, title=section.title,
            guidance="", required=True, is_active=False,
        )


def test_a_review_without_changes_is_recorded_as_an_approved_version(supervisor_a, responsible_a, unit_a):
    with time_machine.travel(dt.datetime(2026, 1, 5, 10, tzinfo=dt.UTC)):
        first = approved_plan(unit_a, supervisor_a, responsible_a)
    with time_machine.travel(dt.datetime(2026, 4, 20, 10, tzinfo=dt.UTC)):
        reviewed = services.plan_review_record(actor=responsible_a, unit=unit_a, note="Käyty läpi tiimipalaverissa.")
    assert reviewed.number == 2 and reviewed.is_review_only and reviewed.is_approved
    assert reviewed.sections.count() == first.sections.count()
    assert Plan.objects.get(pk=first.plan_id).next_review_due == dt.date(2026, 8, 20)


def test_a_review_needs_a_note_and_no_draft_in_progress(supervisor_a, responsible_a, unit_a):
    approved_plan(unit_a, supervisor_a, responsible_a)
    with pytest.raises(ValidationError):
        services.plan_review_record(actor=responsible_a, unit=unit_a, note=" ")
    services.plan_draft_start(actor=supervisor_a, unit=unit_a)
    with pytest.raises(ValidationError):
        services.plan_review_record(actor=responsible_a, unit=unit_a, note="Tarkistettu")


def _sections_only(draft, actor):
    for section in draft.sections.all():
        if section.required and not section.live_fact:
            services.plan_section_save(actor=actor, section=section, text="Käytännöt kuvattu.")


def test_the_self_supervision_plan_too_asks_how_the_children_took_part(client, supervisor_a, responsible_a, unit_a):
    """Issue 21 item 10: the children take part in both plans."""
    draft = services.plan_draft_start(actor=supervisor_a, unit=unit_a)
    _sections_only(draft, supervisor_a)
    with pytest.raises(ValidationError) as e:
        services.plan_version_approve(actor=responsible_a, version=draft, change_summary="Ensimmäinen")
    assert e.value.messages == ["Record how and when the children took part."]
    client.force_login(supervisor_a)
    form = client.get(reverse("plans:details", args=[draft.pk])).content.decode()
    assert 'name="children_participation"' in form and 'name="child_friendly_text"' not in form
    response = client.post(reverse("plans:details", args=[draft.pk]), {
        "change_summary": "", "children_participation": "Nuortenkokous 4.12.", "edit_version": draft.edit_version})
    assert response.status_code == 302
    version = services.plan_version_approve(actor=responsible_a, version=draft, change_summary="Ensimmäinen")
    assert version.children_participation == "Nuortenkokous 4.12."
    assert "Nuortenkokous 4.12." in client.get(version.get_absolute_url()).content.decode()


def test_good_treatment_plan_needs_the_childrens_participation_and_a_child_friendly_version(supervisor_a, responsible_a, unit_a):
    draft = services.plan_draft_start(actor=supervisor_a, unit=unit_a, kind=PlanKind.GOOD_TREATMENT)
    _sections_only(draft, supervisor_a)
    with pytest.raises(ValidationError) as e:
        services.plan_version_approve(actor=responsible_a, version=draft, change_summary="Ensimmäinen")
    assert len(e.value.messages) == 2
    services.plan_version_details_save(
        actor=supervisor_a, version=draft, change_summary="Ensimmäinen",
        children_participation="Talokokous 12.3.2026, jokainen lapsi omaohjaajan kanssa.",
        child_friendly_text="Täällä kaikkia kohdellaan hyvin.",
    )
    version = services.plan_version_approve(actor=responsible_a, version=draft, change_summary="Ensimmäinen")
    assert version.child_friendly_text == "Täällä kaikkia kohdellaan hyvin."


def test_open_care_units_have_no_good_treatment_plan(supervisor_a, unit_a):
    unit_a.service_type = ServiceType.OPEN_CARE
    unit_a.save()
    with pytest.raises(ValidationError):
        services.plan_draft_start(actor=supervisor_a, unit=unit_a, kind=PlanKind.GOOD_TREATMENT)


def test_the_review_reminder_goes_out_once_per_due_date(supervisor_a, responsible_a, unit_a):
    with time_machine.travel(dt.datetime(2026, 1, 5, 10, tzinfo=dt.UTC)):
        approved_plan(unit_a, supervisor_a, responsible_a)
    assert services.plan_reviews_remind(today=dt.date(2026, 4, 1)) == 0
    assert services.plan_reviews_remind(today=dt.date(2026, 4, 20)) == 1
    assert services.plan_reviews_remind(today=dt.date(2026, 4, 21)) == 0


def test_agenda_hook_lists_plans_due_for_review(supervisor_a, responsible_a, unit_a, unit_b, supervisor_b):
    with time_machine.travel(dt.datetime(2026, 1, 5, 10, tzinfo=dt.UTC)):
        approved_plan(unit_a, supervisor_a, responsible_a)
    with time_machine.travel(dt.datetime(2026, 4, 28, 10, tzinfo=dt.UTC)):
        items = selectors.plan_reviews_for_agenda(actor=supervisor_a, unit=unit_a)
        assert len(items) == 1 and "5.5.2026" in items[0]["title"]
        assert selectors.plan_reviews_for_agenda(actor=supervisor_b, unit=unit_a) == []
    with time_machine.travel(dt.datetime(2026, 2, 1, 10, tzinfo=dt.UTC)):
        assert selectors.plan_reviews_for_agenda(actor=supervisor_a, unit=unit_a) == []


def test_overview_shows_due_and_overdue_plans_to_the_regional_and_quality_directors(
    supervisor_a, responsible_a, unit_a, regional_director_a, quality_director, supervisor_b
):
    with time_machine.travel(dt.datetime(2025, 10, 1, 10, tzinfo=dt.UTC)):
        approved_plan(unit_a, supervisor_a, responsible_a)
    with time_machine.travel(dt.datetime(2026, 3, 1, 10, tzinfo=dt.UTC)):
        for actor in (supervisor_a, regional_director_a, quality_director):
            rows = selectors.plan_overview(actor=actor, filters={"review": "overdue"})
            assert [r.unit for r in rows] == [unit_a], actor
        assert selectors.plan_overview(actor=supervisor_b, filters={"review": "overdue"}) == []


def test_compare_marks_changed_sections_word_by_word(supervisor_a, responsible_a, unit_a):
    first = approved_plan(unit_a, supervisor_a, responsible_a)
    draft = services.plan_draft_start(actor=supervisor_a, unit=unit_a)
    services.plan_section_save(actor=supervisor_a, section=draft.sections.get(key="henkilosto"),
                               text="Yksikössä on seitsemän ohjaajaa <b>ja</b> esihenkilö.")
    rows = selectors.compare_versions(left=first, right=draft)
    changed = [r for r in rows if r.changed]
    assert len(changed) == 1
    assert "<ins>" in changed[0].right and "&lt;b&gt;" in changed[0].right


def test_other_units_get_no_risk_figures_in_another_units_plan(unit_b, supervisor_a):
    other = UnitFactory(region=unit_b.region)
    from omavalvonta.plans.facts import risks

    assert risks(other, actor=supervisor_a) == {"hidden": True}


def test_approval_freezes_the_feedback_summary_without_small_groups_nps(supervisor_a, responsible_a, unit_a):
    version = approved_plan(unit_a, supervisor_a, responsible_a)
    fb = version.facts["feedback"]
    assert fb["period"]
    assert [g["answers"] for g in fb["groups"]] == [0, 0, 0]
    assert all(g["nps"] is None and g["hidden"] for g in fb["groups"])


def test_staff_without_feedback_rights_see_no_feedback_figures(employee_a, unit_a):
    from omavalvonta.plans.facts import feedback

    assert feedback(unit_a, actor=employee_a) == {"hidden": True}


def test_sending_for_approval_tells_the_responsible_person(supervisor_a, responsible_a, unit_a):
    from omavalvonta.notifications.models import Notification

    draft = services.plan_draft_start(actor=supervisor_a, unit=unit_a)
    with pytest.raises(ValidationError):
        services.plan_approval_request(actor=supervisor_a, version=draft)  # required sections empty
    fill_required(draft, supervisor_a)
    assert services.plan_approval_request(actor=supervisor_a, version=draft) == 1
    note = Notification.objects.get(kind="plan.approval_requested")
    assert note.recipient == responsible_a and note.link.endswith(f"/versiot/{draft.pk}/hyvaksy/")


def test_approval_freezes_the_critical_systems_without_owners_or_fallbacks(supervisor_a, responsible_a, unit_a):
    from omavalvonta.audits.services import critical_system_save

    critical_system_save(actor=supervisor_a, unit=unit_a, name="Asiakastietojärjestelmä", position=1,
                         owner=supervisor_a, fallback="Paperilomakkeet kaapissa 3", tolerable_outage="8 tuntia")
    version = approved_plan(unit_a, supervisor_a, responsible_a)
    assert version.facts["information_systems"] == {
        "systems": [{"position": 1, "name": "Asiakastietojärjestelmä", "tolerable_outage": "8 tuntia"}]
    }


def test_agenda_source_is_the_current_version_so_the_next_cycle_comes_back(supervisor_a, responsible_a, unit_a):
    with time_machine.travel(dt.datetime(2026, 1, 5, 10, tzinfo=dt.UTC)):
        first = approved_plan(unit_a, supervisor_a, responsible_a)
    with time_machine.travel(dt.datetime(2026, 4, 28, 10, tzinfo=dt.UTC)):
        assert selectors.plan_reviews_for_agenda(actor=supervisor_a, unit=unit_a)[0]["source"] == first
        reviewed = services.plan_review_record(actor=responsible_a, unit=unit_a, note="Tarkistettu")
    with time_machine.travel(dt.datetime(2026, 8, 20, 10, tzinfo=dt.UTC)):
        assert selectors.plan_reviews_for_agenda(actor=supervisor_a, unit=unit_a)[0]["source"] == reviewed


def test_a_team_meeting_gets_the_due_review_on_its_agenda(supervisor_a, responsible_a, unit_a):
    from omavalvonta.meetings.services import meeting_create

    with time_machine.travel(dt.datetime(2026, 1, 5, 10, tzinfo=dt.UTC)):
        approved_plan(unit_a, supervisor_a, responsible_a)
    with time_machine.travel(dt.datetime(2026, 4, 28, 10, tzinfo=dt.UTC)):
        meeting = meeting_create(actor=supervisor_a, kind="team", title="Tiimipalaveri", unit=unit_a,
                                 starts_at=dt.datetime(2026, 4, 30, 9, tzinfo=dt.UTC))
    titles = list(meeting.items.values_list("title", flat=True))
    assert any("self-supervision plan" in t and "5.5.2026" in t for t in titles), titles


def test_an_overdue_good_treatment_plan_makes_the_unit_overdue_in_the_overview(supervisor_a, responsible_a, unit_a):
    with time_machine.travel(dt.datetime(2025, 10, 1, 10, tzinfo=dt.UTC)):
        approved_plan(unit_a, supervisor_a, responsible_a, kind="good_treatment")
    with time_machine.travel(dt.datetime(2026, 2, 20, 10, tzinfo=dt.UTC)):
        approved_plan(unit_a, supervisor_a, responsible_a)
    with time_machine.travel(dt.datetime(2026, 3, 1, 10, tzinfo=dt.UTC)):
        rows = selectors.plan_overview(actor=supervisor_a, filters={"review": "overdue"})
        assert [r.unit for r in rows] == [unit_a]
        assert rows[0].plan.review_state() == "ok" and rows[0].good_treatment.review_state() == "overdue"
