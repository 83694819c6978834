"""Two managers editing the same action at once: the later save is refused
with both versions shown and the typed values kept."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from omavalvonta.improvement import services
from omavalvonta.improvement.models import Action
from omavalvonta.testing.concurrency import race

pytestmark = pytest.mark.django_db


def test_a_second_edit_of_an_action_opened_at_the_same_time_is_refused(
    supervisor_a, responsible_a, employee_a, colleague_a, unit_a
):
    due = timezone.localdate() + dt.timedelta(days=30)
    action = services.action_create(actor=supervisor_a, unit=unit_a, title="Lääkekaapin lukitus", owner=employee_a,
                                    due_date=due)
    url = reverse("improvement:action_edit", args=[action.pk])
    common = {"edit-owner": employee_a.pk, "edit-due_date": due.isoformat()}

    result = race(
        first_user=supervisor_a, second_user=responsible_a, url=url,
        form_url=reverse("improvement:action_detail", args=[action.pk]),
        first_data={**common, "edit-title": "Lääkekaapin lukitus ja avainloki", "edit-description": "Avainloki."},
        second_data={**common, "edit-owner": colleague_a.pk, "edit-title": "Lääkekaappi vaihdetaan",
                     "edit-description": "Uusi kaappi tilataan."},
        version_field="edit-edit_version",
    )

    page = result.refused_page
    assert "Lääkekaapin lukitus ja avainloki" in page and "Avainloki." in page
    assert employee_a.full_name in page and colleague_a.full_name in page  # the owners, side by side
    stored = Action.objects.get(pk=action.pk)
    assert (stored.title, stored.owner) == ("Lääkekaappi vaihdetaan", colleague_a)


def test_a_second_edit_of_an_action_plan_goal_opened_at_the_same_time_is_refused(
    supervisor_a, responsible_a, employee_a, unit_a
):
    from omavalvonta.improvement.models import PlanGoal

    plan = services.action_plan_create(actor=supervisor_a, unit=unit_a, year=timezone.localdate().year)
    goal = services.plan_goal_add(actor=supervisor_a, plan=plan, area="quality", description="Lasten NPS nousee")
    prefix = f"goal_edit-{goal.pk}"

    result = race(
        first_user=supervisor_a, second_user=responsible_a,
        url=reverse("improvement:goal_edit", args=[plan.pk, goal.pk]),
        form_url=reverse("improvement:plan_detail", args=[plan.pk]),
        first_data={f"{prefix}-area": "quality", f"{prefix}-description": "Lasten NPS vähintään 50."},
        second_data={f"{prefix}-area": "quality", f"{prefix}-description": "Lasten NPS nousee kymmenellä."},
        version_field=f"{prefix}-edit_version",
    )

    assert "Lasten NPS vähintään 50." in result.refused_page
    assert PlanGoal.objects.get(pk=goal.pk).description == "Lasten NPS nousee kymmenellä."
