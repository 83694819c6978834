"""The deviations' search finds the words of a query by their beginnings
(`core.lib.textsearch`: "lääkkeen" -> "lääk", which "lääke", "lääkkeitä" and
"lääkkeenjako" begin with). As prefix terms (`lääk:*`) on the stored vector's
GIN index (0003) PostgreSQL gathers every posting of every word with that
beginning into a bitmap before it can intersect two words: two common words
that never meet took 45-140 ms at 500,000 reports (issue 19's bench).

This index keeps each word's beginnings of 3 to 6 letters (textsearch.MIN_KEY
to MAX_KEY, the lengths of a query's keys) as entries of their own, from the
stored vector (`search_word_beginnings`), so the same question is exact terms
(`lääk & ilt`), intersected inside the index in a few milliseconds.
`deviations.search.deviation_beginnings_match()` builds it. It replaces 0003's
index of the vector: the search walks the newest reports testing the stored
column itself, and only the fallback to every match uses an index.

The function is declared PARALLEL RESTRICTED (it is safe, but): the planner
guesses the rows of two words together as if they were independent (thousands)
and launched parallel workers for the fallback's bitmap scan, which cost more
(30 ms on a busy machine) than the scan itself; a restricted filter keeps that
scan in the backend that asked.

The column stays (0003); dropping it (before a change of the type of one of the
texts) drops this index with it."""

from django.db import migrations

FUNCTION = "search_word_beginnings"
INDEX = "search_deviation_beginnings"
OLD_INDEX = "search_deviation_vector"
COLUMN = "search_vector"
MIN_KEY, MAX_KEY = 3, 6


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE OR REPLACE FUNCTION {FUNCTION}(tsvector) RETURNS tsvector "
        "IMMUTABLE STRICT PARALLEL RESTRICTED LANGUAGE sql AS $$ "
        "SELECT array_to_tsvector(ARRAY("
        "SELECT DISTINCT left(w, n) FROM unnest(tsvector_to_array($1)) AS w, "
        f"generate_series({MIN_KEY}, {MAX_KEY}) AS n WHERE length(w) >= n)) $$"
    )
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON deviations_deviation USING gin ({FUNCTION}({COLUMN}))")
    schema_editor.execute(f"DROP INDEX IF EXISTS {OLD_INDEX}")
    schema_editor.execute("ANALYZE deviations_deviation")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {OLD_INDEX} ON deviations_deviation USING gin ({COLUMN})")
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")
    schema_editor.execute(f"DROP FUNCTION IF EXISTS {FUNCTION}(tsvector)")


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0003_deviation_text_vector_column"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
