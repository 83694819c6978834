"""Writes of the units' action plans and of the self-supervision log."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from omavalvonta.core import rhythm
from omavalvonta.core.models import AuditEvent
from omavalvonta.improvement import services
from omavalvonta.improvement.models import ActionKind, GoalFollowUp, SourceKind

HELSINKI = ZoneInfo("Europe/Helsinki")


pytestmark = pytest.mark.usefixtures("english_texts")


@pytest.fixture
def goal(plan, supervisor_a, employee_a):
    return services.plan_goal_add(
        actor=supervisor_a,
        plan=plan,
        area="staff_wellbeing",
        description="Työhyvinvointi paranee",
        measures="Kehityskeskustelut kaikille",
        owner=employee_a,
        indicator="Kyselyn keskiarvo vähintään 4",
    )


# --- Plans ---------------------------------------------------------------------------------------------------


def test_supervisor_starts_the_units_plan_with_the_team(plan, supervisor_a, employee_a, unit_a):
    assert plan.unit == unit_a
    assert set(plan.participants.all()) == {supervisor_a, employee_a}
    assert AuditEvent.objects.filter(verb="action_plan.created", target_id=plan.pk).exists()


def test_one_plan_per_unit_and_year(plan, supervisor_a, unit_a):
    with pytest.raises(ValidationError) as error:
        services.action_plan_create(actor=supervisor_a, unit=unit_a, year=plan.year)
    assert "year" in error.value.message_dict


def test_a_year_far_away_is_refused(supervisor_a, unit_a):
    with pytest.raises(ValidationError):
        services.action_plan_create(actor=supervisor_a, unit=unit_a, year=timezone.localdate().year + 5)


def test_employee_may_not_start_a_plan(employee_a, unit_a):
    with pytest.raises(PermissionDenied):
        services.action_plan_create(actor=employee_a, unit=unit_a, year=timezone.localdate().year)


def test_participants_must_work_in_the_unit(supervisor_a, supervisor_b, unit_a):
    with pytest.raises(ValidationError) as error:
        services.action_plan_create(
            actor=supervisor_a, unit=unit_a, year=timezone.localdate().year, participants=[supervisor_b]
        )
    assert "participants" in error.value.message_dict


def test_participants_can_be_recorded_later(plan, supervisor_a, colleague_a):
    services.action_plan_update(
        actor=supervisor_a, plan=plan, participants=[colleague_a], other_participants="Nuorten edustaja", made_on=dt.date(2026, 1, 15)
    )
    plan.refresh_from_db()
    assert list(plan.participants.all()) == [colleague_a]
    assert (plan.other_participants, plan.made_on) == ("Nuorten edustaja", dt.date(2026, 1, 15))


def test_goal_is_added_with_the_units_id(goal, plan):
    assert goal.unit_id == plan.unit_id
    assert goal.owner is not None


def test_goal_needs_a_description_and_a_known_area(plan, supervisor_a):
    with pytest.raises(ValidationError) as error:
        services.plan_goal_add(actor=supervisor_a, plan=plan, area="nonsense", description=" ")
    assert {"area", "description"} <= set(error.value.message_dict)


def test_other_units_supervisor_may_not_add_goals(plan, supervisor_b):
    with pytest.raises(PermissionDenied):
        services.plan_goal_add(actor=supervisor_b, plan=plan, area="quality", description="x")


def test_follow_up_is_one_per_goal_and_period_and_can_be_corrected(goal, supervisor_a):
    services.goal_follow_up_record(actor=supervisor_a, goal=goal, period=1, status="on_track", note="Hyvin alkanut")
    services.goal_follow_up_record(actor=supervisor_a, goal=goal, period=1, status="delayed", note="Sairauslomia")
    services.goal_follow_up_record(actor=supervisor_a, goal=goal, period=2, status="done")
    rows = list(GoalFollowUp.objects.filter(goal=goal).order_by("period").values_list("period", "status", "unit_id"))
    assert rows == [(1, "delayed", goal.unit_id), (2, "done", goal.unit_id)]


@pytest.mark.parametrize(("period", "status", "field"), [(4, "done", "period"), (1, "great", "status")])
def test_follow_up_refuses_unknown_values(goal, supervisor_a, period, status, field):
    with pytest.raises(ValidationError) as error:
        services.goal_follow_up_record(actor=supervisor_a, goal=goal, period=period, status=status)
    assert field in error.value.message_dict


def test_employee_may_not_record_follow_ups(goal, employee_a):
    with pytest.raises(PermissionDenied):
        services.goal_follow_up_record(actor=employee_a, goal=goal, period=1, status="done")


@pytest.mark.parametrize(("month", "period"), [(1, 1), (4, 1), (5, 2), (9, 2), (10, 3), (12, 3)])
def test_periods_run_from_one_review_month_to_the_next(month, period):
    # January, May and October: the group's follow-up reads each period once it has closed.
    assert rhythm.period_of(dt.date(2026, month, 15)).index == period


def test_a_goal_links_development_actions(goal, supervisor_a, employee_a, unit_a):
    action = services.action_create(
        actor=supervisor_a,
        unit=unit_a,
        owner=employee_a,
        title="Kehityskeskustelut",
        due_date=timezone.localdate() + dt.timedelta(days=30),
        kind=ActionKind.DEVELOPMENT,
        plan_goal=goal,
    )
    assert list(goal.actions.all()) == [action]
    assert action.source_kind == SourceKind.PLAN_REVIEW


def test_a_goal_of_another_unit_cannot_be_linked(goal, supervisor_b, unit_b):
    with pytest.raises(ValidationError) as error:
        services.action_create(
            actor=supervisor_b, unit=unit_b, owner=supervisor_b, title="x", due_date=timezone.localdate(), plan_goal=goal
        )
    assert "plan_goal" in error.value.message_dict


# --- Log ----------------------------------------------------------------------------------------------------------


def test_supervisor_writes_a_log_entry_and_follows_it_up(supervisor_a, unit_a):
    entry = services.log_entry_create(
        actor=supervisor_a, unit=unit_a, observation="Lääkekaappi auki", reaction="Suljettu", planned_correction="Ohje"
    )
    assert entry.observed_on == timezone.localdate()
    services.log_entry_follow_up(actor=supervisor_a, entry=entry, follow_up="  Ohje käyty läpi tiimissä ")
    entry.refresh_from_db()
    assert (entry.follow_up, entry.followed_up_by) == ("Ohje käyty läpi tiimissä", supervisor_a)
    assert list(AuditEvent.objects.filter(target_id=entry.pk, verb__startswith="log_entry.").values_list("verb", flat=True)) == [
        "log_entry.created",
        "log_entry.followed_up",
    ]


def test_log_entry_needs_an_observation_and_no_future_date(supervisor_a, unit_a):
    with pytest.raises(ValidationError) as error:
        services.log_entry_create(
            actor=supervisor_a, unit=unit_a, observation=" ", observed_on=timezone.localdate() + dt.timedelta(days=1)
        )
    assert {"observation", "observed_on"} <= set(error.value.message_dict)


def test_employee_may_not_write_the_log(employee_a, unit_a):
    with pytest.raises(PermissionDenied):
        services.log_entry_create(actor=employee_a, unit=unit_a, observation="x")


def test_follow_up_needs_text_and_the_right(supervisor_a, supervisor_b, unit_a):
    entry = services.log_entry_create(actor=supervisor_a, unit=unit_a, observation="Havainto")
    with pytest.raises(ValidationError):
        services.log_entry_follow_up(actor=supervisor_a, entry=entry, follow_up="")
    with pytest.raises(PermissionDenied):
        services.log_entry_follow_up(actor=supervisor_b, entry=entry, follow_up="Tehty")


def test_log_entry_remembers_its_source(supervisor_a, unit_a, plan):
    with time_machine.travel(dt.datetime(2026, 5, 4, 12, 0, tzinfo=HELSINKI), tick=False):
        entry = services.log_entry_create(actor=supervisor_a, unit=unit_a, observation="Havainto", source=plan)
    assert (entry.source_id, entry.observed_on) == (plan.pk, dt.date(2026, 5, 4))
