"""Writes of training and development: a person's training record, the date of
their yearly development discussion (never its content), and the unit's
recruitment plan (draft, approve, versions kept). Keyword-only, `actor` first,
atomic, audited."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from omavalvonta.core.lib import bounds
from omavalvonta.core.services import audit_event_record
from omavalvonta.organisation import access
from omavalvonta.people import selectors, services as people_services
from omavalvonta.people.certificates import certificate_attach
from omavalvonta.people.models import DevelopmentDiscussion, RecruitmentPlan, TrainingRecord

COURSE_MAX = 200
PROVIDER_MAX = 150
HOURS_MAX = Decimal("999.9")
PLAN_MAX = 4000


def _require_staff(actor, unit, person) -> None:
    access.require(actor, access.P_COMPETENCE_RECORD, unit)
    if not selectors.is_staff_member(unit=unit, person=person):
        raise PermissionDenied("not a member of the unit's staff")


def _check_past_date(value, errors: dict, field: str, today: dt.date) -> None:
    if not isinstance(value, dt.date) or not bounds.in_range(value):
        errors[field] = _("Give the date.")
    elif value > today:
        errors[field] = _("The date cannot be in the future.")


def _clean_hours(hours, errors: dict):
    try:
        value = Decimal(str(hours)) if hours is not None and str(hours).strip() else None
    except (InvalidOperation, ValueError):
        value = None
    if value is None or not value.is_finite() or not Decimal("0.1") <= value <= HOURS_MAX:
        errors["hours"] = _("Give the hours as a number from 0.1 to 999.9.")
        return None
    return value.quantize(Decimal("0.1"))


@transaction.atomic
def training_record(*, actor, unit, person, course: str, done_on, hours, provider: str = "",
                    files=None) -> TrainingRecord:
    """Record a course `person` (a member of `unit`'s staff) attended, with its
    certificate when one is given (the same upload checks as a qualification's)."""
    _require_staff(actor, unit, person)
    errors: dict = {}
    course = (course or "").strip()
    provider = (provider or "").strip()
    if not course:
        errors["course"] = _("Give the name of the course.")
    elif len(course) > COURSE_MAX:
        errors["course"] = _("Use at most %(limit)s characters.") % {"limit": COURSE_MAX}
    if len(provider) > PROVIDER_MAX:
        errors["provider"] = _("Use at most %(limit)s characters.") % {"limit": PROVIDER_MAX}
    _check_past_date(done_on, errors, "done_on", timezone.localdate())
    hours = _clean_hours(hours, errors)
    accepted = people_services.check_one_certificate(files, errors)
    if errors:
        raise ValidationError(errors)
    record = TrainingRecord(
        person=person, unit=unit, course=course, done_on=done_on, hours=hours, provider=provider, recorded_by=actor
    )
    certificate_attach(record, accepted)
    record.save()
    audit_event_record(
        actor=actor, verb="training.recorded", target=record, unit=unit, person=person.pk, hours=str(hours)
    )
    return record


@transaction.atomic
def development_discussion_record(*, actor, unit, person, held_on) -> DevelopmentDiscussion:
    """Record that the yearly development discussion with `person` was held on
    `held_on`. Only the date: the discussion's content is not kept here."""
    _require_staff(actor, unit, person)
    errors: dict = {}
    _check_past_date(held_on, errors, "held_on", timezone.localdate())
    if errors:
        raise ValidationError(errors)
    if DevelopmentDiscussion.objects.filter(person=person, unit=unit, held_on=held_on).exists():
        raise ValidationError({"held_on": _("A development discussion on this date is already recorded.")})
    discussion = DevelopmentDiscussion.objects.create(person=person, unit=unit, held_on=held_on, recorded_by=actor)
    audit_event_record(
        actor=actor, verb="development_discussion.recorded", target=discussion, unit=unit, person=person.pk,
        held_on=held_on.isoformat(),
    )
    return discussion


@transaction.atomic
def recruitment_plan_draft(*, actor, unit, text: str) -> RecruitmentPlan:
    """Save the unit's recruitment plan as a draft: the open draft is edited in
    place; after an approval a new version begins."""
    access.require(actor, access.P_COMPETENCE_RECORD, unit)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write the competence the unit's children need.")})
    if len(text) > PLAN_MAX:
        raise ValidationError({"text": _("Use at most %(limit)s characters.") % {"limit": PLAN_MAX}})
    draft = RecruitmentPlan.objects.select_for_update().filter(unit=unit, approved_at__isnull=True).first()
    if draft is None:
        last = RecruitmentPlan.objects.filter(unit=unit).aggregate(n=Max("version"))["n"] or 0
        draft = RecruitmentPlan(unit=unit, version=last + 1, created_by=actor)
    draft.text = text
    draft.save()
    audit_event_record(actor=actor, verb="recruitment_plan.drafted", target=draft, unit=unit, version=draft.version)
    return draft


@transaction.atomic
def recruitment_plan_approve(*, actor, unit) -> RecruitmentPlan:
    """Approve the unit's draft: it becomes the plan in force; the earlier
    versions stay as history."""
    access.require(actor, access.P_COMPETENCE_RECORD, unit)
    draft = RecruitmentPlan.objects.select_for_update().filter(unit=unit, approved_at__isnull=True).first()
    if draft is None:
        raise ValidationError({"__all__": _("There is no draft to approve.")})
    draft.approved_by = actor
    draft.approved_at = timezone.now()
    draft.save(update_fields=["approved_by", "approved_at"])
    audit_event_record(actor=actor, verb="recruitment_plan.approved", target=draft, unit=unit, version=draft.version)
    return draft
