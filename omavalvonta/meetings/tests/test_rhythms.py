"""The programme's meeting rhythms (meetings/rhythms.py) as quality-calendar
duties: the team meeting every month, the supervisor's review twice a month,
the children's monthly meeting; the occupational safety committee's agenda; and
the children's meetings feeding the good-treatment plan and the team goals."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from omavalvonta.deviations import services as deviations
from omavalvonta.meetings import childrens, group_agenda, rhythms, services
from omavalvonta.meetings.models import Meeting, MeetingKind
from omavalvonta.notifications.models import Notification
from omavalvonta.organisation.models import Role, ServiceType, Unit
from omavalvonta.plans import facts as plan_facts, services as plan_services
from omavalvonta.testing.factories import UnitFactory, deviation_kwargs, member
from omavalvonta.yearclock import duties as calendar_duties, services as calendar_services
from omavalvonta.yearclock.models import DutyNotice, ObligationKind, Occurrence, OccurrenceState

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_texts")]

T0 = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)  # Monday 2.3.2026 10.00 in Helsinki
LONG_AGO = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)


@pytest.fixture
def frozen(time_machine):
    time_machine.move_to(T0, tick=False)
    return time_machine


@pytest.fixture
def old_units(frozen, unit_a, unit_b):
    """The units have run for years (their duties count from before the months tested)."""
    Unit.objects.filter(pk__in=[unit_a.pk, unit_b.pk]).update(created_at=LONG_AGO)
    unit_a.refresh_from_db()
    unit_b.refresh_from_db()


def _at(day: dt.date, hour: int = 13) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def _held(chair, unit, day, kind=MeetingKind.TEAM, *, close=True):
    meeting = services.meeting_create(actor=chair, unit=unit, kind=kind, title="", starts_at=_at(day))
    if close:
        services.meeting_attendance_set(actor=chair, meeting=meeting, participants=[chair], absentees=[])
        services.meeting_close(actor=chair, meeting=meeting)
    return meeting


def _team_duties(unit, today=None):
    return rhythms.rhythm_duties(rhythms.rhythm("team_meeting"), today=today or timezone.localdate(), unit_ids=[unit.pk])


# --- The rhythms are data with their source --------------------------------------------------------


def test_every_rhythm_names_its_source_in_the_programme():
    quotes = {r.key: r.source for r in rhythms.RHYTHMS}
    assert "joka kuukausi" in quotes["team_meeting"] and "työryhmäkokouksissa" in quotes["team_meeting"]
    assert "viikko- ja kuukausikokouksissa" in quotes["childrens_meeting"]
    assert "kaksi kertaa kuukaudessa" in rhythms.__doc__
    assert rhythms.rhythm("childrens_meeting").service_types == (ServiceType.SUBSTITUTE_CARE,)


# --- The team meeting every month -------------------------------------------------------------------


def test_a_month_without_a_team_meeting_is_late_and_escalated_once(old_units, unit_a, supervisor_a, responsible_a):
    duties = {d.key: d for d in _team_duties(unit_a)}
    february, march = f"meetings.team_meeting:{unit_a.pk}:2026-02", f"meetings.team_meeting:{unit_a.pk}:2026-03"
    assert set(duties) == {february, march}
    assert duties[february].late and duties[february].due_on == dt.date(2026, 2, 28)
    assert not duties[march].late and duties[march].due_on == dt.date(2026, 3, 31)
    assert "Monthly team meeting" in duties[february].title and "2/2026" in duties[february].title
    # Shown on the calendar's lists like other duties: one late, one due.
    row = next(r for r in calendar_duties.duties_of_units(actor=supervisor_a) if r["unit_id"] == unit_a.pk
               and r["link"].endswith("kind=team"))
    assert (row["due"], row["late"]) == (1, 1)

    calendar_duties.duties_remind_and_escalate()
    calendar_duties.duties_remind_and_escalate()

    assert DutyNotice.objects.filter(key=february, kind="escalation").count() == 1
    assert DutyNotice.objects.filter(key=february, kind="reminder").count() == 1
    reminded = DutyNotice.objects.get(key=february, kind="reminder").recipients
    assert supervisor_a.pk in reminded
    # March is still 29 days away: outside its ten reminder days.
    assert not DutyNotice.objects.filter(key=march).exists()
    late = Notification.objects.filter(kind="duty.late")
    assert late.count() == len(DutyNotice.objects.get(key=february, kind="escalation").recipients)
    assert all(unit_a.name in n.subject for n in late)


def test_a_closed_team_meeting_fulfils_its_month(old_units, unit_a, supervisor_a):
    _held(supervisor_a, unit_a, dt.date(2026, 2, 18))
    planned = _held(supervisor_a, unit_a, dt.date(2026, 3, 20), close=False)

    keys = [d.key for d in _team_duties(unit_a)]
    # February was held; March's meeting is planned but its minutes are not closed.
    assert keys == [f"meetings.team_meeting:{unit_a.pk}:2026-03"]

    services.meeting_attendance_set(actor=supervisor_a, meeting=planned, participants=[supervisor_a], absentees=[])
    services.meeting_close(actor=supervisor_a, meeting=planned)
    assert _team_duties(unit_a) == []


def test_another_kind_of_meeting_does_not_fulfil_the_team_meeting(old_units, unit_a, supervisor_a):
    _held(supervisor_a, unit_a, dt.date(2026, 2, 18), kind=MeetingKind.SUPERVISOR_REVIEW)
    assert any(d.late for d in _team_duties(unit_a))


def test_a_unit_created_during_the_month_owes_no_meeting_for_it(frozen, unit_a):
    # unit_a was created today (2.3.2026): February is not its month, nor March.
    Unit.objects.filter(pk=unit_a.pk).update(created_at=T0)
    assert _team_duties(unit_a) == []
    Unit.objects.filter(pk=unit_a.pk).update(created_at=dt.datetime(2026, 2, 10, tzinfo=dt.UTC))
    assert [d.due_on for d in _team_duties(unit_a)] == [dt.date(2026, 3, 31)]


def test_a_missed_month_is_history_after_the_next_one(old_units, unit_a):
    duties = _team_duties(unit_a, today=dt.date(2026, 4, 10))
    assert [d.key.rsplit(":", 1)[1] for d in duties] == ["2026-04", "2026-03"]


def test_the_rhythm_reads_the_units_in_two_queries(old_units, unit_a, unit_b, django_assert_max_num_queries):
    made = [UnitFactory(region=unit_a.region).pk for _n in range(4)]
    Unit.objects.filter(pk__in=made).update(created_at=LONG_AGO)
    with django_assert_max_num_queries(2):
        duties = rhythms.rhythm_duties(
            rhythms.rhythm("team_meeting"), today=timezone.localdate(), unit_ids=None
        )
    assert len(duties) == 2 * 6


# --- The supervisor's review twice a month (the calendar's own default duty) -------------------------


def test_the_twice_a_month_review_needs_two_meetings(old_units, quality_director, unit_a, supervisor_a, frozen):
    calendar_services.obligation_templates_install_defaults(actor=quality_director)
    march = Occurrence.objects.filter(
        unit=unit_a, template__kind=ObligationKind.SUPERVISOR_REVIEW, due_date__year=2026, due_date__month=3
    )
    assert march.count() == 2

    _held(supervisor_a, unit_a, dt.date(2026, 3, 4), kind=MeetingKind.SUPERVISOR_REVIEW)
    assert list(march.filter(state=OccurrenceState.OPEN).values_list("due_date", flat=True)) == [dt.date(2026, 3, 31)]
    # One review in the month leaves the month's second half late once it has passed.
    assert march.get(due_date=dt.date(2026, 3, 31)).is_late(dt.date(2026, 4, 1))

    _held(supervisor_a, unit_a, dt.date(2026, 3, 23), kind=MeetingKind.SUPERVISOR_REVIEW)
    assert not march.filter(state=OccurrenceState.OPEN).exists()


# --- The children's meetings ---------------------------------------------------------------------


def _childrens(actor, unit, day, kind="monthly", topics="Kotiintuloajat", **extra):
    return childrens.childrens_meeting_create(actor=actor, unit=unit, held_on=day, kind=kind, topics=topics, **extra)


def test_the_childrens_monthly_meeting_is_a_duty_of_childrens_homes_only(old_units, unit_a, unit_b, employee_a):
    Unit.objects.filter(pk=unit_b.pk).update(service_type=ServiceType.OPEN_CARE)
    rhythm = rhythms.rhythm("childrens_meeting")
    duties = rhythms.rhythm_duties(rhythm, today=timezone.localdate(), unit_ids=[unit_a.pk, unit_b.pk])
    assert {d.unit_id for d in duties} == {unit_a.pk}
    assert [d.late for d in duties] == [False, True]

    # A weekly meeting does not count for the month; the monthly one does.
    _childrens(employee_a, unit_a, dt.date(2026, 2, 8), kind="weekly")
    assert len(rhythms.rhythm_duties(rhythm, today=timezone.localdate(), unit_ids=[unit_a.pk])) == 2
    _childrens(employee_a, unit_a, dt.date(2026, 2, 22))
    _childrens(employee_a, unit_a, dt.date(2026, 3, 1))
    assert rhythms.rhythm_duties(rhythm, today=timezone.localdate(), unit_ids=[unit_a.pk]) == []


def test_the_childrens_meetings_feed_the_good_treatment_plans_participation_fact(
    frozen, unit_a, supervisor_a, employee_a, client
):
    _childrens(employee_a, unit_a, dt.date(2026, 2, 22), topics="Puhelinten käyttö iltaisin",
               decisions="Kokeillaan kuukausi")
    _childrens(employee_a, unit_a, dt.date(2026, 3, 1), kind="weekly", topics="Kesän retket")
    _childrens(employee_a, unit_a, dt.date(2025, 9, 1), kind="weekly", topics="Vanha aihe")  # before the four months

    fact = plan_facts.facts_for(unit_a, actor=supervisor_a, live_facts={"childrens_meetings"})["childrens_meetings"]
    assert (fact["total"], fact["weekly"], fact["monthly"]) == (2, 1, 1)
    assert [t["topics"] for t in fact["topics"]] == ["Kesän retket", "Puhelinten käyttö iltaisin"]
    assert all("decisions" not in t for t in fact["topics"])  # the plan is public: topics only

    draft = plan_services.plan_draft_start(actor=supervisor_a, unit=unit_a, kind="good_treatment")
    section = draft.sections.get(key="oikeudet")
    assert section.live_fact == "childrens_meetings"
    client.force_login(supervisor_a)
    page = client.get(reverse("plans:version", args=[draft.pk])).content.decode()
    assert 'data-fact="childrens-meetings"' in page, page[page.find("oikeudet") - 200:][:3000]
    assert "2 children's meetings held" in page and "Kesän retket" in page


def test_a_person_outside_the_unit_gets_no_participation_figures(frozen, unit_a, supervisor_b, employee_a):
    _childrens(employee_a, unit_a, dt.date(2026, 2, 22))
    assert childrens.plan_fact(unit=unit_a, actor=supervisor_b) == {"hidden": True}


def test_the_team_goals_page_shows_the_half_years_childrens_meetings(frozen, unit_a, supervisor_a, employee_a, client):
    _childrens(employee_a, unit_a, dt.date(2026, 2, 22), topics="Ruokalista", decisions="Kasvisruokapäivä")
    _childrens(employee_a, unit_a, dt.date(2025, 12, 20), topics="Joulu")  # the previous half-year
    client.force_login(supervisor_a)
    response = client.get(reverse("feedback:unit_goals", args=[unit_a.pk]), {"puolivuosi": "2026-1"})
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-team-fact="childrens_meetings"' in page
    assert "1 children's meeting held in the half-year" in page, page[page.find("team-fact"):][:1500]
    assert "Ruokalista" in page and "Kasvisruokapäivä" in page and "Joulu" not in page


# --- The occupational safety committee -------------------------------------------------------------


def _violence(reporter, unit, *, target="staff", description="Nuori uhkasi ohjaajaa"):
    return deviations.deviation_submit(
        actor=reporter,
        **deviation_kwargs(unit, kind="threat_or_violence", violence_target=target, description=description),
    ).deviation


def test_the_safety_committees_agenda_draws_threats_and_violence_across_its_scope(
    frozen, unit_a, unit_b, employee_a, supervisor_b, quality_director, regional_director_a
):
    in_a = _violence(employee_a, unit_a)
    in_b = _violence(supervisor_b, unit_b, target="child")
    deviations.deviation_submit(actor=employee_a, **deviation_kwargs(unit_a))  # a quality deviation: not theirs

    meeting = services.meeting_create(
        actor=quality_director, kind=MeetingKind.SAFETY_COMMITTEE, title="", starts_at=_at(dt.date(2026, 3, 10))
    )
    assert meeting.unit_id is None and meeting.title == "Occupational safety committee 3/2026"
    items = list(meeting.items.order_by("order"))
    titles = [i.title for i in items]
    assert titles[0] == "2 threat, danger or violence reports in the last four months"
    assert "staff 1" in items[1].note and "a child or young person 1" in items[1].note
    assert {i.source_id for i in items if i.source_id} == {in_a.pk, in_b.pk}
    # Number and type only: the description may name a child.
    assert not any("uhkasi" in (i.title + i.note) for i in items)

    # The chair's scope: a regional director's reading holds their region's reports only.
    scoped = group_agenda.safety_deviations_for_agenda(actor=regional_director_a)
    assert {p.source.pk for p in scoped if p.source is not None} == {in_a.pk}
    assert scoped[0].title.startswith("1 threat")


def test_the_safety_committee_is_planned_by_the_quality_director_and_read_by_the_group_leadership(
    frozen, client, quality_director, supervisor_a, unit_a
):
    board = member(Role.MANAGEMENT_GROUP)
    rehabilitation = member(Role.REHABILITATION_DIRECTOR)
    with pytest.raises(PermissionDenied):
        services.meeting_create(actor=board, kind=MeetingKind.SAFETY_COMMITTEE, title="", starts_at=_at(dt.date(2026, 3, 10)))
    meeting = services.meeting_create(
        actor=quality_director, kind=MeetingKind.SAFETY_COMMITTEE, title="", starts_at=_at(dt.date(2026, 3, 10))
    )
    url = reverse("meetings:detail", args=[meeting.pk])
    for person, status in ((board, 200), (rehabilitation, 200), (quality_director, 200), (supervisor_a, 404)):
        client.force_login(person)
        assert client.get(url).status_code == status, person
    client.force_login(board)
    assert meeting.pk in {m.pk for m in client.get(reverse("meetings:list")).context["page"]}
    client.force_login(supervisor_a)
    assert meeting.pk not in {m.pk for m in client.get(reverse("meetings:list")).context["page"]}
    # The planning form offers the kind to those who may plan it only.
    client.force_login(quality_director)
    assert b'value="safety_committee"' in client.get(reverse("meetings:create")).content
    client.force_login(supervisor_a)
    assert b'value="safety_committee"' not in client.get(reverse("meetings:create")).content


def test_the_safety_manager_reads_the_safety_committee_and_no_units_meetings(frozen, client, quality_director,
                                                                               supervisor_a, unit_a):
    """The safety manager (työsuojelupäällikkö) sits in the group's safety
    leadership: the committee's minutes open for them, a unit's own meetings do
    not (refused), and "Meetings" is in their menu; they are offered for its attendance."""
    safety = member(Role.SAFETY_MANAGER)
    committee = services.meeting_create(
        actor=quality_director, kind=MeetingKind.SAFETY_COMMITTEE, title="", starts_at=_at(dt.date(2026, 3, 10))
    )
    team = services.meeting_create(
        actor=supervisor_a, kind=MeetingKind.TEAM, title="Tiimi", unit=unit_a, starts_at=_at(dt.date(2026, 3, 11))
    )
    client.force_login(safety)
    assert client.get(reverse("meetings:detail", args=[committee.pk])).status_code == 200
    assert client.get(reverse("meetings:detail", args=[team.pk])).status_code == 403
    listed = client.get(reverse("meetings:list"))
    assert listed.status_code == 200
    assert [m.pk for m in listed.context["page"]] == [committee.pk]
    assert reverse("meetings:list") in {item["url"] for item in listed.context["nav_items"]}
    # The rest of the meeting pages stay closed to the role (it plans nothing).
    assert client.get(reverse("meetings:create")).status_code == 403
    from omavalvonta.meetings.selectors import meeting_people

    assert safety in set(meeting_people(meeting=committee))


def test_planning_a_safety_committee_without_the_right_is_refused_with_the_form_kept(frozen, client, supervisor_a, unit_a):
    client.force_login(supervisor_a)
    response = client.post(reverse("meetings:create"), {
        "kind": "safety_committee", "title": "Työsuojelu", "starts_at": "2026-03-10T10:00", "unit": unit_a.pk,
    })
    # The planning form again (a choice not offered), as its other refusals (200), nothing planned.
    assert response.status_code == 200 and "safety_committee" not in response.context["form"].fields["kind"].choices
    assert 'value="Työsuojelu"' in response.content.decode()
    assert not Meeting.objects.exists()
