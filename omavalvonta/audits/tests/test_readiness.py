"""The organisation's readiness (issue 21 item 7): the readiness group with its
members and their roles, its yearly exercise as an organisation-wide quality-
calendar duty fulfilled by recording the exercise, and the crisis-communication
plan as versioned document reviewed yearly. Kept by the quality director, the
management group and administrators; read by everyone of the organisation."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from omavalvonta.audits import calendar_duties, readiness_services, selectors
from omavalvonta.audits.models import (
    CrisisPlanVersion,
    Drill,
    DrillKind,
    ReadinessMember,
    ReadinessRole,
    SecurityPlanState,
)
from omavalvonta.audits.readiness import CRISIS_SECTION_KEYS, CRISIS_SECTION_TEXT_MAX, EXERCISE_INTERVAL_DAYS
from omavalvonta.core.models import AuditEvent
from omavalvonta.notifications.models import Notification
from omavalvonta.organisation.models import Role
from omavalvonta.testing.factories import member
from omavalvonta.yearclock import duties, evidence

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _readiness_duties_only(only_duty_sources):
    # The scenarios count the readiness duties' notices, not the meeting rhythms of the same units.
    only_duty_sources("audits.readiness", "audits.crisis")

READINESS = "/auditointi/valmius/"
PLAN = "/auditointi/valmius/kriisiviestinta/"
DRAFT = "/auditointi/valmius/kriisiviestinta/luonnos/"
FI = {"accept-language": "fi"}


def _approved(actor, text="Kriisissä viestii valmiusryhmän puheenjohtaja.", note="Katselmoitu valmiusryhmässä."):
    draft = readiness_services.crisis_plan_draft_start(actor=actor)
    readiness_services.crisis_plan_draft_save(actor=actor, version=draft, sections={"spokespersons": text})
    return readiness_services.crisis_plan_approve(actor=actor, version=draft, review_note=note)


def _exercise(actor, people, days_ago=30, scenario="Pitkä sähkökatko talvella"):
    return readiness_services.readiness_exercise_record(
        actor=actor, held_on=timezone.localdate() - dt.timedelta(days=days_ago), scenario=scenario,
        participants=people, went_well="Puhelinketju toimi.", to_improve="Varavalot puuttuivat yhdestä yksiköstä.",
    )


# --- The group ---------------------------------------------------------------------------------------


def test_the_group_its_roles_one_chair_and_its_history(quality_director, employee_a, supervisor_a, unit_a):
    chair = readiness_services.readiness_member_add(actor=quality_director, user=supervisor_a, group_role=ReadinessRole.CHAIR)
    comms = readiness_services.readiness_member_add(actor=quality_director, user=employee_a, group_role=ReadinessRole.COMMUNICATIONS,
                                          duties="Tiedottaa henkilöstölle")
    with pytest.raises(ValidationError) as error:
        readiness_services.readiness_member_add(actor=quality_director, user=employee_a, group_role=ReadinessRole.MEMBER)
    assert "user" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        readiness_services.readiness_member_change(actor=quality_director, member=comms, group_role=ReadinessRole.CHAIR)
    assert "group_role" in error.value.message_dict  # one chair at a time
    readiness_services.readiness_member_change(actor=quality_director, member=chair, group_role=ReadinessRole.DEPUTY)
    readiness_services.readiness_member_change(actor=quality_director, member=comms, group_role=ReadinessRole.CHAIR)
    assert [(m.user, m.group_role) for m in selectors.readiness_members()] == [
        (employee_a, ReadinessRole.CHAIR), (supervisor_a, ReadinessRole.DEPUTY)]
    readiness_services.readiness_member_remove(actor=quality_director, member=chair)
    # Removed, kept: the group's history stays readable, and the person may come back.
    assert [m.user for m in selectors.readiness_members()] == [employee_a]
    assert [m.user for m in selectors.readiness_former_members()] == [supervisor_a]
    readiness_services.readiness_member_add(actor=quality_director, user=supervisor_a, group_role=ReadinessRole.MEMBER)
    assert ReadinessMember.objects.filter(user=supervisor_a).count() == 2
    verbs = list(AuditEvent.objects.filter(verb__startswith="readiness.member").values_list("verb", flat=True))
    assert sorted(set(verbs)) == ["readiness.member_added", "readiness.member_changed", "readiness.member_removed"]
    assert verbs.count("readiness.member_added") == 3


@pytest.mark.parametrize("role", [Role.QUALITY_DIRECTOR, Role.MANAGEMENT_GROUP, Role.ADMINISTRATOR])
def test_the_keepers_may_change_the_group(organisation, employee_a, role):
    actor = member(role)
    readiness_services.readiness_member_add(actor=actor, user=employee_a, group_role=ReadinessRole.MEMBER)
    _approved(actor)
    assert selectors.readiness_allowed(actor)


@pytest.mark.parametrize("role", [r for r in Role if r not in (
    Role.QUALITY_DIRECTOR, Role.MANAGEMENT_GROUP, Role.ADMINISTRATOR)])
def test_nobody_else_changes_the_group_the_exercise_or_the_plan(organisation, unit_a, employee_a, role):
    kwargs = {"unit": unit_a} if role in (Role.EMPLOYEE, Role.SUPERVISOR, Role.RESPONSIBLE_PERSON) else {}
    if role == Role.REGIONAL_DIRECTOR:
        kwargs = {"region": unit_a.region}
    actor = member(role, **kwargs)
    with pytest.raises(PermissionDenied):
        readiness_services.readiness_member_add(actor=actor, user=employee_a, group_role=ReadinessRole.MEMBER)
    with pytest.raises(PermissionDenied):
        _exercise(actor, [employee_a])
    with pytest.raises(PermissionDenied):
        readiness_services.crisis_plan_draft_start(actor=actor)
    assert not selectors.readiness_allowed(actor)


def test_a_quality_director_of_one_unit_only_does_not_keep_it(unit_a, employee_a):
    actor = member(Role.QUALITY_DIRECTOR, unit=unit_a)
    assert not selectors.readiness_allowed(actor)
    with pytest.raises(PermissionDenied):
        readiness_services.readiness_member_add(actor=actor, user=employee_a, group_role=ReadinessRole.MEMBER)


def test_an_employee_reads_the_pages_and_gets_403_on_every_change(client, quality_director, employee_a):
    readiness_services.readiness_member_add(actor=quality_director, user=employee_a, group_role=ReadinessRole.COMMUNICATIONS)
    _approved(quality_director, text="Puhuja on valmiusryhmän puheenjohtaja.")
    readiness_services.crisis_plan_draft_start(actor=quality_director)
    client.force_login(employee_a)
    page = client.get(READINESS, headers=FI)
    assert page.status_code == 200 and employee_a.full_name in page.content.decode()
    assert "Lisää jäsen" not in page.content.decode()
    plan = client.get(PLAN, headers=FI).content.decode()
    assert "Puhuja on valmiusryhmän puheenjohtaja." in plan and "Jatka luonnosta" not in plan
    assert client.post(READINESS, {"form": "member_add", "m-user": employee_a.pk, "m-group_role": "member"}).status_code == 403
    assert client.post(READINESS, {"form": "exercise", "e-scenario": "x"}).status_code == 403
    assert client.get(DRAFT).status_code == 403
    assert client.post(reverse("audits:crisis_plan_draft_start")).status_code == 403
    draft = CrisisPlanVersion.objects.get(state=SecurityPlanState.DRAFT)
    assert client.get(reverse("audits:crisis_plan_version", args=[draft.pk])).status_code == 404  # drafts: keepers only
    assert ReadinessMember.objects.count() == 1


def test_the_pages_are_not_public(client, quality_director):
    for url in (READINESS, PLAN):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


# --- The yearly exercise -----------------------------------------------------------------------------


def test_the_exercise_is_an_organisation_drill_not_a_units(quality_director, employee_a, supervisor_a, unit_a):
    drill = _exercise(quality_director, [employee_a, supervisor_a])
    assert (drill.kind, drill.unit) == (DrillKind.READINESS_EXERCISE, None)
    assert set(drill.participants.all()) == {employee_a, supervisor_a}
    # Not among the unit's own drills.
    assert selectors.continuity_of(unit=unit_a)["drills"] == []
    assert selectors.readiness_exercises() == [drill]


def test_no_exercise_duty_before_the_group_exists(quality_director):
    assert calendar_duties.readiness_exercise_duties(today=timezone.localdate()) == []
    assert calendar_duties.readiness_exercise_duties(today=timezone.localdate(), unit_ids=[1]) == []
    assert duties.duties_remind_and_escalate() == 0


def test_scenario_the_exercise_is_reminded_late_after_a_year_and_recording_it_fulfils_it(
    client, quality_director, employee_a, supervisor_a
):
    """A year after the group was formed without an exercise: 30 days before,
    the group's chair (an employee here) and the quality director hear once;
    once late, the management group hears with them, once. Recording the
    exercise moves the duty a year on: nothing late, nothing more sent."""
    board = member(Role.MANAGEMENT_GROUP, full_name="Johto Ryhmä", email="johto@omavalvonta.example")
    chair = readiness_services.readiness_member_add(actor=quality_director, user=employee_a, group_role=ReadinessRole.CHAIR)
    formed = timezone.now() - dt.timedelta(days=EXERCISE_INTERVAL_DAYS - 25)  # due in 25 days
    ReadinessMember.objects.filter(pk=chair.pk).update(added_at=formed)
    due = timezone.localdate(formed) + dt.timedelta(days=EXERCISE_INTERVAL_DAYS)
    [duty] = calendar_duties.readiness_exercise_duties(today=timezone.localdate())
    assert (duty.due_on, duty.late, duty.owner_id, duty.unit_id) == (due, False, employee_a.pk, None)

    assert duties.duties_remind_and_escalate() == 2
    assert duties.duties_remind_and_escalate() == 0  # a second worker: nothing more
    reminded = Notification.objects.filter(kind="duty.reminder")
    assert {n.recipient for n in reminded} == {employee_a, quality_director}
    assert all(reverse("audits:readiness") in n.link for n in reminded)
    assert [r["title"] for r in duties.organisation_duties(actor=quality_director)] == [
        "The readiness group's yearly exercise"]

    late_day = timezone.now() + dt.timedelta(days=26)
    [duty] = calendar_duties.readiness_exercise_duties(today=timezone.localdate(late_day))
    assert duty.late
    assert duties.duties_remind_and_escalate(now=late_day) == 3
    assert duties.duties_remind_and_escalate(now=late_day) == 0
    assert {n.recipient for n in Notification.objects.filter(kind="duty.late")} == {board, employee_a, quality_director}
    # Late today too, the page says so.
    ReadinessMember.objects.filter(pk=chair.pk).update(added_at=timezone.now() - dt.timedelta(days=EXERCISE_INTERVAL_DAYS + 2))
    client.force_login(quality_director)
    assert "Myöhässä" in client.get(READINESS, headers=FI).content.decode()

    # Recording the exercise fulfils it: the next one is a year after it.
    drill = _exercise(quality_director, [employee_a, supervisor_a], days_ago=0)
    [duty] = calendar_duties.readiness_exercise_duties(today=timezone.localdate(late_day))
    assert duty.due_on == drill.held_on + dt.timedelta(days=EXERCISE_INTERVAL_DAYS) and not duty.late
    assert duties.duties_remind_and_escalate(now=late_day) == 0
    assert duties.organisation_duties(actor=quality_director, today=timezone.localdate(late_day)) == []


def test_the_exercise_is_the_evidence_of_a_calendar_duty(quality_director, employee_a, unit_a):
    drill = _exercise(quality_director, [employee_a])
    groups = dict(evidence.candidates_for(actor=quality_director, unit=unit_a))
    [record] = [r for records in groups.values() for r in records if r.key.startswith("audits.readinessexercise:")]
    assert record.obj == drill and record.url.endswith(f"#harjoitus-{drill.pk}")
    assert evidence.find(actor=employee_a, unit=unit_a, key=record.key) is not None
    # A unit's drill offers no readiness exercise as its own.
    assert not [r for records in groups.values() for r in records if r.key == f"audits.drill:{drill.pk}"]


# --- The crisis-communication plan ---------------------------------------------------------------


def test_approving_a_new_version_keeps_the_old_one_frozen(client, quality_director, employee_a):
    first = _approved(quality_director)
    draft = readiness_services.crisis_plan_draft_start(actor=quality_director)
    assert (draft.number, draft.sections) == (2, first.sections)
    readiness_services.crisis_plan_draft_save(actor=quality_director, version=draft,
                                    sections={"spokespersons": "Viestii viestintävastaava.", "media": "Ei lapsen tietoja."})
    second = readiness_services.crisis_plan_approve(actor=quality_director, version=draft, review_note="Vuoden katselmus.")
    first.refresh_from_db()
    assert first.state == SecurityPlanState.APPROVED
    assert first.sections == {"spokespersons": "Kriisissä viestii valmiusryhmän puheenjohtaja."}
    assert selectors.crisis_plan_current() == second
    with pytest.raises(ValidationError):
        readiness_services.crisis_plan_draft_save(actor=quality_director, version=first, sections={"scope": "muutettu"})
    with pytest.raises(ValidationError):
        readiness_services.crisis_plan_approve(actor=quality_director, version=second)
    client.force_login(employee_a)
    page = client.get(PLAN, headers=FI).content.decode()
    assert "Viestii viestintävastaava." in page and "Versio 1" in page and "Versio 2" in page
    old = client.get(reverse("audits:crisis_plan_version", args=[first.pk])).content.decode()
    assert "Kriisissä viestii valmiusryhmän puheenjohtaja." in old


def test_the_pages_start_save_and_approve_a_version(client, quality_director):
    _approved(quality_director)
    client.force_login(quality_director)
    assert client.post(reverse("audits:crisis_plan_draft_start")).status_code == 302
    draft = CrisisPlanVersion.objects.get(state=SecurityPlanState.DRAFT)
    data = {f"section_{key}": "" for key in CRISIS_SECTION_KEYS}
    data.update(form="save", section_staff="Yksiköiden esihenkilöt soittavat vuorossa oleville.",
                change_note="Henkilöstön tiedottaminen lisätty.", edit_version=draft.edit_version)
    assert client.post(DRAFT, data).status_code == 302
    assert client.post(DRAFT, {"form": "approve", "a-review_note": "Katselmoitu 2.2."}).status_code == 302
    assert CrisisPlanVersion.objects.filter(state=SecurityPlanState.APPROVED).count() == 2
    assert client.get(reverse("audits:crisis_plan_version", args=[999999])).status_code == 404
    assert client.get(DRAFT).status_code == 302  # no draft: back to the plan


def test_scenario_the_plan_is_reviewed_yearly(quality_director, employee_a):
    assert calendar_duties.crisis_plan_duties(today=timezone.localdate()) == []  # nothing approved yet
    readiness_services.readiness_member_add(actor=quality_director, user=employee_a, group_role=ReadinessRole.CHAIR)
    version = _approved(quality_director)
    CrisisPlanVersion.objects.filter(pk=version.pk).update(approved_at=timezone.now() - dt.timedelta(days=400))
    [duty] = calendar_duties.crisis_plan_duties(today=timezone.localdate())
    assert duty.late and duty.owner_id == employee_a.pk
    # Late at once: the chair and the quality director reminded, and (nobody above) escalated to them again.
    assert duties.duties_remind_and_escalate() == 4
    _approved(quality_director, text="Päivitetty.")
    [duty] = calendar_duties.crisis_plan_duties(today=timezone.localdate())
    assert not duty.late and duty.due_on > timezone.localdate() + dt.timedelta(days=300)


def test_the_approved_versions_are_evidence(quality_director, unit_a):
    version = _approved(quality_director)
    groups = dict(evidence.candidates_for(actor=quality_director, unit=unit_a))
    [record] = [r for records in groups.values() for r in records if r.key.startswith("audits.crisisplanversion:")]
    assert record.obj == version


def test_the_continuity_page_links_the_readiness_and_the_plan(client, quality_director, supervisor_a, unit_a):
    _approved(quality_director)
    client.force_login(supervisor_a)
    page = client.get(reverse("audits:continuity", args=[unit_a.pk]), headers=FI).content.decode()
    assert reverse("audits:readiness") in page and reverse("audits:crisis_plan") in page
    assert "Kriisiviestintäsuunnitelma" in page


# --- Bad input: 400, a message, the typed text kept -----------------------------------------------


def test_adding_a_member_without_a_person_keeps_what_was_typed(client, quality_director):
    client.force_login(quality_director)
    response = client.post(READINESS, {"form": "member_add", "m-user": "", "m-group_role": "communications",
                                       "m-duties": "Hoitaa mediasuhteet"}, headers=FI)
    assert response.status_code == 400
    assert "Hoitaa mediasuhteet" in response.content.decode()
    assert response.context["add_form"].errors["user"]
    assert ReadinessMember.objects.count() == 0


def test_a_second_chair_is_refused_on_the_page(client, quality_director, employee_a, supervisor_a):
    readiness_services.readiness_member_add(actor=quality_director, user=supervisor_a, group_role=ReadinessRole.CHAIR)
    client.force_login(quality_director)
    response = client.post(READINESS, {"form": "member_add", "m-user": employee_a.pk, "m-group_role": "chair",
                                       "m-duties": "Johtaa kokousta"}, headers=FI)
    assert response.status_code == 400
    body = response.content.decode()
    assert "Johtaa kokousta" in body and "Ryhmällä on jo puheenjohtaja" in body


def test_a_role_change_against_a_newer_save_is_refused(client, quality_director, employee_a):
    m = readiness_services.readiness_member_add(actor=quality_director, user=employee_a, group_role=ReadinessRole.MEMBER)
    opened = m.edit_version
    readiness_services.readiness_member_change(actor=quality_director, member=m, group_role=ReadinessRole.SAFETY)
    client.force_login(quality_director)
    response = client.post(READINESS, {"form": "member_change", "member": m.pk, f"c{m.pk}-group_role": "deputy",
                                       f"c{m.pk}-duties": "Varahenkilö", f"c{m.pk}-edit_version": opened})
    assert response.status_code == 400 and "Varahenkilö" in response.content.decode()
    m.refresh_from_db()
    assert m.group_role == ReadinessRole.SAFETY


def test_an_exercise_in_the_future_or_without_participants_keeps_what_was_typed(client, quality_director, employee_a):
    readiness_services.readiness_member_add(actor=quality_director, user=employee_a, group_role=ReadinessRole.CHAIR)
    client.force_login(quality_director)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = client.post(READINESS, {"form": "exercise", "e-held_on": tomorrow.isoformat(),
                                       "e-scenario": "Vesikatko koko kaupungissa", "e-participants": [employee_a.pk],
                                       "e-went_well": "Vesivarasto riitti"}, headers=FI)
    assert response.status_code == 400
    body = response.content.decode()
    assert "Vesikatko koko kaupungissa" in body and "Vesivarasto riitti" in body
    assert response.context["exercise_form"].errors["held_on"]
    response = client.post(READINESS, {"form": "exercise", "e-held_on": timezone.localdate().isoformat(),
                                       "e-scenario": "Vesikatko"}, headers=FI)
    assert response.status_code == 400 and response.context["exercise_form"].errors["participants"]
    assert not Drill.objects.exists()


def test_a_removed_member_or_an_unknown_form_is_no_500(client, quality_director, employee_a):
    m = readiness_services.readiness_member_add(actor=quality_director, user=employee_a, group_role=ReadinessRole.MEMBER)
    readiness_services.readiness_member_remove(actor=quality_director, member=m)
    client.force_login(quality_director)
    for data in ({"form": "member_remove", "member": m.pk}, {"form": "member_change", "member": "x"},
                 {"form": "nonsense"}):
        assert client.post(READINESS, data).status_code == 302


def test_a_too_long_section_or_an_empty_approval_is_400(client, quality_director):
    draft = readiness_services.crisis_plan_draft_start(actor=quality_director)
    client.force_login(quality_director)
    data = {f"section_{key}": "" for key in CRISIS_SECTION_KEYS}
    data.update(form="save", section_scope="x" * (CRISIS_SECTION_TEXT_MAX + 1), section_media="Media ohjataan puhujalle.",
                edit_version=draft.edit_version)
    response = client.post(DRAFT, data)
    assert response.status_code == 400 and "Media ohjataan puhujalle." in response.content.decode()
    draft.refresh_from_db()
    assert draft.sections == {}
    response = client.post(DRAFT, {"form": "approve", "a-review_note": "Katselmoitu"})
    assert response.status_code == 400 and response.context["approve"].errors
    assert "Katselmoitu" in response.content.decode()


# --- Queries ---------------------------------------------------------------------------------------


def test_the_readiness_page_reads_a_fixed_number_of_queries(client, quality_director, employee_a,
                                                             django_assert_max_num_queries):
    readiness_services.readiness_member_add(actor=quality_director, user=employee_a, group_role=ReadinessRole.CHAIR)
    _exercise(quality_director, [employee_a])
    _approved(quality_director)
    client.force_login(quality_director)
    with django_assert_max_num_queries(40) as few:
        client.get(READINESS)
    for n in range(5):
        person = member(Role.EMPLOYEE, unit=employee_a.memberships.first().unit, full_name=f"Jäsen {n}")
        readiness_services.readiness_member_add(actor=quality_director, user=person, group_role=ReadinessRole.MEMBER)
        _exercise(quality_director, [employee_a, person], days_ago=40 + n)
        _approved(quality_director, text=f"Versio {n}")
    removed = ReadinessMember.objects.filter(group_role=ReadinessRole.MEMBER).first()
    readiness_services.readiness_member_remove(actor=quality_director, member=removed)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(READINESS)
    with django_assert_max_num_queries(30) as few_plan:
        client.get(PLAN)
    _approved(quality_director, text="Vielä yksi")
    with django_assert_max_num_queries(len(few_plan.captured_queries)):
        client.get(PLAN)


def test_a_deactivated_person_leaves_the_group_kept_as_a_former_member(administrator, quality_director, employee_a,
                                                                       unit_a):
    from omavalvonta.organisation.services import membership_remove, person_update

    m = readiness_services.readiness_member_add(actor=quality_director, user=employee_a, group_role=ReadinessRole.CHAIR)
    # Leaving one unit is not leaving the organisation's group.
    membership_remove(actor=administrator, membership=employee_a.memberships.get(unit=unit_a))
    assert selectors.readiness_members() == [m]
    person_update(actor=administrator, person=employee_a, is_active=False)
    assert selectors.readiness_members() == []
    assert [f.user for f in selectors.readiness_former_members()] == [employee_a]
    assert AuditEvent.objects.filter(verb="readiness.member_removed").count() == 1


# --- The chair's home page ------------------------------------------------------------------------


def _chair_block(client, person):
    """The readiness block of `person`'s home page, its <section> tag included (None: not shown)."""
    client.force_login(person)
    page = client.get("/", headers=FI).content.decode()
    at = page.find('data-block="readiness"')
    if at < 0:
        return None
    start = page.rindex("<section", 0, at)
    return page[start:page.index("</section>", at)]


