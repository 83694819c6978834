"""Writes of self-assessments, audits and continuity. Keyword-only, `actor`
first, atomic, audited, the kernel checked again. Checklists are group-level
configuration for the quality director (obligation.template_edit); a unit's
records need risk.manage there (the unit's leaders)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from omavalvonta.audits.models import (
    Answer,
    AnswerResult,
    Audit,
    AuditKind,
    Checklist,
    ContinuityPlan,
    CrisisPlanVersion,
    Criterion,
    CriticalSystem,
    Drill,
    DrillKind,
    Finding,
    FindingKind,
    ReadinessMember,
    ReadinessRole,
    SecurityPlanState,
    SecurityPlanVersion,
    SelfAssessment,
)
from omavalvonta.audits.readiness import CRISIS_SECTION_KEYS, CRISIS_SECTION_TEXT_MAX
from omavalvonta.audits.security_sections import SECTION_KEYS, SECTION_TEXT_MAX
from omavalvonta.core.concurrency import edit_version_claim
from omavalvonta.core.services import audit_event_record
from omavalvonta.improvement.services import action_create
from omavalvonta.organisation import access, access_people

TEXT_MAX = 5000


def _text(errors, field, value, *, required=False, limit=TEXT_MAX, message=None):
    value = (value or "").strip()
    if required and not value:
        errors[field] = message or _("This field is required.")
    elif len(value) > limit:
        errors[field] = _("Use at most %(limit)s characters.") % {"limit": limit}
    return value


def _past_date(errors, field, value):
    if value is None:
        errors[field] = _("Give the date.")
    elif value > timezone.localdate():
        errors[field] = _("Record it once it has taken place.")


# --- Checklists --------------------------------------------------------------------------------


@transaction.atomic
def checklist_save(*, actor, checklist: Checklist | None = None, title: str, description: str = "",
                   criteria_text: str = "", is_active: bool = True, expected_version: int | None = None) -> Checklist:
    """Create or change a checklist; `criteria_text` holds one criterion a line.
    Criteria already answered are kept (answers point to them); new lines are added
    and lines removed from an unanswered checklist are dropped. `expected_version`:
    the edit version the form was opened at; a newer save refuses this one."""
    if not access.has_perm_anywhere(actor, access.P_OBLIGATION_TEMPLATE_EDIT):
        raise PermissionDenied(access.P_OBLIGATION_TEMPLATE_EDIT)
    errors = {}
    title = _text(errors, "title", title, required=True, limit=200, message=_("Give the checklist a title."))
    description = _text(errors, "description", description)
    lines = [line.strip() for line in (criteria_text or "").splitlines() if line.strip()]
    if not lines:
        errors["criteria_text"] = _("Write at least one criterion, one a line.")
    elif any(len(line) > 500 for line in lines):
        errors["criteria_text"] = _("A criterion may have at most 500 characters.")
    if errors:
        raise ValidationError(errors)
    if checklist is None:
        checklist = Checklist.objects.create(title=title, description=description, is_active=is_active)
    else:
        edit_version_claim(checklist, expected=expected_version)
        checklist.title, checklist.description, checklist.is_active = title, description, is_active
        checklist.save()
    existing = {c.text: c for c in checklist.criteria.all()}
    answered = set(Answer.objects.filter(criterion__checklist=checklist).values_list("criterion_id", flat=True))
    for position, line in enumerate(lines, start=1):
        criterion = existing.pop(line, None)
        if criterion is None:
            Criterion.objects.create(checklist=checklist, position=position, text=line)
        elif criterion.position != position:
            criterion.position = position
            criterion.save(update_fields=["position"])
    for criterion in existing.values():
        if criterion.pk not in answered:
            criterion.delete()
        else:  # answered before: kept for history, moved to the end
            criterion.position = 1000 + criterion.position
            criterion.save(update_fields=["position"])
    audit_event_record(actor=actor, verb="checklist.saved", target=checklist, criteria=len(lines))
    return checklist


@transaction.atomic
def self_assessment_create(*, actor, unit, checklist: Checklist, held_on: dt.date, answers: dict,
                           summary: str = "") -> SelfAssessment:
    """A unit's answers to a checklist: `answers` maps criterion id -> (result, note).
    Every current criterion must be answered."""
    access.require(actor, access.P_RISK_MANAGE, unit)
    errors = {}
    _past_date(errors, "held_on", held_on)
    summary = _text(errors, "summary", summary)
    criteria = [c for c in checklist.criteria.all() if c.position < 1000]
    for c in criteria:
        result, note = answers.get(c.pk, ("", ""))
        if result not in AnswerResult.values:
            errors[f"c{c.pk}"] = _("Answer every criterion.")
        if len(note or "") > 1000:
            errors[f"c{c.pk}"] = _("Use at most %(limit)s characters.") % {"limit": 1000}
    if not checklist.is_active:
        errors["checklist"] = _("This checklist is no longer in use.")
    if errors:
        raise ValidationError(errors)
    assessment = SelfAssessment.objects.create(
        unit=unit, checklist=checklist, held_on=held_on, summary=summary, created_by=actor
    )
    Answer.objects.bulk_create(
        Answer(assessment=assessment, criterion=c, result=answers[c.pk][0], note=(answers[c.pk][1] or "").strip())
        for c in criteria
    )
    audit_event_record(actor=actor, verb="self_assessment.recorded", target=assessment, unit=unit)
    return assessment


@transaction.atomic
def audit_create(*, actor, unit, kind: str, held_on: dt.date, auditor: str, summary: str = "") -> Audit:
    access.require(actor, access.P_RISK_MANAGE, unit)
    errors = {}
    if kind not in AuditKind.values:
        errors["kind"] = _("Choose internal or external.")
    _past_date(errors, "held_on", held_on)
    auditor = _text(errors, "auditor", auditor, required=True, limit=200, message=_("Name the auditor."))
    summary = _text(errors, "summary", summary)
    if errors:
        raise ValidationError(errors)
    audit = Audit.objects.create(unit=unit, kind=kind, held_on=held_on, auditor=auditor, summary=summary, created_by=actor)
    audit_event_record(actor=actor, verb="audit.recorded", target=audit, unit=unit)
    return audit


@transaction.atomic
def finding_add(*, actor, audit: Audit, kind: str, text: str) -> Finding:
    access.require(actor, access.P_RISK_MANAGE, audit.unit)
    errors = {}
    if kind not in FindingKind.values:
        errors["kind"] = _("Choose the kind of finding.")
    text = _text(errors, "text", text, required=True, message=_("Write the finding."))
    if errors:
        raise ValidationError(errors)
    finding = Finding.objects.create(audit=audit, unit=audit.unit, kind=kind, text=text)
    audit_event_record(actor=actor, verb="audit.finding_added", target=audit, unit=audit.unit, finding=finding.pk)
    return finding


def finding_action_create(*, actor, finding: Finding, title: str, owner, due_date):
    """An action from an audit finding (the finding is its source)."""
    access.require(actor, access.P_RISK_MANAGE, finding.unit)
    return action_create(
        actor=actor, unit=finding.unit, title=title, owner=owner, due_date=due_date, source=finding, source_kind="audit"
    )


def answer_action_create(*, actor, answer: Answer, title: str, owner, due_date):
    """An action from an unmet criterion of a self-assessment (the assessment is its source)."""
    assessment = answer.assessment
    access.require(actor, access.P_RISK_MANAGE, assessment.unit)
    return action_create(
        actor=actor, unit=assessment.unit, title=title, owner=owner, due_date=due_date, source=assessment,
        source_kind="audit", description=answer.criterion.text,
    )


# --- Continuity -----------------------------------------------------------------------------------


@transaction.atomic
def critical_system_save(*, actor, unit, system: CriticalSystem | None = None, name: str, position: int,
                         owner, fallback: str, tolerable_outage: str) -> CriticalSystem:
    access.require(actor, access.P_RISK_MANAGE, unit)
    errors = {}
    name = _text(errors, "name", name, required=True, limit=200, message=_("Name the system."))
    fallback = _text(errors, "fallback", fallback, required=True, message=_("Describe how the work goes on without it."))
    tolerable_outage = _text(errors, "tolerable_outage", tolerable_outage, required=True, limit=100,
                             message=_("Say how long the unit manages without it."))
    if not isinstance(position, int) or not 1 <= position <= 99:
        errors["position"] = _("Give 1–99 (1 = the most critical).")
    if errors:
        raise ValidationError(errors)
    system = system or CriticalSystem(unit=unit)
    system.name, system.position, system.owner = name, position, owner
    system.fallback, system.tolerable_outage = fallback, tolerable_outage
    system.save()
    audit_event_record(actor=actor, verb="continuity.system_saved", target=system, unit=unit)
    return system


@transaction.atomic
def continuity_plan_save(
    *, actor, unit, threats: str, preparedness: str, contacts: str, expected_version: int | None = None
) -> ContinuityPlan:
    """Write the unit's continuity plan. `expected_version`: the edit version the
    form was opened at (0 when there was no plan yet); a newer save refuses this one."""
    access.require(actor, access.P_RISK_MANAGE, unit)
    errors = {}
    threats = _text(errors, "threats", threats)
    preparedness = _text(errors, "preparedness", preparedness)
    contacts = _text(errors, "contacts", contacts)
    if errors:
        raise ValidationError(errors)
    plan, created = ContinuityPlan.objects.get_or_create(unit=unit)
    if not created:
        edit_version_claim(plan, expected=expected_version)
    plan.threats, plan.preparedness, plan.contacts = threats, preparedness, contacts
    plan.updated_by, plan.updated_at = actor, timezone.now()
    plan.save()
    audit_event_record(actor=actor, verb="continuity.plan_saved", target=plan, unit=unit)
    return plan


@transaction.atomic
def drill_record(*, actor, unit, held_on: dt.date, scenario: str, participants=(), lessons: str = "") -> Drill:
    access.require(actor, access.P_RISK_MANAGE, unit)
    errors = {}
    _past_date(errors, "held_on", held_on)
    scenario = _text(errors, "scenario", scenario, required=True, limit=300, message=_("Describe the scenario."))
    lessons = _text(errors, "lessons", lessons)
    if errors:
        raise ValidationError(errors)
    drill = Drill.objects.create(unit=unit, held_on=held_on, scenario=scenario, lessons=lessons, created_by=actor)
    drill.participants.set(participants)
    audit_event_record(actor=actor, verb="continuity.drill_recorded", target=drill, unit=unit)
    return drill


# --- The information-security plan (THL regulation 3/2024) --------------------------------------------


def _require_security_plan(actor) -> None:
    if not access.has_perm_organisation_wide(actor, access.P_SECURITY_PLAN):
        raise PermissionDenied(access.P_SECURITY_PLAN)


@transaction.atomic
def security_plan_draft_start(*, actor) -> SecurityPlanVersion:
    """The draft to edit: the open one, or a new one copied from the newest
    approved version (empty sections the first time)."""
    _require_security_plan(actor)
    draft = SecurityPlanVersion.objects.select_for_update().filter(state=SecurityPlanState.DRAFT).first()
    if draft is not None:
        return draft
    latest = SecurityPlanVersion.objects.filter(state=SecurityPlanState.APPROVED).order_by("-number").first()
    draft = SecurityPlanVersion.objects.create(
        number=(latest.number + 1) if latest else 1,
        sections=dict(latest.sections) if latest else {},
        created_by=actor,
    )
    audit_event_record(actor=actor, verb="security_plan.draft_started", target=draft, number=draft.number)
    return draft


@transaction.atomic
def security_plan_draft_save(
    *, actor, version: SecurityPlanVersion, sections: dict, change_note: str = "", expected_version: int | None = None
) -> SecurityPlanVersion:
    """Save the draft's sections (by SECTION_KEYS) and the note of what changed."""
    _require_security_plan(actor)
    version.refresh_from_db(from_queryset=SecurityPlanVersion.objects.select_for_update())
    if version.state != SecurityPlanState.DRAFT:
        raise ValidationError({NON_FIELD_ERRORS: [_("An approved version cannot be changed. Start a new draft.")]})
    errors: dict = {}
    cleaned = {}
    for key in SECTION_KEYS:
        value = _text(errors, f"section_{key}", sections.get(key, ""), limit=SECTION_TEXT_MAX)
        if value:
            cleaned[key] = value
    note = _text(errors, "change_note", change_note)
    if errors:
        raise ValidationError(errors)
    edit_version_claim(version, expected=expected_version)
    changed = sorted(k for k in set(cleaned) | set(version.sections) if cleaned.get(k) != version.sections.get(k))
    version.sections, version.change_note = cleaned, note
    version.save(update_fields=["sections", "change_note"])
    audit_event_record(actor=actor, verb="security_plan.draft_saved", target=version, sections=changed)
    return version


