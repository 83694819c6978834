"""Reads for the public site: approved plan versions and published reports only.

Every function here filters by state itself; a draft or an unpublished report
is never returned, whatever the caller asks."""

from __future__ import annotations

from django.db.models import F, Max
from django.http import Http404

from omavalvonta.organisation.models import Unit
from omavalvonta.plans.models import (
    FollowupReport,
    PlanSection,
    PlanVersion,
    ProgrammeVersion,
    ReportState,
    VersionState,
)
from omavalvonta.plans.report_view import report_context


def _approved():
    return PlanVersion.objects.filter(state=VersionState.APPROVED)


def units() -> list[Unit]:
    """Active units with an approved plan, ordered by region, service type and name."""
    return list(
        Unit.objects.filter(is_active=True, pk__in=_approved().values("unit_id"))
        .select_related("region")
        .order_by("region__name", "region_id", "service_type", "name")
    )


def index_last_modified():
    return _approved().aggregate(m=Max("approved_at"))["m"]


def unit(*, slug: str) -> Unit:
    found = Unit.objects.filter(public_slug=slug, is_active=True).select_related("region").first()
    if found is None:
        raise Http404
    return found


def unit_last_modified(*, slug: str):
    """The newest approval of the unit's plans, or the unit's own last change
    (its name and region show on the page) if that is later."""
    found = Unit.objects.filter(public_slug=slug, is_active=True).values_list("pk", "updated_at").first()
    if found is None:
        return None
    approved = _approved().filter(unit_id=found[0]).aggregate(m=Max("approved_at"))["m"]
    return max(approved, found[1]) if approved else None


def current_versions(*, unit) -> dict[str, PlanVersion]:
    """The currently approved version of each plan of `unit`, with its sections
    in `public_sections` (three queries whatever the plan's size)."""
    result: dict[str, PlanVersion] = {}
    for v in _approved().filter(unit=unit).select_related("plan", "approved_by").order_by("plan_id", "-number"):
        result.setdefault(v.plan.kind, v)
    by_version: dict[int, list] = {v.pk: [] for v in result.values()}
    if by_version:
        for s in PlanSection.objects.filter(version__in=list(by_version)).order_by("order", "id"):
            by_version[s.version_id].append(s)
    for v in result.values():
        v.public_sections = by_version[v.pk]
    return result


def version_dates(*, unit) -> list[PlanVersion]:
    """Every approved version of `unit`'s plans (number, kind, date), newest first."""
    return list(
        _approved().filter(unit=unit).select_related("plan")
        .only("pk", "number", "approved_at", "is_review_only", "plan__kind", "plan_id")
        .order_by("-approved_at", "-number")
    )


def programme_current() -> ProgrammeVersion | None:
    return ProgrammeVersion.objects.filter(state=VersionState.APPROVED).select_related("approved_by").order_by("-number").first()


def reports_published() -> list[FollowupReport]:
    return list(FollowupReport.objects.filter(state=ReportState.PUBLISHED).without_figures().order_by("-period_end", "-id"))


def programme_last_modified():
    a = ProgrammeVersion.objects.filter(state=VersionState.APPROVED).aggregate(m=Max("approved_at"))["m"]
    b = FollowupReport.objects.filter(state=ReportState.PUBLISHED).aggregate(m=Max("published_at"))["m"]
    return max((x for x in (a, b) if x), default=None)


def report_published_context(*, pk) -> dict:
    report = FollowupReport.objects.filter(pk=pk, state=ReportState.PUBLISHED).select_related("approved_by").first()
    if report is None:
        raise Http404
    return report_context(report)


def approvals_by_unit(*, unit_ids) -> dict[int, list[dict]]:
    """{unit id: [{"kind", "number", "approved_at"}, ...]}: the currently approved
    version of each plan of the units (the purchasing county's view and the open
    API link to the public pages). One query."""
    rows = (
        _approved()
        .filter(unit_id__in=list(unit_ids))
        .order_by()
        .values("unit_id", "plan__kind")
        .annotate(number=Max("number"), approved_at=Max("approved_at"))
        .order_by("unit_id", "plan__kind")
    )
    result: dict[int, list[dict]] = {}
    for row in rows:
        result.setdefault(row["unit_id"], []).append(
            {"kind": row["plan__kind"], "number": row["number"], "approved_at": row["approved_at"]}
        )
    return result


def published_reports():
    """The published follow-up reports, newest first (a queryset: the API pages it)."""
    return FollowupReport.objects.filter(state=ReportState.PUBLISHED).order_by("-period_end", "-id")


def unit_ids_with_approved_plan():
    """The ids of the units with an approved plan, as a subquery."""
    return _approved().order_by().values("unit_id")


def current_approvals():
    """The currently approved version of each plan of the active units, one row
    per unit and plan kind (unit_id, unit_name, public_slug, kind, number,
    approved_at), by unit name: a values() queryset (the open API pages it)."""
    return (
        _approved()
        .filter(unit__is_active=True)
        .order_by()
        .values("unit_id", unit_name=F("unit__name"), public_slug=F("unit__public_slug"), kind=F("plan__kind"))
        .annotate(number=Max("number"), approved_at=Max("approved_at"))
        .order_by("unit_name", "unit_id", "kind")
    )
