"""Turning a follow-up report's stored figures into labelled rows, for the staff
page, the public page and the PDF alike."""

from __future__ import annotations

import datetime as dt

from omavalvonta.organisation.risk import RiskLevel
from omavalvonta.plans.models import FollowupReport


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


def _rows(items, labels=None, empty_label=""):
    result = []
    for item in items or []:
        key = item.get("label", "")
        label = labels.get(key, key) if labels else key
        result.append({"label": label or empty_label, "count": item.get("count", 0)})
    return result


def report_context(report: FollowupReport) -> dict:
    from django.utils.translation import gettext as _

    f = report.figures or {}
    dev = f.get("deviations", {})
    risk_labels = dict(RiskLevel.choices)
    return {
        "report": report,
        "figures": f,
        "deviations_total": dev.get("total", 0),
        "by_kind": _rows(dev.get("by_kind"), _labels_kind()),
        "by_unit": _rows(dev.get("by_unit")),
        "by_region": _rows(dev.get("by_region")),
        "by_risk": _rows(dev.get("by_risk"), risk_labels, _("Not classified")),
        "notifications_total": f.get("notifications", {}).get("total", 0),
        "by_recipient": _rows(f.get("notifications", {}).get("by_recipient"), _labels_recipient()),
        "answered": f.get("answered", {}),
        "actions": f.get("actions", {}),
        "plan_reviews": f.get("plan_reviews", {}),
        "guidance": f.get("guidance") or {},
        "guidance_by_kind": _rows((f.get("guidance") or {}).get("by_kind"), _labels_guidance()),
        "compiled_at": report.compiled_at,
        "period_start": dt.date.fromisoformat(f["period_start"]) if f.get("period_start") else report.period_start,
    }
