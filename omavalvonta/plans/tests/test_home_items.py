"""plan_home_items: drafts waiting for the responsible person's approval, reviews
due in the units whose quality duties the actor keeps."""

import datetime as dt

from omavalvonta.plans.home import plan_home_items
from omavalvonta.plans.models import Plan, PlanKind, PlanVersion

TODAY = dt.date(2026, 11, 23)


def _plan(unit, author, *, review=None, kind=PlanKind.SELF_SUPERVISION, draft=True):
    plan = Plan.objects.create(unit=unit, kind=kind, next_review_due=review)
    if draft:
        PlanVersion.objects.create(plan=plan, unit=unit, number=1, created_by=author)
    return plan


def test_the_responsible_person_sees_drafts_of_their_own_unit(responsible_a, supervisor_a, supervisor_b, unit_a, unit_b):
    mine = _plan(unit_a, supervisor_a)
    _plan(unit_b, supervisor_b)
    items = plan_home_items(actor=responsible_a, today=TODAY)
    assert [v.plan for v in items["drafts"]] == [mine] and items["drafts_total"] == 1
    assert plan_home_items(actor=supervisor_a, today=TODAY) is None  # approves nothing, no review due


def test_reviews_due_within_three_weeks_or_overdue_for_the_units_leads_only(supervisor_a, employee_a, supervisor_b, unit_a):
    late = _plan(unit_a, supervisor_a, review=TODAY - dt.timedelta(days=1), draft=False)
    _plan(unit_a, supervisor_a, review=TODAY + dt.timedelta(days=60), kind=PlanKind.GOOD_TREATMENT, draft=False)
    items = plan_home_items(actor=supervisor_a, today=TODAY)
    assert items["reviews"] == [late] and items["drafts"] == []
    assert plan_home_items(actor=employee_a, today=TODAY) is None
    assert plan_home_items(actor=supervisor_b, today=TODAY) is None
