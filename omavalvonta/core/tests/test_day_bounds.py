"""core.lib.dates.day_bounds / day_window pick the same days as day_range (a
timeline's window on a date column), as plain operands whatever the times."""

import datetime as dt
import operator

import pytest

from omavalvonta.core.lib.dates import HELSINKI, day_bounds, day_range, day_window

OPS = {"lt": operator.lt, "lte": operator.le, "gt": operator.gt, "gte": operator.ge}


def _days(where: dict) -> set:
    start = dt.date(2026, 3, 20)
    days = {start + dt.timedelta(days=i) for i in range(20)}
    for key, bound in where.items():
        op = OPS[key.rsplit("__", 1)[1]]
        days = {day for day in days if op(day, bound)}
    return days


MOMENTS = [
    None,
    dt.datetime(2026, 3, 25, 0, 0, tzinfo=HELSINKI),  # a Helsinki midnight
    dt.datetime(2026, 3, 25, 0, 0, 1, tzinfo=HELSINKI),
    dt.datetime(2026, 3, 24, 22, 0, tzinfo=dt.UTC),  # midnight in Helsinki, given in UTC
    dt.datetime(2026, 3, 24, 21, 59, tzinfo=dt.UTC),
    dt.datetime(2026, 3, 29, 0, 0, tzinfo=HELSINKI),  # the night summer time begins
    dt.datetime(2026, 3, 29, 5, 30, tzinfo=dt.UTC),
]


@pytest.mark.parametrize("after", MOMENTS)
@pytest.mark.parametrize("before", MOMENTS)
def test_the_bounds_pick_the_days_day_range_picks(after, before):
    first, end = day_bounds(after=after, before=before)
    assert _days(day_window("day", first=first, end=end)) == _days(day_range("day", after=after, before=before))
