"""Retention of learning reviews (privacy's table through registry.RETENTION):
reviews completed before the cutoff, with their learning summary, the
acknowledgements asked of it and their audit trail. An open review is never due."""

from __future__ import annotations

from omavalvonta.core.registry import RetentionDue
from omavalvonta.core.services import audit_trail_delete, retention_destroy, retention_due
from omavalvonta.learning.models import LearningReview, LearningSummary, State


def reviews_due(*, cutoff, limit: int) -> list[RetentionDue]:
    """Reviews completed before `cutoff`: ids, completion dates, units (None: organisation-wide)."""
    completed = LearningReview.objects.filter(state=State.COMPLETED, completed_at__date__lt=cutoff)
    return retention_due(completed, "completed_at", limit=limit)


def reviews_destroy(*, ids) -> list[int]:
    """Destroy completed reviews with their summaries and audit trail. The
    acknowledgements of a summary go through registry.RECORD_DESTROYED, told
    here of the summaries (privacy tells the others of the reviews)."""
    from omavalvonta.core import registry


    def summaries_destroy(found):
        summaries = list(LearningSummary.objects.filter(review_id__in=found).values_list("pk", flat=True))
        audit_trail_delete(LearningSummary, summaries)
        LearningSummary.objects.filter(pk__in=summaries).delete()
        if summaries:
            for hook in registry.entries(registry.RECORD_DESTROYED):
                hook.func(model_label="learning.learningsummary", ids=summaries)

    return retention_destroy(LearningReview.objects.filter(state=State.COMPLETED), ids, with_them=summaries_destroy)


def register() -> None:
    from django.utils.translation import gettext_lazy as _

    from omavalvonta.core import registry

    registry.register(
        registry.RETENTION, "learning_review", reviews_due, order=42, label=_("Learning reviews"),
        event=_("completion of the review"), destroy=reviews_destroy, model_label="learning.learningreview",
    )
