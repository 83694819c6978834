"""Small template helpers of the plans area."""

from django import template

from omavalvonta.core.lib.dates import fi_date

register = template.Library()


@register.filter
def fidate(value) -> str:
    """A date (or an ISO date string, as stored in frozen facts) in Finnish format: 23.11.2026."""
    return fi_date(value)
