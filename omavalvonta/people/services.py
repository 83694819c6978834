"""Writes of the competence area: recording a check or a qualification for a
member of a unit's staff, and the unit's requirement. Keyword-only, `actor`
first, atomic, audited. The reminders are people.reminders."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from omavalvonta.core.attachments import check_attachments
from omavalvonta.core.lib import bounds
from omavalvonta.core.lib.dates import add_months
from omavalvonta.core.services import audit_event_record
from omavalvonta.organisation import access
from omavalvonta.people import selectors
from omavalvonta.people.certificates import certificate_attach
from omavalvonta.people.models import (
    QualificationKind,
    QualificationRecord,
    QualificationType,
    RegistrationResult,
    UnitRequirement,
)

TEXT_MAX = {"registration_number": 40, "scope": 300, "provider": 150, "note": 500}
REQUIREMENT_MAX = 200


def _clean_texts(data: dict, errors: dict) -> dict:
    texts = {}
    for name, limit in TEXT_MAX.items():
        value = (data.get(name) or "").strip()
        if len(value) > limit:
            errors[name] = _("Use at most %(limit)s characters.") % {"limit": limit}
        texts[name] = value
    return texts


def _clean_dates(qtype: QualificationType, done_on, valid_until, errors: dict, today: dt.date):
    if not isinstance(done_on, dt.date) or not bounds.in_range(done_on):
        errors["done_on"] = _("Give the date.")
    elif done_on > today:
        errors["done_on"] = _("The date cannot be in the future.")
    if valid_until is not None and (not isinstance(valid_until, dt.date) or not bounds.in_range(valid_until)):
        errors["valid_until"] = _("Give a valid date.")
        valid_until = None
    if "done_on" in errors:
        return valid_until
    if valid_until is None and qtype.refresh_months:
        valid_until = add_months(done_on, qtype.refresh_months)
    if valid_until is not None and valid_until < done_on:
        errors["valid_until"] = _("The end of validity cannot be before the date.")
    if qtype.kind == QualificationKind.MEDICATION_PERMIT and valid_until is None:
        errors["valid_until"] = _("Give the date until which the permit is valid.")
    return valid_until


def _check_kind_fields(qtype, texts: dict, result: str, errors: dict) -> None:
    if qtype.kind == QualificationKind.REGISTRATION:
        if not texts["registration_number"]:
            errors["registration_number"] = _("Give the registration number from the register.")
        if result not in RegistrationResult.values:
            errors["result"] = _("Choose what the register showed.")
    if qtype.kind == QualificationKind.MEDICATION_PERMIT and not texts["scope"]:
        errors["scope"] = _("Describe what the permit covers.")


def _check_file(qtype: QualificationType, files, errors: dict) -> list:
    files = [f for f in (files or ()) if f]
    if not files:
        return []
    if not qtype.takes_file:
        if qtype.kind == QualificationKind.CRIMINAL_RECORD:
            errors["certificate"] = _(
                "The criminal-record extract must not be kept: record only that you saw it, its date and who saw it."
            )
        else:
            errors["certificate"] = _("No certificate is attached to this kind of record.")
        return []
    return check_one_certificate(files, errors)


def check_one_certificate(files, errors: dict) -> list:
    """One certificate file through the attachment checks (also a training's)."""
    files = [f for f in (files or ()) if f]
    if not files:
        return []
    if len(files) > 1:
        errors["certificate"] = _("Attach one file.")
        return []
    accepted, problems = check_attachments(files)
    if problems:
        errors["certificate"] = problems
    return accepted


@transaction.atomic
def qualification_record(*, actor, unit, person, qtype: QualificationType, done_on, valid_until=None,
                         registration_number: str = "", result: str = "", scope: str = "", provider: str = "",
                         note: str = "", files=None) -> QualificationRecord:
    """Record a check or a qualification of `person`, a member of `unit`'s staff.
    The new record becomes the person's current one of that type; the older stay
    as history. A type that expires gets its end from its refresh interval when
    none is given. A criminal-record check never takes a file."""
    access.require(actor, access.P_COMPETENCE_RECORD, unit)
    if not selectors.is_staff_member(unit=unit, person=person):
        raise PermissionDenied("not a member of the unit's staff")
    if not qtype.is_active:
        raise ValidationError({"__all__": _("This type of record is no longer in use.")})
    errors: dict = {}
    today = timezone.localdate()
    texts = _clean_texts(
        {"registration_number": registration_number, "scope": scope, "provider": provider, "note": note}, errors
    )
    valid_until = _clean_dates(qtype, done_on, valid_until, errors, today)
    _check_kind_fields(qtype, texts, result, errors)
    accepted = _check_file(qtype, files, errors)
    if errors:
        raise ValidationError(errors)
    if qtype.kind != QualificationKind.REGISTRATION:
        texts["registration_number"], result = "", ""
    QualificationRecord.objects.filter(person=person, type=qtype, is_current=True).update(is_current=False)
    record = QualificationRecord(
        person=person, unit=unit, type=qtype, done_on=done_on, valid_until=valid_until, result=result,
        recorded_by=actor, is_current=True, **texts,
    )
    certificate_attach(record, accepted)
    record.save()
    audit_event_record(
        actor=actor, verb="qualification.recorded", target=record, unit=unit,
        person=person.pk, type=qtype.key, valid_until=valid_until.isoformat() if valid_until else None,
    )
    return record


@transaction.atomic
def requirement_save(*, actor, unit, medication_permits, first_aid) -> UnitRequirement:
    """The unit's requirement: how many valid medication permits and first-aid
    certificates its staff must hold."""
    access.require(actor, access.P_COMPETENCE_RECORD, unit)
    errors = {}
    for name, value in (("medication_permits", medication_permits), ("first_aid", first_aid)):
        if not isinstance(value, int) or not 0 <= value <= REQUIREMENT_MAX:
            errors[name] = _("Give a number from 0 to %(max)s.") % {"max": REQUIREMENT_MAX}
    if errors:
        raise ValidationError(errors)
    requirement, _created = UnitRequirement.objects.update_or_create(
        unit=unit, defaults={"medication_permits": medication_permits, "first_aid": first_aid}
    )
    audit_event_record(
        actor=actor, verb="competence.requirement_saved", target=requirement, unit=unit,
        medication_permits=medication_permits, first_aid=first_aid,
    )
    return requirement


# Orientation (perehdytys): its writes live in their own module, reached from here.
from omavalvonta.people.orientation_services import (  # noqa: E402
    card_draft,
    card_item_add,
    card_item_edit,
    card_item_move,
    card_item_remove,
    card_publish,
    evaluation_action,
    evaluation_save,
    evaluator_role,
    item_acknowledge,
    item_tick,
    orientation_start,
    person_left,
)

__all__ = [
    "card_draft", "card_item_add", "card_item_edit", "card_item_move",
    "card_item_remove", "card_publish", "evaluation_action", "evaluation_save",
    "evaluator_role", "item_acknowledge", "item_tick", "orientation_start", "person_left",
    "qualification_record", "requirement_save",
]


# --- A data-subject request (privacy, core.registry SUBJECT_ACTIONS) ---------------------

SUBJECT_TEXT_FIELDS = ("registration_number", "provider", "scope", "note")


def qualification_keep_reason(record: QualificationRecord) -> str:
    """Why the record must be kept ("" when it may be erased): the current
    record of a person still in the unit's staff shows that the provider's staff
    hold what their work needs (Sote-valvontalaki 741/2023: the self-supervision
    of staffing; Act on social welfare professionals 817/2015: the employer
    checks the right to practise). It can be rectified; history can go."""
    if record.is_current and selectors.is_staff_member(unit=record.unit, person=record.person):
        return _(
            "The current record of a person in the unit's staff: the provider must be able to show it "
            "(Sote-valvontalaki 741/2023; Act 817/2015; GDPR art. 17(3)(b)). It can be rectified."
        )
    return ""


@transaction.atomic
def qualification_subject_apply(*, actor, record: QualificationRecord, field: str, action: str,
                                 value: str = "") -> None:
    """Erase a qualification record (its certificate file too), or rectify or
    erase one of its texts, on a data-subject request decided by the
    data-protection officer (subject_request.manage, organisation-wide)."""
    if not access.has_perm_organisation_wide(actor, access.P_SUBJECT_REQUEST_MANAGE):
        raise PermissionDenied(access.P_SUBJECT_REQUEST_MANAGE)
    if field == "record":
        if action != "erase":
            raise ValidationError(_("Rectify the record's details one by one."))
        keep = qualification_keep_reason(record)
        if keep:
            raise ValidationError(keep)
        pk, unit, type_key = record.pk, record.unit, record.type.key
        if record.certificate:
            record.certificate.delete(save=False)
        record.delete()
        audit_event_record(actor=actor, verb="qualification.subject_erased", target=unit, unit=unit,
                           record=pk, type=type_key)
        return
    if field not in SUBJECT_TEXT_FIELDS or action not in ("erase", "rectify"):
        raise ValidationError(_("This detail cannot be changed on a request."))
    errors: dict = {}
    new = _clean_texts({field: "" if action == "erase" else value}, errors)[field]
    if errors.get(field):
        raise ValidationError({"value": errors[field]})
    if getattr(record, field) == new:
        raise ValidationError({"value": _("The value is already this.")})
    setattr(record, field, new)
    record.save(update_fields=[field])
    audit_event_record(actor=actor, verb=f"qualification.subject_{action}", target=record, unit=record.unit,
                       field=field)
