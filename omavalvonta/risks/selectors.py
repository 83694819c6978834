"""Reads of the risk register; every unit-scoped read starts from the kernel."""

from __future__ import annotations

from django.db.models import Count
from django.utils import timezone

from omavalvonta.core.lib import bounds
from omavalvonta.core.lib.counts import CountsFirst, counts_first
from omavalvonta.organisation import access, access_people
from omavalvonta.risks.models import Risk, RiskAssessment, RiskCategory, RiskDeviationLink


def units_for_risks(*, actor, perm: str = access.P_RISK_VIEW):
    return access.units_for(actor, perm).order_by("name")


def _in_scope(qs, filters: dict):
    """`qs` narrowed to the unit and the region the filters name (ids; others ignored)."""
    if (unit_id := bounds.parse_int(filters.get("unit"))) is not None:
        qs = qs.filter(unit_id=unit_id)
    if (region_id := bounds.parse_int(filters.get("region"))) is not None:
        qs = qs.filter(unit__region_id=region_id)
    return qs


def risk_list(*, actor, filters: dict | None = None):
    """Risks the actor may view, the highest level first. filters: unit, region (ids),
    category, active ("1" default: active only; "all")."""
    filters = filters or {}
    qs = _in_scope(Risk.objects.for_actor(actor, access.P_RISK_VIEW), filters)
    if filters.get("category") in RiskCategory.values:
        qs = qs.filter(category=filters["category"])
    if filters.get("active") != "all":
        qs = qs.filter(is_active=True)
    order = ["very_high", "high", "moderate", "low"]
    from django.db.models import Case, IntegerField, Value, When

    rank = Case(*[When(level=lvl, then=Value(i)) for i, lvl in enumerate(order)], output_field=IntegerField())
    return (
        qs.select_related("unit", "owner")
        .annotate(rank=rank, deviation_count=Count("deviation_links", distinct=True))
        .order_by("rank", "unit__name", "title", "id")
    )


def risk_get(*, actor, pk, perm: str = access.P_RISK_VIEW) -> Risk:
    return access.access_object(Risk.objects.select_related("owner", "created_by", "unit__region__organisation"), actor, pk, perm)


def risk_deviations(*, actor, risk: Risk) -> list:
    """Deviation reports tied to the risk that the actor may read."""
    from omavalvonta.deviations.models import Deviation

    readable = Deviation.objects.for_actor(actor, access.P_DEVIATION_VIEW).values("pk")
    return list(
        RiskDeviationLink.objects.filter(risk=risk, deviation__in=readable)
        .select_related("deviation")
        .order_by("-deviation__submitted_at", "-id")
    )


def risk_assessments_of(*, risk: Risk) -> list:
    return list(risk.assessments.order_by("-held_on", "-id"))


def _panel_counts(*, record, unit_id) -> dict:
    """The deviation panel's counts from the report's id and its unit (an id or
    the page's expression of it: the page keeps their SQL compiled)."""
    return {
        "links": RiskDeviationLink.objects.filter(deviation_id=record.pk),
        "risks": Risk.objects.filter(unit_id=unit_id, is_active=True),
    }


_PANEL = "risks/_deviation_risks.html"


def _panel(*, actor, deviation, counted) -> dict:
    """The deviation panel from its counts (`_panel_counts`)."""
    if not access.can(actor, access.P_RISK_VIEW, deviation.unit):
        return {"template": _PANEL, "links": [], "candidates": [], "can_link": False, "visible": False}
    can_link = access.can(actor, access.P_RISK_MANAGE, deviation.unit)
    links = (
        list(RiskDeviationLink.objects.filter(deviation=deviation).select_related("risk").order_by("risk__title", "id"))
        if counted["links"]
        else []
    )
    linked = {link.risk_id for link in links}
    risks = (
        Risk.objects.filter(unit=deviation.unit, is_active=True).order_by("title", "id")
        if can_link and counted.get("risks")
        else []
    )
    candidates = [r for r in risks if r.pk not in linked]
    return {"template": _PANEL, "links": links, "candidates": candidates, "can_link": can_link, "visible": True}


@counts_first
def deviation_panel(*, actor, deviation) -> dict | CountsFirst:
    """The known-risks panel of the deviation page (core.registry DEVIATION_PANELS):
    the risks tied to the report that the actor may view, and the unit's other
    active risks it could be tied to (when the actor may manage risks there).
    Both counted first: rows are read only where there are any (the page counts
    them from `record_counts` and makes the panel with `with_counts`)."""
    if not access.can(actor, access.P_RISK_VIEW, deviation.unit):
        return _panel(actor=actor, deviation=deviation, counted={})
    counts = _panel_counts(record=deviation, unit_id=deviation.unit_id)
    if not access.can(actor, access.P_RISK_MANAGE, deviation.unit):
        del counts["risks"]
    return CountsFirst(counts, lambda counted: _panel(actor=actor, deviation=deviation, counted=counted))


deviation_panel.record_counts = _panel_counts
deviation_panel.with_counts = _panel


def assessment_list(*, actor, filters: dict | None = None):
    filters = filters or {}
    qs = _in_scope(RiskAssessment.objects.for_actor(actor, access.P_RISK_VIEW), filters)
    return qs.select_related("unit").annotate(risk_count=Count("risks", distinct=True)).order_by("-held_on", "-id")


def assessment_get(*, actor, pk, perm: str = access.P_RISK_VIEW) -> RiskAssessment:
    return access.access_object(RiskAssessment.objects.select_related("created_by"), actor, pk, perm)


def assessment_actions(*, actor, assessment: RiskAssessment) -> list:
    from omavalvonta.improvement.selectors import actions_for_source

    return list(actions_for_source(source=assessment))


def unit_people(*, unit):
    """Active people with a membership in the unit or its region (owners, participants)."""
    return access_people.people_holding(unit_or_region=unit).order_by("full_name", "id")


def people_of_units(*, units):
    """Active people with a membership in any of `units` (owners to choose from)."""
    if len(units) == 1:
        return unit_people(unit=units[0])
    return access_people.people_holding(units=units).order_by("full_name", "id")


def active_risks(*, unit):
    """The unit's active risks, by title; the caller was granted the unit."""
    return Risk.objects.filter(unit=unit, is_active=True).order_by("title", "id")


def reviews_due(*, actor, today=None):
    today = today or timezone.localdate()
    return Risk.objects.for_actor(actor, access.P_RISK_VIEW).filter(is_active=True, next_review__lt=today)


def risk_matrix_counts(*, actor, filters: dict | None = None) -> list[dict]:
    """The register on the organisation's risk matrix: per consequence (most
    serious first) the cells by likelihood, each with its level and how many of
    the listed risks fall in it. One aggregate query."""
    from omavalvonta.organisation.risk import CONSEQUENCE_RANGE, LIKELIHOOD_RANGE, Consequence, risk_matrix_or_default
    from omavalvonta.organisation.selectors import organisation_current

    organisation = organisation_current()
    # Checked once, not once a cell (risk_level_for).
    levels = risk_matrix_or_default(organisation.risk_matrix if organisation else None)
    counts = {
        (row["consequence"], row["likelihood"]): row["n"]
        for row in risk_list(actor=actor, filters=filters)
        .order_by()
        .values("consequence", "likelihood")
        .annotate(n=Count("id"))
    }
    return [
        {
            "consequence": Consequence(c).label,
            "cells": [
                {"likelihood": lk, "level": levels[c][lk - 1], "count": counts.get((c, lk), 0)}
                for lk in LIKELIHOOD_RANGE
            ],
        }
        for c in reversed(CONSEQUENCE_RANGE)
    ]