def test_the_chair_sees_a_missing_plan_and_the_exercise_when_it_is_due(
    client, time_machine, quality_director, supervisor_a, employee_a
):
    readiness_services.readiness_member_add(actor=quality_director, user=supervisor_a, group_role=ReadinessRole.CHAIR)
    readiness_services.readiness_member_add(actor=quality_director, user=employee_a, group_role=ReadinessRole.MEMBER)
    block = _chair_block(client, supervisor_a)
    assert "Olet valmiusryhmän puheenjohtaja." in block
    assert "Kriisiviestintäsuunnitelmaa ei ole vielä hyväksytty." in block
    assert "Valmiusryhmän vuosittainen harjoitus" not in block  # due in a year
    # Neither a member nor the quality director (who is reminded by the calendar) gets the block.
    assert _chair_block(client, employee_a) is None and _chair_block(client, quality_director) is None

    _approved(quality_director)
    assert _chair_block(client, supervisor_a) is None  # nothing due within a month
    due = selectors.readiness_exercise_due()
    time_machine.move_to(timezone.now() + dt.timedelta(days=EXERCISE_INTERVAL_DAYS - 20))
    block = _chair_block(client, supervisor_a)
    assert "Valmiusryhmän vuosittainen harjoitus" in block and f"{due.day}.{due.month}.{due.year}" in block
    assert "Kriisiviestintäsuunnitelman vuosikatselmus" in block  # approved the same day: due too
    assert "Myöhässä" not in block and "card--warning" not in block

    time_machine.move_to(timezone.now() + dt.timedelta(days=30))
    block = _chair_block(client, supervisor_a)
    assert block.count("Myöhässä") == 2 and "card--warning" in block and 'href="/auditointi/valmius/"' in block

    # Recording the exercise and approving a new version take both away.
    _exercise(quality_director, [supervisor_a, employee_a], days_ago=1)
    _approved(quality_director, note="Vuosikatselmus.")
    assert _chair_block(client, supervisor_a) is None


def test_a_former_chair_no_longer_sees_the_block(client, quality_director, supervisor_a):
    chair = readiness_services.readiness_member_add(
        actor=quality_director, user=supervisor_a, group_role=ReadinessRole.CHAIR
    )
    assert _chair_block(client, supervisor_a) is not None
    readiness_services.readiness_member_remove(actor=quality_director, member=chair)
    assert _chair_block(client, supervisor_a) is None
