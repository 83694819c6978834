"""What search finds among the corrective and development actions
(core.registry SEARCH_SOURCES): the actions `actor` may see (action.view
through the access kernel), matched on their texts in Finnish inflections."""

from __future__ import annotations

from omavalvonta.core.accesslog import search_answer
from omavalvonta.core.lib import textsearch
from omavalvonta.core.lib.choices import label_of
from omavalvonta.core.lib.links import pk_link
from omavalvonta.core.registry import SearchHit
from omavalvonta.improvement.models import Action, ActionState
from omavalvonta.organisation import access

TEXT_FIELDS = ("title", "description", "completion_note", "effectiveness_evidence")


def action_search(*, actor, query, limit: int = 20) -> list[SearchHit]:
    """The newest actions matching `query` that `actor` may see, best first (one
    query, and one access-log row when any is found)."""
    match = textsearch.text_match_q(TEXT_FIELDS, query)
    if match is None:
        return []
    rows = list(
        Action.objects.for_actor(actor, access.P_ACTION_VIEW, compact=True)
        .filter(match)
        .select_related("unit")
        .only("pk", "state", "created_at", "unit__name", *TEXT_FIELDS)
        .order_by("-created_at", "-id")[:limit]
    )
    hits = []
    link = pk_link("improvement:action_detail")
    for a in rows:
        texts = [getattr(a, f) for f in TEXT_FIELDS]
        body = next((t for t in texts[1:] if textsearch.score([t], query)), texts[1] or "")
        hits.append(SearchHit.of_texts(
            query, texts, body, area="actions", title=f"{a.title} · {a.unit.name} ({label_of(ActionState, a.state)})",
            link=link(a.pk), at=a.created_at,
        ))
    return search_answer(hits, actor=actor, what="action.search", right=access.P_ACTION_VIEW, query=query)
