"""What the plans area puts on a unit's timeline (core.registry UNIT_TIMELINE):
plan versions approved, and reviews that found nothing to change."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from omavalvonta.core.lib.dates import moment_range
from omavalvonta.core.registry import TimelineEntry
from omavalvonta.organisation import access
from omavalvonta.plans.models import PlanKind, PlanVersion, VersionState


def plan_timeline(*, actor, unit, after=None, before=None, limit=50) -> list[TimelineEntry]:
    """The unit's plans' approved versions and reviews (one query)."""
    approved = (
        PlanVersion.objects.for_actor(actor, access.P_PLAN_VIEW)
        .filter(unit=unit, state=VersionState.APPROVED, approved_at__isnull=False)
        .filter(**moment_range("approved_at", after=after, before=before))
        .order_by("-approved_at", "-id")
    )
    entries = []
    for pk, number, kind, review_only, at in approved.values_list(
        "pk", "number", "plan__kind", "is_review_only", "approved_at"
    )[:limit]:
        plan = PlanKind(kind).label if kind in PlanKind.values else kind
        approved = _("%(plan)s version %(number)s approved")
        title = _("%(plan)s reviewed, no changes (version %(number)s)") if review_only else approved
        entries.append(
            TimelineEntry(
                at=at, area="plans", kind="review" if review_only else "version_approved",
                title=title % {"plan": plan, "number": number}, link=reverse("plans:version", args=[pk]),
            )
        )
    return entries
