"""Shared pieces of the improvement services."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _

from omavalvonta.core.lib.dates import fi_date  # noqa: F401 (re-exported: the services' notification texts)

TITLE_MAX = 300
TEXT_MAX = 5000


def clean_text(value) -> str:
    return (value or "").strip()


def check_length(errors: dict, field: str, value: str, limit: int) -> None:
    if len(value) > limit:
        errors[field] = _("Use at most %(limit)s characters (now %(count)s).") % {"limit": limit, "count": len(value)}


def check_required(errors: dict, field: str, value: str, limit: int, *, missing: str) -> None:
    """A text the form must have (the message `missing`), at most `limit` characters."""
    if not value:
        errors[field] = missing
    check_length(errors, field, value, limit)


def raise_if(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


def required_text(field: str, value, *, missing: str, limit: int = TEXT_MAX) -> str:
    """The one text a step asks for, stripped; a ValidationError on `field` when it
    is empty (the message `missing`) or longer than `limit`."""
    value = clean_text(value)
    errors: dict = {}
    check_required(errors, field, value, limit, missing=missing)
    raise_if(errors)
    return value


def action_link(action) -> str:
    """The in-product address of an action (relative, for notifications)."""
    return reverse("improvement:action_detail", args=[action.pk])
