"""Shared pieces of the organisation services: field lists, limits, the admin check."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.crypto import get_random_string

from omavalvonta.organisation import access
from omavalvonta.organisation.models import (
    Role,
)
from omavalvonta.organisation.risk import RiskLevel

# Which scope each role may have. Unit-level roles belong to one unit, the regional
# director to one region, the administrator to the whole organisation (the admin
# right is organisation-wide whatever the scope, so a narrower scope would only
# mislead). The other group roles may be organisation-wide or narrower.
UNIT_ROLES = frozenset({Role.EMPLOYEE, Role.SUPERVISOR, Role.RESPONSIBLE_PERSON})
REGION_ROLES = frozenset({Role.REGIONAL_DIRECTOR})
ORGANISATION_ONLY_ROLES = frozenset({Role.ADMINISTRATOR})

UNIT_FIELDS = (
    "name",
    "service_type",
    "region",
    "places",
    "street_address",
    "postal_code",
    "city",
    "email",
    "phone",
    "public_slug",
    "is_active",
)
COUNTY_FIELDS = (
    "name",
    "notification_email",
    "lead_official_name",
    "lead_official_email",
    "lead_official_phone",
)
PERSON_FIELDS = ("email", "full_name", "title", "phone", "is_active")
ORGANISATION_FIELDS = (
    "name",
    "business_id",
    "address",
    "handling_start_working_days",
    "handling_target_days",
    "correction_due_days",
    "password_sign_in",
)
AUTHORITY_FIELDS = ("name", "email", "is_default")

# The allowed range of each deadline setting (inclusive); the form uses the same.
SETTING_LIMITS = {
    "handling_start_working_days": (1, 30),
    "handling_target_days": (1, 365),
    "correction_due_days": (1, 90),
}

# Risk levels from the lowest to the highest: the matrix must not go down.
RISK_ORDER = {level: i for i, level in enumerate(RiskLevel.values)}

# Generated passwords avoid look-alike characters (0/O, 1/l/I) so that they can be
# read aloud or copied from a screen without mistakes.
_PASSWORD_CHARS = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def _require_admin(actor) -> None:
    if not access.has_perm_anywhere(actor, access.P_ORG_ADMIN):
        raise PermissionDenied(access.P_ORG_ADMIN)


def _changed(obj, changes: dict, allowed: tuple[str, ...]) -> list[str]:
    """Apply `changes` to `obj` and return the names of the fields that changed."""
    unknown = set(changes) - set(allowed)
    if unknown:
        raise TypeError(f"Unknown fields: {', '.join(sorted(unknown))}")
    changed = []
    for name, value in changes.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed.append(name)
    return changed


def generate_password() -> str:
    """A random password that is easy to read out: three groups of four characters."""
    return "-".join(get_random_string(4, _PASSWORD_CHARS) for _ in range(3))


# --- The organisation: settings and risk matrix -----------------------------------------------
