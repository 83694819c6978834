"""What the feedback area puts on a unit's timeline (core.registry UNIT_TIMELINE):
the rounds that have closed, with how many answers they got (answers are anonymous)."""

from __future__ import annotations

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext

from omavalvonta.core.lib.compound import shaped
from omavalvonta.core.lib.dates import day_bounds, day_window
from omavalvonta.core.registry import TimelineEntry, TimelinePart
from omavalvonta.feedback.models import Round
from omavalvonta.organisation import access, access_unit


def round_timeline(*, actor, unit, after=None, before=None) -> list[TimelinePart]:
    """Rounds of `unit` closed before today, answers counted."""
    def build(first, end, today):
        rounds = (
            access_unit.filter_in_unit(Round.objects.all(), actor, access.P_FEEDBACK_VIEW, unit)
            .filter(closes_on__lt=today)
            .filter(**day_window("closes_on", first=first, end=end))  # may bound closes_on__lt too
            .annotate(answers=Count("responses"))
            .order_by("-closes_on", "-id")
        )
        return [TimelinePart(rows=rounds.values_list("closes_on", "pk", "year", "quarter", "answers"), entry=_closed, day=True)]

    first, end = day_bounds(after=after, before=before)
    today = timezone.localdate()
    if access_unit.sees_all_of_unit(actor, access.P_FEEDBACK_VIEW, unit, model=Round):
        return shaped(("feedback.rounds", unit.pk), build, first=first, end=end, today=today)
    return build(first, end, today)


def _closed(at, pk, year, quarter, answers) -> TimelineEntry:
    return TimelineEntry(
        at=at, area="feedback", kind="round_closed",
        title=ngettext(
            "Feedback round %(round)s closed: %(count)d answer",
            "Feedback round %(round)s closed: %(count)d answers",
            answers,
        ) % {"round": Round(year=year, quarter=quarter).label, "count": answers},
        link=reverse("feedback:round", args=[pk]),
    )
