"""The GIN index behind the search of deviations on PostgreSQL: the `finnish`
tsvector of the report's texts, the same expression as
`deviations.search.deviation_text_vector()` builds (so the planner uses it).
Kept here, in the search area, not in deviations' migrations. SQLite has no
such index: its fallback matches the stems with LIKE."""

from django.db import migrations

INDEX = "search_deviation_text_fts"
FIELDS = ("description", "immediate_actions", "contributing_factors", "analysis")
EXPRESSION = "to_tsvector('finnish'::regconfig, " + " || ' ' || ".join(f"COALESCE({f}, '')" for f in FIELDS) + ")"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON deviations_deviation USING gin ({EXPRESSION})")


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0001_initial"),
        ("deviations", "0009_social_worker_recipient"),
    ]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
