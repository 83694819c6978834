"""Facts a plan draws from the product: unit and provider details, the named
responsible persons, how shortcomings are reported and handled, and the unit's
current risks and corrective actions.

Facts are plain JSON-able dicts: a draft shows them live, an approved version
keeps the snapshot taken at approval (`PlanVersion.facts`), so that what was
approved never changes afterwards. Other areas are read only through their
selectors, with the actor's own rights: a person who may not read deviations
gets no risk figures. Nothing here names a client or a member of staff other
than the unit's responsible persons (the snapshot is published)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.utils import timezone

from omavalvonta.core import registry
from omavalvonta.organisation import access, access_people
from omavalvonta.organisation.models import Role
from omavalvonta.organisation.selectors import organisation_current

# How far back the risk figures look.
RISK_WINDOW_DAYS = 365
RISK_LEVELS = ("very_high", "high", "moderate", "low")


def unit_details(unit) -> dict:
    org = organisation_current()
    return {
        "provider": org.name if org else "",
        "business_id": org.business_id if org else "",
        "provider_address": org.address if org else "",
        "unit": unit.name,
        "service_type": unit.service_type,
        "places": unit.places,
        "address": ", ".join(p for p in [unit.street_address, f"{unit.postal_code} {unit.city}".strip()] if p),
        "email": unit.email,
        "phone": unit.phone,
        "region": unit.region.name,
        "counties": sorted(unit.counties.values_list("name", flat=True)),
    }


def responsible_persons(unit) -> list[dict]:
    """The unit's named responsible persons (the only staff a plan names)."""
    rows = (
        access_people.memberships_of([Role.RESPONSIBLE_PERSON], unit=unit)
        .select_related("user")
        .order_by("user__full_name", "user_id")
    )
    return [
        {"name": m.user.full_name, "title": m.user.title, "email": m.user.email, "phone": m.user.phone}
        for m in rows
    ]


def reporting(unit) -> dict:
    org = organisation_current()
    return {
        "handling_start_working_days": org.handling_start_working_days if org else None,
        "handling_target_days": org.handling_target_days if org else None,
        "counties": sorted(unit.counties.values_list("name", flat=True)),
    }


def risks(unit, *, actor, today: dt.date | None = None) -> dict:
    """Deviations of the last year by risk level and the corrective actions'
    state, read with `actor`'s rights (empty when they have none)."""
    # Imported here: plans depends on these areas only through their selectors.
    from omavalvonta.deviations.selectors import deviation_list
    from omavalvonta.improvement.selectors import action_list

    today = today or timezone.localdate()
    start = today - dt.timedelta(days=RISK_WINDOW_DAYS)
    if not (access.can(actor, access.P_DEVIATION_VIEW, unit) and access.can(actor, access.P_ACTION_VIEW, unit)):
        return {"hidden": True}
    deviations = deviation_list(
        actor=actor, filters={"unit": unit.pk, "date_from": start.isoformat(), "date_to": today.isoformat()}
    )
    by_level = dict(
        deviations.order_by().values_list("risk_level").annotate(n=Count("pk")).values_list("risk_level", "n")
    )
    actions = action_list(actor=actor, filters={"unit": unit.pk}).order_by().filter(kind="corrective")
    counts = actions.aggregate(
        open=Count("pk", filter=Q(state__in=["open", "awaiting_check"])),
        overdue=Count("pk", filter=Q(state="open", due_date__lt=today)),
        done=Count("pk", filter=Q(state="done", completed_at__date__gte=start)),
    )
    return {
        "period_start": start.isoformat(),
        "period_end": today.isoformat(),
        "by_level": [{"level": level, "count": by_level.get(level, 0)} for level in RISK_LEVELS],
        "unclassified": by_level.get("", 0),
        "total": sum(by_level.values()),
        "actions_open": counts["open"],
        "actions_overdue": counts["overdue"],
        "actions_done": counts["done"],
    }


def feedback(unit, *, actor) -> dict:
    """The current quarter's client feedback of `unit` per respondent group: the
    number of answers and the NPS (hidden for small groups, by the feedback
    area's own rule). Read with `actor`'s rights; empty without them."""
    from omavalvonta.feedback import selectors as feedback_selectors

    if not access.can(actor, access.P_FEEDBACK_VIEW, unit):
        return {"hidden": True}
    from django.urls import reverse

    data = feedback_selectors.overview(actor=actor, region=unit.region_id)
    url = reverse("feedback:unit", args=[unit.pk])
    row = next((r for r in data["unit_rows"] if r.url == url), None)
    if row is None:
        return {}
    groups = [
        {"label": str(label), "answers": cell.n, "nps": cell.nps, "hidden": cell.hidden}
        for label, cell in zip(data["groups"], row.cells, strict=False)
    ]
    return {"period": str(data["period"]), "groups": groups}


def contributed(name: str, *, actor, unit=None, **period) -> dict:
    """A section another area contributes (core.registry REPORT_SECTIONS), read
    with the actor's rights; empty when no area provides it."""
    entry = registry.get(registry.REPORT_SECTIONS, name)
    return (entry.func(actor=actor, unit=unit, **period) or {}) if entry else {}


def facts_for(unit, *, actor, live_facts: set[str]) -> dict:
    """The facts the plan's sections ask for."""
    result = {}
    if "unit_details" in live_facts:
        result["unit_details"] = unit_details(unit)
    if "responsible_persons" in live_facts:
        result["responsible_persons"] = responsible_persons(unit)
    if "reporting" in live_facts:
        result["reporting"] = reporting(unit)
    if "risks" in live_facts:
        result["risks"] = risks(unit, actor=actor)
    if "feedback" in live_facts:
        result["feedback"] = feedback(unit, actor=actor)
    if "effectiveness" in live_facts:
        result["effectiveness"] = contributed("effectiveness", actor=actor, unit=unit)
    # Facts other areas keep (core.registry PLAN_FACTS: staffing from people, the
    # critical information systems from audits, restrictive measures from restrictions).
    for entry in registry.entries(registry.PLAN_FACTS):
        if entry.name in live_facts:
            result[entry.name] = entry.func(unit=unit, actor=actor)
    return result
