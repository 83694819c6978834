"""The home page's figures: what is waiting for the signed-in person. Every
figure is read through the areas' own scoped selectors."""

from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from omavalvonta.deviations.models import State
from omavalvonta.deviations.selectors import deviation_list, deviation_list_mine
from omavalvonta.notifications.selectors import notification_inbox
from omavalvonta.organisation import access


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
        summary["my_queue"] = list(visible.filter(handler=actor).exclude(state=State.CLOSED)[:8])
        counts = visible.exclude(state=State.CLOSED).aggregate(
            open=Count("id"),
            overdue=Count("id", filter=Q(due_date__lt=today)),
            not_started=Count("id", filter=Q(state=State.SUBMITTED)),
            for_team_meeting=Count("id", filter=Q(for_team_meeting=True)),
        )
        summary["figures"] = UnitFigures(**counts)
    return summary