@transaction.atomic
def security_plan_approve(*, actor, version: SecurityPlanVersion, review_note: str = "") -> SecurityPlanVersion:
    """Freeze the draft as the plan in force; `review_note` records the annual
    review it came from (what was checked, with whom)."""
    _require_security_plan(actor)
    version.refresh_from_db(from_queryset=SecurityPlanVersion.objects.select_for_update())
    if version.state != SecurityPlanState.DRAFT:
        raise ValidationError({NON_FIELD_ERRORS: [_("This version has already been approved.")]})
    errors: dict = {}
    note = _text(errors, "review_note", review_note)
    if not any(version.sections.get(key) for key in SECTION_KEYS):
        errors[NON_FIELD_ERRORS] = [_("Write at least one section before approving the plan.")]
    if errors:
        raise ValidationError(errors)
    version.state, version.review_note = SecurityPlanState.APPROVED, note
    version.approved_by, version.approved_at = actor, timezone.now()
    version.save(update_fields=["state", "review_note", "approved_by", "approved_at"])
    audit_event_record(actor=actor, verb="security_plan.approved", target=version, number=version.number)
    return version


# --- The organisation's readiness: the group, its yearly exercise, the crisis-communication plan --------


def _require_readiness(actor) -> None:
    """readiness.manage counts organisation-wide only (the quality director, the
    management group, administrators)."""
    if not access.has_perm_organisation_wide(actor, access.P_READINESS_MANAGE):
        raise PermissionDenied(access.P_READINESS_MANAGE)


