"""The checks of an obligation template's fields (yearclock.services saves
the template): per-field messages in the user's language, and the cleaned
values the template is saved with."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from omavalvonta.organisation.models import ServiceType
from omavalvonta.yearclock.models import INTERVAL_CHOICES, ObligationKind, OwnerRole, Recurrence, UnitScope

TITLE_MAX = 200
TEXT_MAX = 5000
REMIND_MAX_DAYS = 90


def _schedule_errors(recurrence, start_month, interval, months: list[int]) -> dict:
    errors = {}
    if recurrence not in Recurrence.values:
        errors["recurrence"] = _("Choose how often the duty recurs.")
    if not isinstance(start_month, int) or not 1 <= start_month <= 12:
        errors["start_month"] = _("Choose a month.")
    if recurrence == Recurrence.EVERY_N_MONTHS and interval not in dict(INTERVAL_CHOICES):
        errors["interval_months"] = _("Choose the interval.")
    if recurrence == Recurrence.SPECIFIC_MONTHS and (not months or not all(1 <= m <= 12 for m in months)):
        errors["months"] = _("Choose at least one month.")
    return errors


def _clean_schedule(errors: dict, data: dict) -> dict:
    """A template's recurrence, start month, interval and months, checked; the
    interval counts only for every-n-months duties, the months only for duties
    of chosen months."""
    recurrence = data.get("recurrence")
    start_month = data.get("start_month") or 1
    interval = data.get("interval_months") or 12
    months = sorted({int(m) for m in data.get("months") or []})
    errors.update(_schedule_errors(recurrence, start_month, interval, months))
    return {
        "recurrence": recurrence,
        "start_month": start_month,
        "interval_months": interval if recurrence == Recurrence.EVERY_N_MONTHS else 12,
        "months": months if recurrence == Recurrence.SPECIFIC_MONTHS else [],
    }


def _clean_texts(errors: dict, data: dict) -> tuple[str, str]:
    """A template's title (required) and description, stripped and checked."""
    title = (data.get("title") or "").strip()
    if not title:
        errors["title"] = _("Give the duty a title.")
    elif len(title) > TITLE_MAX:
        errors["title"] = _("Use at most %(limit)s characters.") % {"limit": TITLE_MAX}
    description = (data.get("description") or "").strip()
    if len(description) > TEXT_MAX:
        errors["description"] = _("Use at most %(limit)s characters.") % {"limit": TEXT_MAX}
    return title, description


def _clean_owner_and_reminder(errors: dict, data: dict) -> tuple:
    """Who owns the duty in a unit, and how many days ahead they are reminded."""
    owner_role = data.get("owner_role")
    if owner_role not in OwnerRole.values:
        errors["owner_role"] = _("Choose who owns the duty in a unit.")
    remind = data.get("remind_days_before")
    if not isinstance(remind, int) or not 0 <= remind <= REMIND_MAX_DAYS:
        errors["remind_days_before"] = _("Give 0–%(max)s days.") % {"max": REMIND_MAX_DAYS}
    return owner_role, remind


def _clean_unit_scope(errors: dict, data: dict) -> tuple:
    """(scope, service types, units): the units the duty applies to, checked;
    the service types count only for that scope, the chosen units only for theirs."""
    scope = data.get("unit_scope")
    service_types = sorted(set(data.get("service_types") or []))
    units = list(data.get("units") or [])
    if scope not in UnitScope.values:
        errors["unit_scope"] = _("Choose the units the duty applies to.")
    if scope == UnitScope.SERVICE_TYPE and (not service_types or not set(service_types) <= set(ServiceType.values)):
        errors["service_types"] = _("Choose at least one service type.")
    if scope == UnitScope.CHOSEN and not units:
        errors["units"] = _("Choose at least one unit.")
    return (
        scope,
        service_types if scope == UnitScope.SERVICE_TYPE else [],
        units if scope == UnitScope.CHOSEN else [],
    )


def clean_template(data: dict) -> dict:
    """Validate template fields; raises ValidationError with per-field messages."""
    errors = {}
    title, description = _clean_texts(errors, data)
    kind = data.get("kind")
    if kind not in ObligationKind.values:
        errors["kind"] = _("Choose the kind of duty.")
    schedule = _clean_schedule(errors, data)
    owner_role, remind = _clean_owner_and_reminder(errors, data)
    scope, service_types, units = _clean_unit_scope(errors, data)
    if errors:
        raise ValidationError(errors)
    return {
        "title": title,
        "description": description,
        "kind": kind,
        **schedule,
        "owner_role": owner_role,
        "remind_days_before": remind,
        "unit_scope": scope,
        "service_types": service_types,
        "is_active": bool(data.get("is_active", True)),
        "_units": units,
    }
