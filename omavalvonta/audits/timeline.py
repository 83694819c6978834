"""What the audits area puts on a unit's timeline (core.registry UNIT_TIMELINE):
audits held with their findings counted, and self-assessments."""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _, ngettext

from omavalvonta.audits.models import Audit, AuditKind, FindingKind, SelfAssessment
from omavalvonta.core.lib.choices import label_of
from omavalvonta.core.lib.compound import shaped
from omavalvonta.core.lib.dates import day_bounds, day_window
from omavalvonta.core.registry import TimelineEntry, TimelinePart
from omavalvonta.organisation import access, access_unit


def audit_timeline(*, actor, unit, after=None, before=None) -> list[TimelinePart]:
    """Audits (findings and nonconformities counted) and self-assessments held in `unit`."""
    def build(first, end):
        window = day_window("held_on", first=first, end=end)
        audits = (
            access_unit.filter_in_unit(Audit.objects.all(), actor, access.P_RISK_VIEW, unit)
            .filter(**window)
            .annotate(
                found=Count("findings"),
                nonconformities=Count("findings", filter=Q(findings__kind=FindingKind.NONCONFORMITY)),
            )
            .order_by("-held_on", "-id")
        )
        assessments = (
            access_unit.filter_in_unit(SelfAssessment.objects.all(), actor, access.P_RISK_VIEW, unit)
            .filter(**window)
            .order_by("-held_on", "-id")
        )
        return [
            TimelinePart(
                rows=audits.values_list("held_on", "pk", "kind", "found", "nonconformities"), entry=_audit, day=True
            ),
            TimelinePart(
                rows=assessments.values_list("held_on", "pk", "checklist__title"), entry=_self_assessment, day=True
            ),
        ]

    first, end = day_bounds(after=after, before=before)
    if access_unit.sees_all_of_unit(actor, access.P_RISK_VIEW, unit, model=Audit) and access_unit.sees_all_of_unit(
        actor, access.P_RISK_VIEW, unit, model=SelfAssessment
    ):
        return shaped(("audits.held", unit.pk), build, first=first, end=end)
    return build(first, end)


def _audit(at, pk, kind, found, nonconformities) -> TimelineEntry:
    label = label_of(AuditKind, kind)
    findings = ngettext("%(count)d finding", "%(count)d findings", found) % {"count": found}
    nonconformities = ngettext(
        "%(count)d nonconformity", "%(count)d nonconformities", nonconformities
    ) % {"count": nonconformities}
    return TimelineEntry(
        at=at, area="audits", kind=f"audit_{kind}",
        title=_("%(kind)s: %(findings)s, %(nonconformities)s")
        % {"kind": label, "findings": findings, "nonconformities": nonconformities},
        link=reverse("audits:audit", args=[pk]),
    )


def _self_assessment(at, pk, title) -> TimelineEntry:
    return TimelineEntry(
        at=at, area="audits", kind="self_assessment",
        title=_("Self-assessment: %(checklist)s") % {"checklist": title},
        link=reverse("audits:self_assessment", args=[pk]),
    )
