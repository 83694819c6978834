"""The home page answers "what is waiting for me" across the areas: each block
shows to the right role only, never another unit's items, and the page's query
count does not grow with the rows."""

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from omavalvonta.audits.models import ReadinessMember, ReadinessRole
from omavalvonta.feedback.models import Response, Round, Survey
from omavalvonta.guidance.models import Guidance, GuidanceUnit, Kind, State as GuidanceState
from omavalvonta.improvement.models import Acknowledgement, Action
from omavalvonta.meetings.models import Meeting
from omavalvonta.organisation.models import Role
from omavalvonta.plans.models import FollowupReport, Plan, PlanKind, PlanVersion
from omavalvonta.testing.factories import (
    MembershipFactory,
    UnitFactory,
    UserFactory,
    WellbeingCountyFactory,
    member,
    placement_kwargs,
)
from omavalvonta.yearclock.models import ObligationTemplate, Occurrence

TODAY = dt.date(2026, 11, 23)


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC), tick=False)


def _serious(unit, reporter, days_ago=2):
    """A serious event whose same-day notification deadline passed `days_ago` days ago."""
    from omavalvonta.deviations.services import deviation_submit
    from omavalvonta.testing.factories import deviation_kwargs

    when = timezone.now() - dt.timedelta(days=days_ago)
    return deviation_submit(
        actor=reporter, **deviation_kwargs(unit, occurred_at=when, reported_serious=True), submitted_at=when
    ).deviation


def _action(unit, owner, days, title="Päivitä lääkehoitosuunnitelma"):
    return Action.objects.create(
        unit=unit, title=title, owner=owner, due_date=timezone.localdate() + dt.timedelta(days=days), created_by=owner
    )


def _meeting(unit, chair, days, title="Tiimipalaveri", participants=()):
    meeting = Meeting.objects.create(
        unit=unit, title=title, starts_at=timezone.now() + dt.timedelta(days=days), chair=chair, created_by=chair
    )
    meeting.participants.add(*participants)
    return meeting


def _ack(user, target, reason="Uusia ohjeita"):
    return Acknowledgement.objects.create(
        unit=target.unit, target_type=ContentType.objects.get_for_model(target), target_id=target.pk, user=user, reason=reason
    )


def _occurrence(unit, owner, days, title="Riskiarviointi"):
    template = ObligationTemplate.objects.create(title=title, kind="risk_assessment", recurrence="yearly")
    return Occurrence.objects.create(template=template, unit=unit, due_date=timezone.localdate() + dt.timedelta(days=days), owner=owner)


def _draft(unit, author, kind=PlanKind.SELF_SUPERVISION, review_in_days=None):
    due = timezone.localdate() + dt.timedelta(days=review_in_days) if review_in_days is not None else None
    plan = Plan.objects.create(unit=unit, kind=kind, next_review_due=due)
    return PlanVersion.objects.create(plan=plan, unit=unit, number=1, created_by=author)


def _guidance(authority, unit, *, assignee=None, state=GuidanceState.REGISTERED, deadline_days=10, title="Selvityspyyntö"):
    item = Guidance.objects.create(
        kind=Kind.INFORMATION_REQUEST, state=state, authority=authority, received_on=timezone.localdate(), title=title,
        content="Pyydämme selvitystä.", deadline=timezone.localdate() + dt.timedelta(days=deadline_days), unit=unit, assignee=assignee,
        registered_by=assignee or UserFactory(),
    )
    GuidanceUnit.objects.create(guidance=item, unit=unit)
    return item


def _round(unit, year=2026, quarter=4, answers=0, group="parent"):
    r = Round.objects.create(
        unit=unit, year=year, quarter=quarter,
        opens_on=timezone.localdate() - dt.timedelta(days=5), closes_on=timezone.localdate() + dt.timedelta(days=20),
    )
    if answers:
        survey = Survey.objects.filter(group=group).first() or Survey.objects.create(group=group, version=1)
        Response.objects.bulk_create(
            Response(round=r, unit=unit, survey=survey, group=group, channel="link") for _ in range(answers)
        )
    return r


