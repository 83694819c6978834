"""The deviations' `finnish` text vector stored with each report (PostgreSQL):
a generated column, kept by the database on every write, and its GIN index,
in place of the expression index of 0002. Matching a stored vector costs
microseconds a row, where computing it at query time cost ~40 µs: the search
can then walk the newest reports in time order and stop at the first page for
a common word, instead of reading every match out of the GIN index (issue 19's
bench: 100-140 ms at 500,000 reports). `deviations.search.deviation_text_vector()`
reads the column. Kept in the search area, like the index before it; SQLite
has neither (its fallback matches the stems with LIKE).

A later change of the type of one of these text fields must drop the column
first (PostgreSQL refuses to alter a column a generated column reads)."""

from django.db import migrations

COLUMN = "search_vector"
INDEX = "search_deviation_vector"
OLD_INDEX = "search_deviation_text_fts"
FIELDS = ("description", "immediate_actions", "contributing_factors", "analysis")
EXPRESSION = "to_tsvector('finnish'::regconfig, " + " || ' ' || ".join(f"COALESCE({f}, '')" for f in FIELDS) + ")"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"ALTER TABLE deviations_deviation ADD COLUMN IF NOT EXISTS {COLUMN} tsvector "
        f"GENERATED ALWAYS AS ({EXPRESSION}) STORED"
    )
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON deviations_deviation USING gin ({COLUMN})")
    schema_editor.execute(f"DROP INDEX IF EXISTS {OLD_INDEX}")
    schema_editor.execute("ANALYZE deviations_deviation")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {OLD_INDEX} ON deviations_deviation USING gin ({EXPRESSION})")
    schema_editor.execute(f"ALTER TABLE deviations_deviation DROP COLUMN IF EXISTS {COLUMN}")


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0002_deviation_text_index"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
