"""Kept statements run prepared on PostgreSQL (core/lib/prepared.py): planned
once per connection, logged as any other query, and run as any other when
turned off or on SQLite."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from omavalvonta.core.lib.prepared import prepared_cursor, prepares

pytestmark = pytest.mark.django_db

SQL = "SELECT %s::int + 1, '100%%', %s::bigint[]"


def _prepared_statements() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


def _run(value: int):
    with prepared_cursor() as cursor:
        cursor.execute(SQL, [value, [1, 2, value]])
        return cursor.fetchall()


ON_POSTGRESQL = pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's")


@ON_POSTGRESQL
def test_a_statement_answers_the_same_every_time_and_is_logged_with_its_sql():
    with CaptureQueriesContext(connection) as seen:
        rows = [_run(value) for value in (1, 2, 70_000)]
    assert [row[0][:2] for row in rows] == [(2, "100%"), (3, "100%"), (70_001, "100%")]
    assert [list(row[0][2]) for row in rows] == [[1, 2, 1], [1, 2, 2], [1, 2, 70_000]]
    assert len(seen.captured_queries) == 3
    assert all("'100%" in query["sql"] for query in seen.captured_queries)


@ON_POSTGRESQL
def test_on_postgresql_the_statement_is_prepared_once_and_django_prepares_nothing_else():
    assert prepares()
    for value in range(4):
        _run(value)
    mine = [sql for sql in _prepared_statements() if "'100%'" in sql]
    assert len(mine) == 1 and "$1" in mine[0]
    # Django's own cursors still prepare nothing (psycopg's threshold is back to off).
    assert connection.connection.prepare_threshold is None
    before = len(_prepared_statements())
    for _ in range(8):
        with connection.cursor() as cursor:
            cursor.execute("SELECT 41 + %s", [1])
    assert len(_prepared_statements()) == before


@ON_POSTGRESQL
def test_turned_off_the_statement_runs_unprepared(settings):
    settings.PREPARED_STATEMENTS = False
    assert not prepares()
    assert _run(5)[0][:2] == (6, "100%")
    assert not [sql for sql in _prepared_statements() if "'100%'" in sql]


@pytest.mark.skipif(connection.vendor == "postgresql", reason="SQLite only")
def test_on_sqlite_the_cursor_is_the_connections_own():
    assert not prepares()
    with CaptureQueriesContext(connection) as seen, prepared_cursor() as cursor:
        cursor.execute("SELECT %s + 1, '100%%'", [1])
        assert cursor.fetchall() == [(2, "100%")]
    assert len(seen.captured_queries) == 1
