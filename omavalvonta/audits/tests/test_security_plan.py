"""The information-security plan (THL regulation 3/2024): versions (a draft,
approval freezing it, comparison), the units' critical systems shown live, the
approved version as a quality-calendar duty's evidence, and who may see it."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from omavalvonta.audits import calendar_duties, selectors, services
from omavalvonta.audits.models import SecurityPlanState, SecurityPlanVersion
from omavalvonta.audits.security_sections import SECTION_KEYS, SECTION_TEXT_MAX
from omavalvonta.organisation.models import Role
from omavalvonta.testing.factories import member
from omavalvonta.yearclock import evidence

pytestmark = pytest.mark.django_db

PLAN = "/auditointi/tietoturvasuunnitelma/"
DRAFT = "/auditointi/tietoturvasuunnitelma/luonnos/"


def _approved(actor, text="Asiakastietojärjestelmä ja sen käyttö.", note="Katselmoitu tietosuojavastaavan kanssa."):
    draft = services.security_plan_draft_start(actor=actor)
    services.security_plan_draft_save(actor=actor, version=draft, sections={"systems": text})
    return services.security_plan_approve(actor=actor, version=draft, review_note=note)


def test_the_section_headings_follow_the_regulation():
    assert SECTION_KEYS[:2] == ["scope", "systems"] and "incidents" in SECTION_KEYS and SECTION_KEYS[-1] == "review"


def test_a_draft_is_approved_frozen_and_copied_into_the_next_draft(quality_director):
    first = _approved(quality_director)
    assert (first.number, first.state, first.approved_by) == (1, SecurityPlanState.APPROVED, quality_director)
    with pytest.raises(ValidationError):
        services.security_plan_draft_save(actor=quality_director, version=first, sections={"systems": "muutettu"})
    first.refresh_from_db()
    assert first.sections == {"systems": "Asiakastietojärjestelmä ja sen käyttö."}
    draft = services.security_plan_draft_start(actor=quality_director)
    assert (draft.number, draft.sections) == (2, first.sections)
    # One draft at a time: starting again opens the same one.
    assert services.security_plan_draft_start(actor=quality_director).pk == draft.pk


def test_approving_needs_some_text_and_an_approved_version_stays_approved(quality_director):
    draft = services.security_plan_draft_start(actor=quality_director)
    with pytest.raises(ValidationError):
        services.security_plan_approve(actor=quality_director, version=draft)
    services.security_plan_draft_save(actor=quality_director, version=draft, sections={"scope": "Koko konserni."})
    services.security_plan_approve(actor=quality_director, version=draft)
    with pytest.raises(ValidationError):
        services.security_plan_approve(actor=quality_director, version=draft)


@pytest.mark.parametrize("role", [r for r in Role if r not in (
    Role.QUALITY_DIRECTOR, Role.DATA_PROTECTION_OFFICER, Role.ADMINISTRATOR)])
def test_nobody_else_writes_or_reads_the_plan(organisation, unit_a, role):
    kwargs = {"unit": unit_a} if role in (Role.EMPLOYEE, Role.SUPERVISOR, Role.RESPONSIBLE_PERSON) else {}
    if role == Role.REGIONAL_DIRECTOR:
        kwargs = {"region": unit_a.region}
    actor = member(role, **kwargs)
    with pytest.raises(PermissionDenied):
        services.security_plan_draft_start(actor=actor)
    with pytest.raises(PermissionDenied):
        selectors.security_plan_versions(actor=actor)
    assert not selectors.security_plan_allowed(actor)


def test_a_quality_director_of_one_unit_only_is_not_let_in(unit_a):
    actor = member(Role.QUALITY_DIRECTOR, unit=unit_a)
    assert not selectors.security_plan_allowed(actor)


def test_the_pages_draft_save_approve_and_compare(client, dpo, quality_director):
    _approved(quality_director)
    client.force_login(dpo)
    page = client.get(PLAN)
    assert page.status_code == 200 and "Asiakastietojärjestelmä ja sen käyttö." in page.content.decode()
    assert client.post(reverse("audits:security_plan_draft_start")).status_code == 302
    draft = SecurityPlanVersion.objects.get(state=SecurityPlanState.DRAFT)
    data = {f"section_{key}": "" for key in SECTION_KEYS}
    data.update(form="save", section_systems="Asiakastietojärjestelmä, työvuorot ja palkat.",
                change_note="Lisätty työvuorot.", edit_version=draft.edit_version)
    assert client.post(DRAFT, data).status_code == 302
    response = client.post(DRAFT, {"form": "approve", "a-review_note": "Vuosikatselmus 2.2."})
    assert response.status_code == 302
    assert SecurityPlanVersion.objects.filter(state=SecurityPlanState.APPROVED).count() == 2
    compare = client.get(reverse("audits:security_plan_compare"), {"a": 1, "b": 2}).content.decode()
    assert "<del>" in compare and "<ins>" in compare
    # Bad choices fall back to the newest pair rather than failing.
    for a, b in (("x", "99999"), ("²", "①"), ("-1", "9" * 30)):
        assert client.get(reverse("audits:security_plan_compare"), {"a": a, "b": b}).status_code == 200
    assert client.get(reverse("audits:security_plan_version", args=[999999])).status_code == 404


def test_a_too_long_section_keeps_what_was_typed(client, quality_director):
    services.security_plan_draft_start(actor=quality_director)
    draft = SecurityPlanVersion.objects.get()
    client.force_login(quality_director)
    data = {f"section_{key}": "" for key in SECTION_KEYS}
    data.update(form="save", section_scope="x" * (SECTION_TEXT_MAX + 1), section_logs="Lokit katsotaan kuukausittain.",
                edit_version=draft.edit_version)
    response = client.post(DRAFT, data)
    assert response.status_code == 200
    assert "Lokit katsotaan kuukausittain." in response.content.decode()
    assert response.context["form"].errors
    draft.refresh_from_db()
    assert draft.sections == {}


def test_approving_an_empty_draft_on_the_page_says_why(client, quality_director):
    services.security_plan_draft_start(actor=quality_director)
    client.force_login(quality_director)
    response = client.post(DRAFT, {"form": "approve", "a-review_note": ""})
    assert response.status_code == 200 and response.context["approve"].errors


def test_the_units_critical_systems_are_shown_live(client, quality_director, supervisor_a, unit_a):
    services.critical_system_save(actor=supervisor_a, unit=unit_a, name="Asiakastietojärjestelmä", position=1,
                                  owner=supervisor_a, fallback="Paperilomakkeet.", tolerable_outage="4 tuntia")
    _approved(quality_director)
    client.force_login(quality_director)
    page = client.get(PLAN).content.decode()
    assert "Asiakastietojärjestelmä" in page and "4 tuntia" in page and unit_a.name in page


def test_the_approved_version_is_the_evidence_of_the_annual_review(quality_director, employee_a, unit_a):
    version = _approved(quality_director)
    groups = dict(evidence.candidates_for(actor=quality_director, unit=unit_a))
    [record] = [r for records in groups.values() for r in records if r.key.startswith("audits.securityplanversion:")]
    assert record.obj == version and record.url == reverse("audits:security_plan_version", args=[version.pk])
    assert evidence.find(actor=quality_director, unit=unit_a, key=record.key) is not None
    # Nobody else is offered it.
    assert evidence.find(actor=employee_a, unit=unit_a, key=record.key) is None


def test_not_on_the_public_site(client, quality_director):
    _approved(quality_director, text="Salainen järjestelmäkuvaus")
    response = client.get(PLAN)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert "Salainen järjestelmäkuvaus" not in client.get("/julkinen/").content.decode()


def test_the_page_reads_a_fixed_number_of_queries(client, quality_director, supervisor_a, unit_a,
                                                  django_assert_max_num_queries):
    client.force_login(quality_director)
    _approved(quality_director)
    with django_assert_max_num_queries(30) as few:
        client.get(PLAN)
    for n in range(5):
        services.critical_system_save(actor=supervisor_a, unit=unit_a, name=f"Järjestelmä {n}", position=n + 1,
                                      owner=supervisor_a, fallback="-", tolerable_outage="1 päivä")
        _approved(quality_director, text=f"Versio {n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(PLAN)


def test_the_home_page_tells_when_the_annual_review_is_due(client, quality_director, employee_a):
    import datetime as dt

    from django.utils import timezone

    client.force_login(quality_director)
    assert "Tietoturvasuunnitelmasta ei ole vielä hyväksyttyä versiota" in client.get(
        "/", headers={"accept-language": "fi"}).content.decode()
    version = _approved(quality_director)
    today = timezone.localdate()
    assert selectors.security_plan_home(actor=quality_director, today=today) is None  # a year ahead
    SecurityPlanVersion.objects.filter(pk=version.pk).update(approved_at=timezone.now() - dt.timedelta(days=400))
    block = selectors.security_plan_home(actor=quality_director, today=today)
    assert block["late"] and block["due"] < today
    assert "Vuosikatselmus piti tehdä" in client.get("/", headers={"accept-language": "fi"}).content.decode()
    assert selectors.security_plan_home(actor=employee_a, today=today) is None


def test_scenario_the_annual_review_is_reminded_once_and_escalated_once_when_late(
    client, quality_director, dpo, employee_a
):
    """The review is an organisation-wide quality-calendar duty: 30 days before
    it is due the plan's keepers (quality director, DPO) hear once; once late,
    the management group hears with them, once, even with two workers running."""
    import datetime as dt

    from django.utils import timezone

    from omavalvonta.notifications.models import Notification
    from omavalvonta.yearclock import duties
    from omavalvonta.yearclock.models import DutyNotice

    board = member(Role.MANAGEMENT_GROUP, full_name="Johto Ryhmä", email="johto@omavalvonta.example")
    version = _approved(quality_director)
    approved = timezone.now() - dt.timedelta(days=340)  # due in 25 days
    SecurityPlanVersion.objects.filter(pk=version.pk).update(approved_at=approved)
    due = timezone.localdate(approved) + dt.timedelta(days=365)

    assert duties.duties_remind_and_escalate() == 2
    assert duties.duties_remind_and_escalate() == 0  # a second worker: nothing more
    reminded = Notification.objects.filter(kind="duty.reminder")
    assert {n.recipient for n in reminded} == {quality_director, dpo}
    assert all(reverse("audits:security_plan") in n.link for n in reminded)
    assert DutyNotice.objects.get(kind="reminder").unit is None
    # The quality director's calendar lists it (the employee's does not).
    assert [r["title"] for r in duties.organisation_duties(actor=quality_director)] == [
        "The annual review of the information-security plan"
    ]
    assert duties.organisation_duties(actor=employee_a) == []

    late_day = timezone.now().replace(year=due.year, month=due.month, day=due.day) + dt.timedelta(days=1)
    assert duties.duties_remind_and_escalate(now=late_day) == 3
    assert duties.duties_remind_and_escalate(now=late_day) == 0
    escalated = {n.recipient for n in Notification.objects.filter(kind="duty.late")}
    assert escalated == {board, quality_director, dpo}
    rows = duties.organisation_duties(actor=quality_director, today=timezone.localdate(late_day))
    assert rows[0]["late"]
    client.force_login(quality_director)
    page = client.get(reverse("yearclock:due"), headers={"accept-language": "fi"}).content.decode()
    assert "data-list=\"organisation-duties\"" in page


def test_no_review_duty_before_the_first_approval(quality_director):
    import datetime as dt

    from omavalvonta.yearclock import duties

    assert calendar_duties.security_plan_duties(today=dt.date(2026, 12, 1)) == []
    assert calendar_duties.security_plan_duties(today=dt.date(2026, 12, 1), unit_ids=[1]) == []
    assert duties.duties_remind_and_escalate() == 0
