"""Shared pieces of the deviation services: constants, result types, helpers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from omavalvonta.core.concurrency import edit_version_claim
from omavalvonta.core.lib.dates import fi_date_padded, fi_timestamp
from omavalvonta.core.lib.typed import too_long
from omavalvonta.core.services import audit_event_record
from omavalvonta.deviations import law
from omavalvonta.deviations.models import (
    Deviation,
    NotificationPurpose,
    NotificationRecipient,
    State,
    StatutoryNotification,
)
from omavalvonta.notifications.services import notification_enqueue
from omavalvonta.organisation import access_people
from omavalvonta.organisation.models import Role

# A clock a few minutes fast on a phone must not block a report.
FUTURE_TOLERANCE = dt.timedelta(minutes=5)
GDPR_BREACH_HOURS = 72
STALLED_BATCH = 500
_COUNTY_KINDS = (NotificationRecipient.COUNTY, NotificationRecipient.LEAD_OFFICIAL)


@dataclass(frozen=True)
class SubmitResult:
    deviation: Deviation
    # Plain follow-up code, shown once to the reporter; None when not issued.
    followup_code: str | None
    # False when the idempotency key was seen before: the report already stored.
    created: bool = True


@dataclass(frozen=True)
class NotificationDraft:
    recipient_kind: str  # NotificationRecipient value
    recipient_name: str
    recipient_email: str
    subject: str
    body: str
    county_id: int | None = None  # the county a county, lead-official or social-worker draft belongs to
    key: str = ""  # a social worker's key among the named children's contacts


# --- Small helpers ---------------------------------------------------------------------


def detail_link(deviation: Deviation) -> str:
    """The in-product address of a report, for notifications (relative to SITE_URL)."""
    return f"/poikkeamat/{deviation.pk}/"


_local = fi_timestamp  # a moment in notification texts: 23.11.2026 14:05 (Helsinki)


_date = fi_date_padded  # a date in notification texts: 03.01.2026


def _require_open(deviation: Deviation) -> None:
    if deviation.state == State.CLOSED:
        raise ValidationError(_("This report is closed. Reopen it before changing it."))


def _start_handling(deviation: Deviation, now: dt.datetime, fields: list[str]) -> None:
    """The first handler write moves a new report into handling; the stalled-handling
    job watches exactly this stamp."""
    if deviation.state == State.SUBMITTED:
        deviation.state = State.IN_HANDLING
        fields.append("state")
    if deviation.handling_started_at is None:
        deviation.handling_started_at = now
        fields.append("handling_started_at")


def _save(deviation: Deviation, fields: list[str], *, expected_version: int | None = None) -> None:
    """Write a person's change: the edit version moves on (and is checked against
    `expected_version`, the version a form was opened at: core/concurrency.py)."""
    edit_version_claim(deviation, expected=expected_version)
    # update_fields skips auto_now unless named; the list page sorts on freshness.
    deviation.save(update_fields=sorted(set(fields) | {"updated_at"}))


def _event(actor, deviation: Deviation, verb: str, **data) -> None:
    """Record an audit event on the report, in its unit (the report's timeline
    reads these)."""
    audit_event_record(actor=actor, verb=verb, target=deviation, unit=deviation.unit, **data)


def _assigned_event(actor, deviation: Deviation, handler, **data) -> None:
    """The report has a new handler (named by `actor`, or routed: actor None)."""
    _event(actor, deviation, "deviation.assigned", handler_id=handler.pk, handler_name=handler.full_name, **data)


def _tell(recipients, deviation: Deviation, *, kind: str, subject: str, body: str) -> None:
    """Queue one message to each of `recipients` about the report, linking to its page."""
    for person in recipients:
        notification_enqueue(recipient=person, kind=kind, subject=subject, body=body, link=detail_link(deviation))


def _alerted(deviation: Deviation, roles) -> dict:
    """Who an alert about the report goes to: the active holders of `roles` over
    its unit and its active handler, by pk (in name order, the handler last)."""
    people = {p.pk: p for p in _members_covering(deviation.unit, roles)}
    if deviation.handler_id and deviation.handler.is_active:
        people.setdefault(deviation.handler_id, deviation.handler)
    return people


def _members_covering(unit, roles, *, exclude_ids=()) -> list:
    """Active people holding one of `roles` over `unit` (the unit itself, its region
    or the whole organisation), ordered by name. One query."""
    rows = (
        access_people.memberships_of(roles, covering=unit)
        .exclude(user_id__in=list(exclude_ids))
        .select_related("user")
        .order_by("user__full_name", "user_id")
    )
    people = {}
    for m in rows:
        people.setdefault(m.user_id, m.user)
    return list(people.values())


def _clean_text(value) -> str:
    return (value or "").strip()


def _organisation(unit):
    return unit.region.organisation


def _county_notifications(deviation: Deviation):
    return StatutoryNotification.objects.filter(deviation=deviation, recipient_kind__in=_COUNTY_KINDS)


def _authority_notifications(deviation: Deviation):
    """The § 28 notifications to the supervisory authority (not escalations)."""
    return StatutoryNotification.objects.filter(
        deviation=deviation, recipient_kind=NotificationRecipient.AUTHORITY, purpose=NotificationPurpose.NOTIFICATION
    )


def statutory_missing(deviation: Deviation) -> list[str]:
    """The recipient kinds the report's statutory duty still waits for:
    NotificationRecipient.COUNTY (the county and its lead official) and/or
    NotificationRecipient.AUTHORITY. Empty when nothing is owed."""
    duty = deviation.statutory_duty
    if duty is None:
        return []
    missing = []
    if NotificationRecipient.COUNTY in duty.recipients and not _county_notifications(deviation).exists():
        missing.append(NotificationRecipient.COUNTY)
    if duty.includes_authority and not _authority_notifications(deviation).exists():
        missing.append(NotificationRecipient.AUTHORITY)
    return missing


# --- The § 28 clock ------------------------------------------------------------------------


def statutory_clock_start(deviation: Deviation, *, started: dt.datetime, actor, reasons) -> None:
    """Start the serious-event clock (law.SERIOUS_EVENT_DUTY) of `deviation` unless
    it runs already: the deadline, an audit event naming the reasons and the
    law, and an immediate alert (never a digest) to the unit's responsible
    persons and the handler. The alert names no one and quotes no free text."""
    if deviation.notification_due_at is not None:
        return
    duty = law.SERIOUS_EVENT_DUTY
    due = duty.deadline(started)
    deviation.notification_due_at = due
    _save(deviation, ["notification_due_at"])
    _event(actor, deviation, "deviation.clock_started", reasons=list(reasons), source=duty.source, due=due.isoformat())
    people = _alerted(deviation, [Role.RESPONSIBLE_PERSON])
    values = {
        "number": deviation.number,
        "kind": deviation.get_kind_display(),
        "unit": deviation.unit.name,
        "due": _local(due),
        "source": duty.source,
    }
    _tell(
        people.values(),
        deviation,
        kind="deviation.serious",
        subject=_("Serious event: notify the county and the supervisory authority by %(due)s (%(number)s, %(unit)s)")
        % values,
        body="\n".join(
            [
                _("Report %(number)s (%(kind)s, %(unit)s) meets the criteria of a serious event.") % values,
                "",
                _(
                    "By law (%(source)s) the purchasing wellbeing services county and the supervisory "
                    "authority must be notified immediately: by %(due)s at the latest."
                )
                % values,
            ]
        ),
    )
    _event(None, deviation, "deviation.serious_alerted", recipients=sorted(people))


def statutory_progress(deviation: Deviation, *, now: dt.datetime, actor) -> None:
    """After a notification: when nothing the duty asks is missing any more,
    stamp notification_done_at and record whether it was on time."""
    if deviation.notification_done_at is not None or deviation.statutory_duty is None:
        return
    if statutory_missing(deviation):
        return
    deviation.notification_done_at = now
    _save(deviation, ["notification_done_at"])
    if deviation.notification_due_at is None:  # no clock ran (a § 29 grievance): nothing to time
        return
    late = now > deviation.notification_due_at
    _event(actor, deviation, "deviation.notification_completed", late=late, due=deviation.notification_due_at.isoformat())


# --- Submit --------------------------------------------------------------------------------


def _check_max_length(errors: dict, field: str, value: str, limit: int) -> None:
    if len(value) > limit:
        errors[field] = too_long(limit, len(value))
