"""What search finds in the meetings' agendas and minutes (core.registry
SEARCH_SOURCES): the items of the meetings `actor` may read (`visible_meetings`:
meeting.view through the access kernel, the management group's meetings to
their audience), matched on the item's title, note and decision."""

from __future__ import annotations

from omavalvonta.core.accesslog import search_answer
from omavalvonta.core.lib import textsearch
from omavalvonta.core.lib.links import pk_link
from omavalvonta.core.registry import SearchHit
from omavalvonta.meetings.models import AgendaItem
from omavalvonta.meetings.selectors import visible_meetings
from omavalvonta.organisation import access

TEXT_FIELDS = ("title", "decision", "note")


def minutes_search(*, actor, query, limit: int = 20) -> list[SearchHit]:
    """The newest agenda items and decisions matching `query` in meetings `actor`
    may read, best first (one query, and one access-log row when any is found)."""
    match = textsearch.text_match_q(TEXT_FIELDS, query)
    if match is None:
        return []
    rows = list(
        AgendaItem.objects.filter(meeting__in=visible_meetings(actor, compact=True).values("pk"))
        .filter(match)
        .select_related("meeting")
        .only("pk", "meeting__id", "meeting__title", "meeting__starts_at", *TEXT_FIELDS)
        .order_by("-meeting__starts_at", "-id")[:limit]
    )
    hits = []
    link = pk_link("meetings:detail")
    for item in rows:
        texts = [item.title, item.decision, item.note]
        body = next((t for t in texts[1:] if t and textsearch.score([t], query)), item.decision or item.note)
        hits.append(SearchHit.of_texts(
            query, texts, body, area="minutes", title=f"{item.meeting.title}: {item.title}",
            link=link(item.meeting.pk), at=item.meeting.starts_at,
        ))
    return search_answer(hits, actor=actor, what="meeting.search", right=access.P_MEETING_VIEW, query=query)
