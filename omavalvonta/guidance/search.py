"""What search finds among guidance, decisions, findings and requests from
authorities (core.registry SEARCH_SOURCES): the items `actor` may see
(`guidance_visible`: guidance.view through the access kernel), matched on their
title, content, response and instructions in Finnish inflections."""

from __future__ import annotations

from omavalvonta.core.accesslog import search_answer
from omavalvonta.core.lib import textsearch
from omavalvonta.core.lib.choices import label_of
from omavalvonta.core.lib.dates import day_start
from omavalvonta.core.lib.links import pk_link
from omavalvonta.core.registry import SearchHit
from omavalvonta.guidance.models import Kind
from omavalvonta.guidance.selectors import guidance_visible
from omavalvonta.organisation import access

TEXT_FIELDS = ("title", "content", "response", "instructions")


def guidance_search(*, actor, query, limit: int = 20) -> list[SearchHit]:
    """The newest items matching `query` that `actor` may see, best first (one
    query, and one access-log row when any is found)."""
    match = textsearch.text_match_q(TEXT_FIELDS, query)
    if match is None:
        return []
    rows = list(
        guidance_visible(actor=actor)
        .filter(match)
        .only("pk", "kind", "received_on", *TEXT_FIELDS)
        .order_by("-received_on", "-id")[:limit]
    )
    hits = []
    link = pk_link("guidance:detail")
    for g in rows:
        texts = [getattr(g, f) for f in TEXT_FIELDS]
        body = next((t for t in texts[1:] if t and textsearch.score([t], query)), g.content)
        hits.append(SearchHit.of_texts(
            query, texts, body, area="guidance", title=f"{g.title} ({label_of(Kind, g.kind)})", link=link(g.pk),
            at=day_start(g.received_on),
        ))
    return search_answer(hits, actor=actor, what="guidance.search", right=access.P_GUIDANCE_VIEW, query=query)
