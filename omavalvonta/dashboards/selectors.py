"""The home page's figures: what is waiting for the signed-in person. Every
figure is read through the areas' own scoped selectors."""

from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from omavalvonta.deviations.models import OPEN_STATE_VALUES, State
from omavalvonta.deviations.selectors import (
    deviation_list,
    deviation_list_mine,
    priority_first,
    statutory_clock_home_items,
)
from omavalvonta.feedback.selectors import round_home_items
from omavalvonta.guidance.selectors import guidance_home_items
from omavalvonta.improvement.selectors import action_home_items
from omavalvonta.meetings.selectors import acknowledgement_home_items, meeting_home_items
from omavalvonta.notifications.selectors import notification_inbox
from omavalvonta.organisation import access
from omavalvonta.outcomes.selectors import measurement_home_items
from omavalvonta.people.selectors import competence_home_items
from omavalvonta.plans.selectors import followup_home_items, plan_home_items
from omavalvonta.yearclock.selectors import obligation_home_items


@dataclass(frozen=True)
class UnitFigures:
    open: int
    overdue: int
    not_started: int
    for_team_meeting: int


def home_summary(*, actor) -> dict:
    """Everything the home page shows, in a fixed number of queries."""
    today = timezone.localdate()
    summary = {
        "can_report": access.has_perm_anywhere(actor, access.P_DEVIATION_REPORT),
        "can_view": access.has_perm_anywhere(actor, access.P_DEVIATION_VIEW),
        "my_reports": list(deviation_list_mine(actor=actor)[:5]),
        "notifications": list(notification_inbox(actor=actor).filter(read_at__isnull=True)[:5]),
        "my_queue": [],
        "figures": None,
    }
    if summary["can_view"]:
        visible = deviation_list(actor=actor, filters={})
        # Grievances, critical reports and serious events first.
        summary["my_queue"] = list(priority_first(visible.filter(handler=actor).exclude(state=State.CLOSED))[:8])
        # Counted from the deviations' open-report index alone (the open states by
        # name; "state" is never empty and is in that index, "id" is not).
        counts = visible.filter(state__in=OPEN_STATE_VALUES).aggregate(
            open=Count("state"),
            overdue=Count("state", filter=Q(due_date__lt=today)),
            not_started=Count("state", filter=Q(state=State.SUBMITTED)),
            for_team_meeting=Count("state", filter=Q(for_team_meeting=True)),
        )
        summary["figures"] = UnitFigures(**counts)
    # What is waiting in the other areas: each area's own selector decides what
    # the actor may see there (None when nothing), in a fixed number of queries.
    summary["waiting"] = {
        "statutory": statutory_clock_home_items(actor=actor),
        "actions": action_home_items(actor=actor, today=today),
        "acknowledgements": acknowledgement_home_items(actor=actor),
        "obligations": obligation_home_items(actor=actor, today=today),
        "plans": plan_home_items(actor=actor, today=today),
        "followup": followup_home_items(actor=actor, today=today),
        "guidance": guidance_home_items(actor=actor, today=today),
        "meetings": meeting_home_items(actor=actor, today=today),
        "rounds": round_home_items(actor=actor, today=today),
        "measurements": measurement_home_items(actor=actor, today=today),
        "competence": competence_home_items(actor=actor, today=today),
    }
    summary["anything_waiting"] = bool(
        summary["my_queue"] or summary["notifications"] or any(summary["waiting"].values())
    )
    return summary