def _chair_taken(role: str, *, other_than: ReadinessMember | None = None) -> bool:
    if role != ReadinessRole.CHAIR:
        return False
    chairs = ReadinessMember.objects.filter(role=ReadinessRole.CHAIR, ended_at__isnull=True)
    if other_than is not None:
        chairs = chairs.exclude(pk=other_than.pk)
    return chairs.exists()


@transaction.atomic
def readiness_member_add(*, actor, user, role: str, duties: str = "") -> ReadinessMember:
    """Add a person of the organisation to the readiness group with their role
    (one chair at a time)."""
    _require_readiness(actor)
    errors = {}
    if user is None or not access_people.people_holding().filter(pk=user.pk).exists():
        errors["user"] = _("Choose a person of the organisation.")
    elif ReadinessMember.objects.filter(user=user, ended_at__isnull=True).exists():
        errors["user"] = _("%(name)s is already in the readiness group.") % {"name": user.full_name}
    if role not in ReadinessRole.values:
        errors["role"] = _("Choose the role in the group.")
    elif _chair_taken(role):
        errors["role"] = _("The group already has a chair. Change the chair's role first.")
    duties = _text(errors, "duties", duties, limit=300)
    if errors:
        raise ValidationError(errors)
    member = ReadinessMember.objects.create(user=user, role=role, duties=duties, added_by=actor)
    audit_event_record(actor=actor, verb="readiness.member_added", target=member, person=user.pk, role=role)
    return member


