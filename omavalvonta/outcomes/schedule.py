"""When a child's functional-capacity measurement is due: a pure function of the
placement's dates and the dates measured, so the rule can be read and tested
without a database.

The first measurement (the baseline) is due at the placement's start, then one
every three months from it. A measurement counts for a due date when it is done
at most WINDOW_BEFORE days before it (or any time after it, until the next);
it is done on time when it is done by GRACE days after the due date. A due date
not yet measured is "due" from WINDOW_BEFORE days before it, and "late" once
GRACE days have passed. An ended placement has no due dates."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from omavalvonta.core.lib.dates import add_months

INTERVAL_MONTHS = 3
WINDOW_BEFORE = 14
GRACE = 14
# How far back the due date waiting now can be: less than one interval and the
# window (three months of at most 92 days, less WINDOW_BEFORE), with room to spare.
CURRENT_LOOKBACK_DAYS = 31 * INTERVAL_MONTHS + WINDOW_BEFORE

UPCOMING = "upcoming"
DUE = "due"
LATE = "late"
DONE = "done"  # on time
DONE_LATE = "done_late"
MISSED = "missed"


@dataclass(frozen=True)
class DueDate:
    due_on: dt.date
    state: str
    measured_on: dt.date | None = None

    @property
    def open(self) -> bool:
        """Waiting for a measurement now (due or late)."""
        return self.state in (DUE, LATE)


def due_dates(
    *, starts_on: dt.date, ends_on: dt.date | None, today: dt.date, measured: list[dt.date], since: dt.date | None = None
) -> list[DueDate]:
    """Every due date of the placement up to the next one ahead, with its state
    (with `since`: only those due on or after it, the earlier ones not even
    computed). An ended placement (ends_on on or before today) has none."""
    if ends_on is not None and ends_on <= today:
        return []
    measured = sorted(measured)
    result: list[DueDate] = []
    k = 0
    if since is not None and since > starts_on:
        months = (since.year - starts_on.year) * 12 + since.month - starts_on.month
        k = max(0, months // INTERVAL_MONTHS - 1)
    while True:
        due_on = add_months(starts_on, INTERVAL_MONTHS * k)
        next_due = add_months(starts_on, INTERVAL_MONTHS * (k + 1))
        opens = due_on - dt.timedelta(days=WINDOW_BEFORE)
        closes = next_due - dt.timedelta(days=WINDOW_BEFORE)
        if opens > today:
            result.append(DueDate(due_on, UPCOMING))
            return result
        if since is not None and due_on < since:
            k += 1
            continue
        done = next((m for m in measured if opens <= m < closes), None)
        if done is not None:
            late = done > due_on + dt.timedelta(days=GRACE)
            result.append(DueDate(due_on, DONE_LATE if late else DONE, done))
        elif today >= closes:
            result.append(DueDate(due_on, MISSED))
        else:
            result.append(DueDate(due_on, LATE if today > due_on + dt.timedelta(days=GRACE) else DUE))
        k += 1


def current_due(*, starts_on, ends_on, today, last_measured_on: dt.date | None) -> DueDate | None:
    """The due date waiting now (due or late), or None: only the latest
    measurement is needed, so a list of many children needs no more than each
    child's last date (one query)."""
    # The due date waiting now opens at most WINDOW_BEFORE days ahead and its next
    # one has not opened yet, so it is later than three months (and a few days of
    # a short month) back: the years of due dates before it are not computed.
    dates = due_dates(
        starts_on=starts_on, ends_on=ends_on, today=today, measured=[last_measured_on] if last_measured_on else [],
        since=today - dt.timedelta(days=CURRENT_LOOKBACK_DAYS),
    )
    for d in reversed(dates):
        if d.state == UPCOMING:
            continue
        return d if d.open else None
    return None
