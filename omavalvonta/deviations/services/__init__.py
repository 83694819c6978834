"""Writes of deviations. Each service: keyword-only arguments with `actor` first,
@transaction.atomic, access.require/require_on, save(update_fields=[...]), an
AuditEvent (core.services.audit_event_record) in the same transaction,
notifications only through notifications.services.notification_enqueue.
Business-rule failures raise django.core.exceptions.ValidationError with a
translated, user-facing message (dict form {field: message} where a field is to
blame).

The package is split by stage of the loop; import from here."""

from omavalvonta.deviations.services._common import (
    GDPR_BREACH_HOURS,
    NotificationDraft,
    SubmitResult,
    detail_link,
    statutory_missing,
)
from omavalvonta.deviations.services.decisions import (
    deviation_decide_handling,
    instruction_proposal_decide,
    proposal_link,
)
from omavalvonta.deviations.services.handling import (
    deviation_add_action,
    deviation_answer,
    deviation_assign,
    deviation_classify,
    deviation_close,
    deviation_close_refusals,
    deviation_reopen,
)
from omavalvonta.deviations.services.informed import informed_record_add, informed_record_remove
from omavalvonta.deviations.services.jobs import deviations_escalate_stalled, deviations_statutory_clock_check
from omavalvonta.deviations.services.messages import (
    deviation_message_from_followup,
    deviation_message_from_reporter,
    deviation_message_to_reporter,
)
from omavalvonta.deviations.services.protection import deviation_reporter_disclose
from omavalvonta.deviations.services.reporting import (
    ReportInput,
    deviation_submit,
    deviation_submit_public,
    handler_assignment_set,
)
from omavalvonta.deviations.services.statutory import (
    authority_escalation_refusal,
    deviation_authority_draft,
    deviation_escalate_to_authority,
    deviation_notification_drafts,
    deviation_notify_county,
)

__all__ = [
    "GDPR_BREACH_HOURS",
    "NotificationDraft",
    "ReportInput",
    "SubmitResult",
    "authority_escalation_refusal",
    "detail_link",
    "deviation_add_action",
    "deviation_answer",
    "deviation_assign",
    "deviation_authority_draft",
    "deviation_classify",
    "deviation_decide_handling",
    "deviation_close",
    "deviation_close_refusals",
    "deviation_message_from_followup",
    "deviation_message_from_reporter",
    "deviation_message_to_reporter",
    "deviation_escalate_to_authority",
    "deviation_notification_drafts",
    "deviation_notify_county",
    "deviation_reopen",
    "deviation_reporter_disclose",
    "deviation_submit",
    "deviation_submit_public",
    "deviations_escalate_stalled",
    "deviations_statutory_clock_check",
    "handler_assignment_set",
    "proposal_link",
    "informed_record_add",
    "instruction_proposal_decide",
    "informed_record_remove",
    "statutory_missing",
]
