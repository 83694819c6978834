"""Retention of corrective and development actions (privacy's table through
registry.RETENTION): done and cancelled actions whose period has ended, and
their destruction with their audit trail and the acknowledgements asked of
them. An open action is never due. Actions that came from a deviation are
counted from their own completion: the report's hold does not keep them (a
hold on the action itself does)."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import F
from django.db.models.functions import Coalesce

from omavalvonta.core.registry import RetentionDue
from omavalvonta.core.services import retention_destroy, retention_due
from omavalvonta.improvement.models import Acknowledgement, Action, ActionState

_FINISHED = (ActionState.DONE, ActionState.CANCELLED)


def actions_due(*, cutoff, limit: int) -> list[RetentionDue]:
    """Done or cancelled actions finished before `cutoff`: ids, dates, units."""
    finished = (
        Action.objects.filter(state__in=_FINISHED)
        .annotate(finished=Coalesce(F("completed_at"), F("cancelled_at")))
        .filter(finished__date__lt=cutoff)
    )
    return retention_due(finished, "finished", limit=limit)


def actions_destroy(*, ids) -> list[int]:
    """Destroy finished actions with their audit trail and acknowledgements."""

    def acknowledgements_destroy(found):
        content_type = ContentType.objects.get_for_model(Action)
        Acknowledgement.objects.filter(target_type=content_type, target_id__in=found).delete()

    return retention_destroy(Action.objects.filter(state__in=_FINISHED), ids, with_them=acknowledgements_destroy)


def register() -> None:
    from django.utils.translation import gettext_lazy as _

    from omavalvonta.core import registry

    registry.register(
        registry.RETENTION, "action", actions_due, order=20, label=_("Corrective and development actions"),
        event=_("completion or cancellation"), destroy=actions_destroy, model_label="improvement.action",
    )
