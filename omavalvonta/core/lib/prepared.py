"""Kept statements run as prepared statements on PostgreSQL (issue 13).

A statement kept compiled (core.lib.kept, yearclock.counted) is the same SQL
for every request of the day but for its operands. Written with its operands
in, PostgreSQL plans it again on every run: for the calendar's month of a
region (nine duty sources over fifty units) planning took 5–8 ms, longer than
running it (3–4 ms). Run with its operands as parameters on a cursor that
prepares, the connection (kept between requests, DATABASE_CONN_MAX_AGE) plans
it once and reuses the plan: psycopg keeps the prepared statements per
connection (at most `prepared_max`, the least used deallocated), and
PostgreSQL switches to a generic plan after a few runs when it costs no more.

`PREPARED_STATEMENTS` (environment DATABASE_PREPARED_STATEMENTS) turns it off
for a connection pooler that cannot keep prepared statements (PgBouncer in
transaction mode before 1.21): the statement is then run as any other. On
SQLite the cursor is the connection's own.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import connections


def prepares(using: str = "default") -> bool:
    """Whether `prepared_cursor` prepares on this database."""
    return connections[using].vendor == "postgresql" and getattr(settings, "PREPARED_STATEMENTS", True)


@functools.cache
def _preparing_cursor_class():
    import psycopg  # only on PostgreSQL

    class PreparingCursor(psycopg.Cursor):
        """Binds on the server and prepares every statement it runs. Django's
        own cursors bind on the client and prepare nothing, and Django opens
        its connections with psycopg's prepared statements off (its
        `prepare_threshold` None): they are on while this cursor runs, its
        statement prepared at once (never by count), and off again after."""

        def execute(self, query, params=None, *, prepare=None, binary=None):
            connection = self.connection
            threshold = connection.prepare_threshold
            if threshold is None:
                connection.prepare_threshold = _ONLY_WHEN_ASKED
            try:
                super().execute(query, params, prepare=True, binary=binary)
            finally:
                connection.prepare_threshold = threshold
            if self._query is None:
                # psycopg names no query when it runs a prepared one: Django's
                # logged queries (DEBUG, the tests' query counts) show its SQL.
                self._query = _Named(query)
            return self

    return PreparingCursor


class _Named:
    """What Django reads of psycopg's last query to log it (`query`, bytes)."""

    __slots__ = ("sql",)

    def __init__(self, sql: str):
        self.sql = sql

    @property
    def query(self) -> bytes:
        return self.sql.encode()


_ONLY_WHEN_ASKED = 2**31 - 1  # runs of a statement before psycopg prepares it unasked


@contextmanager
def prepared_cursor(using: str = "default") -> Iterator:
    """A cursor (Django's wrapper: the execute wrappers and the logged queries
    see its statements) that runs its statements prepared when `prepares`.
    Parameters are psycopg's (`%s`; a literal % written %%)."""
    connection = connections[using]
    if not prepares(using):
        with connection.cursor() as cursor:
            yield cursor
        return
    connection.validate_thread_sharing()
    with connection.wrap_database_errors:
        connection.ensure_connection()
        raw = _preparing_cursor_class()(connection.connection)
    cursor = connection.make_debug_cursor(raw) if connection.queries_logged else connection.make_cursor(raw)
    with cursor:
        yield cursor
