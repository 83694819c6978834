"""Retention of corrective and development actions (privacy's table through
registry.RETENTION): done and cancelled actions whose period has ended, and
their destruction with their audit trail and the acknowledgements asked of
them. An open action is never due. Actions that came from a deviation are
counted from their own completion: the report's hold does not keep them (a
hold on the action itself does)."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Coalesce

from omavalvonta.core.models import AuditEvent
from omavalvonta.core.registry import RetentionDue
from omavalvonta.improvement.models import Acknowledgement, Action, ActionState

_FINISHED = (ActionState.DONE, ActionState.CANCELLED)


def actions_due(*, cutoff, limit: int) -> list[RetentionDue]:
    """Done or cancelled actions finished before `cutoff`: ids, dates, units."""
    rows = (
        Action.objects.filter(state__in=_FINISHED)
        .annotate(finished=Coalesce(F("completed_at"), F("cancelled_at")))
        .filter(finished__date__lt=cutoff)
        .order_by("finished", "pk").values_list("pk", "finished", "unit_id")[:limit]
    )
    return [RetentionDue(id=pk, dated=finished, unit_id=unit_id) for pk, finished, unit_id in rows]


def actions_destroy(*, ids) -> list[int]:
    """Destroy finished actions with their audit trail and acknowledgements."""
    with transaction.atomic():
        found = list(
            Action.objects.select_for_update().filter(pk__in=list(ids), state__in=_FINISHED).values_list("pk", flat=True)
        )
        if not found:
            return []
        content_type = ContentType.objects.get_for_model(Action)
        Acknowledgement.objects.filter(target_type=content_type, target_id__in=found).delete()
        AuditEvent.objects.filter(target_type=content_type, target_id__in=found).delete()
        Action.objects.filter(pk__in=found).delete()
    return found


def register() -> None:
    from django.utils.translation import gettext_lazy as _

    from omavalvonta.core import registry

    registry.register(
        registry.RETENTION, "action", actions_due, order=20, label=_("Corrective and development actions"),
        event=_("completion or cancellation"), destroy=actions_destroy, model_label="improvement.action",
    )
