"""What the audits area puts on a unit's timeline (core.registry UNIT_TIMELINE):
audits held with their findings counted, and self-assessments."""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _, ngettext

from omavalvonta.audits.models import Audit, AuditKind, FindingKind, SelfAssessment
from omavalvonta.core.lib.dates import day_range, day_start
from omavalvonta.core.registry import TimelineEntry
from omavalvonta.organisation import access


def audit_timeline(*, actor, unit, after=None, before=None, limit=50) -> list[TimelineEntry]:
    """Audits (findings and nonconformities counted) and self-assessments held in `unit` (two queries)."""
    window = day_range("held_on", after=after, before=before)
    audits = (
        Audit.objects.for_actor(actor, access.P_RISK_VIEW)
        .filter(unit=unit, **window)
        .annotate(
            found=Count("findings"),
            nonconformities=Count("findings", filter=Q(findings__kind=FindingKind.NONCONFORMITY)),
        )
        .order_by("-held_on", "-id")
    )
    entries = []
    for a in audits.only("pk", "kind", "held_on")[:limit]:
        kind = AuditKind(a.kind).label if a.kind in AuditKind.values else a.kind
        findings = ngettext("%(count)d finding", "%(count)d findings", a.found) % {"count": a.found}
        nonconformities = ngettext(
            "%(count)d nonconformity", "%(count)d nonconformities", a.nonconformities
        ) % {"count": a.nonconformities}
        entries.append(
            TimelineEntry(
                at=day_start(a.held_on), area="audits", kind=f"audit_{a.kind}",
                title=_("%(kind)s: %(findings)s, %(nonconformities)s")
                % {"kind": kind, "findings": findings, "nonconformities": nonconformities},
                link=reverse("audits:audit", args=[a.pk]),
            )
        )
    assessments = (
        SelfAssessment.objects.for_actor(actor, access.P_RISK_VIEW)
        .filter(unit=unit, **window)
        .order_by("-held_on", "-id")
    )
    for pk, title, on in assessments.values_list("pk", "checklist__title", "held_on")[:limit]:
        entries.append(
            TimelineEntry(
                at=day_start(on), area="audits", kind="self_assessment",
                title=_("Self-assessment: %(checklist)s") % {"checklist": title},
                link=reverse("audits:self_assessment", args=[pk]),
            )
        )
    return entries
