"""Retention of functional-capacity measurements (privacy's table through
registry.RETENTION): a child's measurements, with their answers and the goals
agreed on them, counted from the end of the child's placement (part of the
child's client documents, Act 703/2023). A current placement's are never due."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from omavalvonta.clients.retention import register_child_documents
from omavalvonta.core.services import audit_trail_delete
from omavalvonta.outcomes.models import Goal, Measurement


def _goals_destroy(found) -> None:
    """The goals agreed on the measurements `found` go with them; a goal
    followed up in one of them forgets that follow-up."""
    Goal.objects.filter(followed_up_in_id__in=found).exclude(measurement_id__in=found).update(
        followed_up_in=None, follow_up="")
    goals = list(Goal.objects.filter(measurement_id__in=found).values_list("pk", flat=True))
    audit_trail_delete(Goal, goals)
    Goal.objects.filter(pk__in=goals).delete()


def register() -> None:
    register_child_documents(
        "measurement", Measurement.objects.all(), with_them=_goals_destroy, order=45,
        label=_("Functional-capacity measurements"),
    )
