"""Many small reads in one round trip: `newest_of_union` sends the newest rows of
several ordered `values_list` querysets (of any models and column types) as one
UNION ALL on PostgreSQL, where the database runs each part with its own ORDER BY
and LIMIT and keeps only the newest rows of them all; one query a part where it
cannot (SQLite, the tests). Used by the unit timeline (core.registry
UNIT_TIMELINE), where every area's kinds of event make one page (issue 19's
bench: 19 parts, one query)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet
from django.db import connections

from omavalvonta.core.lib.dates import HELSINKI, day_start


@dataclass(frozen=True)
class Newest:
    """The newest rows of the parts: (at, part index, values) newest first, ties
    in the parts' order and each part's own order; every row at the time of the
    `limit`-th is in (a page cut by time loses none of them). `older`: rows older
    than these are left (in a part, or cut by a part's limit)."""

    rows: list[tuple[dt.datetime, int, tuple]]
    older: bool


def newest_of_union(parts: Sequence, *, limit: int) -> Newest:
    """The newest `limit` rows of all `parts` (more when rows share the time of the
    `limit`-th), reading at most `limit` + 1 rows of each part (its queryset is
    cut to them in place). A part has `rows`,
    a `values_list` queryset ordered newest first whose first column is the time
    (a datetime; a date when the part's `day`, placed at the day's start in
    Helsinki) and whose others are integers, text, booleans or null
    (core.registry.TimelinePart). One query on
    PostgreSQL whatever the number of parts (none when no part can have a row),
    one a part elsewhere."""
    compiled = []
    for index, part in enumerate(parts):
        # Each part's own queryset is cut in place (not cloned: the parts are
        # made for this read).
        part.rows.query.set_limits(high=limit + 1)
        try:
            sql, params = part.rows.query.get_compiler(part.rows.db).as_sql()
        except EmptyResultSet:
            continue  # the kernel leaves the actor nothing of this part
        compiled.append((index, part, sql, params))
    if not compiled:
        return Newest(rows=[], older=False)
    connection = connections[parts[compiled[0][0]].rows.db]
    if connection.vendor == "postgresql":
        return _postgresql(connection, compiled, limit)
    return _one_by_one(compiled, limit)


def _postgresql(connection, compiled, limit) -> Newest:
    # Each part in its own parentheses keeps its ORDER BY and LIMIT; its columns
    # are renamed by position (c0 the time, the rest packed into one JSON array,
    # so parts of different shapes share the UNION's columns). The window
    # functions keep the rows at or above the `limit`-th time (rank) and tell
    # whether any are left below it (the counts).
    selects, params = [], []
    for index, part, sql, part_params in compiled:
        width = len(part.rows._fields) or len(part.rows.query.values_select)
        names = ", ".join(f"c{i}" for i in range(width))
        values = ", ".join(f"p.c{i}" for i in range(1, width))
        at = "(p.c0::timestamp AT TIME ZONE %s)" if part.day else "p.c0"
        if part.day:
            params.append(str(HELSINKI))
        selects.append(
            f"(SELECT {at} AS at, {index:d} AS part, row_number() OVER () AS seq, "
            f"json_build_array({values}) AS vals FROM ({sql}) AS p({names}))"
        )
        params.extend(part_params)
    union = " UNION ALL ".join(selects)
    sql = (
        "SELECT at, part, vals, total, in_part FROM ("
        "SELECT u.*, rank() OVER (ORDER BY u.at DESC) AS rk, count(*) OVER () AS total, "
        "count(*) OVER (PARTITION BY u.part) AS in_part "
        f"FROM ({union}) AS u) AS r WHERE rk <= %s ORDER BY at DESC, part, seq"
    )
    params.append(limit)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchall()
    days = {index for index, part, _sql, _params in compiled if part.day}
    rows = [
        (at.astimezone(HELSINKI) if index in days else at, index, tuple(json.loads(vals) if isinstance(vals, str) else vals))
        for at, index, vals, _total, _in_part in found
    ]
    older = bool(found) and (found[0][3] > len(found) or any(row[4] > limit for row in found))
    return Newest(rows=rows, older=older)


def _one_by_one(compiled, limit) -> Newest:
    rows, cut = [], False
    for index, part, _sql, _params in compiled:
        got = list(part.rows)
        cut = cut or len(got) > limit
        for seq, (at, *values) in enumerate(got):
            rows.append((day_start(at) if part.day else at, index, seq, tuple(values)))
    rows.sort(key=lambda r: (-r[0].timestamp(), r[1], r[2]))
    if len(rows) > limit:
        cursor = rows[limit - 1][0]
        page = [r for r in rows if r[0] >= cursor]
    else:
        page = rows
    return Newest(rows=[(at, index, values) for at, index, _seq, values in page], older=len(page) < len(rows) or cut)
