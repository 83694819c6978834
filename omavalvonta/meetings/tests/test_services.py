"""Meeting services: the agenda that builds itself, the minutes, closing them and
the acknowledgements that follow."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from omavalvonta.core import registry
from omavalvonta.core.models import AuditEvent
from omavalvonta.deviations.models import Deviation
from omavalvonta.improvement import services as improvement
from omavalvonta.improvement.models import Acknowledgement, Action, LogEntry
from omavalvonta.improvement.selectors import acknowledgement_progress
from omavalvonta.meetings import agenda, selectors, services
from omavalvonta.meetings.models import AgendaItem, AgendaItemKind, Meeting, MeetingKind, MeetingState
from omavalvonta.meetings.tests.helpers import action, closed_meeting, marked_deviation, team_meeting
from omavalvonta.notifications.models import Notification
from omavalvonta.organisation.models import Role
from omavalvonta.testing.factories import member

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_texts")]


def sources(meeting, kind):
    return [i.source_id for i in meeting.items.filter(kind=kind)]


# --- The agenda -----------------------------------------------------------------------------


def test_agenda_builds_itself_from_marked_deviations_and_due_actions(
    employee_a, supervisor_a, supervisor_b, unit_a, unit_b
):
    marked = marked_deviation(employee_a, supervisor_a, unit_a)
    marked_deviation(employee_a, supervisor_a, unit_a, for_team_meeting=False)
    marked_deviation(supervisor_b, supervisor_b, unit_b)  # another unit
    soon = action(supervisor_a, unit_a, days=10, owner=employee_a)
    overdue = Action.objects.create(
        unit=unit_a, title="Myöhässä", owner=supervisor_a, created_by=supervisor_a,
        due_date=timezone.localdate() - dt.timedelta(days=3),
    )
    action(supervisor_a, unit_a, days=60)  # not due yet
    action(supervisor_b, unit_b, days=5)  # another unit

    meeting = team_meeting(supervisor_a, unit_a)

    assert sources(meeting, AgendaItemKind.DEVIATION) == [marked.pk]
    assert sorted(sources(meeting, AgendaItemKind.ACTION_DUE)) == sorted([soon.pk, overdue.pk])
    items = list(meeting.items.all())
    assert all(i.unit_id == unit_a.pk for i in items)
    assert [i.order for i in items] == [1, 2, 3]
    # Titles name the report by number and type only: staff read the minutes.
    deviation_item = meeting.items.get(kind=AgendaItemKind.DEVIATION)
    assert deviation_item.title == str(marked) and "Iltalääkkeet" not in deviation_item.title
    assert "Overdue" in meeting.items.get(source_id=overdue.pk, kind=AgendaItemKind.ACTION_DUE).note
    assert meeting.title == f"Team meeting {timezone.localtime().month}/{timezone.localtime().year}"
    assert meeting.chair == supervisor_a and meeting.state == MeetingState.PLANNED


def test_deviations_on_closed_minutes_stay_off_the_next_agenda(employee_a, supervisor_a, unit_a):
    handled = marked_deviation(employee_a, supervisor_a, unit_a)
    first = team_meeting(supervisor_a, unit_a)
    # Still open minutes: the next meeting still gets it.
    assert sources(team_meeting(supervisor_a, unit_a), AgendaItemKind.DEVIATION) == [handled.pk]
    services.meeting_attendance_set(actor=supervisor_a, meeting=first, participants=[supervisor_a], absentees=[])
    services.meeting_close(actor=supervisor_a, meeting=first)
    fresh = marked_deviation(employee_a, supervisor_a, unit_a)

    assert sources(team_meeting(supervisor_a, unit_a), AgendaItemKind.DEVIATION) == [fresh.pk]


def test_many_due_actions_come_as_the_most_urgent_and_one_summary(supervisor_a, unit_a):
    for n in range(selectors.ACTIONS_ON_AGENDA_MAX + 3):
        action(supervisor_a, unit_a, days=n, title=f"Toimenpide {n}")
    meeting = team_meeting(supervisor_a, unit_a)
    items = list(meeting.items.filter(kind=AgendaItemKind.ACTION_DUE))
    assert len(items) == selectors.ACTIONS_ON_AGENDA_MAX + 1
    assert items[0].title == "Toimenpide 0"
    assert items[-1].title == "3 more actions are due or overdue" and items[-1].source_id is None
    # Refreshing does not repeat the summary line.
    assert services.agenda_refresh(actor=supervisor_a, meeting=meeting) == 0


def test_old_closed_deviations_are_history_not_agenda(employee_a, supervisor_a, unit_a):
    old = marked_deviation(employee_a, supervisor_a, unit_a)
    recent = marked_deviation(employee_a, supervisor_a, unit_a)
    Deviation.objects.filter(pk=old.pk).update(state="closed", closed_at=timezone.now() - dt.timedelta(days=90))
    Deviation.objects.filter(pk=recent.pk).update(state="closed", closed_at=timezone.now() - dt.timedelta(days=10))
    assert sources(team_meeting(supervisor_a, unit_a), AgendaItemKind.DEVIATION) == [recent.pk]


def test_refreshing_the_agenda_adds_only_what_is_new(employee_a, supervisor_a, unit_a):
    marked_deviation(employee_a, supervisor_a, unit_a)
    meeting = team_meeting(supervisor_a, unit_a)
    assert services.agenda_refresh(actor=supervisor_a, meeting=meeting) == 0
    later = marked_deviation(employee_a, supervisor_a, unit_a)
    assert services.agenda_refresh(actor=supervisor_a, meeting=meeting) == 1
    assert meeting.items.last().source_id == later.pk


def test_agenda_sources_are_a_registry_and_a_failing_one_does_not_stop_the_meeting(supervisor_a, unit_a):
    def extra(*, actor, unit):
        return [{"title": "Palauteraportti 11/2026", "note": "NPS 62"}]

    def broken(*, actor, unit):
        raise RuntimeError("boom")

    before = registry.snapshot(registry.AGENDA_SOURCES)
    try:
        agenda.register_agenda_source("test_feedback", extra, kind=AgendaItemKind.FEEDBACK_REPORT)
        agenda.register_agenda_source("test_broken", broken, kind=AgendaItemKind.OTHER)
        meeting = team_meeting(supervisor_a, unit_a)
    finally:
        registry.restore(registry.AGENDA_SOURCES, before)
    item = meeting.items.get()
    assert (item.kind, item.title, item.note, item.source_id) == (
        AgendaItemKind.FEEDBACK_REPORT, "Palauteraportti 11/2026", "NPS 62", None,
    )


def test_records_from_a_source_come_once_but_actions_due_come_back(supervisor_a, employee_a, unit_a):
    due = action(supervisor_a, unit_a, days=5, owner=employee_a)

    def records(*, actor, unit):
        return [unit]  # any model instance: its str() is the title

    before = registry.snapshot(registry.AGENDA_SOURCES)
    try:
        agenda.register_agenda_source("test_records", records, kind=AgendaItemKind.GUIDANCE)
        first = closed_meeting(supervisor_a, unit_a, participants=[supervisor_a])
        assert sources(first, AgendaItemKind.GUIDANCE) == [unit_a.pk]
        second = team_meeting(supervisor_a, unit_a)
    finally:
        registry.restore(registry.AGENDA_SOURCES, before)
    assert sources(second, AgendaItemKind.GUIDANCE) == []
    assert sources(second, AgendaItemKind.ACTION_DUE) == [due.pk]


def test_the_guidance_area_registers_its_agenda_source():
    from omavalvonta.guidance.selectors import guidance_for_agenda

    source = next(s for s in agenda.agenda_sources() if s.name == "guidance")
    assert source.func is guidance_for_agenda


def test_new_guidance_for_the_unit_comes_to_the_agenda(responsible_a, supervisor_a, authority, unit_a):
    from omavalvonta.guidance import services as guidance

    item = guidance.guidance_register(
        actor=responsible_a, kind="guidance", title="Ohje rajoitustoimenpiteiden kirjaamisesta",
        content="Kirjaa jokainen rajoitustoimenpide samana päivänä.", received_on=timezone.localdate(),
        authority=authority, units=[unit_a],
    )
    meeting = team_meeting(supervisor_a, unit_a)
    assert sources(meeting, AgendaItemKind.GUIDANCE) == [item.pk]
    assert meeting.items.get(kind=AgendaItemKind.GUIDANCE).title == item.title


def test_every_agenda_source_gives_a_known_item_kind():
    # The owning areas name the kind by its value (they import nothing of meetings).
    names = {s.name for s in agenda.agenda_sources()}
    assert {"deviations", "feedback_report", "guidance", "actions_due", "plan_review", "yearclock.obligations_due"} <= names
    assert all(s.kind in AgendaItemKind.values for s in agenda.agenda_sources())


def test_chair_adds_moves_and_removes_items(supervisor_a, unit_a):
    meeting = team_meeting(supervisor_a, unit_a)
    a = services.agenda_item_add(actor=supervisor_a, meeting=meeting, title="Kesälomat")
    b = services.agenda_item_add(actor=supervisor_a, meeting=meeting, title="Palohälytysharjoitus")
    c = services.agenda_item_add(actor=supervisor_a, meeting=meeting, title="Muut asiat")
    services.agenda_item_move(actor=supervisor_a, item=c, direction="up")
    assert [i.title for i in meeting.items.all()] == ["Kesälomat", "Muut asiat", "Palohälytysharjoitus"]
    services.agenda_item_move(actor=supervisor_a, item=a, direction="up")  # already first: no change
    services.agenda_item_move(actor=supervisor_a, item=a, direction="down")
    assert [i.title for i in meeting.items.all()] == ["Muut asiat", "Kesälomat", "Palohälytysharjoitus"]
    services.agenda_item_remove(actor=supervisor_a, item=b)
    assert [i.title for i in meeting.items.all()] == ["Muut asiat", "Kesälomat"]
    with pytest.raises(ValidationError):
        services.agenda_item_add(actor=supervisor_a, meeting=meeting, title="  ")


# --- The minutes ------------------------------------------------------------------------------


def test_decisions_actions_and_log_entries_come_from_the_item(employee_a, supervisor_a, unit_a):
    deviation = marked_deviation(employee_a, supervisor_a, unit_a)
    meeting = team_meeting(supervisor_a, unit_a)
    item = meeting.items.get(source_id=deviation.pk)

    services.agenda_item_decide(actor=supervisor_a, item=item, decision="Lääkejako kahden ohjaajan tehtäväksi.")
    new_action = services.agenda_item_action_create(
        actor=supervisor_a, item=item, title="Lääkejaon ohje päivitetään", owner=employee_a,
        due_date=timezone.localdate() + dt.timedelta(days=14),
    )
    entry = services.agenda_item_log_entry_create(
        actor=supervisor_a, item=item, observation="Iltalääke jäi antamatta.", reaction="Käsitelty tiimissä.",
        planned_correction="Kaksoistarkistus.",
    )

    item_type = ContentType.objects.get_for_model(AgendaItem)
    item.refresh_from_db()
    meeting.refresh_from_db()
    assert item.decision == "Lääkejako kahden ohjaajan tehtäväksi."
    assert (new_action.source_type, new_action.source_id, new_action.unit_id) == (item_type, item.pk, unit_a.pk)
    assert new_action.owner == employee_a
    assert (entry.source_type, entry.source_id, entry.unit_id) == (item_type, item.pk, unit_a.pk)
    assert Notification.objects.filter(recipient=employee_a, kind="action.assigned").exists()
    assert meeting.state == MeetingState.IN_PROGRESS
    verbs = set(AuditEvent.objects.filter(target_id=meeting.pk, verb__startswith="meeting.").values_list("verb", flat=True))
    assert {"meeting.created", "meeting.started", "meeting.decision_recorded", "meeting.action_decided",
            "meeting.log_entry_written"} <= verbs
    # An item with decided actions cannot be taken off the agenda.
    with pytest.raises(ValidationError):
        services.agenda_item_remove(actor=supervisor_a, item=item)


def test_log_entry_written_before_the_meetings_day_is_observed_today(employee_a, supervisor_a, unit_a):
    """At 23:30 Helsinki time a meeting starting in an hour falls on tomorrow;
    an entry written now is observed today, never on a date in the future."""
    with time_machine.travel(dt.datetime(2026, 12, 4, 23, 30, tzinfo=ZoneInfo("Europe/Helsinki")), tick=False):
        deviation = marked_deviation(employee_a, supervisor_a, unit_a)
        meeting = team_meeting(supervisor_a, unit_a)
        item = meeting.items.get(source_id=deviation.pk)
        entry = services.agenda_item_log_entry_create(
            actor=supervisor_a, item=item, observation="Iltalääke jäi antamatta.",
        )
    assert timezone.localtime(meeting.starts_at).date() == dt.date(2026, 12, 5)
    assert entry.observed_on == dt.date(2026, 12, 4)


def test_action_owner_comes_from_the_units_staff(supervisor_a, supervisor_b, unit_a):
    meeting = team_meeting(supervisor_a, unit_a)
    item = services.agenda_item_add(actor=supervisor_a, meeting=meeting, title="Muut asiat")
    with pytest.raises(ValidationError) as error:
        services.agenda_item_action_create(
            actor=supervisor_a, item=item, title="Jotain", owner=supervisor_b,
            due_date=timezone.localdate() + dt.timedelta(days=3),
        )
    assert "owner" in error.value.message_dict
    assert not Action.objects.exists()


def test_attendance_is_recorded_from_the_units_staff(supervisor_a, employee_a, colleague_a, supervisor_b, unit_a):
    meeting = team_meeting(supervisor_a, unit_a)
    services.meeting_attendance_set(
        actor=supervisor_a, meeting=meeting, participants=[supervisor_a, colleague_a], absentees=[employee_a],
        guests="Työterveyshoitaja",
    )
    meeting.refresh_from_db()
    assert set(meeting.participants.all()) == {supervisor_a, colleague_a}
    assert list(meeting.absentees.all()) == [employee_a]
    assert meeting.guests == "Työterveyshoitaja"
    with pytest.raises(ValidationError):
        services.meeting_attendance_set(actor=supervisor_a, meeting=meeting, participants=[supervisor_b], absentees=[])
    with pytest.raises(ValidationError):
        services.meeting_attendance_set(actor=supervisor_a, meeting=meeting, participants=[employee_a], absentees=[employee_a])


# --- Closing and acknowledging ----------------------------------------------------------------


def test_closing_asks_the_absent_to_acknowledge(supervisor_a, employee_a, colleague_a, unit_a):
    meeting = closed_meeting(supervisor_a, unit_a, participants=[supervisor_a, colleague_a], absentees=[employee_a])
    assert meeting.state == MeetingState.MINUTES_CLOSED and meeting.closed_at is not None
    asked = Acknowledgement.objects.filter(target_id=meeting.pk)
    assert [a.user for a in asked] == [employee_a]
    assert acknowledgement_progress(target=meeting) == (0, 1)
    note = Notification.objects.get(recipient=employee_a, kind="acknowledgement.requested")
    assert note.link == f"/kokoukset/{meeting.pk}/"


def test_new_instructions_ask_all_the_units_staff_but_the_chair(
    supervisor_a, employee_a, colleague_a, responsible_a, unit_a, supervisor_b
):
    meeting = closed_meeting(
        supervisor_a, unit_a, participants=[supervisor_a, colleague_a], absentees=[employee_a], new_instructions=True
    )
    asked = {a.user for a in Acknowledgement.objects.filter(target_id=meeting.pk)}
    assert asked == {employee_a, colleague_a, responsible_a}
    assert meeting.contains_new_instructions


def test_closing_needs_the_attendance(supervisor_a, unit_a):
    meeting = team_meeting(supervisor_a, unit_a)
    with pytest.raises(ValidationError):
        services.meeting_close(actor=supervisor_a, meeting=meeting)
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.PLANNED


def test_progress_moves_when_someone_acknowledges(supervisor_a, employee_a, colleague_a, unit_a):
    meeting = closed_meeting(supervisor_a, unit_a, participants=[supervisor_a], absentees=[employee_a, colleague_a])
    assert acknowledgement_progress(target=meeting) == (0, 2)
    ack = selectors.own_pending_acknowledgement(
        actor=employee_a, pk=Acknowledgement.objects.get(user=employee_a).pk
    )
    services.acknowledgement_confirm(actor=employee_a, acknowledgement=ack)
    status = selectors.meeting_acknowledgements(meeting=meeting)
    assert (status.done, status.asked) == (1, 2)
    assert [a.user for a in status.acknowledged] == [employee_a]
    assert [a.user for a in status.waiting] == [colleague_a]
    # Nobody confirms someone else's.
    with pytest.raises(Http404):
        selectors.own_pending_acknowledgement(actor=colleague_a, pk=ack.pk)


def test_remind_notifies_only_those_who_have_not_acknowledged(supervisor_a, employee_a, colleague_a, unit_a):
    meeting = closed_meeting(supervisor_a, unit_a, participants=[supervisor_a], absentees=[employee_a, colleague_a])
    improvement.acknowledgement_confirm(actor=employee_a, acknowledgement=Acknowledgement.objects.get(user=employee_a))

    assert services.meeting_acknowledgements_remind(actor=supervisor_a, meeting=meeting) == 1

    reminders = Notification.objects.filter(kind="acknowledgement.reminder")
    assert [n.recipient for n in reminders] == [colleague_a]
    assert Acknowledgement.objects.get(user=colleague_a).reminded_at is not None
    assert Acknowledgement.objects.get(user=employee_a).reminded_at is None
    with pytest.raises(PermissionDenied):
        services.meeting_acknowledgements_remind(actor=employee_a, meeting=meeting)


def test_closed_minutes_are_read_only(supervisor_a, employee_a, unit_a):
    meeting = team_meeting(supervisor_a, unit_a)
    item = services.agenda_item_add(actor=supervisor_a, meeting=meeting, title="Muut asiat")
    services.agenda_item_add(actor=supervisor_a, meeting=meeting, title="Seuraava kokous")
    services.meeting_attendance_set(actor=supervisor_a, meeting=meeting, participants=[supervisor_a], absentees=[])
    services.meeting_close(actor=supervisor_a, meeting=meeting)
    due = timezone.localdate() + dt.timedelta(days=5)
    refused = [
        lambda: services.agenda_item_decide(actor=supervisor_a, item=item, decision="Muutos jälkikäteen"),
        lambda: services.agenda_item_add(actor=supervisor_a, meeting=meeting, title="Lisäys"),
        lambda: services.agenda_item_move(actor=supervisor_a, item=item, direction="down"),
        lambda: services.agenda_item_remove(actor=supervisor_a, item=item),
        lambda: services.agenda_item_action_create(actor=supervisor_a, item=item, title="X", owner=employee_a, due_date=due),
        lambda: services.agenda_item_log_entry_create(actor=supervisor_a, item=item, observation="X"),
        lambda: services.meeting_attendance_set(actor=supervisor_a, meeting=meeting, participants=[], absentees=[]),
        lambda: services.meeting_close(actor=supervisor_a, meeting=meeting),
        lambda: services.agenda_refresh(actor=supervisor_a, meeting=meeting),
    ]
    for attempt in refused:
        with pytest.raises(ValidationError):
            attempt()
    item.refresh_from_db()
    assert item.decision == "" and meeting.items.count() == 2
    assert not Action.objects.exists() and not LogEntry.objects.exists()


# --- Access -------------------------------------------------------------------------------------


def test_only_the_units_leaders_plan_and_edit_its_meetings(supervisor_a, employee_a, supervisor_b, regional_director_a, unit_a):
    with pytest.raises(PermissionDenied):
        team_meeting(employee_a, unit_a)
    with pytest.raises(PermissionDenied):
        team_meeting(supervisor_b, unit_a)
    meeting = team_meeting(regional_director_a, unit_a, kind=MeetingKind.SUPERVISOR_REVIEW)
    assert meeting.title.startswith("Supervisor's review")
    for actor in (employee_a, supervisor_b):
        with pytest.raises(PermissionDenied):
            services.agenda_item_add(actor=actor, meeting=meeting, title="X")
    with pytest.raises(ValidationError):
        services.meeting_create(actor=supervisor_a, kind=MeetingKind.TEAM, title="", starts_at=timezone.now())


def test_management_group_meetings_are_for_the_group_and_the_quality_director(
    quality_director, supervisor_a, regional_director_a, unit_a
):
    board = member(Role.MANAGEMENT_GROUP, full_name="Johtoryhmän Jäsen")
    with pytest.raises(PermissionDenied):
        services.meeting_create(actor=supervisor_a, kind=MeetingKind.MANAGEMENT_GROUP, title="", starts_at=timezone.now())
    meeting = services.meeting_create(
        actor=quality_director, kind=MeetingKind.MANAGEMENT_GROUP, unit=unit_a, title="", starts_at=timezone.now()
    )
    assert meeting.unit_id is None and not meeting.items.exists()
    assert selectors.meeting_get(actor=board, pk=meeting.pk) == meeting
    with pytest.raises(PermissionDenied):
        selectors.meeting_get(actor=board, pk=meeting.pk, perm="meeting.manage")
    for outsider in (supervisor_a, regional_director_a):
        with pytest.raises(Http404):
            selectors.meeting_get(actor=outsider, pk=meeting.pk)
        assert meeting not in selectors.meeting_list(actor=outsider)
    assert meeting in selectors.meeting_list(actor=board)
    # Attendance comes from the group.
    services.meeting_attendance_set(actor=quality_director, meeting=meeting, participants=[board, quality_director], absentees=[])
    assert services.meeting_close(actor=quality_director, meeting=meeting) == 0


def test_meeting_needs_a_unit_unless_it_is_the_management_group(supervisor_a, unit_a):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.create(kind=MeetingKind.TEAM, title="X", starts_at=timezone.now(), chair=supervisor_a, created_by=supervisor_a)
