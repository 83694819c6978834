"""Shared pieces of the improvement services."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _

TITLE_MAX = 300
TEXT_MAX = 5000


def clean_text(value) -> str:
    return (value or "").strip()


def check_length(errors: dict, field: str, value: str, limit: int) -> None:
    if len(value) > limit:
        errors[field] = _("Use at most %(limit)s characters (now %(count)s).") % {"limit": limit, "count": len(value)}


def fi_date(value: dt.date | None) -> str:
    """A date in Finnish format (23.11.2026) for notification texts."""
    return f"{value.day}.{value.month}.{value.year}" if value else ""


def raise_if(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


def action_link(action) -> str:
    """The in-product address of an action (relative, for notifications)."""
    return reverse("improvement:action_detail", args=[action.pk])
