"""The running counts of the reports (models.ReportCount): kept by database
triggers, compacted by a job, rebuilt from the reports when the triggers had
to be installed.

Why triggers: a count must equal its rows whatever writes the reports (the
services, a job's queryset update, the bench's bulk insert, retention's
destruction, a future migration), and the database sees every write. Each
insert, delete, or change of a report's unit, kind, state, team-meeting mark
or handling target date adds delta rows (n -1 for what the report was, +1 for
what it is) for its unit and for the whole organisation (unit NULL), in the
writer's transaction. Adding rows, never updating one, means two writers never
wait for each other.

`ensure` runs after every migrate and flush (apps.py): it installs the
triggers when they are missing (a new database; on SQLite a migration that
remakes the reports' table drops them) and rebuilds the counts when it did or
when they do not add up to the reports, in one transaction.
`report_counts_compact` (the hourly job) sums the rows per key; every date
before the day is folded into the day before, so that the rows of the past
collapse into one per unit, kind, state and mark while "overdue" (a date before
the day) still reads the same. The job also recounts when the counts do not
add up to the reports (their rows deleted apart from the reports')."""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict

from django.db import connections, transaction
from django.db.models import Case, Count, F, Value, When
from django.utils import timezone

log = logging.getLogger(__name__)

TABLE = "deviations_reportcount"
SOURCE = "deviations_deviation"
KEY = ("unit_id", "kind", "state", "for_team_meeting", "due_date")
# The triggers' names: a new version of their SQL takes new names, so that
# `ensure` replaces the old ones.
NAMES = ("report_count_v3_insert", "report_count_v3_delete", "report_count_v3_update")

_FIELDS = "kind, state, for_team_meeting, due_date"  # the key besides the unit
_COLUMNS = f"INSERT INTO {TABLE} (unit_id, {_FIELDS}, n) "


def _values(row: str, n: int) -> str:
    fields = ", ".join(f"{row}.{name}" for name in _FIELDS.split(", "))
    return f"({row}.unit_id, {fields}, {n}), (NULL, {fields}, {n})"


_CHANGED = " OR ".join(f"OLD.{c} {{ne}} NEW.{c}" for c in KEY)
_UPDATE_OF = ", ".join(KEY)

_SQLITE = [
    f"CREATE TRIGGER {NAMES[0]} AFTER INSERT ON {SOURCE} BEGIN {_COLUMNS}VALUES {_values('NEW', 1)}; END",
    f"CREATE TRIGGER {NAMES[1]} AFTER DELETE ON {SOURCE} BEGIN {_COLUMNS}VALUES {_values('OLD', -1)}; END",
    f"CREATE TRIGGER {NAMES[2]} AFTER UPDATE OF {_UPDATE_OF} ON {SOURCE} WHEN {_CHANGED.format(ne='IS NOT')} "
    f"BEGIN {_COLUMNS}VALUES {_values('OLD', -1)}, {_values('NEW', 1)}; END",
]

# PostgreSQL: an insert or a delete adds its rows' deltas once per statement,
# grouped, from the statement's transition table (a bulk insert of 2,000 reports
# adds a few hundred rows, not 4,000); a change, row by row.
_PG_STATEMENT = "report_count_v3_statement"
_PG_ROW = "report_count_v3_row"
_POSTGRESQL = [
    f"""CREATE OR REPLACE FUNCTION {_PG_STATEMENT}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    {_COLUMNS}
    SELECT unit_id, {_FIELDS}, (CASE WHEN TG_OP = 'INSERT' THEN 1 ELSE -1 END) * COUNT(*)
    FROM changed GROUP BY unit_id, {_FIELDS}
    UNION ALL
    SELECT NULL, {_FIELDS}, (CASE WHEN TG_OP = 'INSERT' THEN 1 ELSE -1 END) * COUNT(*)
    FROM changed GROUP BY {_FIELDS};
    RETURN NULL;
END $$""",
    f"""CREATE OR REPLACE FUNCTION {_PG_ROW}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    {_COLUMNS}VALUES {_values('OLD', -1)}, {_values('NEW', 1)};
    RETURN NULL;
END $$""",
    f"CREATE TRIGGER {NAMES[0]} AFTER INSERT ON {SOURCE} REFERENCING NEW TABLE AS changed "
    f"FOR EACH STATEMENT EXECUTE FUNCTION {_PG_STATEMENT}()",
    f"CREATE TRIGGER {NAMES[1]} AFTER DELETE ON {SOURCE} REFERENCING OLD TABLE AS changed "
    f"FOR EACH STATEMENT EXECUTE FUNCTION {_PG_STATEMENT}()",
    f"CREATE TRIGGER {NAMES[2]} AFTER UPDATE OF {_UPDATE_OF} ON {SOURCE} FOR EACH ROW "
    f"WHEN ({_CHANGED.format(ne='IS DISTINCT FROM')}) EXECUTE FUNCTION {_PG_ROW}()",
]


def _installed(cursor, vendor: str) -> set[str]:
    if vendor == "postgresql":
        cursor.execute(
            "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal AND tgname LIKE 'report_count_%%'",
            [SOURCE],
        )
    else:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s AND name LIKE 'report_count_%%'",
            [SOURCE],
        )
    return {name for (name,) in cursor.fetchall()}


