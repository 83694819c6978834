"""Writes of the units' action plans (toimintasuunnitelma): the plan, its goals,
the four-monthly follow-up of each goal."""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from omavalvonta.core import rhythm
from omavalvonta.core.concurrency import edit_version_claim
from omavalvonta.core.services import audit_event_record
from omavalvonta.improvement.models import (
    ActionPlan,
    GoalArea,
    GoalFollowUp,
    GoalPrompt,
    GoalStatus,
    PlanGoal,
    SourceKind,
)
from omavalvonta.improvement.services._common import TEXT_MAX, check_length, check_required, clean_text, raise_if
from omavalvonta.organisation import access

INDICATOR_MAX = 300


def _check_participants(unit, participants) -> list:
    people = list({p.pk: p for p in participants or ()}.values())
    strangers = [p.full_name for p in people if not access.sees_unit(p, unit)]
    if strangers:
        raise ValidationError(
            {"participants": _("Not working in this unit: %(names)s") % {"names": ", ".join(strangers)}}
        )
    return people


@transaction.atomic
def action_plan_create(
    *, actor, unit, year: int, participants=(), other_participants: str = "", made_on: dt.date | None = None
) -> ActionPlan:
    """Start a unit's action plan for `year` (action.manage; one per unit and year)."""
    access.require(actor, access.P_ACTION_MANAGE, unit)
    errors: dict = {}
    this_year = timezone.localdate().year
    if not isinstance(year, int) or not (this_year - 1 <= year <= this_year + 1):
        errors["year"] = _("Choose a year from %(first)s to %(last)s.") % {"first": this_year - 1, "last": this_year + 1}
    elif ActionPlan.objects.filter(unit=unit, year=year).exists():
        errors["year"] = _("The unit already has an action plan for %(year)s.") % {"year": year}
    other_participants = clean_text(other_participants)
    check_length(errors, "other_participants", other_participants, TEXT_MAX)
    raise_if(errors)
    people = _check_participants(unit, participants)
    plan = ActionPlan.objects.create(
        unit=unit, year=year, other_participants=other_participants, made_on=made_on, created_by=actor
    )
    plan.participants.set(people)
    audit_event_record(actor=actor, verb="action_plan.created", target=plan, unit=unit, year=year)
    return plan


@transaction.atomic
def action_plan_update(
    *, actor, plan: ActionPlan, participants=(), other_participants: str = "", made_on: dt.date | None = None
) -> ActionPlan:
    """Record who made the plan and when (action.manage)."""
    access.require_on(actor, plan, access.P_ACTION_MANAGE)
    other_participants = clean_text(other_participants)
    errors: dict = {}
    check_length(errors, "other_participants", other_participants, TEXT_MAX)
    raise_if(errors)
    people = _check_participants(plan.unit, participants)
    plan.other_participants = other_participants
    plan.made_on = made_on
    plan.save(update_fields=["other_participants", "made_on"])
    plan.participants.set(people)
    audit_event_record(
        actor=actor, verb="action_plan.updated", target=plan, unit=plan.unit, participants=[p.pk for p in people]
    )
    return plan


def _goal_event(actor, plan: ActionPlan, goal: PlanGoal, verb: str, **details) -> None:
    """Audit a change of one of the plan's goals: "action_plan.<verb>" with the goal's id."""
    audit_event_record(actor=actor, verb=f"action_plan.{verb}", target=plan, unit=plan.unit, goal_id=goal.pk, **details)


def _require_not_approved(plan: ActionPlan) -> None:
    if plan.approved_at is not None:
        raise ValidationError(_("The plan is approved: its goals can no longer be changed."))


def _goal_fields(*, plan: ActionPlan, area: str, description: str, measures: str, owner, indicator: str) -> dict:
    """A goal's fields, its texts stripped; a ValidationError when one is wrong."""
    description, measures, indicator = clean_text(description), clean_text(measures), clean_text(indicator)
    errors: dict = {}
    if area not in GoalArea.values:
        errors["area"] = _("Choose the area of the goal.")
    check_required(errors, "description", description, TEXT_MAX, missing=_("Describe the goal."))
    check_length(errors, "measures", measures, TEXT_MAX)
    check_length(errors, "indicator", indicator, INDICATOR_MAX)
    if owner is not None and (not owner.is_active or not access.sees_unit(owner, plan.unit)):
        errors["owner"] = _("%(name)s does not work in this unit.") % {"name": owner.full_name}
    raise_if(errors)
    return {"area": area, "description": description, "measures": measures, "owner": owner, "indicator": indicator}


