"""The organisation-wide duty sources' facts in one statement (issue 13).

A DUTY_SOURCES source registered with `organisation=True` may declare what its
duties are made from as `facts(*, today)` → {name: a one-column values_list
queryset}: each one value (the latest approval's time, the chair's id, the
soonest due date of the documents within their reminder days...), the first
row's or None. The calendar's "this month" reads every such source's facts in
one SELECT of scalar subqueries (`first_values`) and gives each source its own
(`duties_from(*, today, facts)` → its duties, reading rows itself only where a
fact says there are some). The source's own `func` makes its duties from the
same facts, read a query each: the reminder job and the page agree.

The statement is kept compiled per day and set of sources (`kept_first_values`):
`facts` builds its querysets from `today` alone and reads nothing while it
builds (a test holds every source to it), so the same day's SQL is the same for
everyone. Only the SQL is kept; the values are read on every request."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import NamedTuple

from django.core.exceptions import EmptyResultSet
from django.db import connections

from omavalvonta.core.lib.prepared import prepared_cursor


class _Statement(NamedTuple):
    sql: str
    params: tuple
    keys: tuple
    converters: tuple  # per key: ((functions, expression), ...) for its value


_KEPT: dict = {}
_KEPT_MAX = 64
_LOCK = threading.Lock()


def _first(queryset):
    return queryset if queryset.query.is_sliced else queryset[:1]


def _compiled(querysets: dict, using: str) -> _Statement | None:
    parts, params, converters = [], [], []
    for queryset in querysets.values():
        compiler = _first(queryset).query.get_compiler(using=using)
        try:
            sql, part_params = compiler.as_sql()
        except EmptyResultSet:  # a filter that matches nothing: no row
            parts.append("NULL")
            converters.append(())
            continue
        parts.append(f"({sql})")
        params.extend(part_params)
        found = compiler.get_converters([compiler.select[0][0]])
        converters.append(tuple((tuple(functions), expression) for functions, expression in found.values()))
    if not parts:
        return None
    return _Statement("SELECT " + ", ".join(parts), tuple(params), tuple(querysets), tuple(converters))


def _run(statement: _Statement | None, using: str, *, prepared: bool = False) -> dict:
    if statement is None:
        return {}
    connection = connections[using]
    with (prepared_cursor(using) if prepared else connection.cursor()) as cursor:
        cursor.execute(statement.sql, statement.params)
        row = cursor.fetchone()
    found = {}
    for key, value, converters in zip(statement.keys, row, statement.converters, strict=True):
        # Converted as the queryset itself would convert it (a date read from SQLite is a date).
        for functions, expression in converters if value is not None else ():
            for function in functions:
                value = function(value, expression, connection)
        found[key] = value
    return found


def first_values(querysets: dict, *, using: str = "default") -> dict:
    """{key: queryset} → {key: its first row's value or None}, every value in one
    SELECT (none when `querysets` is empty)."""
    return _run(_compiled(querysets, using), using)


def kept_first_values(key: tuple, build: Callable[[], dict], *, using: str = "default") -> dict:
    """`first_values(build())`, the statement compiled once per `key` (which
    names everything `build`'s SQL depends on: the day, the sources)."""
    kept_key = (using, *key)
    statement = _KEPT.get(kept_key, _KEPT)
    if statement is _KEPT:
        reads = []

        def seen(execute, sql, params, many, context):
            reads.append(sql)
            return execute(sql, params, many, context)

        with connections[using].execute_wrapper(seen):
            querysets = build()
        statement = _compiled(querysets, using)
        if reads:  # a source read while it built its facts: its SQL may change, kept for no one
            return _run(statement, using)
        with _LOCK:
            if len(_KEPT) >= _KEPT_MAX:
                _KEPT.clear()
            _KEPT[kept_key] = statement
    # The same statement all day for everyone: planned once per connection.
    return _run(statement, using, prepared=True)
