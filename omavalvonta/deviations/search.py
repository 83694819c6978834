"""What search finds among the deviation reports (core.registry SEARCH_SOURCES):
the reports `actor` may see (deviation.view through the access kernel), matched
on their texts in Finnish inflections. A snippet never names the reporter: their
name is taken out of it for everyone but the reporter (a § 29 reporter's
identity is protected; other reporters are shown only on the report's page,
logged there)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Expression

from omavalvonta.core.accesslog import search_answer
from omavalvonta.core.lib import textsearch
from omavalvonta.core.lib.choices import label_of
from omavalvonta.core.lib.links import pk_link
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


# The SQL function of the word-beginnings index (search/migrations 0004): the
# beginnings (3 to 6 letters) of the stored vector's words, as a tsvector.
BEGINNINGS_FUNCTION = "search_word_beginnings"


def deviation_beginnings_match(query):
    """On PostgreSQL, the filter the search area's GIN index of word beginnings
    answers (None: no usable word): every key of `query` is a beginning of the
    report's words, the same rows as the stored vector's prefix terms
    (`textsearch.text_match_q`) but found as exact entries, which the index
    intersects in milliseconds where prefix terms merged tens of thousands of
    postings per word (issue 19: two common words, 140 ms)."""
    from django.contrib.postgres.search import SearchQuery, SearchVectorExact, SearchVectorField
    from django.db.models import Func

    terms = textsearch.match_terms(query)
    if not terms:
        return None
    # Keys are word characters only, MIN_KEY to MAX_KEY letters: the lengths the index keeps.
    raw = " & ".join("(" + " | ".join(keys) + ")" for keys in terms)
    beginnings = Func(_StoredVector(), function=BEGINNINGS_FUNCTION, output_field=SearchVectorField())
    return SearchVectorExact(beginnings, SearchQuery(raw, search_type="raw", config="simple"))


def deviation_search(*, actor, query, limit: int = 20) -> list[SearchHit]:
    """The newest reports matching `query` that `actor` may see, best first (one
    query, two for a rare word on PostgreSQL, and one access-log row when any is
    found)."""
    vector = deviation_text_vector() if textsearch.uses_postgresql() else None
    match = textsearch.text_match_q(TEXT_FIELDS, query, vector=vector)
    if match is None:
        return []
    # `compact`: a region's units as a subquery, not a hundred ids in each statement.
    found = _shown(Deviation.objects.for_actor(actor, access.P_DEVIATION_VIEW, compact=True).filter(match))
    rows = _newest_on_postgresql(found, actor, match, query, limit) if textsearch.uses_postgresql() else _newest(found, limit)
    hits = []
    link = pk_link("deviations:detail")
    for d in rows:
        redact = [] if d.reporter_id is None or d.reporter_id == actor.pk else [d.reporter.full_name]
        texts = [getattr(d, f) for f in TEXT_FIELDS]
        shown = next((t for t in texts if textsearch.score([t], query)), texts[0])
        hits.append(SearchHit.of_texts(
            query, texts, shown, redact=redact, area="deviations",
            title=f"{d.number} {label_of(Kind, d.kind)} · {d.unit.name}", link=link(d.pk), at=d.submitted_at,
        ))
    return search_answer(hits, actor=actor, what="deviation.search", right=access.P_DEVIATION_VIEW, query=query)


# The newest matches on PostgreSQL, in one query, two when a word is rare:
#
# 1. The last RECENT_DAYS (a region's: WIDER_DAYS, a hundred units seldom have a
#    page of one word in a week) walked newest first, each report's stored
#    vector tested: stops at once for a common word.
# 2. Only when that found fewer than a page: every match, found by the GIN
#    index of word beginnings and sorted (ordering by an expression the b-tree
#    does not hold leaves the planner that index): its cost follows the number
#    of matches, and a word (or words together) rare lately is rare on the whole.
#
# One statement of both parts (the second behind a NOT EXISTS of the first's
# page) cost more than the second round trip it saved: each part repeats a
# region's unit list, which PostgreSQL takes milliseconds to plan, and the walk
# ran twice. A step between (a week, then longer) cost more than it saved too.
# A scope of a few units (no region, not the organisation) has a few hundred
# reports a year: its reports sorted, one plain query, cost less than any index
# of the texts (the bitmap of a common word's 58,000 matches alone takes 25 ms).
RECENT_DAYS = 7
WIDER_DAYS = 60


def _scope_breadth(actor) -> str:
    """"organisation", "region" or "units": the widest grant of deviation.view."""
    if access.has_perm_organisation_wide(actor, access.P_DEVIATION_VIEW):
        return "organisation"
    if access.has_perm_above_unit(actor, access.P_DEVIATION_VIEW):
        return "region"
    return "units"


def _shown(qs):
    """What a hit shows of a report (its unit's name, the reporter to redact)."""
    return qs.select_related("unit", "reporter").only(
        "pk", "number", "kind", "submitted_at", "unit__name", "reporter_id", "reporter__full_name", *TEXT_FIELDS
    )


def _newest(found, limit: int) -> list:
    return list(found.order_by("-submitted_at", "-id")[:limit])


def _newest_on_postgresql(found, actor, match, query, limit: int) -> list:
    from django.db.models import DateTimeField, ExpressionWrapper, F, Value
    from django.utils import timezone

    breadth = _scope_breadth(actor)
    if breadth == "units":
        return _newest(found, limit)
    days = WIDER_DAYS if breadth == "region" else RECENT_DAYS
    rows = _newest(found.filter(submitted_at__gte=timezone.now() - dt.timedelta(days=days)), limit) if days > 0 else []
    if len(rows) >= limit:
        return rows
    unindexed = ExpressionWrapper(F("submitted_at") + Value(dt.timedelta(0)), output_field=DateTimeField())
    # The scope as a filter of each match (`walk`: the kernel's form that hides
    # the unit index), not a bitmap of a region's every report to intersect.
    every = _shown(
        Deviation.objects.for_actor(actor, access.P_DEVIATION_VIEW, walk=True, compact=True)
        .filter(match, deviation_beginnings_match(query))
    )
    return list(every.order_by(unindexed.desc(), "-id")[:limit])


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
