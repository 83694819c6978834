"""Dates as Finnish readers write them (23.11.2026), in one place: for texts made
outside a template (notifications, labels, PDFs) and the `fidate` filter."""

from __future__ import annotations

import calendar
import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import timezone

# The provider's time: dates and times the law and the product count in.
HELSINKI = ZoneInfo("Europe/Helsinki")


def fi_date(value) -> str:
    """A date in Finnish format: 23.11.2026. A datetime gives its Helsinki date;
    an ISO date string (as stored in frozen facts) is read; empty gives ""; a
    string that is not a date comes back as it is."""
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date()
    if isinstance(value, dt.date):
        return f"{value.day}.{value.month}.{value.year}"
    return ""


def fi_timestamp(value: dt.datetime | None) -> str:
    """A moment in Helsinki time as records and exports show it: 23.11.2026 14:05."""
    return value.astimezone(HELSINKI).strftime("%d.%m.%Y %H:%M") if value else ""


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` moved `months` calendar months ahead (or back): the same day of the
    month, or the month's last day when it has no such day (31.1. + 1 month is
    28.2. or 29.2.), as EU Regulation 1182/71 art. 3 counts a period in months."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