def _home(client, user):
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response


def _waiting(client, user):
    return _home(client, user).context["waiting"]


# --- Actions ------------------------------------------------------------------------------------


def test_my_actions_due_soon_or_overdue_show_to_their_owner_only(client, employee_a, colleague_a, unit_a):
    late = _action(unit_a, employee_a, -3, title="Korjaa ovikoodi")
    soon = _action(unit_a, employee_a, 5)
    _action(unit_a, employee_a, 40)  # not due for weeks: not on the home page
    block = _waiting(client, employee_a)["actions"]
    assert (block["total"], block["overdue"]) == (2, 1)
    assert [a.pk for a in block["rows"]] == [late.pk, soon.pk]
    html = _home(client, employee_a).content.decode()
    assert "Korjaa ovikoodi" in html and reverse("improvement:action_detail", args=[late.pk]) in html
    assert _waiting(client, colleague_a)["actions"] is None


# --- Acknowledgements ---------------------------------------------------------------------------


def test_acknowledgements_owed_show_with_the_minutes_title_and_a_link_to_confirm(client, employee_a, colleague_a, supervisor_a, unit_a):
    meeting = _meeting(unit_a, supervisor_a, -2, title="Tiimipalaveri 11/2026")
    _ack(employee_a, meeting)
    block = _waiting(client, employee_a)["acknowledgements"]
    assert block["total"] == 1 and block["rows"][0]["title"] == "Tiimipalaveri 11/2026"
    assert reverse("meetings:acknowledge") in _home(client, employee_a).content.decode()
    assert _waiting(client, colleague_a)["acknowledgements"] is None
    Acknowledgement.objects.update(acknowledged_at=timezone.now())
    assert _waiting(client, employee_a)["acknowledgements"] is None


def test_acknowledgement_of_minutes_no_longer_readable_shows_the_reason_not_the_title(client, employee_a, supervisor_b, unit_b):
    other = _meeting(unit_b, supervisor_b, -2, title="Toisen yksikön palaveri")
    _ack(employee_a, other, reason="Uusia ohjeita")
    block = _waiting(client, employee_a)["acknowledgements"]
    assert block["rows"][0]["title"] == "Uusia ohjeita"
    assert "Toisen yksikön palaveri" not in _home(client, employee_a).content.decode()


# --- Quality calendar ---------------------------------------------------------------------------


def test_my_duties_this_month_and_late_show_to_their_owner_and_directors_count_late_in_scope(
    client, supervisor_a, supervisor_b, employee_a, regional_director_a, unit_a, unit_b
):
    late = _occurrence(unit_a, supervisor_a, -10, title="Pelastusharjoitus")
    _occurrence(unit_a, supervisor_a, 5)
    _occurrence(unit_a, supervisor_a, 60)  # next year: not yet
    _occurrence(unit_b, supervisor_b, -1)  # another region's late duty
    block = _waiting(client, supervisor_a)["obligations"]
    assert (block["total"], block["late"], block["scope_late"]) == (2, 1, None)
    assert block["rows"][0].pk == late.pk
    assert _waiting(client, employee_a)["obligations"] is None
    assert [o.unit_id for o in _waiting(client, supervisor_b)["obligations"]["rows"]] == [unit_b.pk]
    director = _waiting(client, regional_director_a)["obligations"]
    assert (director["total"], director["scope_late"]) == (0, 1)  # unit A's late duty only
    assert reverse("yearclock:overdue") in _home(client, regional_director_a).content.decode()


# --- Plans --------------------------------------------------------------------------------------


