"""Writes of actions: create, update, complete, the effectiveness check, cancel,
and how deviation handling creates them."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from omavalvonta.core.models import AuditEvent
from omavalvonta.deviations import services as deviation_services
from omavalvonta.deviations.models import Deviation
from omavalvonta.improvement import services
from omavalvonta.improvement.models import Action, ActionKind, ActionState, Effectiveness, SourceKind
from omavalvonta.improvement.tests.helpers import in_days, new_action
from omavalvonta.notifications.models import Notification
from omavalvonta.organisation.models import Role
from omavalvonta.testing.factories import deviation_kwargs, member

HELSINKI = ZoneInfo("Europe/Helsinki")


pytestmark = pytest.mark.usefixtures("english_texts")


def verbs(action):
    return list(AuditEvent.objects.filter(target_id=action.pk, verb__startswith="action.").values_list("verb", flat=True))


def notes_to(user, kind=None):
    qs = Notification.objects.filter(recipient=user)
    return list(qs.filter(kind=kind) if kind else qs)


def deviation_in(unit, reporter, *, risk_level=""):
    deviation = deviation_services.deviation_submit(actor=reporter, **deviation_kwargs(unit)).deviation
    if risk_level:
        Deviation.objects.filter(pk=deviation.pk).update(risk_level=risk_level)
        deviation.refresh_from_db()
    return deviation


def serious_action(supervisor, unit, owner, reporter, *, risk_level="high"):
    deviation = deviation_in(unit, reporter, risk_level=risk_level)
    return deviation_services.deviation_add_action(
        actor=supervisor, deviation=deviation, title="Toinen ohjaaja iltavuoroon", owner=owner, due_date=in_days(7)
    )


# --- Create -------------------------------------------------------------------------------------------


def test_supervisor_creates_a_development_action_and_the_owner_is_notified(supervisor_a, employee_a, unit_a):
    action = new_action(
        supervisor_a, unit_a, employee_a, kind=ActionKind.DEVELOPMENT, source_kind=SourceKind.AUDIT, description="  Tarkemmin  "
    )
    assert (action.state, action.kind, action.source_kind, action.description) == (
        ActionState.OPEN,
        ActionKind.DEVELOPMENT,
        SourceKind.AUDIT,
        "Tarkemmin",
    )
    assert not action.needs_effectiveness_check
    assert verbs(action) == ["action.created"]
    [note] = notes_to(employee_a, "action.assigned")
    assert note.link == f"/kehittaminen/toimenpiteet/{action.pk}/"


def test_an_action_without_a_source_is_of_source_other(supervisor_a, employee_a, unit_a):
    assert new_action(supervisor_a, unit_a, employee_a).source_kind == SourceKind.OTHER


def test_employee_may_not_create_actions(employee_a, colleague_a, unit_a):
    with pytest.raises(PermissionDenied):
        new_action(employee_a, unit_a, colleague_a)


def test_other_units_supervisor_may_not_create_actions_here(supervisor_b, employee_a, unit_a):
    with pytest.raises(PermissionDenied):
        new_action(supervisor_b, unit_a, employee_a)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": "   "}, "title"),
        ({"title": "x" * 301}, "title"),
        ({"due_date": None}, "due_date"),
        ({"source_kind": "gossip"}, "source_kind"),
    ],
)
def test_create_refuses_bad_input(supervisor_a, employee_a, unit_a, overrides, field):
    with pytest.raises(ValidationError) as error:
        new_action(supervisor_a, unit_a, employee_a, **overrides)
    assert field in error.value.message_dict


def test_create_refuses_a_past_due_date(supervisor_a, employee_a, unit_a):
    with pytest.raises(ValidationError) as error:
        new_action(supervisor_a, unit_a, employee_a, due_date=in_days(-1))
    assert "due_date" in error.value.message_dict


def test_create_refuses_an_owner_from_another_unit(supervisor_a, supervisor_b, unit_a):
    with pytest.raises(ValidationError) as error:
        new_action(supervisor_a, unit_a, supervisor_b)
    assert "owner" in error.value.message_dict


def test_create_refuses_an_inactive_owner(supervisor_a, employee_a, unit_a):
    employee_a.is_active = False
    employee_a.save()
    with pytest.raises(ValidationError):
        new_action(supervisor_a, unit_a, employee_a)


def test_an_action_one_creates_for_oneself_sends_no_notification(supervisor_a, unit_a):
    new_action(supervisor_a, unit_a, supervisor_a)
    assert notes_to(supervisor_a) == []


# --- From a deviation ---------------------------------------------------------------------------------


def test_deviation_handling_still_creates_actions_linked_to_the_report(supervisor_a, employee_a, unit_a):
    deviation = deviation_in(unit_a, employee_a)
    action = deviation_services.deviation_add_action(
        actor=supervisor_a, deviation=deviation, title="Perehdytys", owner=employee_a, due_date=in_days(5)
    )
    assert action.source_kind == SourceKind.DEVIATION
    assert action.source_id == deviation.pk
    assert not action.needs_effectiveness_check


@pytest.mark.parametrize("level", ["high", "very_high"])
def test_an_action_from_a_serious_risk_needs_an_effectiveness_check(supervisor_a, employee_a, unit_a, level):
    assert serious_action(supervisor_a, unit_a, employee_a, employee_a, risk_level=level).needs_effectiveness_check


@pytest.mark.parametrize("level", ["low", "moderate"])
def test_an_action_from_a_lesser_risk_needs_no_check(supervisor_a, employee_a, unit_a, level):
    assert not serious_action(supervisor_a, unit_a, employee_a, employee_a, risk_level=level).needs_effectiveness_check


def test_a_report_classified_serious_after_the_action_still_gets_its_check(supervisor_a, employee_a, unit_a):
    deviation = deviation_in(unit_a, employee_a)
    action = deviation_services.deviation_add_action(
        actor=supervisor_a, deviation=deviation, title="Perehdytys", owner=employee_a, due_date=in_days(5)
    )
    Deviation.objects.filter(pk=deviation.pk).update(risk_level="very_high")
    services.action_complete(actor=employee_a, action=action, note="Tehty")
    assert action.state == ActionState.AWAITING_CHECK


# --- Update ---------------------------------------------------------------------------------------------


def test_supervisor_changes_owner_and_due_date_and_the_new_owner_is_told(supervisor_a, employee_a, colleague_a, unit_a):
    action = new_action(supervisor_a, unit_a, employee_a)
    Action.objects.filter(pk=action.pk).update(reminded_at=timezone.now())
    action.refresh_from_db()
    services.action_update(
        actor=supervisor_a, action=action, title="Uusi otsikko", owner=colleague_a, due_date=in_days(20), description="Lisää"
    )
    action.refresh_from_db()
    assert (action.title, action.owner, action.due_date, action.description) == ("Uusi otsikko", colleague_a, in_days(20), "Lisää")
    assert action.reminded_at is None  # the new date gets its own reminder
    assert len(notes_to(colleague_a, "action.assigned")) == 1
    event = AuditEvent.objects.get(target_id=action.pk, verb="action.updated")
    assert event.data["owner_name"] == colleague_a.full_name


def test_the_owner_alone_may_not_edit_their_action(employee_a, supervisor_a, unit_a):
    action = new_action(supervisor_a, unit_a, employee_a)
    with pytest.raises(PermissionDenied):
        services.action_update(actor=employee_a, action=action, title="x", owner=employee_a, due_date=in_days(3))


def test_a_done_action_cannot_be_edited(supervisor_a, employee_a, unit_a):
    action = new_action(supervisor_a, unit_a, employee_a)
    services.action_complete(actor=employee_a, action=action, note="Tehty")
    with pytest.raises(ValidationError):
        services.action_update(actor=supervisor_a, action=action, title="x", owner=employee_a, due_date=in_days(3))


def test_an_update_without_changes_writes_no_event(supervisor_a, employee_a, unit_a):
    action = new_action(supervisor_a, unit_a, employee_a)
    services.action_update(
        actor=supervisor_a, action=action, title=action.title, owner=employee_a, due_date=action.due_date
    )
    assert verbs(action) == ["action.created"]


# --- Complete ---------------------------------------------------------------------------------------------


def test_owner_completes_their_action_and_the_decider_is_told(supervisor_a, employee_a, unit_a):
    action = new_action(supervisor_a, unit_a, employee_a)
    services.action_complete(actor=employee_a, action=action, note="  Avaimet siirretty.  ")
    action.refresh_from_db()
    assert (action.state, action.completion_note, action.completed_by) == (ActionState.DONE, "Avaimet siirretty.", employee_a)
    assert "action.completed" in verbs(action)
    assert len(notes_to(supervisor_a, "action.completed")) == 1


def test_completion_needs_a_note(supervisor_a, employee_a, unit_a):
    action = new_action(supervisor_a, unit_a, employee_a)
    with pytest.raises(ValidationError) as error:
        services.action_complete(actor=employee_a, action=action, note=" ")
    assert "note" in error.value.message_dict


def test_a_colleague_who_does_not_own_it_may_not_complete_it(supervisor_a, employee_a, colleague_a, unit_a):
    action = new_action(supervisor_a, unit_a, employee_a)
    with pytest.raises(PermissionDenied):
        services.action_complete(actor=colleague_a, action=action, note="Tehty")


def test_supervisor_may_complete_someone_elses_action(supervisor_a, employee_a, unit_a):
    action = new_action(supervisor_a, unit_a, employee_a)
    services.action_complete(actor=supervisor_a, action=action, note="Tehty yhdessä")
    assert action.state == ActionState.DONE


def test_a_done_action_cannot_be_completed_again(supervisor_a, employee_a, unit_a):
    action = new_action(supervisor_a, unit_a, employee_a)
    services.action_complete(actor=employee_a, action=action, note="Tehty")
    with pytest.raises(ValidationError):
        services.action_complete(actor=employee_a, action=action, note="Uudestaan")


# --- Effectiveness check -----------------------------------------------------------------------------------


def test_a_serious_risks_action_waits_for_the_check_instead_of_closing(supervisor_a, employee_a, unit_a):
    with time_machine.travel(dt.datetime(2026, 3, 2, 10, 0, tzinfo=HELSINKI), tick=False):
        action = serious_action(supervisor_a, unit_a, employee_a, employee_a)
        services.action_complete(actor=employee_a, action=action, note="Vahvuus nostettu")
    action.refresh_from_db()
    assert action.state == ActionState.AWAITING_CHECK
    assert action.effectiveness_due == dt.date(2026, 3, 2) + dt.timedelta(days=services.EFFECTIVENESS_CHECK_DAYS)


def test_the_check_cannot_be_recorded_before_it_is_due(supervisor_a, employee_a, unit_a):
    with time_machine.travel(dt.datetime(2026, 3, 2, 10, 0, tzinfo=HELSINKI), tick=False):
        action = serious_action(supervisor_a, unit_a, employee_a, employee_a)
        services.action_complete(actor=employee_a, action=action, note="Tehty")
    with time_machine.travel(dt.datetime(2026, 3, 31, 10, 0, tzinfo=HELSINKI), tick=False), pytest.raises(ValidationError) as error:
        services.action_record_effectiveness(actor=supervisor_a, action=action, result="yes", evidence="Ei uusia")
    assert "1.4.2026" in error.value.messages[0]


@pytest.mark.parametrize("result", [Effectiveness.YES, Effectiveness.PARTLY])
def test_yes_or_partly_closes_the_action(supervisor_a, employee_a, unit_a, result):
    with time_machine.travel(dt.datetime(2026, 3, 2, 10, 0, tzinfo=HELSINKI), tick=False):
        action = serious_action(supervisor_a, unit_a, employee_a, employee_a)
        services.action_complete(actor=employee_a, action=action, note="Tehty")
    with time_machine.travel(dt.datetime(2026, 4, 1, 10, 0, tzinfo=HELSINKI), tick=False):
        services.action_record_effectiveness(actor=supervisor_a, action=action, result=result, evidence="Ei uusia ilmoituksia")
    action.refresh_from_db()
    assert (action.state, action.effectiveness, action.effectiveness_checked_by) == (ActionState.DONE, result, supervisor_a)
    assert "action.effectiveness_recorded" in verbs(action)


def test_no_reopens_the_loop_with_a_new_due_date_and_tells_the_owner(supervisor_a, employee_a, unit_a):
    with time_machine.travel(dt.datetime(2026, 3, 2, 10, 0, tzinfo=HELSINKI), tick=False):
        action = serious_action(supervisor_a, unit_a, employee_a, employee_a)
        services.action_complete(actor=employee_a, action=action, note="Tehty")
    with time_machine.travel(dt.datetime(2026, 4, 10, 10, 0, tzinfo=HELSINKI), tick=False):
        services.action_record_effectiveness(
            actor=supervisor_a, action=action, result="no", evidence="Kaksi uutta ilmoitusta", new_due_date=dt.date(2026, 5, 1)
        )
    action.refresh_from_db()
    assert (action.state, action.due_date, action.effectiveness) == (ActionState.OPEN, dt.date(2026, 5, 1), "no")
    assert action.completed_at is None and action.effectiveness_due is None
    assert verbs(action)[-2:] == ["action.effectiveness_recorded", "action.reopened"]
    assert len(notes_to(employee_a, "action.reopened")) == 1
    # Done again: it waits for a new check.
    with time_machine.travel(dt.datetime(2026, 4, 20, 10, 0, tzinfo=HELSINKI), tick=False):
        services.action_complete(actor=employee_a, action=action, note="Uusi yritys")
    assert action.state == ActionState.AWAITING_CHECK


def test_no_without_a_date_gives_a_month(supervisor_a, employee_a, unit_a):
    with time_machine.travel(dt.datetime(2026, 3, 2, 10, 0, tzinfo=HELSINKI), tick=False):
        action = serious_action(supervisor_a, unit_a, employee_a, employee_a)
        services.action_complete(actor=employee_a, action=action, note="Tehty")
    with time_machine.travel(dt.datetime(2026, 4, 10, 10, 0, tzinfo=HELSINKI), tick=False):
        services.action_record_effectiveness(actor=supervisor_a, action=action, result="no", evidence="Ei auttanut")
    assert action.due_date == dt.date(2026, 4, 10) + dt.timedelta(days=services.REOPEN_DUE_DAYS)


@pytest.mark.parametrize(("result", "evidence", "field"), [("maybe", "x", "result"), ("yes", "  ", "evidence")])
def test_the_check_needs_a_result_and_evidence(supervisor_a, employee_a, unit_a, result, evidence, field):
    with time_machine.travel(dt.datetime(2026, 3, 2, 10, 0, tzinfo=HELSINKI), tick=False):
        action = serious_action(supervisor_a, unit_a, employee_a, employee_a)
        services.action_complete(actor=employee_a, action=action, note="Tehty")
    with time_machine.travel(dt.datetime(2026, 4, 10, 10, 0, tzinfo=HELSINKI), tick=False), pytest.raises(ValidationError) as error:
        services.action_record_effectiveness(actor=supervisor_a, action=action, result=result, evidence=evidence)
    assert field in error.value.message_dict


def test_the_owner_employee_may_not_record_the_check(supervisor_a, employee_a, unit_a):
    action = serious_action(supervisor_a, unit_a, employee_a, employee_a)
    services.action_complete(actor=employee_a, action=action, note="Tehty")
    with pytest.raises(PermissionDenied):
        services.action_record_effectiveness(actor=employee_a, action=action, result="yes", evidence="Toimii")


def test_an_open_action_has_no_check_to_record(supervisor_a, employee_a, unit_a):
    action = new_action(supervisor_a, unit_a, employee_a)
    with pytest.raises(ValidationError):
        services.action_record_effectiveness(actor=supervisor_a, action=action, result="yes", evidence="Toimii")


def test_regional_director_may_record_the_check(regional_director_a, supervisor_a, employee_a, unit_a):
    with time_machine.travel(dt.datetime(2026, 3, 2, 10, 0, tzinfo=HELSINKI), tick=False):
        action = serious_action(supervisor_a, unit_a, employee_a, employee_a)
        services.action_complete(actor=employee_a, action=action, note="Tehty")
    with time_machine.travel(dt.datetime(2026, 4, 2, 10, 0, tzinfo=HELSINKI), tick=False):
        services.action_record_effectiveness(actor=regional_director_a, action=action, result="yes", evidence="Toimii")
    assert action.state == ActionState.DONE


# --- Cancel ---------------------------------------------------------------------------------------------------


def test_supervisor_cancels_with_a_reason(supervisor_a, employee_a, unit_a):
    action = new_action(supervisor_a, unit_a, employee_a)
    services.action_cancel(actor=supervisor_a, action=action, reason="Korvattu toisella toimenpiteellä")
    action.refresh_from_db()
    assert (action.state, action.cancel_reason) == (ActionState.CANCELLED, "Korvattu toisella toimenpiteellä")
    assert "action.cancelled" in verbs(action)
    assert len(notes_to(employee_a, "action.cancelled")) == 1


def test_cancel_needs_a_reason_and_the_right(supervisor_a, employee_a, unit_a):
    action = new_action(supervisor_a, unit_a, employee_a)
    with pytest.raises(ValidationError):
        services.action_cancel(actor=supervisor_a, action=action, reason="")
    with pytest.raises(PermissionDenied):
        services.action_cancel(actor=employee_a, action=action, reason="En ehdi")


def test_a_cancelled_action_cannot_be_cancelled_or_completed(supervisor_a, employee_a, unit_a):
    action = new_action(supervisor_a, unit_a, employee_a)
    services.action_cancel(actor=supervisor_a, action=action, reason="Turha")
    with pytest.raises(ValidationError):
        services.action_cancel(actor=supervisor_a, action=action, reason="Turha")
    with pytest.raises(ValidationError):
        services.action_complete(actor=employee_a, action=action, note="Tehty")


def test_quality_director_manages_actions_in_every_unit(quality_director, employee_a, unit_a):
    action = new_action(quality_director, unit_a, employee_a)
    services.action_cancel(actor=quality_director, action=action, reason="Päällekkäinen")
    assert action.state == ActionState.CANCELLED


def test_inactive_supervisor_has_no_rights(supervisor_a, employee_a, unit_a):
    action = new_action(supervisor_a, unit_a, employee_a)
    supervisor_a.is_active = False
    supervisor_a.save()
    with pytest.raises(PermissionDenied):
        services.action_cancel(actor=supervisor_a, action=action, reason="x")


def test_an_employee_of_the_unit_can_be_given_an_action_by_the_responsible_person(responsible_a, unit_a):
    newcomer = member(Role.EMPLOYEE, unit=unit_a)
    assert new_action(responsible_a, unit_a, newcomer).owner == newcomer
