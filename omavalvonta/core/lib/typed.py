"""What people type into a text field, checked the same way everywhere: the
value stripped, an error when a required value is missing or the value is too
long (with its length, so the person sees how much to cut)."""

from __future__ import annotations

from django.utils.translation import gettext as _


def too_long(limit: int, length: int) -> str:
    return _("Use at most %(limit)s characters (now %(count)s).") % {"limit": limit, "count": length}


def typed_text(errors: dict, field: str, value, limit: int, *, required: str | None = None) -> str:
    """`value` stripped; `errors[field]` set when it is required (the message
    given) and empty, or longer than `limit`."""
    value = (value or "").strip()
    if required and not value:
        errors[field] = required
    elif len(value) > limit:
        errors[field] = too_long(limit, len(value))
    return value
