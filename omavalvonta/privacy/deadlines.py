"""When a data-subject request must be answered (GDPR art. 12(3)): within one
month of receipt; the controller may extend the period by up to two further
months, telling the person with the reasons within the first month. Months
are calendar months (core.lib.dates.add_months: 31.1. + 1 month is the end of
February). Pure functions: no database, no clock."""

from __future__ import annotations

import datetime as dt

from omavalvonta.core.lib.dates import add_months

ANSWER_MONTHS = 1
MAX_EXTENSION_MONTHS = 2
# Reminders go out this many days before the due date.
REMIND_DAYS_BEFORE = 7


def due_on(received_on: dt.date, extension_months: int = 0) -> dt.date:
    """The last day to answer a request received on `received_on`, extended by
    `extension_months` (0-2)."""
    if not 0 <= extension_months <= MAX_EXTENSION_MONTHS:
        raise ValueError(extension_months)
    return add_months(received_on, ANSWER_MONTHS + extension_months)


def extension_notice_last_day(received_on: dt.date) -> dt.date:
    """The last day an extension may be noticed: the end of the first month."""
    return due_on(received_on)


def extension_allowed(received_on: dt.date, notice_on: dt.date) -> bool:
    """May an extension noticed on `notice_on` be made (within the first month)?"""
    return received_on <= notice_on <= extension_notice_last_day(received_on)