def drop_triggers(cursor, vendor: str, names) -> None:
    """Drop the triggers `names` (and, on PostgreSQL, the functions of every version)."""
    for name in names:
        cursor.execute(f"DROP TRIGGER IF EXISTS {name}" + (f" ON {SOURCE}" if vendor == "postgresql" else ""))
    if vendor == "postgresql":
        cursor.execute("SELECT proname FROM pg_proc WHERE proname LIKE 'report_count_%%'")
        for (function,) in cursor.fetchall():
            cursor.execute(f"DROP FUNCTION IF EXISTS {function}()")


def triggers_installed(using: str = "default") -> bool:
    connection = connections[using]
    with connection.cursor() as cursor:
        return _installed(cursor, connection.vendor) == set(NAMES)


def _agrees(cursor) -> bool:
    """Do the counts add up to the reports, for the units and in all? (A flush
    of the tables, as the tests do between tests, can leave the deltas of the
    reports deleted after the counts.)"""
    cursor.execute(
        f"SELECT (SELECT COUNT(*) FROM {SOURCE}),"
        f" (SELECT COALESCE(SUM(n), 0) FROM {TABLE} WHERE unit_id IS NULL),"
        f" (SELECT COALESCE(SUM(n), 0) FROM {TABLE} WHERE unit_id IS NOT NULL)"
    )
    reports, in_all, per_unit = cursor.fetchone()
    return reports == in_all == per_unit


def ensure(using: str = "default", **_kwargs) -> bool:
    """Install the triggers if they are not all there, and rebuild the counts
    when it did or when they do not add up to the reports (in one transaction:
    no report is written in between). True when it rebuilt. A post_migrate
    receiver (after migrate and flush): does nothing before both tables exist."""
    connection = connections[using]
    if connection.vendor not in ("postgresql", "sqlite"):
        return False
    if not {TABLE, SOURCE} <= set(connection.introspection.table_names()):
        return False
    with transaction.atomic(using=using), connection.cursor() as cursor:
        found = _installed(cursor, connection.vendor)
        if found == set(NAMES):
            if _agrees(cursor):
                return False
        else:
            drop_triggers(cursor, connection.vendor, found)
            for statement in _POSTGRESQL if connection.vendor == "postgresql" else _SQLITE:
                cursor.execute(statement)
        report_counts_rebuild(using=using)
    log.info("Report counts: the triggers installed, the counts rebuilt.")
    return True


def _folded(today: dt.date):
    """The handling target date as the compacted rows keep it."""
    return Case(When(due_date__lt=today, then=Value(today - dt.timedelta(days=1))), default=F("due_date"))


def report_counts_rebuild(*, using: str = "default", today: dt.date | None = None) -> int:
    """Count the reports again into fresh rows (the old ones deleted). Returns
    the number of rows written."""
    from omavalvonta.deviations.models import Deviation, ReportCount

    today = today or timezone.localdate()
    key = ("kind", "state", "for_team_meeting", "day")
    with transaction.atomic(using=using):
        ReportCount.objects.using(using).all().delete()
        reports = Deviation.objects.using(using).order_by().annotate(day=_folded(today))
        per_unit = reports.values("unit_id", *key).annotate(total=Count("pk")).values_list("unit_id", *key, "total")
        in_all = reports.values(*key).annotate(total=Count("pk")).values_list(*key, "total")
        rows = [
            ReportCount(unit_id=unit_id, kind=kind, state=state, for_team_meeting=team, due_date=day, n=total)
            for unit_id, kind, state, team, day, total in [*per_unit, *((None, *row) for row in in_all)]
        ]
        ReportCount.objects.using(using).bulk_create(rows, batch_size=2000)
    return len(rows)


def report_counts_compact(*, using: str = "default", today: dt.date | None = None) -> int:
    """Sum the rows per key, folding the dates before `today` into the day
    before; a key whose sum is 0 leaves no row. Returns the rows removed.
    Safe beside writers: the rows are taken with one DELETE ... RETURNING, so a
    delta committed meanwhile is either taken (and summed) or left as it is."""
    from omavalvonta.deviations.models import ReportCount

    today = today or timezone.localdate()
    before = today - dt.timedelta(days=1)
    connection = connections[using]
    to_date = ReportCount._meta.get_field("due_date").to_python
    with transaction.atomic(using=using), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} RETURNING unit_id, kind, state, for_team_meeting, due_date, n")
        taken = cursor.fetchall()
        sums = defaultdict(int)
        for unit_id, kind, state, team, day, n in taken:
            day = to_date(day)
            sums[(unit_id, kind, state, bool(team), before if day < today else day)] += n
        kept = [
            ReportCount(unit_id=unit_id, kind=kind, state=state, for_team_meeting=team, due_date=day, n=n)
            for (unit_id, kind, state, team, day), n in sums.items()
            if n
        ]
        ReportCount.objects.using(using).bulk_create(kept, batch_size=2000)
    return len(taken) - len(kept)


def report_counts_job() -> int:
    """The worker's job (core.jobs): compact the counts, and rebuild them if
    they do not add up to the reports (a write that went around the triggers:
    the counts' rows deleted apart from the reports'). Returns the rows removed."""
    removed = report_counts_compact()
    with connections["default"].cursor() as cursor:
        if _agrees(cursor):
            return removed
    log.warning("Report counts did not add up to the reports: rebuilt.")
    report_counts_rebuild()
    return removed
