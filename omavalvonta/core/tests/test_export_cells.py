"""The cells of every CSV export (core.lib.export)."""

import datetime as dt

from omavalvonta.core.lib.export import csv_date, csv_datetime, csv_text

UTC = dt.UTC


def test_a_cell_that_a_spreadsheet_would_run_as_a_formula_is_quoted():
    for text in ("=SUM(A1)", "+1", "-2", "@x", "\tx", "\rx"):
        assert csv_text(text) == "'" + text
    assert csv_text("Kaide irti") == "Kaide irti"
    assert csv_text("") == ""


def test_dates_and_moments_are_read_in_helsinki_time():
    late_evening_utc = dt.datetime(2026, 11, 30, 22, 30, tzinfo=UTC)  # 1 December 00:30 in Helsinki
    assert csv_datetime(late_evening_utc) == "01.12.2026 00:30"
    assert csv_date(late_evening_utc) == "01.12.2026"
    assert csv_date(dt.date(2026, 3, 5)) == "05.03.2026"
    assert csv_date(None) == csv_datetime(None) == ""
