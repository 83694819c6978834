"""Small template helpers of the plans area."""

import datetime as dt

from django import template

register = template.Library()


@register.filter
def fidate(value) -> str:
    """A date (or an ISO date string, as stored in frozen facts) in Finnish format: 23.11.2026."""
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, dt.datetime):
        from django.utils import timezone

        value = timezone.localtime(value).date()
    if isinstance(value, dt.date):
        return f"{value.day}.{value.month}.{value.year}"
    return ""