@transaction.atomic
def readiness_member_change(*, actor, member: ReadinessMember, role: str, duties: str = "",
                            expected_version: int | None = None) -> ReadinessMember:
    """Change a member's role or responsibilities. `expected_version`: the edit
    version the form was opened at; a newer save refuses this one."""
    _require_readiness(actor)
    member.refresh_from_db(from_queryset=ReadinessMember.objects.select_for_update())
    errors = {}
    if member.ended_at is not None:
        errors[NON_FIELD_ERRORS] = [_("This person is no longer in the group.")]
    if role not in ReadinessRole.values:
        errors["role"] = _("Choose the role in the group.")
    elif _chair_taken(role, other_than=member):
        errors["role"] = _("The group already has a chair. Change the chair's role first.")
    duties = _text(errors, "duties", duties, limit=300)
    if errors:
        raise ValidationError(errors)
    edit_version_claim(member, expected=expected_version)
    before = member.role
    member.role, member.duties = role, duties
    member.save(update_fields=["role", "duties"])
    audit_event_record(actor=actor, verb="readiness.member_changed", target=member, person=member.user_id,
                       role_before=before, role=role)
    return member


@transaction.atomic
def readiness_member_remove(*, actor, member: ReadinessMember) -> ReadinessMember:
    """Take a person out of the group: the row is ended, kept for the history."""
    _require_readiness(actor)
    member.refresh_from_db(from_queryset=ReadinessMember.objects.select_for_update())
    if member.ended_at is not None:
        return member
    member.ended_at, member.ended_by = timezone.now(), actor
    member.save(update_fields=["ended_at", "ended_by"])
    audit_event_record(actor=actor, verb="readiness.member_removed", target=member, person=member.user_id,
                       role=member.role)
    return member


def readiness_person_left(*, actor, person, unit) -> None:
    """core.registry MEMBERSHIP_ENDED: a deactivated person (unit None) leaves the
    readiness group, kept as a former member (leaving one unit changes nothing:
    the group is the organisation's). Runs in organisation's transaction."""
    if unit is not None:
        return
    for member in ReadinessMember.objects.select_for_update().filter(user=person, ended_at__isnull=True):
        member.ended_at, member.ended_by = timezone.now(), actor
        member.save(update_fields=["ended_at", "ended_by"])
        audit_event_record(actor=actor, verb="readiness.member_removed", target=member, person=person.pk,
                           role=member.role, reason="deactivated")


