"""The one rhythm of the self-supervision year, cut from one configured set of
review months (settings.REVIEW_MONTHS; January, May and October by default: the
management group reviews the group programme's follow-up then, DOMAIN.md).

Every four-monthly cycle of the product follows it:

* the units' action-plan periods (improvement): from a review month (or January)
  up to the month before the next one: January–April, May–September,
  October–December by default;
* the default reviews of the units' plans and action plans (the quality
  calendar): in the last month of each period;
* the group's follow-up report (plans): in a review month, of the period since
  the previous review month.

So a unit's period always closes before the group report that reads it."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.utils.formats import date_format

DEFAULT_REVIEW_MONTHS = (1, 5, 10)


def review_months() -> tuple[int, ...]:
    """The configured review months, sorted (settings.REVIEW_MONTHS)."""
    months = getattr(settings, "REVIEW_MONTHS", DEFAULT_REVIEW_MONTHS)
    cleaned = tuple(sorted({int(m) for m in months if 1 <= int(m) <= 12}))
    return cleaned or DEFAULT_REVIEW_MONTHS


def _month_name(month: int) -> str:
    return date_format(dt.date(2000, month, 1), "F")


@dataclass(frozen=True)
class Period:
    """One period of a unit's year: `index` 1, 2, ... within the year."""

    index: int
    first_month: int
    last_month: int

    def bounds(self, year: int) -> tuple[dt.date, dt.date]:
        last_day = calendar.monthrange(year, self.last_month)[1]
        return dt.date(year, self.first_month, 1), dt.date(year, self.last_month, last_day)

    @property
    def short_label(self) -> str:
        return f"T{self.index}"

    @property
    def label(self) -> str:
        """"T2 (May–September)" in the active language."""
        return f"T{self.index} ({_month_name(self.first_month)}–{_month_name(self.last_month)})"

    def __int__(self) -> int:
        return self.index


def periods() -> list[Period]:
    """The periods of a year. January always starts one: a unit's action plan
    is yearly, so no period spans the turn of the year."""
    starts = sorted(set(review_months()) | {1})
    ends = [m - 1 for m in starts[1:]] + [12]
    return [Period(index=i + 1, first_month=first, last_month=last) for i, (first, last) in enumerate(zip(starts, ends, strict=True))]


def period(index: int) -> Period | None:
    return next((p for p in periods() if p.index == index), None)


def period_of(day: dt.date) -> Period:
    return next(p for p in periods() if p.first_month <= day.month <= p.last_month)


def period_end_months() -> list[int]:
    """The last month of each period: when the units' reviews fall due."""
    return [p.last_month for p in periods()]


def group_period(today: dt.date) -> tuple[dt.date, dt.date]:
    """The period the group's follow-up report of the latest review month (at or
    before `today`) reads: from the previous review month up to the day before
    it, so the reports follow each other without gaps (January, May, October:
    October–December, January–April, May–September)."""
    months = review_months()
    candidates = sorted(dt.date(year, m, 1) for year in (today.year - 2, today.year - 1, today.year) for m in months)
    past = [c for c in candidates if c <= today]
    review, previous = past[-1], past[-2]
    return previous, review - dt.timedelta(days=1)


def next_group_period(after_end: dt.date) -> tuple[dt.date, dt.date]:
    """The group period that follows one ending on `after_end`."""
    start = after_end + dt.timedelta(days=1)
    months = review_months()
    later = sorted(dt.date(year, m, 1) for year in (start.year, start.year + 1) for m in months)
    review = next(c for c in later if c > start)
    return start, review - dt.timedelta(days=1)
