"""core/lib/dates.py: the two ways a date is written, in one place."""

import datetime as dt

from omavalvonta.core.lib.dates import fi_date, fi_date_padded


def test_a_page_writes_a_date_without_leading_zeros():
    assert fi_date(dt.date(2026, 1, 3)) == "3.1.2026"


def test_a_message_or_an_export_writes_two_digit_day_and_month():
    assert fi_date_padded(dt.date(2026, 1, 3)) == "03.01.2026"
    assert fi_date_padded(dt.date(2026, 11, 23)) == "23.11.2026"


def test_no_date_is_written_as_nothing():
    assert fi_date_padded(None) == ""
    assert fi_date(None) == ""
