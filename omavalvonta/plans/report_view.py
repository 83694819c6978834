"""Turning a follow-up report's stored figures into labelled rows, for the staff
page, the public page and the PDF alike."""

from __future__ import annotations

import datetime as dt

from omavalvonta.organisation.risk import RiskLevel
from omavalvonta.plans.models import PAGE_UNIT_ROWS, FollowupReport


def _labels_kind() -> dict:
    from omavalvonta.deviations import selectors as deviation_selectors

    return dict(deviation_selectors.Kind.choices)


def _labels_recipient() -> dict:
    from omavalvonta.deviations import selectors as deviation_selectors

    return dict(deviation_selectors.StatutoryNotification._meta.get_field("recipient_kind").choices)


def _labels_guidance() -> dict:
    try:
        from omavalvonta.guidance import selectors as guidance_selectors
    except ImportError:
        return {}
    return dict(guidance_selectors.Guidance._meta.get_field("kind").choices)


def _labels_feedback_group() -> dict:
    try:
        from omavalvonta.feedback.models import Group as FeedbackGroup
    except ImportError:
        return {}
    return dict(FeedbackGroup.choices)


def _feedback_cell(cell: dict, limit: int) -> dict:
    """One respondent group's stored figures as display text: a group under the
    small-group limit shows "fewer than N", an empty one a dash."""
    from django.utils.translation import gettext as _

    if cell.get("hidden"):
        few = _("fewer than %(n)s") % {"n": limit}
        return {"n": few, "nps": "–", "rate": "–", "hidden": True, "rate_over": False}
    n, nps, rate = cell.get("n"), cell.get("nps"), cell.get("rate")
    return {
        "n": "–" if n is None else str(n),
        "nps": "–" if nps is None else f"{nps:+d}",
        "rate": "–" if rate is None else f"{rate} %*" if cell.get("rate_over") else f"{rate} %",
        "rate_over": bool(cell.get("rate_over")),
        "hidden": False,
    }


def feedback_context(feedback: dict, *, unit_rows: int | None = None) -> dict:
    """The feedback figures of a report (feedback.reports.feedback_period_figures)
    as rows for the templates: the organisation per group, then regions and units
    (the first `unit_rows` units only: None, all of them)."""
    if not feedback:
        return {"feedback": {}}
    labels = _labels_feedback_group()
    org = feedback.get("organisation", {})
    groups = [g.get("group") for g in org.get("groups", [])]

    def cells(block):
        by_group = {g.get("group"): g for g in block.get("groups", [])}
        return [_feedback_cell(by_group.get(g, {}), feedback.get("min_group_size", 5)) for g in groups]

    org_cells = [{"label": labels.get(g, g), **c} for g, c in zip(groups, cells(org), strict=True)]
    return {
        "feedback": feedback,
        "feedback_group_labels": [labels.get(g, g) for g in groups],
        "feedback_org": org_cells,
        "feedback_rates_over": any(c["rate_over"] for c in org_cells),
        "feedback_regions": [{"label": r.get("label", ""), "cells": cells(r)} for r in feedback.get("by_region", [])],
        "feedback_units": [{"label": u.get("label", ""), "cells": cells(u)} for u in feedback.get("by_unit", [])[:unit_rows]],
    }


def _rows(items, labels=None, empty_label=""):
    result = []
    for item in items or []:
        key = item.get("label", "")
        label = labels.get(key, key) if labels else key
        result.append({"label": label or empty_label, "count": item.get("count", 0)})
    return result


# The report page shows this many units' rows per table (the most reports
# first); ?yksikot=kaikki shows them all, as the PDF does.
REPORT_UNIT_ROWS = PAGE_UNIT_ROWS


def report_for_page(queryset, *, unit_rows: int | None):
    """The report of `queryset` for its page, None when there is none. With
    `unit_rows` (at most PAGE_UNIT_ROWS) only the figures as the page shows them
    are read (`page_figures`: the per-unit lists cut when the figures were
    saved, and their whole length), not the whole figures: over 2,000 units
    those are most of a megabyte of JSON, which took most of the page's time to
    read to show twenty rows."""
    if unit_rows is None or unit_rows > PAGE_UNIT_ROWS:
        return queryset.first()
    report = queryset.defer("figures").first()
    if report is not None and report.page_figures is not None:
        report.shown_figures = report.page_figures["figures"]
        report.units_listed = report.page_figures["units_listed"]
    return report


def _units_total(report, figures: dict) -> int:
    """The length of the longer per-unit list (report_for_page: counted before the cut)."""
    listed = getattr(report, "units_listed", None)
    if listed is not None:
        return listed
    return max(len(figures.get("deviations", {}).get("by_unit") or []),
               len((figures.get("feedback") or {}).get("by_unit") or []))


def report_context(report: FollowupReport, *, unit_rows: int | None = None) -> dict:
    """A report's stored figures as rows for the templates. `unit_rows`: at most
    this many rows in the per-unit tables (None: all), with `units_total` and
    `units_cut` for the link to the rest; only the rows shown are formatted
    (2,000 units' cells took most of the page's time)."""
    from django.utils.translation import gettext as _

    f = getattr(report, "shown_figures", None)
    if f is None:
        f = report.figures or {}
    dev = f.get("deviations", {})
    risk_labels = dict(RiskLevel.choices)
    units_total = _units_total(report, f)
    return {
        "units_total": units_total,
        "units_cut": unit_rows is not None and units_total > unit_rows,
        "report": report,
        "figures": f,
        "deviations_total": dev.get("total", 0),
        "by_kind": _rows(dev.get("by_kind"), _labels_kind()),
        "by_unit": _rows((dev.get("by_unit") or [])[:unit_rows]),
        "by_region": _rows(dev.get("by_region")),
        "by_risk": _rows(dev.get("by_risk"), risk_labels, _("Not classified")),
        "notifications_total": f.get("notifications", {}).get("total", 0),
        "by_recipient": _rows(f.get("notifications", {}).get("by_recipient"), _labels_recipient()),
        "clock": f.get("notifications", {}).get("clock") or {},
        "answered": f.get("answered", {}),
        "actions": f.get("actions", {}),
        "plan_reviews": f.get("plan_reviews", {}),
        "guidance": f.get("guidance") or {},
        "effectiveness": f.get("effectiveness") or {},
        "guidance_by_kind": _rows((f.get("guidance") or {}).get("by_kind"), _labels_guidance()),
        **feedback_context(f.get("feedback") or {}, unit_rows=unit_rows),
        "restrictions": f.get("restrictions") or {},
        "complaints": f.get("complaints") or {},
        "compiled_at": report.compiled_at,
        "period_start": dt.date.fromisoformat(f["period_start"]) if f.get("period_start") else report.period_start,
    }