def test_drafts_wait_for_the_responsible_persons_approval_in_their_own_unit_only(
    client, responsible_a, supervisor_a, employee_a, unit_a, unit_b, supervisor_b
):
    draft = _draft(unit_a, supervisor_a)
    _draft(unit_b, supervisor_b)
    block = _waiting(client, responsible_a)["plans"]
    assert [v.pk for v in block["drafts"]] == [draft.pk]
    assert reverse("plans:version", args=[draft.pk]) in _home(client, responsible_a).content.decode()
    assert _waiting(client, supervisor_a)["plans"] is None  # approves nothing, no review due
    assert _waiting(client, employee_a)["plans"] is None


def test_plan_reviews_due_or_overdue_show_to_the_units_leads_not_to_staff_or_other_units(
    client, supervisor_a, supervisor_b, employee_a, unit_a
):
    late = _draft(unit_a, supervisor_a, review_in_days=-5).plan
    _draft(unit_a, supervisor_a, kind=PlanKind.GOOD_TREATMENT, review_in_days=90)  # not due
    block = _waiting(client, supervisor_a)["plans"]
    assert [p.pk for p in block["reviews"]] == [late.pk] and block["reviews_total"] == 1
    assert _waiting(client, employee_a)["plans"] is None
    assert _waiting(client, supervisor_b)["plans"] is None


# --- Guidance -----------------------------------------------------------------------------------


def test_guidance_i_prepare_shows_with_its_deadline_and_the_quality_director_sees_responses_to_review(
    client, authority, responsible_a, supervisor_a, quality_director, unit_a, unit_b
):
    mine = _guidance(authority, unit_a, assignee=responsible_a, title="Valviran selvityspyyntö")
    _guidance(authority, unit_a, assignee=supervisor_a)
    in_review = _guidance(authority, unit_b, state=GuidanceState.RESPONSE_IN_REVIEW, title="Vastaus arvioitavana")
    block = _waiting(client, responsible_a)["guidance"]
    assert [g.pk for g in block["mine"]] == [mine.pk] and block["reviews"] == []
    assert "Valviran selvityspyyntö" in _home(client, responsible_a).content.decode()
    director = _waiting(client, quality_director)["guidance"]
    assert [g.pk for g in director["reviews"]] == [in_review.pk]


def test_guidance_assigned_in_another_unit_is_not_shown(client, authority, supervisor_a, unit_b):
    _guidance(authority, unit_b, assignee=supervisor_a)  # a stale assignment outside their units
    assert _waiting(client, supervisor_a)["guidance"] is None


# --- Meetings -----------------------------------------------------------------------------------


def test_my_next_meetings_in_two_weeks_as_chair_or_participant(client, supervisor_a, employee_a, colleague_a, supervisor_b, unit_a, unit_b):
    chaired = _meeting(unit_a, supervisor_a, 3, title="Tiimipalaveri joulukuu", participants=[employee_a])
    _meeting(unit_a, supervisor_a, 20)  # later than two weeks
    _meeting(unit_a, supervisor_a, -1)  # already past
    _meeting(unit_b, supervisor_b, 2, participants=[employee_a])  # another unit's meeting: not readable
    assert [m.pk for m in _waiting(client, supervisor_a)["meetings"]["rows"]] == [chaired.pk]
    assert [m.pk for m in _waiting(client, employee_a)["meetings"]["rows"]] == [chaired.pk]
    assert _waiting(client, colleague_a)["meetings"] is None  # not invited


# --- Feedback -----------------------------------------------------------------------------------


def test_open_feedback_rounds_show_with_their_response_rate_to_the_supervisor(
    client, supervisor_a, supervisor_b, employee_a, unit_a, unit_b
):
    unit_a.places = 10
    unit_a.save(update_fields=["places"])
    current = _round(unit_a, answers=4)
    _round(unit_b)
    Round.objects.create(unit=unit_a, year=2026, quarter=2, opens_on=dt.date(2026, 4, 1), closes_on=dt.date(2026, 6, 30))
    block = _waiting(client, supervisor_a)["rounds"]
    assert [r.pk for r in block["rows"]] == [current.pk]
    assert block["rows"][0].answers == 4 and [g["rate"].percent for g in block["rows"][0].groups] == [40]
    assert "40 %" in _home(client, supervisor_a).content.decode()
    assert _waiting(client, employee_a)["rounds"] is None
    assert [r.unit_id for r in _waiting(client, supervisor_b)["rounds"]["rows"]] == [unit_b.pk]


