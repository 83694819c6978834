"""The three-monthly due dates, a pure function of the placement's dates."""

import datetime as dt

from omavalvonta.outcomes import schedule

D = dt.date


def states(**kwargs):
    return [(d.due_on, d.state) for d in schedule.due_dates(**kwargs)]


def test_a_measurement_is_due_at_the_start_and_every_three_months():
    result = states(starts_on=D(2026, 1, 31), ends_on=None, today=D(2026, 8, 1), measured=[])
    assert [d for d, _s in result] == [D(2026, 1, 31), D(2026, 4, 30), D(2026, 7, 31), D(2026, 10, 31)]
    assert [s for _d, s in result] == [schedule.MISSED, schedule.MISSED, schedule.DUE, schedule.UPCOMING]


def test_due_becomes_late_after_the_grace_days():
    start = D(2026, 1, 10)
    assert states(starts_on=start, ends_on=None, today=D(2026, 4, 24), measured=[start])[1] == (
        D(2026, 4, 10),
        schedule.DUE,
    )
    assert states(starts_on=start, ends_on=None, today=D(2026, 4, 25), measured=[start])[1] == (
        D(2026, 4, 10),
        schedule.LATE,
    )


def test_done_on_time_done_late_and_the_window_before_the_due_date():
    start = D(2026, 1, 10)
    result = schedule.due_dates(
        starts_on=start, ends_on=None, today=D(2026, 7, 20), measured=[D(2026, 1, 5) + dt.timedelta(days=5), D(2026, 5, 20), D(2026, 6, 28)]
    )
    assert [(d.state, d.measured_on) for d in result[:3]] == [
        (schedule.DONE, D(2026, 1, 10)),
        (schedule.DONE_LATE, D(2026, 5, 20)),
        (schedule.DONE, D(2026, 6, 28)),  # 12 days before the due date: in the window
    ]
    assert result[-1].state == schedule.UPCOMING


def test_an_ended_placement_has_no_due_dates():
    assert schedule.due_dates(starts_on=D(2025, 1, 1), ends_on=D(2026, 1, 1), today=D(2026, 3, 1), measured=[]) == []
    assert (
        schedule.current_due(starts_on=D(2025, 1, 1), ends_on=D(2026, 1, 1), today=D(2026, 3, 1), last_measured_on=None)
        is None
    )


def test_the_current_due_date_needs_only_the_last_measurement():
    start = D(2026, 1, 10)
    due = schedule.current_due(starts_on=start, ends_on=None, today=D(2026, 5, 1), last_measured_on=start)
    assert due.due_on == D(2026, 4, 10) and due.state == schedule.LATE
    assert schedule.current_due(starts_on=start, ends_on=None, today=D(2026, 5, 1), last_measured_on=D(2026, 4, 30)) is None
    # A placement that starts next week is not due yet.
    assert schedule.current_due(starts_on=D(2026, 5, 20), ends_on=None, today=D(2026, 5, 1), last_measured_on=None) is None


def test_month_ends_are_kept():
    assert schedule.add_months(D(2026, 11, 30), 3) == D(2027, 2, 28)
    assert schedule.add_months(D(2027, 11, 30), 3) == D(2028, 2, 29)


def test_due_dates_since_a_day_skip_the_earlier_ones_alike():
    import datetime as dt

    from omavalvonta.outcomes import schedule

    start, today = dt.date(2021, 1, 31), dt.date(2026, 6, 1)
    measured = [dt.date(2025, 8, 1), dt.date(2026, 2, 20)]
    every = schedule.due_dates(starts_on=start, ends_on=None, today=today, measured=measured)
    for since in (dt.date(2025, 6, 1), dt.date(2025, 7, 31), dt.date(2021, 1, 1), dt.date(2026, 7, 1)):
        windowed = schedule.due_dates(starts_on=start, ends_on=None, today=today, measured=measured, since=since)
        assert windowed == [d for d in every if d.due_on >= since] or windowed == every[-1:]
