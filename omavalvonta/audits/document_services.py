"""Writes of tracked documents and purchased-service partners. Keyword-only,
`actor` first, atomic, audited, the kernel checked again: a unit's documents
need document.manage in the unit (its supervisor and responsible person), the
organisation's documents and the partners need it organisation-wide (the
quality director, administrators). What a kind asks (a number, the approver)
is read from `audits/document_kinds.py`."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from omavalvonta.audits.document_kinds import KINDS, EvidenceKind, rule_of
from omavalvonta.audits.document_selectors import P_MANAGE, owner_choices
from omavalvonta.audits.models import DocumentVersion, PartnerEvidence, ServicePartner, TrackedDocument
from omavalvonta.audits.services import _past_date, _text
from omavalvonta.core.attachments import check_attachments
from omavalvonta.core.concurrency import edit_version_claim
from omavalvonta.core.lib.dates import add_months
from omavalvonta.core.services import audit_event_record
from omavalvonta.organisation import access
from omavalvonta.organisation.services import validate_business_id

# How far ahead a valid-until or review date may lie (a typo of a year 2207 is caught).
MAX_YEARS_AHEAD = 10


def _require_scope(actor, unit) -> None:
    if unit is None:
        if not access.has_perm_organisation_wide(actor, P_MANAGE):
            raise PermissionDenied(P_MANAGE)
    else:
        access.require(actor, P_MANAGE, unit)


def _future_date(errors, field, value, *, after: dt.date, message: str):
    if value is None:
        errors[field] = _("Give the date.")
    elif value <= after:
        errors[field] = message
    elif value > add_months(timezone.localdate(), 12 * MAX_YEARS_AHEAD):
        errors[field] = _("Give a date within ten years.")


def _owner(errors, owner, unit):
    if owner is None:
        errors["owner"] = _("Choose the owner.")
    elif not owner_choices(unit=unit).filter(pk=owner.pk).exists():
        errors["owner"] = _("Choose someone who keeps this unit's documents.")
    return owner


def _file(errors, file):
    if not file:
        return None
    accepted, problems = check_attachments([file])
    if problems:
        errors["file"] = problems
        return None
    return accepted[0][0]


def default_next_due(kind: str, dated_on: dt.date) -> dt.date:
    """The kind's default next date after a version of `dated_on`."""
    return add_months(dated_on, rule_of(kind).review_months)


@transaction.atomic
def document_create(
    *, actor, kind: str, unit, owner, due_on: dt.date | None, title: str = "", number: str = ""
) -> TrackedDocument:
    """A new tracked document of `unit` (None: the whole organisation)."""
    _require_scope(actor, unit)
    errors = {}
    if kind not in KINDS:
        errors["kind"] = _("Choose the kind.")
    title = _text(errors, "title", title, limit=200)
    number = _text(errors, "number", number, limit=80)
    _owner(errors, owner, unit)
    if due_on is None:
        errors["due_on"] = _("Give the date.")
    elif due_on > add_months(timezone.localdate(), 12 * MAX_YEARS_AHEAD):
        errors["due_on"] = _("Give a date within ten years.")
    if kind in KINDS and rule_of(kind).has_number and not number:
        errors["number"] = _("Give the number (registration, policy or licence number).")
    if errors:
        raise ValidationError(errors)
    document = TrackedDocument.objects.create(
        kind=kind, unit=unit, owner=owner, due_on=due_on, title=title, number=number, created_by=actor
    )
    audit_event_record(actor=actor, verb="document.created", target=document, unit=unit, kind=kind)
    return document


@transaction.atomic
def document_update(
    *, actor, document: TrackedDocument, owner, due_on: dt.date | None, title: str = "", number: str = "",
    is_active: bool = True, expected_version: int | None = None,
) -> TrackedDocument:
    """Edit a document's owner, number, name and date (the form carries the
    edit version it was opened at: a newer save refuses this one)."""
    _require_scope(actor, document.unit)
    errors = {}
    title = _text(errors, "title", title, limit=200)
    number = _text(errors, "number", number, limit=80)
    _owner(errors, owner, document.unit)
    if due_on is None:
        errors["due_on"] = _("Give the date.")
    elif due_on > add_months(timezone.localdate(), 12 * MAX_YEARS_AHEAD):
        errors["due_on"] = _("Give a date within ten years.")
    if rule_of(document.kind).has_number and not number:
        errors["number"] = _("Give the number (registration, policy or licence number).")
    if errors:
        raise ValidationError(errors)
    edit_version_claim(document, expected=expected_version)
    document.owner, document.due_on, document.title, document.number = owner, due_on, title, number
    document.is_active = is_active
    document.save(update_fields=["owner", "due_on", "title", "number", "is_active"])
    audit_event_record(actor=actor, verb="document.updated", target=document, unit=document.unit)
    return document


