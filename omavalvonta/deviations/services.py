"""Writes of deviations. CONTRACT: the signatures and docstrings below are fixed;
views, the demo and tests are written against them. Each service: keyword-only
arguments with `actor` first, @transaction.atomic, access.require/require_on,
save(update_fields=[...]), an AuditEvent (core.services.audit_event_record) in
the same transaction, notifications only through notifications.services
.notification_enqueue. Business-rule failures raise
django.core.exceptions.ValidationError with a translated, user-facing message
(dict form {field: message} where a field is to blame)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from omavalvonta.deviations.models import Deviation, StatutoryNotification


@dataclass(frozen=True)
class SubmitResult:
    deviation: Deviation
    # Plain follow-up code, shown once to the reporter; None when not issued.
    followup_code: str | None


@dataclass(frozen=True)
class NotificationDraft:
    recipient_kind: str  # NotificationRecipient value
    recipient_name: str
    recipient_email: str
    subject: str
    body: str


def deviation_submit(
    *,
    actor,
    unit,
    kind: str,
    occurred_at: dt.datetime,
    description: str,
    location: str = "",
    immediate_actions: str = "",
    affected_child: bool = False,
    affected_staff: bool = False,
    affected_other: bool = False,
    improvement_proposal: str = "",
    anonymous: bool = False,
    attachments=(),
    medication_stage: str = "",
    medication_substance: str = "",
    violence_target: str = "",
    injury: bool = False,
    police_called: bool = False,
    restraint_used: bool = False,
    data_concerned: str = "",
    personal_data_breach: bool = False,
    submitted_at: dt.datetime | None = None,
) -> SubmitResult:
    """File a report in `unit` (requires deviation.report there).

    * anonymous=True stores no identity (reporter=None, audit actor None).
    * A follow-up code is issued for anonymous reports and always for § 29
      grievances; only its HMAC digest is stored.
    * Routes the report: handler = HandlerAssignment(unit, kind) or the unit's
      supervisor (then responsible person, then regional director); notifies the
      handler; data-protection reports also notify data protection officers,
      threat/violence reports safety managers, whose grants cover the unit.
    * Sets number, handling_due_at (organisation.handling_start_working_days
      working days) and due_date (organisation.handling_target_days).
    * attachments: uploaded files; images (JPEG, PNG, HEIC, WebP) and PDF only,
      each at most settings.ATTACHMENT_MAX_BYTES, at most 5.
    * submitted_at: only for the demo loader, to back-date.
    """
    raise NotImplementedError


def deviation_assign(*, actor, deviation: Deviation, handler) -> Deviation:
    """Name another handler (requires deviation.handle in the unit; the new handler
    must be able to handle in the unit). Notifies the new handler."""
    raise NotImplementedError


def deviation_classify(
    *,
    actor,
    deviation: Deviation,
    consequence: int,
    likelihood: int,
    is_critical: bool = False,
    contributing_factors: str = "",
    analysis: str = "",
    for_team_meeting: bool = False,
) -> Deviation:
    """Classify (handler or deviation.handle). Risk level from the organisation's
    matrix. A submitted report moves to in_handling. Consequence serious or very
    serious makes the report critical."""
    raise NotImplementedError


def deviation_add_action(*, actor, deviation: Deviation, title: str, owner, due_date: dt.date):
    """Decide a corrective action (improvement.services.action_create, source=the
    deviation). Moves the report to actions_decided. Returns the Action."""
    raise NotImplementedError


def deviation_answer(*, actor, deviation: Deviation, answer: str) -> Deviation:
    """Write (or rewrite) the answer to the reporter; stamps answered_at and tells
    a named reporter in the product and by e-mail (never anyone else)."""
    raise NotImplementedError


def deviation_close(*, actor, deviation: Deviation) -> Deviation:
    """Close. Refused (ValidationError) before the reporter has been answered, and
    for a report that requires a statutory notification not yet sent."""
    raise NotImplementedError


def deviation_reopen(*, actor, deviation: Deviation, reason: str) -> Deviation:
    """Reopen a closed report (back to in_handling), with a reason on the timeline."""
    raise NotImplementedError


def deviation_notification_drafts(*, actor, deviation: Deviation) -> list[NotificationDraft]:
    """Pre-filled notifications for the handler to review: one to each purchasing
    county's notification address and one to its lead official. No personal
    names of children or of the reporter in the text."""
    raise NotImplementedError


def deviation_notify_county(*, actor, deviation: Deviation, subject: str, body: str) -> list[StatutoryNotification]:
    """Send the reviewed notification to every draft recipient through the outbox
    and record each (who, whom, when, what); sets correction_due (organisation
    .correction_due_days). Requires deviation.notify."""
    raise NotImplementedError


def deviation_escalate_to_authority(*, actor, deviation: Deviation, subject: str, body: str) -> StatutoryNotification:
    """Escalate to the default supervisory Authority. Allowed only when the county
    was notified, the correction due date has passed and the report is still open."""
    raise NotImplementedError


def deviation_authority_draft(*, actor, deviation: Deviation) -> NotificationDraft:
    """Pre-filled escalation message to the default supervisory authority."""
    raise NotImplementedError


def deviations_escalate_stalled(*, now: dt.datetime | None = None) -> int:
    """Background job: reports still `submitted` after handling_due_at, not yet
    escalated, are escalated to the handler's own manager (the unit's responsible
    person and the region's regional director): notification, escalated_at, audit
    event (actor None). Returns how many."""
    raise NotImplementedError


def handler_assignment_set(*, actor, unit, kind: str, handler) -> None:
    """Name the handler of one report type in a unit (requires deviation.routing);
    handler=None removes the row (back to the supervisor)."""
    raise NotImplementedError