@transaction.atomic
def action_plan_approve(*, actor, plan: ActionPlan) -> ActionPlan:
    """The unit's responsible person or supervisor (action.manage in the unit)
    approves the plan once it has goals and its participants are recorded. From
    then on its goals are fixed: they still get follow-ups and actions, but none
    is added, changed or removed."""
    access.require_on(actor, plan, access.P_ACTION_MANAGE)
    # Re-read under a lock: two approvers at once must not both pass.
    locked = ActionPlan.objects.select_for_update().get(pk=plan.pk)
    if locked.approved_at is not None:
        raise ValidationError(_("The plan is already approved."))
    errors = []
    if not PlanGoal.objects.filter(plan=plan).exists():
        errors.append(_("Add at least one goal before approving the plan."))
    if not plan.participants.exists() and not plan.other_participants.strip():
        errors.append(_("Record who made the plan before approving it."))
    if errors:
        raise ValidationError(errors)
    plan.approved_at = timezone.now()
    plan.approved_by = actor
    plan.save(update_fields=["approved_at", "approved_by"])
    audit_event_record(
        actor=actor,
        verb="action_plan.approved",
        target=plan,
        unit=plan.unit,
        goals=PlanGoal.objects.filter(plan=plan).count(),
    )
    return plan


@transaction.atomic
def plan_goal_update(
    *, actor, goal: PlanGoal, area: str, description: str, measures: str = "", owner=None, indicator: str = "",
    expected_version: int | None = None,
) -> PlanGoal:
    """Change a goal of a plan that is not yet approved (action.manage).
    `expected_version`: the goal's edit version when the form was opened; a newer
    save refuses this one (EditConflict)."""
    access.require_on(actor, goal, access.P_ACTION_MANAGE)
    plan = ActionPlan.objects.select_for_update().get(pk=goal.plan_id)
    _require_not_approved(plan)
    fields = _goal_fields(plan=plan, area=area, description=description, measures=measures, owner=owner, indicator=indicator)
    edit_version_claim(goal, expected=expected_version, audit_target=plan)
    for name, value in fields.items():
        setattr(goal, name, value)
    goal.save(update_fields=list(fields))
    _goal_event(actor, plan, goal, "goal_updated")
    return goal


@transaction.atomic
def plan_goal_remove(*, actor, goal: PlanGoal) -> None:
    """Remove a goal from a plan that is not yet approved (action.manage). A goal
    with actions stays: the actions would lose their goal."""
    access.require_on(actor, goal, access.P_ACTION_MANAGE)
    plan = ActionPlan.objects.select_for_update().get(pk=goal.plan_id)
    _require_not_approved(plan)
    if goal.actions.exists():
        raise ValidationError(_("Actions were already decided for this goal: it stays in the plan."))
    _goal_event(actor, plan, goal, "goal_removed", description=goal.description[:200])
    goal.delete()


@transaction.atomic
def plan_goal_add(
    *, actor, plan: ActionPlan, area: str, description: str, measures: str = "", owner=None, indicator: str = ""
) -> PlanGoal:
    """Add a development goal to a plan that is not yet approved (action.manage)."""
    access.require_on(actor, plan, access.P_ACTION_MANAGE)
    _require_not_approved(plan)
    fields = _goal_fields(plan=plan, area=area, description=description, measures=measures, owner=owner, indicator=indicator)
    goal = PlanGoal.objects.create(unit=plan.unit, plan=plan, **fields)
    _goal_event(actor, plan, goal, "goal_added")
    return goal


@transaction.atomic
def goal_follow_up_record(*, actor, goal: PlanGoal, period: int, status: str, note: str = "") -> GoalFollowUp:
    """Record (or correct) a goal's status for one four-month period (action.manage).
    One follow-up per goal and period: recording again replaces it."""
    access.require_on(actor, goal, access.P_ACTION_MANAGE)
    note = clean_text(note)
    errors: dict = {}
    if rhythm.period(period) is None:
        errors["period"] = _("Choose the period.")
    if status not in GoalStatus.values:
        errors["status"] = _("Choose the status.")
    check_length(errors, "note", note, TEXT_MAX)
    raise_if(errors)
    follow_up, created = GoalFollowUp.objects.update_or_create(
        goal=goal,
        period=period,
        defaults={"unit_id": goal.unit_id, "status": status, "note": note, "recorded_by": actor, "recorded_at": timezone.now()},
    )
    _goal_event(actor, goal.plan, goal, "follow_up_recorded", period=period, status=status, replaced=not created)
    return follow_up


