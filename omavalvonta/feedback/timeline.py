"""What the feedback area puts on a unit's timeline (core.registry UNIT_TIMELINE):
the rounds that have closed, with how many answers they got (answers are anonymous)."""

from __future__ import annotations

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext

from omavalvonta.core.lib.dates import day_range, day_start
from omavalvonta.core.registry import TimelineEntry
from omavalvonta.feedback.models import Round
from omavalvonta.organisation import access


def round_timeline(*, actor, unit, after=None, before=None, limit=50) -> list[TimelineEntry]:
    """Rounds of `unit` closed before today, answers counted (one query)."""
    rounds = (
        Round.objects.for_actor(actor, access.P_FEEDBACK_VIEW)
        .filter(unit=unit, closes_on__lt=timezone.localdate(), **day_range("closes_on", after=after, before=before))
        .annotate(answers=Count("responses"))
        .order_by("-closes_on", "-id")
    )
    return [
        TimelineEntry(
            at=day_start(r.closes_on), area="feedback", kind="round_closed",
            title=ngettext(
                "Feedback round %(round)s closed: %(count)d answer",
                "Feedback round %(round)s closed: %(count)d answers",
                r.answers,
            ) % {"round": r.label, "count": r.answers},
            link=reverse("feedback:round", args=[r.pk]),
        )
        for r in rounds.only("pk", "year", "quarter", "closes_on")[:limit]
    ]
