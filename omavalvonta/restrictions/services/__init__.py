"""Writes of the register of restrictive measures, by seam: recording a measure
and its debrief (register), and what follows it (followup: the decision or
account, the social worker told, the flag, the reduction goal)."""

from omavalvonta.restrictions.services.followup import (
    ASSESSMENT,
    NOTICE,
    document_sign,
    flag_handle,
    flags_check,
    goal_set,
    handover_record,
    social_workers_summarise,
    week_start,
)
from omavalvonta.restrictions.services.register import (
    CLOCK_SLACK,
    DEBRIEF_REMIND_AFTER,
    DEBRIEF_REMIND_EVERY,
    JOB_BATCH,
    TEXT_LIMIT,
    debriefs_remind,
    restriction_debrief,
    restriction_deviation_link,
    restriction_record,
)

__all__ = [
    "ASSESSMENT",
    "CLOCK_SLACK",
    "DEBRIEF_REMIND_AFTER",
    "DEBRIEF_REMIND_EVERY",
    "JOB_BATCH",
    "NOTICE",
    "TEXT_LIMIT",
    "debriefs_remind",
    "document_sign",
    "flag_handle",
    "flags_check",
    "goal_set",
    "handover_record",
    "restriction_debrief",
    "restriction_deviation_link",
    "restriction_record",
    "social_workers_summarise",
    "week_start",
]
