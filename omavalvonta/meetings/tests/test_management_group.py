"""Management group meetings: the group-level agenda, decisions recorded in a unit
the chair chooses, and minutes that are closed without acknowledgements."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from omavalvonta.deviations import services as deviations
from omavalvonta.deviations.models import StatutoryNotification
from omavalvonta.guidance import services as guidance
from omavalvonta.improvement.models import Acknowledgement, Action, LogEntry
from omavalvonta.meetings import group_agenda, services
from omavalvonta.meetings.models import AgendaItemKind, MeetingKind
from omavalvonta.organisation.models import Role
from omavalvonta.testing.factories import deviation_kwargs, member

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_texts")]


@pytest.fixture
def board(organisation):
    return member(Role.MANAGEMENT_GROUP, full_name="Johtoryhmän Jäsen", email="jr@omavalvonta.example")


def serious(reporter, handler, unit, *, likelihood=4):
    deviation = deviations.deviation_submit(actor=reporter, **deviation_kwargs(unit)).deviation
    deviations.deviation_classify(actor=handler, deviation=deviation, consequence=2, likelihood=likelihood)
    deviation.refresh_from_db()
    return deviation


def group_meeting(actor, **overrides):
    data = {"actor": actor, "kind": MeetingKind.MANAGEMENT_GROUP, "title": "", "starts_at": timezone.now()}
    data.update(overrides)
    return services.meeting_create(**data)


def overdue_action(actor, unit, title):
    return Action.objects.create(
        unit=unit, title=title, owner=actor, created_by=actor, due_date=timezone.localdate() - dt.timedelta(days=5)
    )


# --- The agenda builds itself from group-level sources ---------------------------------------------


def test_group_agenda_collects_serious_deviations_notifications_actions_and_guidance(
    employee_a, supervisor_a, supervisor_b, unit_a, unit_b, quality_director, authority
):
    high_a = serious(employee_a, supervisor_a, unit_a)
    high_b = serious(supervisor_b, supervisor_b, unit_b)
    low = serious(employee_a, supervisor_a, unit_a, likelihood=1)
    StatutoryNotification.objects.create(
        deviation=high_a, unit=unit_a, recipient_kind="county", recipient_name="Hyvinvointialue",
        recipient_email="kirjaamo@hva.example", subject="Ilmoitus", body="-", sent_by=supervisor_a,
    )
    overdue_action(supervisor_a, unit_a, "Myöhässä A")
    overdue_action(supervisor_b, unit_b, "Myöhässä B")
    guidance.guidance_register(
        actor=quality_director, kind="information_request", title="Selvityspyyntö", content="Selvitä.",
        received_on=timezone.localdate(), authority=authority,
        deadline=timezone.localdate() + dt.timedelta(days=14), applies_to_all_units=True,
    )

    meeting = group_meeting(quality_director)

    items = list(meeting.items.all())
    titles = [i.title for i in items]
    assert "2 high or very high risk deviations in the last four months" in titles
    summary = meeting.items.get(title__startswith="2 high")
    assert "Pirkanmaa 1" in summary.note and "Satakunta 1" in summary.note
    newest = [i.source_id for i in items if i.kind == AgendaItemKind.DEVIATION and i.source_id]
    assert newest == [high_b.pk, high_a.pk]
    assert low.pk not in newest
    assert "1 statutory notification sent in the last four months" in titles
    actions = meeting.items.get(kind=AgendaItemKind.ACTION_DUE)
    assert actions.title == "2 overdue actions" and "Pirkanmaa 1" in actions.note
    assert meeting.items.get(kind=AgendaItemKind.GUIDANCE).title == "1 item of guidance awaiting a response or review"
    assert all(i.unit_id is None for i in items)
    # Titles carry numbers and counts only, never a description.
    assert not any("Iltalääkkeet" in t for t in titles)


def test_group_sources_see_only_what_the_actor_may_see(employee_a, supervisor_a, supervisor_b, unit_a, unit_b,
                                                       regional_director_a):
    serious(employee_a, supervisor_a, unit_a)
    serious(supervisor_b, supervisor_b, unit_b)
    overdue_action(supervisor_b, unit_b, "Myöhässä B")

    proposals = group_agenda.group_serious_deviations_for_agenda(actor=regional_director_a)
    assert proposals[0].title.startswith("1 high")
    assert "Satakunta" not in proposals[0].note
    assert group_agenda.group_overdue_actions_for_agenda(actor=regional_director_a) == []


def test_old_deviations_stay_off_the_group_agenda(employee_a, supervisor_a, unit_a, quality_director):
    old = serious(employee_a, supervisor_a, unit_a)
    type(old).objects.filter(pk=old.pk).update(submitted_at=timezone.now() - dt.timedelta(days=130))
    meeting = group_meeting(quality_director)
    assert not meeting.items.filter(kind=AgendaItemKind.DEVIATION).exists()


def test_the_chair_adds_own_items_and_refreshes(quality_director, employee_a, supervisor_a, unit_a):
    meeting = group_meeting(quality_director)
    services.agenda_item_add(actor=quality_director, meeting=meeting, title="Budjetti 2027")
    serious(employee_a, supervisor_a, unit_a)
    assert services.agenda_refresh(actor=quality_director, meeting=meeting) >= 1
    titles = list(meeting.items.values_list("title", flat=True))
    assert "Budjetti 2027" in titles
    assert any(t.startswith("1 high") for t in titles)


def test_unit_sources_do_not_run_for_the_group_and_group_sources_not_for_units(
    employee_a, supervisor_a, unit_a, quality_director
):
    serious(employee_a, supervisor_a, unit_a)
    overdue_action(supervisor_a, unit_a, "Myöhässä A")
    team = services.meeting_create(
        actor=supervisor_a, kind=MeetingKind.TEAM, unit=unit_a, title="", starts_at=timezone.now()
    )
    assert not team.items.filter(title__contains="in the last four months").exists()
    group = group_meeting(quality_director)
    # The unit source would list the action itself (with a source); the group counts.
    assert not group.items.filter(kind=AgendaItemKind.ACTION_DUE, source_id__isnull=False).exists()


# --- Decisions recorded in a chosen unit -------------------------------------------------------------


def test_group_decision_becomes_an_action_in_the_chosen_unit(quality_director, unit_b, supervisor_b):
    meeting = group_meeting(quality_director)
    item = services.agenda_item_add(actor=quality_director, meeting=meeting, title="Perehdytys")
    action = services.agenda_item_action_create(
        actor=quality_director, item=item, title="Perehdytysmalli", owner=supervisor_b,
        due_date=timezone.localdate() + dt.timedelta(days=30), unit=unit_b,
    )
    assert action.unit == unit_b and action.owner == supervisor_b
    assert action.source_id == item.pk


def test_group_decision_needs_a_unit_and_an_owner_from_it(quality_director, unit_a, supervisor_b):
    meeting = group_meeting(quality_director)
    item = services.agenda_item_add(actor=quality_director, meeting=meeting, title="x")
    due = timezone.localdate() + dt.timedelta(days=30)
    with pytest.raises(ValidationError) as error:
        services.agenda_item_action_create(actor=quality_director, item=item, title="t", owner=supervisor_b,
                                           due_date=due)
    assert "unit" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.agenda_item_action_create(actor=quality_director, item=item, title="t", owner=supervisor_b,
                                           due_date=due, unit=unit_a)
    assert "owner" in error.value.message_dict


def test_group_decision_only_in_units_where_the_actor_has_the_right(
    quality_director, board, regional_director_a, unit_a, unit_b, supervisor_b
):
    # The chair is a management group member (read-only rights in the units).
    meeting = group_meeting(quality_director, chair=board)
    item = services.agenda_item_add(actor=board, meeting=meeting, title="x")
    with pytest.raises(ValidationError) as error:
        services.agenda_item_log_entry_create(actor=board, item=item, observation="Havainto", unit=unit_b)
    assert "unit" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.agenda_item_action_create(actor=board, item=item, title="t", owner=supervisor_b,
                                           due_date=timezone.localdate() + dt.timedelta(days=3), unit=unit_b)
    assert not Action.objects.exists() and not LogEntry.objects.exists()


def test_group_decision_becomes_a_log_entry_in_the_chosen_unit(quality_director, unit_a):
    meeting = group_meeting(quality_director)
    item = services.agenda_item_add(actor=quality_director, meeting=meeting, title="Lääkehoito")
    entry = services.agenda_item_log_entry_create(
        actor=quality_director, item=item, observation="Lääkepoikkeamia toistuvasti", unit=unit_a
    )
    assert entry.unit == unit_a and entry.source_id == item.pk


def test_group_meeting_page_offers_units_where_the_actor_may_record(client, quality_director, unit_a, unit_b,
                                                                      supervisor_b):
    meeting = group_meeting(quality_director)
    item = services.agenda_item_add(actor=quality_director, meeting=meeting, title="Perehdytys")
    client.force_login(quality_director)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert f'name="a{item.pk}-unit"' in page and f'name="l{item.pk}-unit"' in page

    response = client.post(
        reverse("meetings:item_action", args=[meeting.pk, item.pk]),
        {
            f"a{item.pk}-unit": unit_b.pk,
            f"a{item.pk}-title": "Perehdytysmalli",
            f"a{item.pk}-owner": supervisor_b.pk,
            f"a{item.pk}-due_date": (timezone.localdate() + dt.timedelta(days=20)).isoformat(),
            f"a{item.pk}-kind": "development",
        },
    )
    assert response.status_code == 302
    assert Action.objects.get().unit == unit_b

    response = client.post(
        reverse("meetings:item_log", args=[meeting.pk, item.pk]),
        {f"l{item.pk}-unit": unit_a.pk, f"l{item.pk}-observation": "Havainto"},
    )
    assert response.status_code == 302
    assert LogEntry.objects.get().unit == unit_a


# --- Closing: no acknowledgements for management group minutes ---------------------------------------


def test_closing_group_minutes_asks_no_acknowledgements_and_says_so(client, quality_director, board):
    absent = member(Role.MANAGEMENT_GROUP, full_name="Poissa Oleva", email="poissa@omavalvonta.example")
    meeting = group_meeting(quality_director)
    services.meeting_attendance_set(actor=quality_director, meeting=meeting, participants=[quality_director, board],
                                    absentees=[absent])

    asked = services.meeting_close(actor=quality_director, meeting=meeting, contains_new_instructions=True)

    assert asked == 0
    assert not Acknowledgement.objects.exists()
    meeting.refresh_from_db()
    assert meeting.is_closed and not meeting.contains_new_instructions
    client.force_login(absent)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "data-group-no-acks" in page
    assert "Management group minutes are not acknowledged in the service" in page


def test_group_minutes_close_form_has_no_new_instructions_choice(client, quality_director):
    meeting = group_meeting(quality_director)
    client.force_login(quality_director)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "close-contains_new_instructions" not in page
    assert "tell the absent members" in page
    assert "Absent staff are asked to acknowledge" not in page


def test_outsiders_cannot_touch_group_meetings(quality_director, supervisor_a, unit_a):
    meeting = group_meeting(quality_director)
    item = services.agenda_item_add(actor=quality_director, meeting=meeting, title="x")
    with pytest.raises(PermissionDenied):
        services.agenda_item_log_entry_create(actor=supervisor_a, item=item, observation="x", unit=unit_a)
