"""Reads of self-assessments, audits and continuity; unit-scoped reads start from the kernel."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse

from omavalvonta.audits.models import (
    Answer,
    Audit,
    Checklist,
    ContinuityPlan,
    CriticalSystem,
    Drill,
    Finding,
    SelfAssessment,
)
from omavalvonta.core.lib.dates import fi_date
from omavalvonta.organisation import access

CANDIDATE_LIMIT = 30


def units_for(*, actor, perm: str = access.P_RISK_VIEW):
    return access.units_for(actor, perm).order_by("name")


def checklists(*, active_only: bool = False):
    qs = Checklist.objects.prefetch_related("criteria")
    return qs.filter(is_active=True) if active_only else qs


def checklist_get(*, actor, pk) -> Checklist:
    if not access.has_perm_anywhere(actor, access.P_OBLIGATION_TEMPLATE_EDIT):
        raise PermissionDenied(access.P_OBLIGATION_TEMPLATE_EDIT)
    try:
        return Checklist.objects.get(pk=pk)
    except (Checklist.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def self_assessments(*, actor, unit_id=None):
    qs = SelfAssessment.objects.for_actor(actor, access.P_RISK_VIEW).select_related("unit", "checklist")
    return qs.filter(unit_id=unit_id) if unit_id else qs


def audits(*, actor, unit_id=None):
    qs = Audit.objects.for_actor(actor, access.P_RISK_VIEW).select_related("unit")
    return qs.filter(unit_id=unit_id) if unit_id else qs


def self_assessment_get(*, actor, pk, perm=access.P_RISK_VIEW) -> SelfAssessment:
    return access.access_object(SelfAssessment.objects.select_related("checklist", "created_by"), actor, pk, perm)


def audit_get(*, actor, pk, perm=access.P_RISK_VIEW) -> Audit:
    return access.access_object(Audit.objects.select_related("created_by"), actor, pk, perm)


def self_assessment_answers(*, assessment: SelfAssessment) -> list:
    """The answers of an assessment the caller was granted, with their criteria."""
    return list(Answer.objects.filter(assessment=assessment).select_related("criterion"))


def audit_findings(*, audit: Audit) -> list:
    """The findings of an audit the caller was granted."""
    return list(Finding.objects.filter(audit=audit))


def information_systems_fact(*, unit, actor) -> dict:
    """core.registry PLAN_FACTS "information_systems": the unit's critical
    information systems in criticality order, from the continuity plan (names and
    tolerable outage only: the owners are staff, and the fallback procedures
    belong to the non-public information-security plan)."""
    if not access.can(actor, access.P_UNIT_VIEW, unit):
        return {"hidden": True}
    systems = CriticalSystem.objects.filter(unit=unit)  # in criticality order (the model's ordering)
    return {
        "systems": [
            {"position": s.position, "name": s.name, "tolerable_outage": s.tolerable_outage} for s in systems
        ]
    }


def continuity_of(*, unit) -> dict:
    return {
        "systems": list(CriticalSystem.objects.filter(unit=unit).select_related("owner")),
        "plan": ContinuityPlan.objects.filter(unit=unit).select_related("updated_by").first(),
        "drills": list(Drill.objects.filter(unit=unit).prefetch_related("participants")[:20]),
    }


# --- Evidence for the quality calendar ------------------------------------------------------------


_fi = fi_date


def evidence_self_assessments(actor, unit):
    for a in self_assessments(actor=actor, unit_id=unit.pk)[:CANDIDATE_LIMIT]:
        yield a, f"{a.checklist.title} {_fi(a.held_on)}", reverse("audits:self_assessment", args=[a.pk])


def evidence_audits(actor, unit):
    for a in audits(actor=actor, unit_id=unit.pk)[:CANDIDATE_LIMIT]:
        yield a, f"{a.get_kind_display()} {_fi(a.held_on)}", reverse("audits:audit", args=[a.pk])


def evidence_drills(actor, unit):
    for d in Drill.objects.for_actor(actor, access.P_RISK_VIEW).filter(unit=unit)[:CANDIDATE_LIMIT]:
        yield d, f"{d.scenario} {_fi(d.held_on)}", reverse("audits:continuity", args=[unit.pk]) + f"#harjoitus-{d.pk}"
