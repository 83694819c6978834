"""Writes of the data-protection area: the access log's review, the
data-subject requests and their compiles, the retention table, legal holds and
the decision on a destruction run (the destruction itself: privacy.retention)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from omavalvonta.core import registry
from omavalvonta.core.lib import bounds
from omavalvonta.core.lib.dates import fi_date
from omavalvonta.core.lib.typed import typed_text
from omavalvonta.core.services import audit_event_record
from omavalvonta.privacy import compile as compiling, deadlines, retention, retention_defaults
from omavalvonta.privacy.models import (
    DestructionRun,
    IdentityMethod,
    ItemAction,
    LegalHold,
    LogReview,
    RefusalReason,
    RequestKind,
    RequestStatus,
    RetentionRule,
    RunState,
    SubjectAction,
    SubjectCompilation,
    SubjectRequest,
)
from omavalvonta.privacy.selectors import require_retention, require_review, require_subject_requests

NOTE_MAX = 1000


def log_review_record(*, actor, entry, note: str = "") -> LogReview:
    """Mark a read in the access log reviewed, with the reviewer's note. An
    entry is reviewed once: a second review is refused (the first one stands)."""
    require_review(actor)
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise ValidationError({"note": _("Write at most %(n)s characters.") % {"n": NOTE_MAX}})
    try:
        with transaction.atomic():
            return LogReview.objects.create(entry=entry, reviewed_by=actor, note=note)
    except IntegrityError:
        raise ValidationError(_("This read has already been reviewed.")) from None


# --- Data-subject requests ---------------------------------------------------------------

IDENTITY_NOTE_MAX = 300
DETAILS_MAX = 2000
REASONS_MAX = 1000
REFUSAL_NOTE_MAX = 500


def _check_length(errors: dict, field: str, value: str, limit: int) -> None:
    typed_text(errors, field, value, limit)


def _identity_errors(identity_method: str, identity_note: str, person, outside_name: str) -> dict:
    """Who the request is about, and how their identity was verified."""
    errors = {}
    if identity_method not in IdentityMethod.values:
        errors["identity_method"] = _("Choose how the identity was verified.")
    elif identity_method == IdentityMethod.OTHER and not identity_note:
        errors["identity_note"] = _("Say in short how the identity was verified.")
    if person is None and not outside_name:
        errors["person"] = _("Name the person concerned: someone in the product or an outside person.")
    elif person is not None and outside_name:
        errors["outside_name"] = _("Give either a person in the product or an outside person's name, not both.")
    return errors


def subject_request_register(*, actor, kind: str, received_on, identity_method: str, person=None,
                             outside_name: str = "", identity_note: str = "", details: str = "",
                             today=None) -> SubjectRequest:
    """Register a request received on `received_on` about `person` (someone in
    the product) or an outside person named `outside_name`, with how their
    identity was verified. Its due date is one month from receipt."""
    require_subject_requests(actor)
    today = today or timezone.localdate()
    outside_name, identity_note, details = (outside_name or "").strip(), (identity_note or "").strip(), (details or "").strip()
    errors: dict = {}
    if kind not in RequestKind.values:
        errors["kind"] = _("Choose the type of request.")
    errors.update(_identity_errors(identity_method, identity_note, person, outside_name))
    if received_on is None or not bounds.in_range(received_on):
        errors["received_on"] = _("Enter the date the request was received.")
    elif received_on > today:
        errors["received_on"] = _("The request cannot have been received in the future.")
    _check_length(errors, "outside_name", outside_name, 150)
    _check_length(errors, "identity_note", identity_note, IDENTITY_NOTE_MAX)
    _check_length(errors, "details", details, DETAILS_MAX)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        request = SubjectRequest.objects.create(
            kind=kind, received_on=received_on, person=person, outside_name=outside_name,
            identity_method=identity_method, identity_note=identity_note, details=details,
            due_on=deadlines.due_on(received_on), registered_by=actor,
        )
        audit_event_record(actor=actor, verb="subject_request.registered", target=request, kind=kind)
    return request


def subject_request_extend(*, actor, request: SubjectRequest, months: int, notice_on, reasons: str) -> SubjectRequest:
    """Extend the answer period by `months` (1-2 in all), recording the date the
    person was told and the reasons. Allowed only while within the first month
    of receipt (GDPR art. 12(3)), once, on an open request."""
    require_subject_requests(actor)
    reasons = (reasons or "").strip()
    errors: dict = {}
    if not request.is_open:
        raise ValidationError(_("The request has been closed; its period can no longer be extended."))
    if request.extension_months:
        raise ValidationError(_("The period has already been extended."))
    if months not in range(1, deadlines.MAX_EXTENSION_MONTHS + 1):
        errors["months"] = _("The period may be extended by one or two months.")
    if not reasons:
        errors["reasons"] = _("Write the reasons for the extension: they are told to the person.")
    _check_length(errors, "reasons", reasons, REASONS_MAX)
    if notice_on is None or not bounds.in_range(notice_on):
        errors["notice_on"] = _("Enter the date the person was told of the extension.")
    elif notice_on < request.received_on:
        errors["notice_on"] = _("The notice cannot be before the request was received (%(date)s).") % {
            "date": fi_date(request.received_on)
        }
    elif not deadlines.extension_allowed(request.received_on, notice_on):
        errors["notice_on"] = _(
            "Too late to extend: the person must be told of an extension within one month of receipt, "
            "by %(date)s at the latest. Answer the request by its due date."
        ) % {"date": fi_date(deadlines.extension_notice_last_day(request.received_on))}
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        request.extension_months = months
        request.extension_notice_on = notice_on
        request.extension_reasons = reasons
        request.due_on = deadlines.due_on(request.received_on, months)
        request.save(update_fields=["extension_months", "extension_notice_on", "extension_reasons", "due_on"])
        audit_event_record(actor=actor, verb="subject_request.extended", target=request, months=months)
    return request


def subject_request_status(*, actor, request: SubjectRequest, status: str, answered_on=None,
                           refusal_reason: str = "", refusal_note: str = "", today=None) -> SubjectRequest:
    """Move the request on: in progress, answered (on `answered_on`) or refused
    (with its legal reason, on `answered_on`). A closed request stays closed."""
    require_subject_requests(actor)
    today = today or timezone.localdate()
    refusal_note = (refusal_note or "").strip()
    errors: dict = {}
    if not request.is_open:
        raise ValidationError(_("The request has already been closed."))
    if status not in RequestStatus.values or status == RequestStatus.RECEIVED:
        errors["status"] = _("Choose the new status.")
    closing = status in (RequestStatus.ANSWERED, RequestStatus.REFUSED)
    if closing:
        errors.update(_answer_date_errors(request, answered_on, today))
    if status == RequestStatus.REFUSED:
        errors.update(_refusal_errors(refusal_reason, refusal_note, note_field="refusal_note"))
    _check_length(errors, "refusal_note", refusal_note, REFUSAL_NOTE_MAX)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        request.status = status
        request.answered_on = answered_on if closing else None
        if status == RequestStatus.REFUSED:
            request.refusal_reason, request.refusal_note = refusal_reason, refusal_note
        request.save(update_fields=["status", "answered_on", "refusal_reason", "refusal_note"])
        audit_event_record(
            actor=actor, verb=f"subject_request.{status}", target=request,
            **({"refusal_reason": refusal_reason} if status == RequestStatus.REFUSED else {}),
        )
    return request


def subject_request_compile(*, actor, request: SubjectRequest) -> SubjectCompilation:
    """Compile (again) what the product holds about the person of an access
    request: the areas' sections and who has read the data, with redactions and
    their reasons. A new compile must be reviewed again before release."""
    require_subject_requests(actor)
    if request.kind != RequestKind.ACCESS or request.person_id is None:
        raise ValidationError(_("Only an access request about a person in the product can be compiled."))
    if not request.is_open:
        raise ValidationError(_("The request has already been closed."))
    result = compiling.compile_person(request.person)
    with transaction.atomic():
        compilation, _created = SubjectCompilation.objects.update_or_create(
            request=request,
            defaults={
                "compiled_at": timezone.now(), "compiled_by": actor, "sections": result["sections"],
                "seen": result["seen"], "redactions": result["redactions"],
                "reviewed_at": None, "reviewed_by": None, "review_note": "",
            },
        )
        if request.status == RequestStatus.RECEIVED:
            request.status = RequestStatus.IN_PROGRESS
            request.save(update_fields=["status"])
        audit_event_record(
            actor=actor, verb="subject_request.compiled", target=request,
            redactions=[r["reason"] for r in result["redactions"]],
        )
    return compilation


def subject_compilation_review(*, actor, compilation: SubjectCompilation, note: str = "") -> SubjectCompilation:
    """The DPO has read the compile through: it may be released to the person."""
    require_subject_requests(actor)
    note = (note or "").strip()
    if len(note) > REFUSAL_NOTE_MAX:
        raise ValidationError({"review_note": _("Write at most %(n)s characters.") % {"n": REFUSAL_NOTE_MAX}})
    if compilation.reviewed_at is not None:
        raise ValidationError(_("The compile has already been reviewed."))
    with transaction.atomic():
        compilation.reviewed_at, compilation.reviewed_by, compilation.review_note = timezone.now(), actor, note
        compilation.save(update_fields=["reviewed_at", "reviewed_by", "review_note"])
        audit_event_record(actor=actor, verb="subject_request.compile_reviewed", target=compilation.request)
    return compilation


CHANGE_KINDS = (RequestKind.ERASURE, RequestKind.RECTIFICATION)


def subject_items(request: SubjectRequest) -> list[dict]:
    """What the areas hold about the person of a rectification or erasure
    request, per area (core.registry SUBJECT_ACTIONS): {"area", "title",
    "items": [SubjectItem]}."""
    if request.person_id is None:
        return []
    parts = []
    for entry in registry.entries(registry.SUBJECT_ACTIONS):
        items = entry.func(person=request.person)
        if items:
            parts.append({"area": entry.name, "title": str(entry.title), "items": items})
    return parts


def _undecided_item(request: SubjectRequest, area: str, key: str):
    """(the area's SUBJECT_ACTIONS entry, the item) of an open change request, not yet decided."""
    if request.kind not in CHANGE_KINDS or request.person_id is None:
        raise ValidationError(_("Only a rectification or erasure request about a person in the product changes data."))
    if not request.is_open:
        raise ValidationError(_("The request has already been closed."))
    entry = registry.get(registry.SUBJECT_ACTIONS, area)
    item = next((i for i in entry.func(person=request.person) if i.key == key), None) if entry else None
    if item is None:
        raise ValidationError(_("The item is no longer there. Open the list again."))
    if SubjectAction.objects.filter(request=request, area=area, key=key).exists():
        raise ValidationError(_("This item has already been decided."))
    return entry, item


def _decision_errors(item, *, action: str, value: str, refusal_reason: str, note: str) -> dict:
    """Why the decision cannot be made on the item (empty: it can)."""
    if action not in ItemAction.values:
        return {"action": _("Choose what is done with the item.")}
    if action == ItemAction.ERASE and not item.erase:
        return {"action": item.keep or _("This item cannot be erased.")}
    if action == ItemAction.RECTIFY:
        if not item.rectify:
            return {"action": _("This item cannot be rectified.")}
        if not value:
            return {"value": _("Write the corrected value.")}
    if action == ItemAction.REFUSE:
        return _refusal_errors(refusal_reason, note, note_field="note")
    return {}


def _refusal_errors(reason: str, note: str, *, note_field: str) -> dict:
    """A refusal names its legal reason; "other" names it in the note."""
    if reason not in RefusalReason.values:
        return {"refusal_reason": _("Choose the legal reason for the refusal.")}
    if reason == RefusalReason.OTHER and not note:
        return {note_field: _("Name the legal reason in the note.")}
    return {}


def _answer_date_errors(request: SubjectRequest, answered_on, today) -> dict:
    if answered_on is None or not bounds.in_range(answered_on):
        return {"answered_on": _("Enter the date the person was answered.")}
    if answered_on < request.received_on:
        return {"answered_on": _("The answer cannot be before the request was received.")}
    if answered_on > today:
        return {"answered_on": _("The answer date cannot be in the future.")}
    return {}


def subject_item_decide(*, actor, request: SubjectRequest, area: str, key: str, action: str, value: str = "",
                        refusal_reason: str = "", note: str = "") -> SubjectAction:
    """Decide one item of a rectification or erasure request: erase or rectify it
    through the owning area's service, or refuse with the legal reason. Each
    decision is an audit event and the request's outcome for that item; what the
    law requires to keep is never erased (the area says so and refuses)."""
    require_subject_requests(actor)
    value, note = (value or "").strip(), (note or "").strip()
    entry, item = _undecided_item(request, area, key)
    errors = _decision_errors(item, action=action, value=value, refusal_reason=refusal_reason, note=note)
    _check_length(errors, "note", note, REFUSAL_NOTE_MAX)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        if action != ItemAction.REFUSE:
            entry.apply(actor=actor, person=request.person, key=key, action=action, value=value)
        decision = SubjectAction.objects.create(
            request=request, area=area, key=key, title=str(item.title)[:300], action=action,
            refusal_reason=refusal_reason if action == ItemAction.REFUSE else "", note=note, decided_by=actor,
        )
        if request.status == RequestStatus.RECEIVED:
            request.status = RequestStatus.IN_PROGRESS
            request.save(update_fields=["status"])
        audit_event_record(
            actor=actor, verb=f"subject_request.item_{action}", target=request, area=area, key=key,
            **({"refusal_reason": refusal_reason} if action == ItemAction.REFUSE else {}),
        )
    return decision


def person_by_email(email: str):
    """The person in the product with this e-mail address, or None."""
    email = (email or "").strip()
    if not email:
        return None
    return get_user_model().objects.filter(email__iexact=email).first()


# --- Retention ---------------------------------------------------------------------------

BASIS_MAX = 500
MAX_MONTHS = 1200  # 100 years
RECORD_ID_MAX = 2**63 - 1  # the largest identifier the database keeps


def _known_record_type(record_type: str) -> bool:
    return registry.get(registry.RETENTION, record_type) is not None


def _check_parts(errors: dict, record_type: str, months: int) -> None:
    """A record that goes with another (an attachment with its report) may not be
    kept longer than that one: its destruction would otherwise go unrecorded."""
    entry = registry.get(registry.RETENTION, record_type)
    whole = entry.details.get("part_of")
    if whole and (limit := retention.months_in_force(whole)) is not None and months > limit:
        errors["months"] = _("At most %(n)s months: these records are destroyed with their %(whole)s.") % {
            "n": limit, "whole": retention.record_type_label(whole).lower()}
    for part in registry.entries(registry.RETENTION):
        if part.details.get("part_of") == record_type:
            kept = retention.months_in_force(part.name)
            if kept is not None and months < kept:
                errors["months"] = _(
                    "At least %(n)s months: %(part)s are kept that long and are destroyed with these records. "
                    "Shorten their period first."
                ) % {"n": kept, "part": retention.record_type_label(part.name).lower()}


def retention_rule_set(*, actor, record_type: str, months, basis: str = "") -> RetentionRule:
    """Set a record type's retention period (months), with the basis of the
    change. Audited with the old period, the new one and the default."""
    require_retention(actor)
    basis = (basis or "").strip()
    errors: dict = {}
    if not _known_record_type(record_type):
        raise ValidationError(_("Unknown record type."))
    if months is None or not 1 <= months <= MAX_MONTHS:
        errors["months"] = _("Enter a period of 1–%(n)s months.") % {"n": MAX_MONTHS}
    if not basis:
        errors["basis"] = _("Write the basis of the change (a law, a decision): it is kept with the period.")
    _check_length(errors, "basis", basis, BASIS_MAX)
    if not errors:
        _check_parts(errors, record_type, months)
    if errors:
        raise ValidationError(errors)
    before = retention.months_in_force(record_type)
    with transaction.atomic():
        rule, _created = RetentionRule.objects.update_or_create(
            record_type=record_type,
            defaults={"months": months, "basis": basis, "changed_by": actor, "changed_at": timezone.now()},
        )
        audit_event_record(
            actor=actor, verb="retention.period_changed", target=rule, record_type=record_type,
            before=before, after=months, default=retention_defaults.default_months(record_type), basis=basis,
        )
    return rule


def legal_hold_set(*, actor, record_type: str, record_id, reason: str) -> LegalHold:
    """Stop the destruction of one record (or of a whole case: a deviation
    report's hold covers its attachments), with the reason."""
    require_retention(actor)
    reason = (reason or "").strip()
    errors: dict = {}
    if not _known_record_type(record_type):
        errors["record_type"] = _("Choose the record type.")
    if record_id is None or not 1 <= record_id <= RECORD_ID_MAX:
        errors["record_id"] = _("Enter the record's identifier (a number).")
    if not reason:
        errors["reason"] = _("Write the reason for the hold (a claim, an inquiry, a request of an authority).")
    _check_length(errors, "reason", reason, BASIS_MAX)
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            hold = LegalHold.objects.create(record_type=record_type, record_id=record_id, reason=reason, set_by=actor)
            audit_event_record(actor=actor, verb="retention.hold_set", target=hold, record_type=record_type,
                               record_id=record_id)
    except IntegrityError:
        raise ValidationError(_("This record is already under a legal hold.")) from None
    return hold


def legal_hold_lift(*, actor, hold: LegalHold, reason: str) -> LegalHold:
    require_retention(actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"lift_reason": _("Write why the hold is lifted.")})
    if len(reason) > BASIS_MAX:
        raise ValidationError({"lift_reason": _("Write at most %(n)s characters.") % {"n": BASIS_MAX}})
    with transaction.atomic():
        lifted = LegalHold.objects.filter(pk=hold.pk, lifted_at__isnull=True).update(
            lifted_at=timezone.now(), lifted_by=actor, lift_reason=reason
        )
        if not lifted:
            raise ValidationError(_("The hold has already been lifted."))
        audit_event_record(actor=actor, verb="retention.hold_lifted", target=hold)
    hold.refresh_from_db()
    return hold


def _decide_run(*, actor, run: DestructionRun, state: str, verb: str) -> DestructionRun:
    require_retention(actor)
    with transaction.atomic():
        decided = DestructionRun.objects.filter(pk=run.pk, state=RunState.PROPOSED).update(
            state=state, decided_by=actor, decided_at=timezone.now()
        )
        if not decided:
            raise ValidationError(_("The run has already been decided."))
        audit_event_record(actor=actor, verb=verb, target=run)
    run.refresh_from_db()
    return run


def destruction_run_approve(*, actor, run: DestructionRun) -> DestructionRun:
    """Approve a proposed run: the worker destroys it on its next round (never
    this request). A hold set before then still keeps its records."""
    return _decide_run(actor=actor, run=run, state=RunState.APPROVED, verb="retention.run_approved")


def destruction_run_cancel(*, actor, run: DestructionRun) -> DestructionRun:
    return _decide_run(actor=actor, run=run, state=RunState.CANCELLED, verb="retention.run_cancelled")
