"""What learning contributes to other areas, through core.registry's slots:
the deviation page's panel, the home page's block, the unit's timeline, the
quality calendar's duties (open reviews past due), the meeting agenda (a
shared summary) and search (learning summaries)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _, gettext_lazy

from omavalvonta.core import registry
from omavalvonta.core.lib.compound import shaped
from omavalvonta.core.lib.counts import CountsFirst, counts_first
from omavalvonta.core.lib.dates import fi_date, moment_range
from omavalvonta.core.lib.links import pk_link
from omavalvonta.learning import selectors
from omavalvonta.learning.models import LearningReview, LearningSummary, State
from omavalvonta.organisation import access, access_unit
from omavalvonta.organisation.models import Unit

DUTY_REMIND_DAYS = 3
SNIPPET = 200


def _panel_counts(*, record, unit_id=None) -> dict:
    """The deviation panel's count from the report's id alone: the reviews it is
    linked to, whoever may read them (the page keeps its SQL compiled; the rows
    read are those the actor may read)."""
    return {"reviews": LearningReview.objects.filter(deviations=record.pk)}


def _panel(*, actor, deviation, counted) -> dict | None:
    """The deviation panel from its counts (`_panel_counts`, or the visible
    reviews' count of `deviation_panel`)."""
    reviews = (
        list(selectors.reviews_visible(actor=actor).filter(deviations=deviation).order_by("-opened_at", "-pk")[:10])
        if counted["reviews"]
        else []
    )
    entry = registry.get(registry.LEARNING_ORIGINS, "deviation")
    # The report itself as the reference: its area need not read it again.
    may_open = entry is not None and entry.func(actor=actor, ref=deviation) is not None
    if not reviews and not may_open:
        return None
    return {
        "template": "learning/_deviation_panel.html",
        "reviews": reviews,
        "open_url": f"{reverse('learning:review_new')}?alkupera=deviation:{deviation.pk}" if may_open else "",
    }


@counts_first
def deviation_panel(*, actor, deviation) -> CountsFirst:
    """The deviation page's panel: the reviews the report is linked to (those the
    actor may read; counted first) and, for whoever may open one from it, the
    way to. The page counts it from `record_counts` and makes the panel with
    `with_counts`."""
    linked = selectors.reviews_visible(actor=actor).filter(deviations=deviation)
    return CountsFirst({"reviews": linked}, lambda counted: _panel(actor=actor, deviation=deviation, counted=counted))


deviation_panel.record_counts = _panel_counts
deviation_panel.with_counts = _panel


def review_timeline(*, actor, unit, after=None, before=None) -> list[registry.TimelinePart]:
    """core.registry UNIT_TIMELINE: reviews of `unit` opened and completed, and
    their summaries shared. Titles are the staff's own titles of the reviews,
    never a name."""
    def build(after, before):
        visible = selectors.reviews_in_unit(actor=actor, unit=unit)
        opened = visible.filter(**moment_range("opened_at", after=after, before=before))
        completed = visible.filter(completed_at__isnull=False, **moment_range("completed_at", after=after, before=before))
        shared = visible.filter(
            summary__shared_at__isnull=False, **moment_range("summary__shared_at", after=after, before=before)
        )
        return [
            registry.TimelinePart(
                rows=opened.order_by("-opened_at", "-pk").values_list("opened_at", "pk", "title"), entry=_review_opened
            ),
            registry.TimelinePart(
                rows=completed.order_by("-completed_at", "-pk").values_list("completed_at", "pk", "title"),
                entry=_review_completed,
            ),
            registry.TimelinePart(
                rows=shared.order_by("-summary__shared_at", "-pk").values_list("summary__shared_at", "summary__pk", "title"),
                entry=_summary_shared,
            ),
        ]

    if access_unit.sees_all_of_unit(actor, access.P_LEARNING_VIEW, unit):
        return shaped(("learning.reviews", unit.pk), build, after=after, before=before)
    return build(after, before)


def _review_opened(at, pk, title) -> registry.TimelineEntry:
    return registry.TimelineEntry(
        at=at, area="learning", kind="review_opened", title=_("Learning review opened: %(title)s") % {"title": title},
        link=reverse("learning:detail", args=[pk]),
    )


def _review_completed(at, pk, title) -> registry.TimelineEntry:
    return registry.TimelineEntry(
        at=at, area="learning", kind="review_completed",
        title=_("Learning review completed: %(title)s") % {"title": title}, link=reverse("learning:detail", args=[pk]),
    )


def _summary_shared(at, summary_pk, title) -> registry.TimelineEntry:
    return registry.TimelineEntry(
        at=at, area="learning", kind="summary_shared",
        title=_("Learning summary shared: %(title)s") % {"title": title},
        link=reverse("learning:summary", args=[summary_pk]),
    )


def _reviews_due(*, today, unit_ids=None):
    qs = LearningReview.objects.filter(
        state=State.OPEN, unit__isnull=False, due_date__lte=today + dt.timedelta(days=DUTY_REMIND_DAYS)
    )
    if unit_ids is not None:
        qs = qs.filter(unit_id__any_of=list(unit_ids))
    return qs


def review_duty_counts(*, today, unit_ids=None):
    """core.registry DUTY_SOURCES `counts`: review_duties counted per unit in
    the database (unit_id, due, late, oldest)."""
    return registry.duty_counts(_reviews_due(today=today, unit_ids=unit_ids), due_field="due_date", today=today)


def review_duties(*, today, unit_ids=None) -> list[registry.Duty]:
    """core.registry DUTY_SOURCES: open reviews of a unit due within the reminder
    days or past due, reminded to the facilitator and escalated to the unit's
    leaders by the quality calendar. Organisation-wide reviews have no unit's
    calendar; their facilitators see them on the home page."""
    qs = _reviews_due(today=today, unit_ids=unit_ids)
    return [
        registry.Duty(
            key=f"learning.review:{pk}:{due.isoformat()}",
            unit_id=unit_id,
            title=_("Learning review to complete: %(title)s") % {"title": title},
            due_on=due,
            late=due < today,
            link=reverse("learning:detail", args=[pk]),
            owner_id=facilitator_id,
        )
        for pk, unit_id, title, due, facilitator_id in qs.order_by("due_date", "pk").values_list(
            "pk", "unit_id", "title", "due_date", "facilitator_id"
        )
    ]


def summaries_for_agenda(*, actor, unit) -> list[dict]:
    """core.registry AGENDA_SOURCES: learning summaries shared with `unit` in the
    last two months, for the team to go through together."""
    if not access.can(actor, access.P_UNIT_VIEW, unit):
        return []
    since = timezone.now() - dt.timedelta(days=selectors.AGENDA_DAYS)
    rows = LearningSummary.objects.filter(shared_at__gte=since).filter(
        Q(service_type="") | Q(service_type=unit.service_type)
    ).order_by("-shared_at", "-pk")
    return [
        {"title": (_("Learning summary: %(title)s") % {"title": s.title})[:300], "source": s, "kind": "other"}
        for s in rows[:20]
    ]


def summary_search(*, actor, query, limit) -> list[registry.SearchHit]:
    """core.registry SEARCH_SOURCES: learning summaries the actor may read whose
    title or text has a word of the query (its Finnish stems), best first. The
    summaries are anonymised: no access-log row. One query."""
    words = [w for w in (getattr(query, "stems", None) or []) if w] or (getattr(query, "text", "") or "").split()
    words = [w.lower() for w in words if len(w) >= 2][:10]
    if not words:
        return []
    match = Q()
    for word in words:
        match |= Q(text__icontains=word) | Q(title__icontains=word)
    rows = list(selectors.summaries_visible(actor=actor, compact=True).filter(match).order_by("-written_at", "-pk")[: limit * 3])
    hits = []
    link = pk_link("learning:summary")  # `s.get_absolute_url()`, reversed once
    for s in rows:
        haystack = f"{s.title} {s.text}".lower()
        score = float(sum(haystack.count(w) for w in words))
        hits.append(registry.SearchHit(
            area="learning", title=s.title, snippet=_snippet(s.text, words), link=link(s.pk),
            at=s.shared_at or s.written_at, score=score,
        ))
    hits.sort(key=lambda h: -h.score)
    return hits[:limit]


def _snippet(text: str, words) -> str:
    lower = text.lower()
    at = min((i for i in (lower.find(w) for w in words) if i >= 0), default=0)
    start = max(0, at - 60)
    piece = text[start:start + SNIPPET]
    return ("…" if start else "") + piece + ("…" if start + SNIPPET < len(text) else "")


def register() -> None:
    from omavalvonta.learning import retention, subject_data

    retention.register()
    subject_data.register()
    registry.register(registry.DEVIATION_PANELS, "learning", deviation_panel, order=20)
    registry.register(
        registry.HOME_BLOCKS, "learning", selectors.learning_home_items, order=45, template="learning/_home.html"
    )
    registry.register(
        registry.UNIT_TIMELINE, "learning", review_timeline, order=35, label=gettext_lazy("Learning reviews")
    )
    registry.register(
        registry.DUTY_SOURCES, "learning.review", review_duties, counts=review_duty_counts,
        label=gettext_lazy("Learning reviews"), remind_days_before=DUTY_REMIND_DAYS,
        unit_link=lambda unit_id: reverse("learning:list"),
    )
    registry.register(
        registry.AGENDA_SOURCES, "learning", summaries_for_agenda, order=60, kind="other",
        meeting_kinds=("team", "supervisor_review"), once=True,
    )
    registry.register(registry.MEMBERSHIP_ENDED, "learning.facilitator", _facilitator_left)
    registry.register(registry.SEARCH_SOURCES, "learning", summary_search, label=gettext_lazy("Learning summaries"))
    registry.register(
        registry.COUNTY_SECTIONS, "learning", county_summaries, order=30,
        title=gettext_lazy("Learning summaries shared with the units"), template="learning/_county_summaries.html",
    )


def _facilitator_left(*, actor, person, unit) -> None:
    from omavalvonta.learning import services  # services import the floors above; plugs load early

    services.reviews_hand_over(actor=actor, person=person, unit=unit)


COUNTY_SUMMARIES = 20  # the most recent, on the county's view


def county_summaries(*, county, unit_ids, period_start, period_end) -> dict | None:
    """core.registry COUNTY_SECTIONS "learning": the learning summaries shared in
    the period with every unit or with the service type of one of the county's
    units (the summaries are anonymised by their author; the review's details and
    people stay inside). One query."""
    begin = timezone.make_aware(dt.datetime.combine(period_start, dt.time()))
    end = timezone.make_aware(dt.datetime.combine(period_end + dt.timedelta(days=1), dt.time()))
    types = Unit.objects.filter(pk__in=list(unit_ids)).values("service_type")
    rows = list(
        LearningSummary.objects.filter(shared_at__gte=begin, shared_at__lt=end)
        .filter(Q(service_type="") | Q(service_type__in=types))
        .order_by("-shared_at", "-id")
        .values("title", "text", "shared_at")[:COUNTY_SUMMARIES]
    )
    if not rows:
        return None
    summaries = []
    for row in rows:
        day = timezone.localdate(row["shared_at"])
        summaries.append({"title": row["title"], "text": row["text"], "shared_on": day.isoformat(),
                          "shared_label": fi_date(day)})
    return {"summaries": summaries}
