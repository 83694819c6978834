"""Several small reads of one area in one round trip: `newest_of_parts` sends
ordered `values_list` querysets, each cut to `limit`, as one UNION ALL where
the database runs each part with its own ORDER BY and LIMIT (PostgreSQL), and
one after another where it cannot (SQLite). Each part's rows come back apart.
Used by the unit timeline's providers (core.registry UNIT_TIMELINE), where
every query costs the page a round trip (issue 19's bench)."""

from __future__ import annotations

from django.db import connections
from django.db.models import IntegerField, Value


def newest_of_parts(*parts, limit: int) -> list[list[tuple]]:
    """The first `limit` rows of each of `parts` (ordered `values_list`
    querysets with columns of the same types, on one database), one list a part
    (the rows of a part in its order on SQLite; in no promised order in the
    UNION). One query where the database allows sliced parts in a UNION ALL,
    else one query a part."""
    if len(parts) < 2 or not connections[parts[0].db].features.supports_slicing_ordering_in_compound:
        return [list(part[:limit]) for part in parts]
    tagged = [part.annotate(_part=Value(i, output_field=IntegerField()))[:limit] for i, part in enumerate(parts)]
    found: list[list[tuple]] = [[] for _ in parts]
    for *row, i in tagged[0].union(*tagged[1:], all=True):
        found[i].append(tuple(row))
    return found


def newest_rows(found: list[list[tuple]], *, at: int, limit: int) -> list[tuple[int, tuple]]:
    """(part, row) of the newest `limit` rows of `newest_of_parts`' parts (a
    row's time at index `at`), newest first: a provider then builds only the
    entries it returns (at most `limit`, as core.registry UNIT_TIMELINE asks)."""
    rows = [(i, row) for i, part in enumerate(found) for row in part]
    rows.sort(key=lambda r: r[1][at], reverse=True)
    return rows[:limit]