# --- Empty and query count ----------------------------------------------------------------------


def test_an_empty_home_page_says_so_kindly(client, employee_a):
    response = _home(client, employee_a)
    assert response.context["anything_waiting"] is False
    assert not any(response.context["waiting"].values())
    assert "home-calm" in response.content.decode()


def test_a_busy_home_page_does_not_say_nothing_is_waiting(client, employee_a, unit_a):
    _action(unit_a, employee_a, 1)
    assert "home-calm" not in _home(client, employee_a).content.decode()


def _child_due(unit, keeper, *, days_placed):
    """A child of `unit` whose functional-capacity measurement is due or late."""
    from omavalvonta.clients.services import placement_create

    placement_create(
        actor=keeper,
        unit=unit,
        **placement_kwargs(county=WellbeingCountyFactory(), starts_on=timezone.localdate() - dt.timedelta(days=days_placed)),
    )


def _fill(n, *, person, unit, authority, extra_units, first_year=2026):
    """n rows in every block for `person` (a responsible person of `unit` and of
    `extra_units`, and the quality director)."""
    for i in range(n):
        _action(unit, person, i - 1)
        meeting = _meeting(unit, person, 1 + i, participants=[person])
        _ack(person, meeting)
        _occurrence(unit, person, -i)
        _guidance(authority, unit, assignee=person)
        _guidance(authority, unit, state=GuidanceState.RESPONSE_IN_REVIEW)
        _draft(extra_units[i], person, review_in_days=-1)
        _round(unit, year=first_year - i, answers=2)
        _serious(unit, person)
        FollowupReport.objects.create(
            period_start=dt.date(first_year - i, 1, 1), period_end=dt.date(first_year - i, 4, 30), created_by=person
        )
        _child_due(unit, person, days_placed=40 + 30 * i)
        _qualification_expiring(unit, person, days_left=5 + i)
        _restraint_unsigned(unit, person)
        _orientation_mentored(unit, person)
        _instruction_proposal(unit, person)
        _complaint(unit, person, late=i % 2 == 0)
        _learning(unit, person)


def _complaint(unit, handler, *, late):
    """A complaint of `unit` that `handler` answers (late, or due in a week)."""
    from omavalvonta.complaints.models import ComplainantKind, Complaint, ReceivedVia

    today = timezone.localdate()
    Complaint.objects.create(
        unit=unit, received_on=today - dt.timedelta(days=10), received_via=ReceivedVia.LETTER,
        complainant_kind=ComplainantKind.GUARDIAN, complainant_name="Vanhempi", subject="Kohtelu",
        handler=handler, answer_due=today + dt.timedelta(days=-1 if late else 7),
    )


def _instruction_proposal(unit, responsible):
    """A handler's proposal to change an instruction of `unit`, waiting for `responsible` to decide it."""
    from omavalvonta.deviations.models import InstructionProposal

    InstructionProposal.objects.create(
        unit=unit, instruction="Iltalääkkeiden ohje", proposal="Kaksoistarkistus vuoronvaihtoon.", responsible=responsible
    )


def _learning(unit, person):
    """An open learning review `person` facilitates, and a shared summary they are asked to acknowledge."""
    from omavalvonta.learning import services

    due = timezone.localdate() + dt.timedelta(days=10)
    services.review_open(actor=person, unit=unit, title="Avoin katselmus", facilitator=person, due_date=due)
    done = services.review_open(actor=person, unit=unit, title="Valmis katselmus", facilitator=person, due_date=due)
    services.review_answers_save(actor=person, review=done, answers={"learned": "Opimme."})
    summary = services.review_complete(actor=person, review=done, summary="Tarkistuslista.")
    services.summary_share(actor=person, summary=summary)
    services.summary_requests_make()  # the worker's job


