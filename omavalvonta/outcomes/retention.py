"""Retention of functional-capacity measurements (privacy's table through
registry.RETENTION): a child's measurements, with their answers and the goals
agreed on them, counted from the end of the child's placement (part of the
child's client documents, Act 703/2023). A current placement's are never due."""

from __future__ import annotations

from omavalvonta.clients.retention import placement_ended_due, register_child_documents
from omavalvonta.core.registry import RetentionDue
from omavalvonta.core.services import audit_trail_delete, retention_destroy
from omavalvonta.outcomes.models import Goal, Measurement


def measurements_due(*, cutoff, limit: int) -> list[RetentionDue]:
    """Measurements of placements that ended before `cutoff`: ids, end dates, units."""
    return placement_ended_due(Measurement.objects.all(), cutoff=cutoff, limit=limit)


def measurements_destroy(*, ids) -> list[int]:
    """Destroy measurements with their answers, goals and audit trail."""

    def goals_destroy(found):
        Goal.objects.filter(followed_up_in_id__in=found).exclude(measurement_id__in=found).update(
            followed_up_in=None, follow_up="")
        goals = list(Goal.objects.filter(measurement_id__in=found).values_list("pk", flat=True))
        audit_trail_delete(Goal, goals)
        Goal.objects.filter(pk__in=goals).delete()

    return retention_destroy(Measurement.objects.all(), ids, with_them=goals_destroy)


def register() -> None:
    from django.utils.translation import gettext_lazy as _

    register_child_documents(
        "measurement", measurements_due, measurements_destroy, order=45, label=_("Functional-capacity measurements"),
        model_label="outcomes.measurement",
    )