@transaction.atomic
def readiness_exercise_record(*, actor, held_on: dt.date, scenario: str, participants=(), went_well: str = "",
                              to_improve: str = "") -> Drill:
    """The readiness group's yearly exercise: a drill of the whole organisation
    (no unit). Recording it moves the next exercise's due date a year on."""
    _require_readiness(actor)
    errors = {}
    _past_date(errors, "held_on", held_on)
    scenario = _text(errors, "scenario", scenario, required=True, limit=300, message=_("Describe the scenario."))
    went_well = _text(errors, "went_well", went_well)
    to_improve = _text(errors, "to_improve", to_improve)
    if not participants:
        errors["participants"] = _("Choose who took part.")
    if errors:
        raise ValidationError(errors)
    drill = Drill.objects.create(
        kind=DrillKind.READINESS_EXERCISE, unit=None, held_on=held_on, scenario=scenario, went_well=went_well,
        to_improve=to_improve, created_by=actor,
    )
    drill.participants.set(participants)
    audit_event_record(actor=actor, verb="readiness.exercise_recorded", target=drill,
                       held_on=held_on.isoformat(), participants=len(participants))
    return drill


@transaction.atomic
def crisis_plan_draft_start(*, actor) -> CrisisPlanVersion:
    """The draft to edit: the open one, or a new one copied from the newest
    approved version (empty sections the first time)."""
    _require_readiness(actor)
    draft = CrisisPlanVersion.objects.select_for_update().filter(state=SecurityPlanState.DRAFT).first()
    if draft is not None:
        return draft
    latest = CrisisPlanVersion.objects.filter(state=SecurityPlanState.APPROVED).order_by("-number").first()
    draft = CrisisPlanVersion.objects.create(
        number=(latest.number + 1) if latest else 1,
        sections=dict(latest.sections) if latest else {},
        created_by=actor,
    )
    audit_event_record(actor=actor, verb="crisis_plan.draft_started", target=draft, number=draft.number)
    return draft


@transaction.atomic
def crisis_plan_draft_save(
    *, actor, version: CrisisPlanVersion, sections: dict, change_note: str = "", expected_version: int | None = None
) -> CrisisPlanVersion:
    """Save the draft's sections (by CRISIS_SECTION_KEYS) and the note of what changed."""
    _require_readiness(actor)
    version.refresh_from_db(from_queryset=CrisisPlanVersion.objects.select_for_update())
    if version.state != SecurityPlanState.DRAFT:
        raise ValidationError({NON_FIELD_ERRORS: [_("An approved version cannot be changed. Start a new draft.")]})
    errors: dict = {}
    cleaned = {}
    for key in CRISIS_SECTION_KEYS:
        value = _text(errors, f"section_{key}", sections.get(key, ""), limit=CRISIS_SECTION_TEXT_MAX)
        if value:
            cleaned[key] = value
    note = _text(errors, "change_note", change_note)
    if errors:
        raise ValidationError(errors)
    edit_version_claim(version, expected=expected_version)
    changed = sorted(k for k in set(cleaned) | set(version.sections) if cleaned.get(k) != version.sections.get(k))
    version.sections, version.change_note = cleaned, note
    version.save(update_fields=["sections", "change_note"])
    audit_event_record(actor=actor, verb="crisis_plan.draft_saved", target=version, sections=changed)
    return version


@transaction.atomic
def crisis_plan_approve(*, actor, version: CrisisPlanVersion, review_note: str = "") -> CrisisPlanVersion:
    """Freeze the draft as the plan in force; the versions approved before stay
    as they were. `review_note` records the yearly review it came from."""
    _require_readiness(actor)
    version.refresh_from_db(from_queryset=CrisisPlanVersion.objects.select_for_update())
    if version.state != SecurityPlanState.DRAFT:
        raise ValidationError({NON_FIELD_ERRORS: [_("This version has already been approved.")]})
    errors: dict = {}
    note = _text(errors, "review_note", review_note)
    if not any(version.sections.get(key) for key in CRISIS_SECTION_KEYS):
        errors[NON_FIELD_ERRORS] = [_("Write at least one section before approving the plan.")]
    if errors:
        raise ValidationError(errors)
    version.state, version.review_note = SecurityPlanState.APPROVED, note
    version.approved_by, version.approved_at = actor, timezone.now()
    version.save(update_fields=["state", "review_note", "approved_by", "approved_at"])
    audit_event_record(actor=actor, verb="crisis_plan.approved", target=version, number=version.number)
    return version
