"""Dates moved in SQL as core.lib.dates moves them in Python (issue 13: a
duty source's `counts` compute its due dates in the database)."""

from __future__ import annotations

from django.db import models
from django.db.models import Func, Value


class AddMonths(Func):
    """`add_months(date, months)` plus `days` (a fixed number) in SQL: the same
    day of the month `months` ahead, or that month's last day when it has no
    such day (31.1. + 1 month is 28.2. or 29.2.), then `days` days on. `months`
    is an integer expression, at least 0. A date (DateField)."""

    output_field = models.DateField()

    def __init__(self, date, months, *, days: int = 0):
        super().__init__(date, months if hasattr(months, "resolve_expression") else Value(months))
        self.days = int(days)

    def as_postgresql(self, compiler, connection, **extra):
        date_sql, date_params = compiler.compile(self.source_expressions[0])
        months_sql, months_params = compiler.compile(self.source_expressions[1])
        # An interval of months keeps the day or takes the month's last day.
        sql = f"(CAST(({date_sql}) + make_interval(months => ({months_sql})) AS date) + {self.days:d})"
        return sql, (*date_params, *months_params)

    def as_sql(self, compiler, connection, **extra):  # SQLite
        date_sql, date_params = compiler.compile(self.source_expressions[0])
        months_sql, months_params = compiler.compile(self.source_expressions[1])
        month = f"date({date_sql}, 'start of month', '+' || ({months_sql}) || ' months')"
        last_day = f"CAST(strftime('%%d', {month}, '+1 month', '-1 day') AS INTEGER)"
        day = f"CAST(strftime('%%d', {date_sql}) AS INTEGER)"
        sql = f"date({month}, '+' || (min({day}, {last_day}) - 1) || ' days', '{self.days:+d} days')"
        params = (*date_params, *months_params)
        # In order: `month`, `day` (the date alone), `month` again in `last_day`.
        return sql, (*params, *date_params, *params)