def _orientation_mentored(unit, mentor):
    """A newcomer of `unit` whose orientation `mentor` (one of the unit's leaders) started and mentors."""
    from omavalvonta.people.orientation_defaults import ensure_default_cards
    from omavalvonta.people.services import orientation_start

    ensure_default_cards()
    orientation_start(
        actor=mentor, unit=unit, newcomer=member(Role.EMPLOYEE, unit=unit), role="hourly", mentor=mentor,
        started_on=timezone.localdate() - dt.timedelta(days=8),
    )


def _restraint_unsigned(unit, keeper):
    """A restraint recorded in `unit` whose written account is not yet signed."""
    from omavalvonta.clients.services import placement_create
    from omavalvonta.restrictions.services import restriction_record
    from omavalvonta.restrictions.tests.conftest import restraint_kwargs

    child = placement_create(actor=keeper, unit=unit, **placement_kwargs(county=WellbeingCountyFactory()))
    restriction_record(actor=keeper, placement=child, **restraint_kwargs())


def _qualification_expiring(unit, keeper, *, days_left):
    """A member of `unit`'s staff whose first-aid certificate runs out in `days_left` days."""
    from omavalvonta.people.defaults import ensure_default_types
    from omavalvonta.people.models import QualificationType
    from omavalvonta.people.services import qualification_record

    ensure_default_types()
    today = timezone.localdate()
    qualification_record(
        actor=keeper, unit=unit, person=member(Role.EMPLOYEE, unit=unit), qtype=QualificationType.objects.get(key="ensiapu"),
        done_on=today - dt.timedelta(days=30), valid_until=today + dt.timedelta(days=days_left),
    )


def _home_queries(client, person) -> int:
    client.force_login(person)
    client.get(reverse("home"))  # warm the session
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("home")).status_code == 200
    return len(queries)


def test_home_query_count_is_the_same_with_one_and_with_many_rows_in_every_block(client, authority, region_a, unit_a):
    extra = [UnitFactory(region=region_a) for _ in range(12)]

    def busy_person(units):
        person = member(Role.RESPONSIBLE_PERSON, unit=unit_a)
        MembershipFactory(user=person, role=Role.QUALITY_DIRECTOR, unit=None, region=None)
        for u in units:
            MembershipFactory(user=person, role=Role.RESPONSIBLE_PERSON, unit=u)
        # The readiness group's chair too (one chair at a time): no crisis-communication plan yet.
        ReadinessMember.objects.filter(group_role=ReadinessRole.CHAIR).update(ended_at=timezone.now())
        ReadinessMember.objects.create(user=person, group_role=ReadinessRole.CHAIR, added_by=person)
        return person

    one = busy_person(extra[:1])
    _fill(1, person=one, unit=unit_a, authority=authority, extra_units=extra[:1])
    waiting = _waiting(client, one)
    assert all(waiting[k] for k in waiting), waiting
    few = _home_queries(client, one)
    many = busy_person(extra[1:])
    _fill(8, person=many, unit=unit_a, authority=authority, extra_units=extra[1:], first_year=2025)
    assert _waiting(client, many)["actions"]["total"] == 8
    # A few per block (orientation, security plan: 42; the unit leaders' late orientations and development
    # discussions: 44; the proposals to change an instruction the person decides: 45; the complaints they
    # answer: 46; the learning reviews and summaries: 49). 36 since the blocks that count first
    # (core/lib/counts.py) make their counts in one statement; such a block reads a list's rows only when
    # its count is not 0, so a person with one list of a block empty makes one query fewer, never more.
    # 32 since every block counts first (the complaints, orientations, competence, the unit leaders'
    # block, restrictive measures, measurements, follow-up and the security plan too) and the menu's
    # badges are counted in the same statement. 33 with the readiness group's chair's block (its one
    # row of what is due, read only for the chair).
    assert _home_queries(client, many) <= few <= 33
