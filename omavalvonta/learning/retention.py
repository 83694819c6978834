"""Retention of learning reviews (privacy's table through registry.RETENTION):
reviews completed before the cutoff, with their learning summary, the
acknowledgements asked of it and their audit trail. An open review is never due."""

from __future__ import annotations

from django.db import transaction

from omavalvonta.core.registry import RetentionDue
from omavalvonta.core.services import audit_trail_delete
from omavalvonta.learning.models import LearningReview, LearningSummary, State


def reviews_due(*, cutoff, limit: int) -> list[RetentionDue]:
    """Reviews completed before `cutoff`: ids, completion dates, units (None: organisation-wide)."""
    rows = (
        LearningReview.objects.filter(state=State.COMPLETED, completed_at__date__lt=cutoff)
        .order_by("completed_at", "pk").values_list("pk", "completed_at", "unit_id")[:limit]
    )
    return [RetentionDue(id=pk, dated=completed, unit_id=unit_id) for pk, completed, unit_id in rows]


def reviews_destroy(*, ids) -> list[int]:
    """Destroy completed reviews with their summaries and audit trail. The
    acknowledgements of a summary go through registry.RECORD_DESTROYED, told
    here of the summaries (privacy tells the others of the reviews)."""
    from omavalvonta.core import registry

    with transaction.atomic():
        found = list(
            LearningReview.objects.select_for_update()
            .filter(pk__in=list(ids), state=State.COMPLETED).values_list("pk", flat=True)
        )
        if not found:
            return []
        summaries = list(LearningSummary.objects.filter(review_id__in=found).values_list("pk", flat=True))
        for model, targets in ((LearningSummary, summaries), (LearningReview, found)):
            audit_trail_delete(model, targets)
        LearningSummary.objects.filter(pk__in=summaries).delete()
        LearningReview.objects.filter(pk__in=found).delete()
        if summaries:
            for hook in registry.entries(registry.RECORD_DESTROYED):
                hook.func(model_label="learning.learningsummary", ids=summaries)
    return found


def register() -> None:
    from django.utils.translation import gettext_lazy as _

    from omavalvonta.core import registry

    registry.register(
        registry.RETENTION, "learning_review", reviews_due, order=42, label=_("Learning reviews"),
        event=_("completion of the review"), destroy=reviews_destroy, model_label="learning.learningreview",
    )
