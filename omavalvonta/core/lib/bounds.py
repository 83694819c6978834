"""The bounds of what people type: dates the product accepts, and integers a database holds.

Python's dates run from year 1 to 9999, but a date at either end cannot be moved
a day or a time zone without an OverflowError (1.1.0001 in Helsinki is still
31.12.0000 in UTC). Every date typed into a form or a filter is kept within
EARLIEST..LATEST, far from both ends and wide enough for any real record."""

from __future__ import annotations

import datetime as dt
import re

EARLIEST = dt.date(1900, 1, 1)
LATEST = dt.date(2999, 12, 31)

# ASCII digits only: str.isdigit() and int() also take "²", "①" and "١٢".
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
_ASCII_INT = re.compile(r"[+-]?\d+", re.ASCII)

# The largest value a database integer column holds (PostgreSQL bigint, SQLite INTEGER).
MAX_DB_INT = 2**63 - 1


def in_range(day: dt.date) -> bool:
    if isinstance(day, dt.datetime):
        day = day.date()
    return EARLIEST <= day <= LATEST


def parse_date(value) -> dt.date | None:
    """A date from an ISO string (or a date), or None when it is not one or lies
    outside EARLIEST..LATEST."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value if in_range(value) else None
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value.strip()):
        return None
    try:
        day = dt.date.fromisoformat(value.strip())
    except ValueError:
        return None
    return day if in_range(day) else None


def parse_int(value, *, minimum: int = -MAX_DB_INT, maximum: int = MAX_DB_INT) -> int | None:
    """An integer written in ASCII digits that a database column can hold, or None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and _ASCII_INT.fullmatch(value.strip()):
        number = int(value.strip())
    else:
        return None
    return number if minimum <= number <= maximum else None
