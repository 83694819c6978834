"""The organisation-wide duties of audits on the quality calendar (core.registry
DUTY_SOURCES): the information-security plan's annual review, the readiness
group's yearly exercise and the crisis-communication plan's yearly review.

Each is made from its facts (`*_duty_facts`: one value each, see
yearclock/facts.py), which the calendar's "this month" reads with the other
sources' in one statement; the source itself (the reminder job) reads them a
query each (`one_by_one`)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from omavalvonta.audits.models import ReadinessMember, ReadinessRole, SecurityPlanState, SecurityPlanVersion
from omavalvonta.audits.selectors import (
    _crisis_plans_in_force,
    _exercise_due_after,
    _group_started,
    _last_exercise,
    _review_due_after,
    _security_review_due,
)
from omavalvonta.core import registry


def security_plan_duties(*, today, unit_ids=None) -> list:
    """core.registry DUTY_SOURCES (organisation-wide): the approved plan's
    annual review, due REVIEW_INTERVAL_DAYS after its approval, reminded to
    those who keep the plan and escalated when it is late. Before the first
    approval there is no review to be late (the home block asks for the plan)."""
    if unit_ids is not None:
        return []
    return security_plan_duties_from(today=today, facts=one_by_one(security_plan_duty_facts(today=today)))


def one_by_one(facts: dict) -> dict:
    """A DUTY_SOURCES source's facts (yearclock/facts.py) read a query each:
    {name: the first row's value or None}."""
    return {name: next(iter(values), None) for name, values in facts.items()}


def _yearly(source: str, due, today, title: str, link: str, owner_id=None) -> list:
    """The one organisation-wide duty of `source` due on `due` (none without a date)."""
    if due is None:
        return []
    return [registry.Duty(
        key=f"{source}:{due.isoformat()}", unit_id=None, title=title, due_on=due, late=due < today, link=link,
        owner_id=owner_id,
    )]


def security_plan_duty_facts(*, today) -> dict:
    """DUTY_SOURCES `facts`: the approval time of the latest approved version."""
    latest = SecurityPlanVersion.objects.filter(state=SecurityPlanState.APPROVED).order_by("-number")
    return {"approved_at": latest.values_list("approved_at", flat=True)[:1]}


def security_plan_duties_from(*, today, facts) -> list:
    """DUTY_SOURCES `duties_from`: security_plan_duties made from its facts."""
    due = _security_review_due(facts["approved_at"])
    return _yearly("audits.security_plan_review", due, today, _("The annual review of the information-security plan"),
                   reverse("audits:security_plan"))


def readiness_exercise_duties(*, today, unit_ids=None) -> list:
    """core.registry DUTY_SOURCES (organisation-wide): the readiness group's
    yearly exercise, due a year after the last one (or after the group was
    formed), reminded to the group's chair and the quality director, escalated
    to the management group when late. Recording the exercise fulfils it."""
    if unit_ids is not None:
        return []
    return readiness_exercise_duties_from(today=today, facts=one_by_one(readiness_exercise_duty_facts(today=today)))


def _chair():
    return ReadinessMember.objects.filter(
        group_role=ReadinessRole.CHAIR, ended_at__isnull=True, user__is_active=True
    ).order_by("pk").values_list("user_id", flat=True)[:1]


def readiness_exercise_duty_facts(*, today) -> dict:
    """DUTY_SOURCES `facts`: the last exercise, when the group got its first member, its chair."""
    return {
        "last": _last_exercise().values_list("held_on", flat=True),
        "started": _group_started().values_list("added_at", flat=True),
        "chair_id": _chair(),
    }


def readiness_exercise_duties_from(*, today, facts) -> list:
    """DUTY_SOURCES `duties_from`: readiness_exercise_duties made from its facts."""
    due = _exercise_due_after(facts["last"], facts["started"])
    return _yearly("audits.readiness_exercise", due, today, _("The readiness group's yearly exercise"),
                   reverse("audits:readiness"), owner_id=facts["chair_id"])


def crisis_plan_duties(*, today, unit_ids=None) -> list:
    """core.registry DUTY_SOURCES (organisation-wide): the crisis-communication
    plan's yearly review, due a year after the approval of the version in force;
    approving a new version fulfils it."""
    if unit_ids is not None:
        return []
    return crisis_plan_duties_from(today=today, facts=one_by_one(crisis_plan_duty_facts(today=today)))


def crisis_plan_duty_facts(*, today) -> dict:
    """DUTY_SOURCES `facts`: the approval time of the version in force, the group's chair."""
    return {"approved_at": _crisis_plans_in_force().values_list("approved_at", flat=True)[:1], "chair_id": _chair()}


def crisis_plan_duties_from(*, today, facts) -> list:
    """DUTY_SOURCES `duties_from`: crisis_plan_duties made from its facts."""
    due = _review_due_after(facts["approved_at"])
    return _yearly("audits.crisis_plan_review", due, today, _("The yearly review of the crisis-communication plan"),
                   reverse("audits:crisis_plan"), owner_id=facts["chair_id"])
