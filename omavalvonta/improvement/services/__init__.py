"""Writes of the improvement area: actions, action plans, acknowledgements and the
self-supervision log. Each service: keyword-only arguments with `actor` first,
@transaction.atomic, access.require/require_on, save(update_fields=[...]), an
AuditEvent in the same transaction, notifications only through
notifications.services.notification_enqueue. Rule failures raise ValidationError
with a translated message (dict form {field: message} where a field is to blame).

The package is split by subject; import from here. CONTRACTS (other areas call
them): action_create, action_complete, acknowledgements_request,
acknowledgement_confirm, log_entry_create; acknowledgements_remind for reminders."""

from omavalvonta.improvement.services.acknowledgements import (
    acknowledgement_confirm,
    acknowledgements_remind,
    acknowledgements_request,
)
from omavalvonta.improvement.services.actions import (
    EFFECTIVENESS_CHECK_DAYS,
    REOPEN_DUE_DAYS,
    SERIOUS_RISK_LEVELS,
    action_cancel,
    action_complete,
    action_create,
    action_record_effectiveness,
    action_update,
    check_due_date,
)
from omavalvonta.improvement.services.jobs import REMINDER_DAYS_BEFORE, actions_send_reminders
from omavalvonta.improvement.services.log import log_entry_create, log_entry_follow_up
from omavalvonta.improvement.services.plan_jobs import (
    PLAN_REMINDER_DAYS,
    period_bounds,
    plan_follow_up_reminders_send,
)
from omavalvonta.improvement.services.plans import (
    PROMPT_KINDS,
    action_plan_approve,
    action_plan_create,
    action_plan_update,
    goal_follow_up_record,
    goal_prompt_link,
    goal_prompt_remove,
    plan_goal_add,
    plan_goal_remove,
    plan_goal_start_from,
    plan_goal_update,
)

__all__ = [
    "EFFECTIVENESS_CHECK_DAYS",
    "REMINDER_DAYS_BEFORE",
    "REOPEN_DUE_DAYS",
    "SERIOUS_RISK_LEVELS",
    "acknowledgement_confirm",
    "acknowledgements_remind",
    "acknowledgements_request",
    "action_cancel",
    "action_complete",
    "action_create",
    "action_plan_approve",
    "action_plan_create",
    "action_plan_update",
    "action_record_effectiveness",
    "action_update",
    "actions_send_reminders",
    "check_due_date",
    "goal_follow_up_record",
    "goal_prompt_link",
    "goal_prompt_remove",
    "plan_goal_start_from",
    "PROMPT_KINDS",
    "log_entry_create",
    "log_entry_follow_up",
    "plan_goal_add",
    "plan_goal_remove",
    "plan_goal_update",
    "PLAN_REMINDER_DAYS",
    "period_bounds",
    "plan_follow_up_reminders_send",
]
