"""The cells of the CSV files the product exports, in one place: text guarded
against spreadsheet formulas, dates and times as Finnish spreadsheets read
them (Helsinki time) and yes/no in the reader's language."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from omavalvonta.core.lib.dates import HELSINKI, fi_date_padded, fi_timestamp

# Spreadsheets run a cell that starts with one of these as a formula (CSV injection).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_text(value: str) -> str:
    return "'" + value if value[:1] in _FORMULA_STARTS else value


def csv_date(value: dt.date | None) -> str:
    """23.11.2026; a datetime gives its Helsinki date."""
    if isinstance(value, dt.datetime):
        value = value.astimezone(HELSINKI).date()
    return fi_date_padded(value)


def csv_datetime(value: dt.datetime | None) -> str:
    """23.11.2026 14:05 in Helsinki time."""
    return fi_timestamp(value)


def csv_yes_no(value: bool) -> str:
    return _("yes") if value else _("no")
