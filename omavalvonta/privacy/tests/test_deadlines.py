"""The answer period of a data-subject request in calendar months (GDPR art.
12(3)): pure functions."""

import datetime as dt

import pytest

from omavalvonta.privacy import deadlines

D = dt.date


@pytest.mark.parametrize(("received", "months", "due"), [
    (D(2026, 3, 10), 0, D(2026, 4, 10)),
    (D(2027, 1, 31), 0, D(2027, 2, 28)),  # 31 January: the end of February
    (D(2028, 1, 31), 0, D(2028, 2, 29)),  # in a leap year
    (D(2026, 3, 31), 0, D(2026, 4, 30)),
    (D(2026, 12, 15), 0, D(2027, 1, 15)),  # over the year's end
    (D(2026, 1, 31), 2, D(2026, 4, 30)),  # three months from receipt, not from the first due date
    (D(2026, 11, 30), 2, D(2027, 2, 28)),
    (D(2026, 1, 5), 1, D(2026, 3, 5)),
])
def test_the_due_date_is_counted_in_calendar_months_from_receipt(received, months, due):
    assert deadlines.due_on(received, months) == due


def test_more_than_two_further_months_is_not_a_period():
    with pytest.raises(ValueError):
        deadlines.due_on(D(2026, 1, 5), 3)


def test_an_extension_may_be_noticed_only_within_the_first_month():
    received = D(2027, 1, 31)
    assert deadlines.extension_notice_last_day(received) == D(2027, 2, 28)
    assert deadlines.extension_allowed(received, D(2027, 1, 31))
    assert deadlines.extension_allowed(received, D(2027, 2, 28))
    assert not deadlines.extension_allowed(received, D(2027, 3, 1))
    assert not deadlines.extension_allowed(received, D(2027, 1, 30))  # before the request
