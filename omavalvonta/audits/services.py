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
    Criterion,
    CriticalSystem,
    Drill,
    Finding,
    FindingKind,
    SecurityPlanState,
    SecurityPlanVersion,
    SelfAssessment,
)
from omavalvonta.audits.security_sections import SECTION_KEYS, SECTION_TEXT_MAX
from omavalvonta.core.concurrency import edit_version_claim
from omavalvonta.core.services import audit_event_record
from omavalvonta.improvement.services import action_create
from omavalvonta.organisation import access

TEXT_MAX = 5000


def _text(errors, field, value, *, required=False, limit=TEXT_MAX, message=None):
    value = (value or "").strip()
    if required and not value:
        errors[field] = message or _("This field is required.")
    elif len(value) > limit:
        errors[field] = _("Use at most %(limit)s characters.") % {"limit": limit}
    return value


def _past_date(errors, field, value, *, message=None):
    """A date given and not in the future (`message` says why not, when given)."""
    if value is None:
        errors[field] = _("Give the date.")
    elif value > timezone.localdate():
        errors[field] = message or _("Record it once it has taken place.")


# --- Checklists --------------------------------------------------------------------------------


def _criteria_lines(errors, criteria_text) -> list[str]:
    """The criteria typed one a line (blank lines skipped): at least one, each
    of at most 500 characters."""
    lines = [line.strip() for line in (criteria_text or "").splitlines() if line.strip()]
    if not lines:
        errors["criteria_text"] = _("Write at least one criterion, one a line.")
    elif any(len(line) > 500 for line in lines):
        errors["criteria_text"] = _("A criterion may have at most 500 characters.")
    return lines


def _criteria_sync(checklist: Checklist, lines: list[str]) -> None:
    """Make the checklist's criteria the `lines`, in their order: a known line
    keeps its criterion (moved if need be), a new one is added; a line gone is
    dropped unless answered before (then kept for history, moved to the end)."""
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
    lines = _criteria_lines(errors, criteria_text)
    if errors:
        raise ValidationError(errors)
    if checklist is None:
        checklist = Checklist.objects.create(title=title, description=description, is_active=is_active)
    else:
        edit_version_claim(checklist, expected=expected_version)
        checklist.title, checklist.description, checklist.is_active = title, description, is_active
        checklist.save()
    _criteria_sync(checklist, lines)
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


# --- Plans kept as versioned sections (the information-security plan here, the
# crisis-communication plan in readiness_services): one draft at a time, copied from
# the newest approved version; approving freezes it. The callers check the right.


def plan_draft_start(model, *, actor, verb: str):
    """The draft of `model` to edit: the open one, or a new one copied from the
    newest approved version (empty sections the first time)."""
    draft = model.objects.select_for_update().filter(state=SecurityPlanState.DRAFT).first()
    if draft is not None:
        return draft
    latest = model.objects.filter(state=SecurityPlanState.APPROVED).order_by("-number").first()
    draft = model.objects.create(
        number=(latest.number + 1) if latest else 1,
        sections=dict(latest.sections) if latest else {},
        created_by=actor,
    )
    audit_event_record(actor=actor, verb=f"{verb}.draft_started", target=draft, number=draft.number)
    return draft


def plan_draft_save(version, *, actor, verb: str, keys, limit: int, sections: dict, change_note: str,
                    expected_version: int | None):
    """Save a draft's sections (by `keys`, each at most `limit` characters) and the note of what changed."""
    version.refresh_from_db(from_queryset=type(version).objects.select_for_update())
    if version.state != SecurityPlanState.DRAFT:
        raise ValidationError({NON_FIELD_ERRORS: [_("An approved version cannot be changed. Start a new draft.")]})
    errors: dict = {}
    cleaned = {}
    for key in keys:
        value = _text(errors, f"section_{key}", sections.get(key, ""), limit=limit)
        if value:
            cleaned[key] = value
    note = _text(errors, "change_note", change_note)
    if errors:
        raise ValidationError(errors)
    edit_version_claim(version, expected=expected_version)
    changed = sorted(k for k in set(cleaned) | set(version.sections) if cleaned.get(k) != version.sections.get(k))
    version.sections, version.change_note = cleaned, note
    version.save(update_fields=["sections", "change_note"])
    audit_event_record(actor=actor, verb=f"{verb}.draft_saved", target=version, sections=changed)
    return version


def plan_approve(version, *, actor, verb: str, keys, review_note: str):
    """Freeze the draft as the plan in force; `review_note` records the review it came from."""
    version.refresh_from_db(from_queryset=type(version).objects.select_for_update())
    if version.state != SecurityPlanState.DRAFT:
        raise ValidationError({NON_FIELD_ERRORS: [_("This version has already been approved.")]})
    errors: dict = {}
    note = _text(errors, "review_note", review_note)
    if not any(version.sections.get(key) for key in keys):
        errors[NON_FIELD_ERRORS] = [_("Write at least one section before approving the plan.")]
    if errors:
        raise ValidationError(errors)
    version.state, version.review_note = SecurityPlanState.APPROVED, note
    version.approved_by, version.approved_at = actor, timezone.now()
    version.save(update_fields=["state", "review_note", "approved_by", "approved_at"])
    audit_event_record(actor=actor, verb=f"{verb}.approved", target=version, number=version.number)
    return version


def versioned_plan_services(model, *, verb: str, keys, limit: int, require):
    """The three services of a plan kept as versioned sections, each atomic and
    checking `require(actor)` first:
    - draft_start(*, actor): the draft to edit, the open one or a new one copied
      from the newest approved version (empty sections the first time);
    - draft_save(*, actor, version, sections, change_note="", expected_version=None):
      the draft's sections (by `keys`) and the note of what changed;
    - approve(*, actor, version, review_note=""): freeze the draft as the plan in
      force (the versions approved before stay as they were); `review_note`
      records the review it came from (what was checked, with whom)."""

    @transaction.atomic
    def draft_start(*, actor):
        require(actor)
        return plan_draft_start(model, actor=actor, verb=verb)

    @transaction.atomic
    def draft_save(*, actor, version, sections: dict, change_note: str = "", expected_version: int | None = None):
        require(actor)
        return plan_draft_save(
            version, actor=actor, verb=verb, keys=keys, limit=limit, sections=sections, change_note=change_note,
            expected_version=expected_version,
        )

    @transaction.atomic
    def approve(*, actor, version, review_note: str = ""):
        require(actor)
        return plan_approve(version, actor=actor, verb=verb, keys=keys, review_note=review_note)

    for service, name in ((draft_start, "draft_start"), (draft_save, "draft_save"), (approve, "approve")):
        service.__name__ = service.__qualname__ = f"{verb}_{name}"
    return draft_start, draft_save, approve


security_plan_draft_start, security_plan_draft_save, security_plan_approve = versioned_plan_services(
    SecurityPlanVersion, verb="security_plan", keys=SECTION_KEYS, limit=SECTION_TEXT_MAX, require=_require_security_plan
)