# --- What prompted a goal ------------------------------------------------------------------------

# The kinds of record that may prompt a goal (each area registers its own in
# registry.GOAL_PROMPTS under this name).
PROMPT_KINDS = frozenset({SourceKind.DEVIATION, SourceKind.AUDIT, SourceKind.COMPLAINT, SourceKind.FEEDBACK})
LABEL_MAX = 300


def _prompt_errors(*, goal_unit_id: int, source, source_kind: str, label: str) -> dict:
    errors: dict = {}
    if source_kind not in PROMPT_KINDS:
        errors["source_kind"] = _("Choose where the goal comes from.")
    if source is None or getattr(source, "pk", None) is None:
        errors["source"] = _("The record was not found.")
    elif getattr(source, "unit_id", None) != goal_unit_id:
        errors["source"] = _("The record belongs to another unit: only its own unit's action plan can take it.")
    if not label:
        errors["source"] = _("The record was not found.")
    return errors


def _prompt_create(*, actor, goal: PlanGoal, source, source_kind: str, label: str, started: bool) -> GoalPrompt:
    source_type = ContentType.objects.get_for_model(source)
    if GoalPrompt.objects.filter(goal=goal, source_type=source_type, source_id=source.pk).exists():
        raise ValidationError({"goal": _("The record is already linked to this goal.")})
    prompt = GoalPrompt.objects.create(
        unit_id=goal.unit_id,
        goal=goal,
        source_kind=source_kind,
        source_type=source_type,
        source_id=source.pk,
        label=label,
        started_goal=started,
        created_by=actor,
    )
    _goal_event(actor, goal.plan, goal, "goal_prompt_added", source_kind=source_kind, source_id=source.pk, started_goal=started)
    return prompt


@transaction.atomic
def goal_prompt_link(*, actor, goal: PlanGoal, source, source_kind: str, label: str) -> GoalPrompt:
    """Link a finding (a deviation, an audit finding, a complaint, feedback) to a
    goal of its own unit's action plan (action.manage in the unit), so the plan's
    follow-up shows what steers the goal. Also an approved plan's goal: the goal
    itself does not change. The caller has checked that `actor` may open the
    record; `label` names it without a child or a reporter."""
    access.require_on(actor, goal, access.P_ACTION_MANAGE)
    label = clean_text(label)[:LABEL_MAX]
    raise_if(_prompt_errors(goal_unit_id=goal.unit_id, source=source, source_kind=source_kind, label=label))
    return _prompt_create(actor=actor, goal=goal, source=source, source_kind=source_kind, label=label, started=False)


@transaction.atomic
def plan_goal_start_from(
    *, actor, plan: ActionPlan, source, source_kind: str, label: str, area: str, description: str,
    measures: str = "", owner=None, indicator: str = "",
) -> PlanGoal:
    """Start a new goal of a plan that is not yet approved from a finding of the
    plan's unit (action.manage): the goal and its prompt in one transaction."""
    access.require_on(actor, plan, access.P_ACTION_MANAGE)
    label = clean_text(label)[:LABEL_MAX]
    raise_if(_prompt_errors(goal_unit_id=plan.unit_id, source=source, source_kind=source_kind, label=label))
    goal = plan_goal_add(
        actor=actor, plan=plan, area=area, description=description, measures=measures, owner=owner, indicator=indicator
    )
    _prompt_create(actor=actor, goal=goal, source=source, source_kind=source_kind, label=label, started=True)
    return goal


@transaction.atomic
def goal_prompt_remove(*, actor, prompt: GoalPrompt) -> None:
    """Unlink a finding from a goal (action.manage); the goal stays."""
    access.require_on(actor, prompt, access.P_ACTION_MANAGE)
    _goal_event(actor, prompt.goal.plan, prompt.goal, "goal_prompt_removed", source_kind=prompt.source_kind, source_id=prompt.source_id)
    prompt.delete()
