"""Writes of the risk register: risks, assessment sessions and their actions, and
links between risks and deviation reports. Keyword-only, `actor` first, atomic,
audited; every write checks the kernel again."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from omavalvonta.core.concurrency import edit_version_claim
from omavalvonta.core.lib.typed import typed_text
from omavalvonta.core.services import audit_event_record
from omavalvonta.improvement.services import action_create
from omavalvonta.organisation import access, access_people
from omavalvonta.organisation.risk import CONSEQUENCE_RANGE, LIKELIHOOD_RANGE, risk_level_for
from omavalvonta.risks.models import Risk, RiskAssessment, RiskCategory, RiskDeviationLink

TITLE_MAX = 200
TEXT_MAX = 5000


def _is_unit_member(user, unit) -> bool:
    return access_people.memberships_of(user=user, unit_or_region=unit).exists()


def _clean_risk(*, unit, category, title, likelihood, consequence, description, controls, owner, next_review) -> dict:
    errors = {}
    title = typed_text(errors, "title", title, TITLE_MAX, required=_("Name the risk."))
    if category not in RiskCategory.values:
        errors["category"] = _("Choose the category.")
    if isinstance(likelihood, bool) or likelihood not in LIKELIHOOD_RANGE:
        errors["likelihood"] = _("Choose the likelihood.")
    if isinstance(consequence, bool) or consequence not in CONSEQUENCE_RANGE:
        errors["consequence"] = _("Choose the consequence.")
    description = typed_text(errors, "description", description, TEXT_MAX)
    controls = typed_text(errors, "controls", controls, TEXT_MAX)
    if owner is not None and not _is_unit_member(owner, unit):
        errors["owner"] = _("Choose a person of this unit.")
    if next_review is not None and next_review < timezone.localdate() - dt.timedelta(days=1):
        errors["next_review"] = _("The next review cannot be in the past.")
    if errors:
        raise ValidationError(errors)
    return {
        "category": category,
        "title": title,
        "likelihood": likelihood,
        "consequence": consequence,
        "level": risk_level_for(unit.region.organisation.risk_matrix, consequence, likelihood),
        "description": description,
        "controls": controls,
        "owner": owner,
        "next_review": next_review,
    }


@transaction.atomic
def risk_create(
    *, actor, unit, category, title, likelihood, consequence, description="", controls="", owner=None,
    next_review=None,
) -> Risk:
    """Add a risk to the unit's register; its level comes from the organisation's
    risk matrix (the same lookup as deviation classification)."""
    access.require(actor, access.P_RISK_MANAGE, unit)
    data = _clean_risk(
        unit=unit, category=category, title=title, likelihood=likelihood, consequence=consequence,
        description=description, controls=controls, owner=owner, next_review=next_review,
    )
    risk = Risk.objects.create(unit=unit, created_by=actor, **data)
    audit_event_record(actor=actor, verb="risk.created", target=risk, unit=unit, level=risk.level)
    return risk


@transaction.atomic
def risk_update(
    *, actor, risk: Risk, category, title, likelihood, consequence, description="", controls="", owner=None,
    next_review=None, is_active=True, expected_version: int | None = None,
) -> Risk:
    """Change a risk (its level is looked up again); `is_active=False` retires it.
    `expected_version`: the edit version the form was opened at; a newer save
    refuses this one (EditConflict)."""
    access.require(actor, access.P_RISK_MANAGE, risk.unit)
    data = _clean_risk(
        unit=risk.unit, category=category, title=title, likelihood=likelihood, consequence=consequence,
        description=description, controls=controls, owner=owner, next_review=next_review,
    )
    edit_version_claim(risk, expected=expected_version)
    before = risk.level
    for name, value in data.items():
        setattr(risk, name, value)
    risk.is_active = bool(is_active)
    risk.updated_at = timezone.now()
    risk.save()
    audit_event_record(actor=actor, verb="risk.changed", target=risk, unit=risk.unit, level_before=before, level=risk.level)
    return risk


@transaction.atomic
def risk_assessment_create(
    *, actor, unit, held_on: dt.date, participants=(), other_participants: str = "", risks=(), summary: str = "",
    next_review: dt.date | None = None,
) -> RiskAssessment:
    """Record an assessment session: date, participants and the risks reviewed.
    Reviewed risks get `next_review` when given (e.g. a year ahead)."""
    access.require(actor, access.P_RISK_MANAGE, unit)
    errors = {}
    if held_on is None:
        errors["held_on"] = _("Give the date.")
    elif held_on > timezone.localdate():
        errors["held_on"] = _("Record the session once it has been held.")
    summary = typed_text(errors, "summary", summary, TEXT_MAX)
    other_participants = typed_text(errors, "other_participants", other_participants, 300)
    risks = list(risks)
    if any(r.unit_id != unit.pk for r in risks):
        errors["risks"] = _("Choose risks of this unit.")
    participants = list(participants)
    if not participants and not other_participants:
        errors["participants"] = _("Name at least one participant.")
    if any(not _is_unit_member(p, unit) for p in participants):
        errors["participants"] = _("Choose people of this unit.")
    if errors:
        raise ValidationError(errors)
    assessment = RiskAssessment.objects.create(
        unit=unit, held_on=held_on, other_participants=other_participants, summary=summary, created_by=actor,
    )
    assessment.participants.set(participants)
    assessment.risks.set(risks)
    if next_review is not None and risks:
        Risk.objects.filter(pk__in=[r.pk for r in risks]).update(next_review=next_review, updated_at=timezone.now())
    audit_event_record(
        actor=actor, verb="risk_assessment.recorded", target=assessment, unit=unit, risks=[r.pk for r in risks]
    )
    return assessment


def risk_assessment_action_create(*, actor, assessment: RiskAssessment, title: str, owner, due_date, description=""):
    """A new action decided in the session, with the assessment as its source
    (improvement's action_create checks and audits it)."""
    access.require(actor, access.P_RISK_MANAGE, assessment.unit)
    return action_create(
        actor=actor, unit=assessment.unit, title=title, owner=owner, due_date=due_date, source=assessment,
        description=description, source_kind="risk",
    )


@transaction.atomic
def risk_link_deviation(*, actor, risk: Risk, deviation) -> RiskDeviationLink:
    """Tie a deviation report to a known risk of the same unit (idempotent)."""
    access.require(actor, access.P_RISK_MANAGE, risk.unit)
    access.require_on(actor, deviation, access.P_DEVIATION_VIEW)
    if deviation.unit_id != risk.unit_id:
        raise ValidationError({"risk": _("The risk and the report must be of the same unit.")})
    link, created = RiskDeviationLink.objects.get_or_create(
        risk=risk, deviation=deviation, defaults={"unit": risk.unit, "created_by": actor}
    )
    if created:
        audit_event_record(actor=actor, verb="risk.deviation_linked", target=risk, unit=risk.unit, deviation=deviation.pk)
    return link


@transaction.atomic
def risk_unlink_deviation(*, actor, link: RiskDeviationLink) -> None:
    access.require(actor, access.P_RISK_MANAGE, link.risk.unit)
    audit_event_record(
        actor=actor, verb="risk.deviation_unlinked", target=link.risk, unit=link.unit, deviation=link.deviation_id
    )
    link.delete()
