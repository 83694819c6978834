"""Action plans: approval, editing and removing goals before it, the four-monthly
follow-up overview, and the follow-up reminder job."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from omavalvonta.core import jobs
from omavalvonta.core.models import AuditEvent
from omavalvonta.improvement import plan_selectors, services
from omavalvonta.improvement.models import ActionPlan, PlanFollowUpReminder, PlanGoal
from omavalvonta.improvement.services import plan_jobs
from omavalvonta.notifications.models import Notification

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_texts")]
HELSINKI = ZoneInfo("Europe/Helsinki")


def at(year, month, day, hour=9):
    return dt.datetime(year, month, day, hour, tzinfo=HELSINKI)


def add_goal(plan, actor, description="Työhyvinvointi paranee"):
    return services.plan_goal_add(actor=actor, plan=plan, area="staff_wellbeing", description=description)


# --- Approval ----------------------------------------------------------------------------------------


def test_responsible_person_approves_a_plan_with_goals_and_participants(plan, supervisor_a, responsible_a):
    add_goal(plan, supervisor_a)

    services.action_plan_approve(actor=responsible_a, plan=plan)

    plan.refresh_from_db()
    assert plan.approved_by == responsible_a and plan.approved_at is not None
    assert AuditEvent.objects.filter(verb="action_plan.approved", target_id=plan.pk).exists()


def test_a_plan_without_goals_or_participants_cannot_be_approved(supervisor_a, unit_a):
    bare = services.action_plan_create(actor=supervisor_a, unit=unit_a, year=timezone.localdate().year)
    with pytest.raises(ValidationError) as error:
        services.action_plan_approve(actor=supervisor_a, plan=bare)
    assert len(error.value.messages) == 2
    bare.refresh_from_db()
    assert bare.approved_at is None


def test_approval_needs_action_manage_in_the_unit(plan, supervisor_a, employee_a, supervisor_b):
    add_goal(plan, supervisor_a)
    for outsider in (employee_a, supervisor_b):
        with pytest.raises(PermissionDenied):
            services.action_plan_approve(actor=outsider, plan=plan)


def test_a_plan_is_approved_once(plan, supervisor_a):
    add_goal(plan, supervisor_a)
    services.action_plan_approve(actor=supervisor_a, plan=plan)
    with pytest.raises(ValidationError):
        services.action_plan_approve(actor=supervisor_a, plan=plan)


def test_approved_goals_are_fixed_but_still_followed_up(plan, supervisor_a):
    goal = add_goal(plan, supervisor_a)
    services.action_plan_approve(actor=supervisor_a, plan=plan)

    with pytest.raises(ValidationError):
        services.plan_goal_remove(actor=supervisor_a, goal=goal)
    with pytest.raises(ValidationError):
        services.plan_goal_update(actor=supervisor_a, goal=goal, area="quality", description="Muu")
    with pytest.raises(ValidationError):
        add_goal(plan, supervisor_a, "Uusi tavoite")
    assert PlanGoal.objects.filter(pk=goal.pk).exists()

    services.goal_follow_up_record(actor=supervisor_a, goal=goal, period=1, status="on_track")
    assert goal.follow_ups.count() == 1


# --- Editing and removing goals ----------------------------------------------------------------------


def test_a_goal_is_edited_before_approval(plan, supervisor_a, employee_a):
    goal = add_goal(plan, supervisor_a)
    services.plan_goal_update(
        actor=supervisor_a, goal=goal, area="quality", description="Laatu paranee", owner=employee_a, indicator="NPS"
    )
    goal.refresh_from_db()
    assert (goal.area, goal.description, goal.owner, goal.indicator) == ("quality", "Laatu paranee", employee_a, "NPS")
    assert AuditEvent.objects.filter(verb="action_plan.goal_updated", target_id=plan.pk).exists()


def test_goal_edit_validates_like_adding(plan, supervisor_a, supervisor_b):
    goal = add_goal(plan, supervisor_a)
    with pytest.raises(ValidationError) as error:
        services.plan_goal_update(actor=supervisor_a, goal=goal, area="nope", description="", owner=supervisor_b)
    assert {"area", "description", "owner"} <= set(error.value.message_dict)


def test_a_goal_is_removed_before_approval_unless_it_has_actions(plan, supervisor_a, employee_a):
    goal = add_goal(plan, supervisor_a)
    kept = add_goal(plan, supervisor_a, "Toinen")
    services.action_create(
        actor=supervisor_a, unit=plan.unit, title="Kysely", owner=employee_a,
        due_date=timezone.localdate() + dt.timedelta(days=30), plan_goal=kept,
    )

    services.plan_goal_remove(actor=supervisor_a, goal=goal)
    assert not PlanGoal.objects.filter(pk=goal.pk).exists()
    assert AuditEvent.objects.filter(verb="action_plan.goal_removed", target_id=plan.pk).exists()
    with pytest.raises(ValidationError):
        services.plan_goal_remove(actor=supervisor_a, goal=kept)


def test_goal_edit_and_remove_need_action_manage(plan, supervisor_a, employee_a):
    goal = add_goal(plan, supervisor_a)
    with pytest.raises(PermissionDenied):
        services.plan_goal_remove(actor=employee_a, goal=goal)
    with pytest.raises(PermissionDenied):
        services.plan_goal_update(actor=employee_a, goal=goal, area="quality", description="x")


def test_plan_page_edits_removes_and_approves(client, plan, supervisor_a, password):
    goal = add_goal(plan, supervisor_a)
    client.force_login(supervisor_a)
    url = reverse("improvement:plan_detail", args=[plan.pk])
    page = client.get(url).content.decode()
    assert reverse("improvement:goal_edit", args=[plan.pk, goal.pk]) in page
    assert reverse("improvement:plan_approve", args=[plan.pk]) in page

    response = client.post(
        reverse("improvement:goal_edit", args=[plan.pk, goal.pk]),
        {f"goal_edit-{goal.pk}-area": "quality", f"goal_edit-{goal.pk}-description": "Muokattu"},
    )
    assert response.status_code == 302
    goal.refresh_from_db()
    assert goal.description == "Muokattu"

    other = add_goal(plan, supervisor_a, "Poistettava")
    assert client.post(reverse("improvement:goal_remove", args=[plan.pk, other.pk])).status_code == 302
    assert not PlanGoal.objects.filter(pk=other.pk).exists()

    assert client.post(reverse("improvement:plan_approve", args=[plan.pk])).status_code == 302
    plan.refresh_from_db()
    assert plan.approved_by == supervisor_a
    page = client.get(url).content.decode()
    assert "data-plan-approved" in page
    assert reverse("improvement:goal_edit", args=[plan.pk, goal.pk]) not in page


def test_employee_cannot_approve_through_the_page(client, plan, supervisor_a, employee_a):
    add_goal(plan, supervisor_a)
    client.force_login(employee_a)
    assert client.post(reverse("improvement:plan_approve", args=[plan.pk])).status_code == 403
    plan.refresh_from_db()
    assert plan.approved_at is None


# --- Follow-up overview -------------------------------------------------------------------------------


def test_overview_shows_followed_and_missing_goals_per_period(supervisor_a, employee_a, unit_a):
    with time_machine.travel(at(2026, 6, 10), tick=False):
        plan = services.action_plan_create(actor=supervisor_a, unit=unit_a, year=2026, participants=[supervisor_a])
        first = add_goal(plan, supervisor_a, "Eka")
        second = add_goal(plan, supervisor_a, "Toka")
        services.goal_follow_up_record(actor=supervisor_a, goal=first, period=1, status="on_track")
        services.goal_follow_up_record(actor=supervisor_a, goal=second, period=2, status="delayed")

        overview = plan_selectors.plan_period_overview(plan=plan, goals=plan_selectors.plan_goals(plan=plan))

    t1, t2, t3 = overview
    assert [g.pk for g in t1.followed] == [first.pk] and [g.pk for g in t1.missing] == [second.pk]
    assert [g.pk for g in t2.followed] == [second.pk] and [g.pk for g in t2.missing] == [first.pk]
    assert t3.followed == [] and len(t3.missing) == 2
    assert (t1.is_current, t2.is_current, t3.is_current) == (False, True, False)
    assert t1.is_past and not t3.is_past


def test_plan_page_highlights_the_current_period(client, supervisor_a, unit_a):
    with time_machine.travel(at(2026, 10, 1), tick=False):
        plan = services.action_plan_create(actor=supervisor_a, unit=unit_a, year=2026, participants=[supervisor_a])
        add_goal(plan, supervisor_a)
        client.force_login(supervisor_a)
        page = client.get(reverse("improvement:plan_detail", args=[plan.pk])).content.decode()
    assert 'data-period="3" aria-current="true"' in page
    assert 'data-period="1" aria-current' not in page
    assert "Current period" in page


# --- Follow-up reminders ------------------------------------------------------------------------------


@pytest.fixture
def plan_2026(supervisor_a, unit_a):
    with time_machine.travel(at(2026, 3, 1), tick=False):
        plan = services.action_plan_create(actor=supervisor_a, unit=unit_a, year=2026, participants=[supervisor_a])
        add_goal(plan, supervisor_a)
    return plan


def reminders():
    return Notification.objects.filter(kind="action_plan.follow_up_due")


def test_the_job_is_registered_for_the_worker():
    assert "improvement.plan_follow_up_reminders" in {j.name for j in jobs.registered()}


def test_no_reminder_before_the_last_two_weeks_of_the_period(plan_2026):
    with time_machine.travel(at(2026, 4, 16), tick=False):  # 15 days left in T1
        assert services.plan_follow_up_reminders_send() == 0
    assert not reminders().exists()


def test_supervisors_are_reminded_once_per_plan_and_period(plan_2026, supervisor_a, responsible_a, employee_a):
    with time_machine.travel(at(2026, 4, 17), tick=False):  # 14 days left
        assert services.plan_follow_up_reminders_send() == 1
        assert services.plan_follow_up_reminders_send() == 0
    with time_machine.travel(at(2026, 4, 30, 20), tick=False):
        assert services.plan_follow_up_reminders_send() == 0
    assert [n.recipient for n in reminders()] == [supervisor_a]
    assert "30.4.2026" in reminders().get().subject
    # The next period (May–September) gets its own reminder, before the group's October review.
    with time_machine.travel(at(2026, 8, 25), tick=False):
        assert services.plan_follow_up_reminders_send() == 0
    with time_machine.travel(at(2026, 9, 20), tick=False):
        assert services.plan_follow_up_reminders_send() == 1
    assert "30.9.2026" in reminders().order_by("-id").first().subject
    assert PlanFollowUpReminder.objects.filter(plan=plan_2026).count() == 2


def test_a_fully_followed_up_plan_is_not_reminded(plan_2026, supervisor_a):
    goal = plan_2026.goals.get()
    with time_machine.travel(at(2026, 12, 20), tick=False):
        services.goal_follow_up_record(actor=supervisor_a, goal=goal, period=3, status="done")
        assert services.plan_follow_up_reminders_send() == 0


def test_last_years_plan_is_not_reminded(plan_2026):
    with time_machine.travel(at(2027, 4, 20), tick=False):
        assert services.plan_follow_up_reminders_send() == 0


def test_the_claim_is_unique_so_a_second_worker_sends_nothing(plan_2026):
    now = at(2026, 4, 20)
    # Two workers race for the same plan and period: one insert wins.
    assert plan_jobs.claim_reminder(plan=plan_2026, period=1, now=now) is True
    assert plan_jobs.claim_reminder(plan=plan_2026, period=1, now=now) is False
    with time_machine.travel(now, tick=False):
        assert services.plan_follow_up_reminders_send() == 0
    assert not reminders().exists()
    assert PlanFollowUpReminder.objects.filter(plan=plan_2026, period=1).count() == 1


def test_a_worker_that_loses_the_race_sends_nothing(plan_2026, monkeypatch):
    # A stale worker: its query still found the plan unclaimed, but its claim fails.
    monkeypatch.setattr(plan_jobs, "claim_reminder", lambda **kwargs: False)
    with time_machine.travel(at(2026, 4, 20), tick=False):
        assert services.plan_follow_up_reminders_send() == 0
    assert not reminders().exists()


def test_responsible_person_is_reminded_when_the_unit_has_no_supervisor(unit_b, supervisor_b):
    from omavalvonta.organisation.models import Membership, Role
    from omavalvonta.testing.factories import member

    with time_machine.travel(at(2026, 3, 1), tick=False):
        plan = services.action_plan_create(actor=supervisor_b, unit=unit_b, year=2026, participants=[supervisor_b])
        add_goal(plan, supervisor_b)
    responsible = member(Role.RESPONSIBLE_PERSON, unit=unit_b, full_name="Vastuu Henkilö", email="vh@x.example")
    Membership.objects.filter(user=supervisor_b).delete()
    with time_machine.travel(at(2026, 4, 25), tick=False):
        assert services.plan_follow_up_reminders_send() == 1
    assert reminders().get().recipient == responsible
    assert ActionPlan.objects.get(pk=plan.pk)
