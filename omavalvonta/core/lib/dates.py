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


def fi_date_padded(value: dt.date | None) -> str:
    """A date with two-digit day and month (03.01.2026), as exports and the texts
    sent to authorities and people write it; empty gives ""."""
    return value.strftime("%d.%m.%Y") if value else ""


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


def day_start(day: dt.date) -> dt.datetime:
    """The first moment of `day` in the provider's time (a day's event on a timeline)."""
    return dt.datetime.combine(day, dt.time.min, tzinfo=HELSINKI)


def day_range(field: str, *, after: dt.datetime | None, before: dt.datetime | None) -> dict:
    """Filter keywords for a date field whose days, placed at `day_start`, fall in
    after <= start < before (None: open) -- a timeline's window on a date column."""
    where = {}
    if before is not None:
        local = before.astimezone(HELSINKI)
        midnight = local == day_start(local.date())
        where[f"{field}__lt" if midnight else f"{field}__lte"] = local.date()
    if after is not None:
        local = after.astimezone(HELSINKI)
        midnight = local == day_start(local.date())
        where[f"{field}__gte" if midnight else f"{field}__gt"] = local.date()
    return where


def day_bounds(*, after: dt.datetime | None, before: dt.datetime | None) -> tuple:
    """The days (first, end) whose starts fall in after <= start < before: the
    days first <= day < end (None: open), the same days `day_range` picks, as
    plain operands (a kept query's shape does not change with them)."""

    def edge(moment):
        if moment is None:
            return None
        local = moment.astimezone(HELSINKI)
        day = local.date()
        return day if local == day_start(day) else day + dt.timedelta(days=1)

    return edge(after), edge(before)


def day_window(field: str, *, first: dt.date | None, end: dt.date | None) -> dict:
    """Filter keywords for a date field in first <= day < end (None: open; see `day_bounds`)."""
    return _half_open(field, first, end)


def moment_range(field: str, *, after: dt.datetime | None, before: dt.datetime | None) -> dict:
    """Filter keywords for a datetime field in after <= value < before (None: open)."""
    return _half_open(field, after, before)


def _half_open(field: str, low, high) -> dict:
    """Filter keywords for `field` in low <= value < high (None: open on that side)."""
    where = {}
    if high is not None:
        where[f"{field}__lt"] = high
    if low is not None:
        where[f"{field}__gte"] = low
    return where


def whole_days(*, after: dt.datetime | None, before: dt.datetime | None) -> tuple:
    """The window (after, before) widened or narrowed to whole days, so that a
    day's count placed at `day_start` falls in it exactly when the day does
    (the same days `day_range` picks on a date column)."""

    def edge(moment):
        if moment is None:
            return None
        local = moment.astimezone(HELSINKI)
        start = day_start(local.date())
        return start if local == start else day_start(local.date() + dt.timedelta(days=1))

    return edge(after), edge(before)
