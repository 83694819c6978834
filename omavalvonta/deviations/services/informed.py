"""Who was informed of the event: the handler records each party told (the child,
a parent or guardian, the child's social worker, the licensing authority, the
police), when and by whom, and removes a row recorded by mistake."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from omavalvonta.deviations.models import Deviation, InformedParty, InformedRecord
from omavalvonta.deviations.services._common import _check_max_length, _clean_text, _event, _require_open
from omavalvonta.organisation import access

INFORMED_BY_MAX = 200
INFORMED_NOTE_MAX = 500


@transaction.atomic
def informed_record_add(
    *, actor, deviation: Deviation, party: str, informed_on: dt.date, informed_by: str, note: str = ""
) -> InformedRecord:
    """Record that `party` was informed on `informed_on` by `informed_by` (free
    text: the one who told need not have an account). Requires deviation.handle
    on the report (the named handler included); the report must be open. The
    date may not be in the future nor before the day of the event."""
    access.require_on(actor, deviation, access.P_DEVIATION_HANDLE)
    _require_open(deviation)
    errors: dict = {}
    if party not in InformedParty.values:
        errors["party"] = _("Choose who was informed.")
    if not isinstance(informed_on, dt.date):
        errors["informed_on"] = _("Give the date they were informed.")
    elif informed_on > timezone.localdate():
        errors["informed_on"] = _("The date cannot be in the future.")
    elif informed_on < timezone.localtime(deviation.occurred_at).date():
        errors["informed_on"] = _("The date cannot be before the event.")
    informed_by = _clean_text(informed_by)
    note = _clean_text(note)
    if not informed_by:
        errors["informed_by"] = _("Tell who informed them.")
    else:
        _check_max_length(errors, "informed_by", informed_by, INFORMED_BY_MAX)
    _check_max_length(errors, "note", note, INFORMED_NOTE_MAX)
    if errors:
        raise ValidationError(errors)
    record = InformedRecord.objects.create(
        deviation=deviation,
        unit=deviation.unit,
        party=party,
        informed_on=informed_on,
        informed_by=informed_by,
        note=note,
        recorded_by=actor,
    )
    _informed_event(actor, record, "deviation.informed_added")
    return record


@transaction.atomic
def informed_record_remove(*, actor, deviation: Deviation, record_id) -> None:
    """Remove a row recorded by mistake (deviation.handle; the report open). The
    audit event keeps what the row said, not who was named in it."""
    access.require_on(actor, deviation, access.P_DEVIATION_HANDLE)
    _require_open(deviation)
    record = InformedRecord.objects.filter(deviation=deviation, pk=record_id).first()
    if record is None:
        raise ValidationError(_("That row was already removed."))
    _informed_event(actor, record, "deviation.informed_removed")
    record.delete()


def _informed_event(actor, record: InformedRecord, verb: str) -> None:
    """The audit event of a row added or removed: what it said, not who was named in it."""
    _event(actor, record.deviation, verb, record_id=record.pk, party=record.party, informed_on=record.informed_on.isoformat())
