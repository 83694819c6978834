"""What search finds among the deviation reports (core.registry SEARCH_SOURCES):
the reports `actor` may see (deviation.view through the access kernel), matched
on their texts in Finnish inflections. A snippet never names the reporter: their
name is taken out of it for everyone but the reporter (a § 29 reporter's
identity is protected; other reporters are shown only on the report's page,
logged there)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Expression
from django.urls import reverse

from omavalvonta.core.accesslog import search_read_record
from omavalvonta.core.lib import textsearch
from omavalvonta.core.registry import SearchHit
from omavalvonta.deviations.choices import Kind
from omavalvonta.deviations.models import Deviation
from omavalvonta.deviations.rules import HELSINKI
from omavalvonta.organisation import access

# The texts searched, in this order; on PostgreSQL the search area keeps their
# `finnish` tsvector in a generated column of each report, with a GIN index on
# it (search/migrations 0003): `deviation_text_vector()` reads that column.
TEXT_FIELDS = ("description", "immediate_actions", "contributing_factors", "analysis")
VECTOR_COLUMN = "search_vector"


class _StoredVector(Expression):
    """The report's stored text vector (PostgreSQL; the column is the search
    area's, not a model field), on whatever alias the query gives the table."""

    def __init__(self):
        from django.contrib.postgres.search import SearchVectorField

        super().__init__(output_field=SearchVectorField())

    def as_sql(self, compiler, connection):
        table = compiler.quote_name_unless_alias(compiler.query.get_initial_alias())
        return f"{table}.{connection.ops.quote_name(VECTOR_COLUMN)}", []


def deviation_text_vector():
    """The `finnish` tsvector of the report's texts (PostgreSQL): the stored column."""
    return _StoredVector()


def deviation_search(*, actor, query, limit: int = 20) -> list[SearchHit]:
    """The newest reports matching `query` that `actor` may see, best first (one
    query, and one access-log row when any is found)."""
    vector = deviation_text_vector() if textsearch.uses_postgresql() else None
    match = textsearch.text_match_q(TEXT_FIELDS, query, vector=vector)
    if match is None:
        return []
    found = (
        Deviation.objects.for_actor(actor, access.P_DEVIATION_VIEW)
        .filter(match)
        .select_related("unit", "reporter")
        .only("pk", "number", "kind", "submitted_at", "unit__name", "reporter_id", "reporter__full_name", *TEXT_FIELDS)
    )
    rows = (_newest_on_postgresql if textsearch.uses_postgresql() else _newest)(found, limit)
    hits = []
    for d in rows:
        redact = [] if d.reporter_id is None or d.reporter_id == actor.pk else [d.reporter.full_name]
        texts = [getattr(d, f) for f in TEXT_FIELDS]
        shown = next((t for t in texts if textsearch.score([t], query)), texts[0])
        hits.append(
            SearchHit(
                area="deviations",
                title=f"{d.number} {d.get_kind_display()} · {d.unit.name}",
                snippet=textsearch.snippet(shown, query, redact=redact),
                link=reverse("deviations:detail", args=[d.pk]),
                at=d.submitted_at,
                score=textsearch.score(texts, query),
            )
        )
    if hits:
        search_read_record(actor=actor, what="deviation.search", right=access.P_DEVIATION_VIEW, query=query)
    return sorted(hits, key=lambda h: -h.score)


# The newest matches on PostgreSQL: walking the submission-time index newest
# first and testing each report's stored text vector stops at once for a common
# word, but for a rare word (or two words seldom together) it would test every
# report. So the walk is bounded to the last RECENT_DAYS, then to WIDER_DAYS
# (a regional director's hundred units seldom have a page of one word in a
# week: issue 19's bench); when that finds fewer than the page, the GIN index
# finds every match and they are sorted (ordering by an expression the b-tree
# does not hold leaves the planner only the GIN index): its cost follows the
# number of matches, and a word that is rare lately is rare on the whole.
RECENT_DAYS = 7
WIDER_DAYS = 60


def _newest(found, limit: int) -> list:
    return list(found.order_by("-submitted_at", "-id")[:limit])


def _newest_on_postgresql(found, limit: int) -> list:
    from django.db.models import DateTimeField, ExpressionWrapper, F, Value
    from django.utils import timezone

    now = timezone.now()
    for days in (d for d in (RECENT_DAYS, WIDER_DAYS) if d > 0):
        since = now - dt.timedelta(days=days)
        rows = list(found.filter(submitted_at__gte=since).order_by("-submitted_at", "-id")[:limit])
        if len(rows) >= limit:
            return rows
    unindexed = ExpressionWrapper(F("submitted_at") + Value(dt.timedelta(0)), output_field=DateTimeField())
    return list(found.order_by(unindexed.desc(), "-id")[:limit])


# --- Themes across units (the search area's job and page) ----------------------------

# The texts the themes are read from (no reporter, no child: the report's own words).
THEME_TEXT_FIELDS = ("description", "immediate_actions", "contributing_factors")


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=HELSINKI)


def deviation_texts_for_themes(*, since: dt.date, until: dt.date, region_id: int | None = None, limit: int = 5000):
    """For the organisation's own computation of themes across units (the search
    area's job, which stores counts, unit ids and terms only; no actor): (id,
    unit id, kind, text) of the reports submitted since <= day < until in the
    region (None: every unit), newest first, at most `limit` (one query)."""
    qs = Deviation.objects.filter(submitted_at__gte=_midnight(since), submitted_at__lt=_midnight(until))
    if region_id is not None:
        qs = qs.filter(unit__region_id=region_id)
    rows = qs.order_by("-submitted_at", "-id").values_list("pk", "unit_id", "kind", *THEME_TEXT_FIELDS)[:limit]
    return [(pk, unit_id, kind, "\n".join(t for t in texts if t)) for pk, unit_id, kind, *texts in rows]


def deviation_ids_visible(*, actor, ids) -> list[int]:
    """Those of `ids` that `actor` may see (deviation.view through the kernel), in id order."""
    return list(
        Deviation.objects.for_actor(actor, access.P_DEVIATION_VIEW).filter(pk__in=list(ids)).order_by("pk")
        .values_list("pk", flat=True)
    )


def kind_label(kind: str) -> str:
    """A report kind's name (its value when unknown)."""
    return Kind(kind).label if kind in Kind.values else kind