@transaction.atomic
def version_record(
    *, actor, document: TrackedDocument, dated_on: dt.date | None, note: str, next_due: dt.date | None,
    approver_name: str = "", approved_on: dt.date | None = None, file=None,
) -> DocumentVersion:
    """Record a new version: it becomes the current one and moves the
    document's date to `next_due` (the reminders start again for the new date;
    older versions are kept). The medication plan's version names who approved
    it (the region's doctor) and when."""
    _require_scope(actor, document.unit)
    document = TrackedDocument.objects.select_for_update().get(pk=document.pk)
    rule = rule_of(document.kind)
    today = timezone.localdate()
    errors = {}
    _past_date(errors, "dated_on", dated_on,
               message=_("Record the version once it is in force: the date cannot be in the future."))
    note = _text(errors, "note", note, required=True, message=_("Say what changed or what was checked."))
    approver_name = _text(errors, "approver_name", approver_name, limit=200)
    if rule.needs_approval:
        if not approver_name:
            errors["approver_name"] = _("Name the doctor who approved the plan.")
        if approved_on is None:
            errors["approved_on"] = _("Give the approval date.")
    if approved_on is not None and approved_on > today:
        errors["approved_on"] = _("The approval date cannot be in the future.")
    _future_date(errors, "next_due", next_due, after=max(today, dated_on or today),
                 message=_("The next date must be after today and the version's date."))
    upload = _file(errors, file)
    if errors:
        raise ValidationError(errors)
    version = DocumentVersion(
        document=document, dated_on=dated_on, note=note, approver_name=approver_name, approved_on=approved_on,
        next_due=next_due, created_by=actor,
    )
    if upload is not None:
        version.file_name = (upload.name or "")[-200:]
        version.file.save(upload.name, upload, save=False)
    version.save()
    document.current, document.due_on = version, next_due
    document.save(update_fields=["current", "due_on"])
    edit_version_claim(document)
    audit_event_record(
        actor=actor, verb="document.version_recorded", target=document, unit=document.unit,
        version=version.pk, next_due=next_due.isoformat(),
    )
    return version


# --- Purchased-service partners ------------------------------------------------------------------


def _partner_fields(errors, *, name, business_id, service, units, owner, next_due):
    name = _text(errors, "name", name, required=True, limit=200, message=_("Give the partner's name."))
    service = _text(errors, "service", service, required=True, limit=300, message=_("Say what service is bought."))
    business_id = (business_id or "").strip()
    if not business_id:
        errors["business_id"] = _("Give the business ID.")
    else:
        try:
            validate_business_id(business_id)
        except ValidationError as error:
            errors["business_id"] = error.messages
    _owner(errors, owner, None)
    if next_due is None:
        errors["next_due"] = _("Give the date.")
    elif next_due > add_months(timezone.localdate(), 12 * MAX_YEARS_AHEAD):
        errors["next_due"] = _("Give a date within ten years.")
    return name, business_id, service


@transaction.atomic
def partner_save(
    *, actor, partner: ServicePartner | None = None, name: str, business_id: str, service: str, units=(),
    owner=None, next_due: dt.date | None = None, is_active: bool = True, expected_version: int | None = None,
) -> ServicePartner:
    """Add or edit a purchased-service partner (organisation-wide keepers only)."""
    _require_scope(actor, None)
    errors = {}
    name, business_id, service = _partner_fields(
        errors, name=name, business_id=business_id, service=service, units=units, owner=owner, next_due=next_due
    )
    if errors:
        raise ValidationError(errors)
    if partner is None:
        partner = ServicePartner.objects.create(
            name=name, business_id=business_id, service=service, owner=owner, next_due=next_due, created_by=actor
        )
        verb = "partner.created"
    else:
        edit_version_claim(partner, expected=expected_version)
        partner.name, partner.business_id, partner.service = name, business_id, service
        partner.owner, partner.next_due, partner.is_active = owner, next_due, is_active
        partner.save(update_fields=["name", "business_id", "service", "owner", "next_due", "is_active"])
        verb = "partner.updated"
    partner.units.set(list(units))
    audit_event_record(actor=actor, verb=verb, target=partner)
    return partner


@transaction.atomic
def partner_evidence_record(
    *, actor, partner: ServicePartner, received_on: dt.date | None, kind: str, note: str = "",
    next_due: dt.date | None, file=None,
) -> PartnerEvidence:
    """Record evidence received from a partner; it moves the next due date."""
    _require_scope(actor, None)
    partner = ServicePartner.objects.select_for_update().get(pk=partner.pk)
    today = timezone.localdate()
    errors = {}
    _past_date(errors, "received_on", received_on, message=_("Record it once it has been received."))
    if kind not in EvidenceKind.values:
        errors["kind"] = _("Choose what was received.")
    note = _text(errors, "note", note)
    _future_date(errors, "next_due", next_due, after=today,
                 message=_("The next date must be after today."))
    upload = _file(errors, file)
    if errors:
        raise ValidationError(errors)
    evidence = PartnerEvidence(partner=partner, received_on=received_on, kind=kind, note=note, created_by=actor)
    if upload is not None:
        evidence.file_name = (upload.name or "")[-200:]
        evidence.file.save(upload.name, upload, save=False)
    evidence.save()
    partner.next_due = next_due
    partner.save(update_fields=["next_due"])
    edit_version_claim(partner)
    audit_event_record(actor=actor, verb="partner.evidence_recorded", target=partner, evidence=evidence.pk)
    return evidence

