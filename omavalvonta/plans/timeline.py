"""What the plans area puts on a unit's timeline (core.registry UNIT_TIMELINE):
plan versions approved, and reviews that found nothing to change."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from omavalvonta.core.lib.choices import label_of
from omavalvonta.core.lib.compound import shaped
from omavalvonta.core.lib.dates import moment_range
from omavalvonta.core.registry import TimelineEntry, TimelinePart
from omavalvonta.organisation import access, access_unit
from omavalvonta.plans.models import PlanKind, PlanVersion, VersionState


def plan_timeline(*, actor, unit, after=None, before=None) -> list[TimelinePart]:
    """The unit's plans' approved versions and reviews."""
    def build(after, before):
        approved = (
            access_unit.filter_in_unit(PlanVersion.objects.all(), actor, access.P_PLAN_VIEW, unit)
            .filter(
                state=VersionState.APPROVED, approved_at__isnull=False,
                **moment_range("approved_at", after=after, before=before),
            )
            .order_by("-approved_at", "-id")
        )
        rows = approved.values_list("approved_at", "pk", "number", "plan__kind", "is_review_only")
        return [TimelinePart(rows=rows, entry=_approved)]

    if access_unit.sees_all_of_unit(actor, access.P_PLAN_VIEW, unit, model=PlanVersion):
        return shaped(("plans.approved", unit.pk), build, after=after, before=before)
    return build(after, before)


def _approved(at, pk, number, kind, review_only) -> TimelineEntry:
    plan = label_of(PlanKind, kind)
    title = _("%(plan)s reviewed, no changes (version %(number)s)") if review_only else _("%(plan)s version %(number)s approved")
    return TimelineEntry(
        at=at, area="plans", kind="review" if review_only else "version_approved",
        title=title % {"plan": plan, "number": number}, link=reverse("plans:version", args=[pk]),
    )
