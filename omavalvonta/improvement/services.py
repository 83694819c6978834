"""Writes of actions. Any area that decides an action calls `action_create`."""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from omavalvonta.core.services import audit_event_record
from omavalvonta.improvement.models import Action, ActionKind, ActionState
from omavalvonta.notifications.services import notification_enqueue
from omavalvonta.organisation import access


@transaction.atomic
def action_create(*, actor, unit, title, owner, due_date, source=None, kind=ActionKind.CORRECTIVE, check_access=True) -> Action:
    """Create an action in `unit`, optionally linked to its source record, and tell
    the owner. The caller's own permission check covers `check_access=False`."""
    if check_access:
        access.require(actor, access.P_DEVIATION_HANDLE, unit)
    action = Action.objects.create(
        unit=unit,
        kind=kind,
        source_type=ContentType.objects.get_for_model(source) if source is not None else None,
        source_id=source.pk if source is not None else None,
        title=title,
        owner=owner,
        due_date=due_date,
        created_by=actor,
    )
    audit_event_record(actor=actor, verb="action.created", target=action, unit=unit, title=title)
    if owner.pk != actor.pk:
        notification_enqueue(
            recipient=owner,
            kind="action.assigned",
            subject=_("New action for you: %(title)s") % {"title": title[:120]},
            body=_("%(actor)s assigned you an action due %(due)s:\n\n%(title)s")
            % {"actor": actor, "due": due_date.strftime("%d.%m.%Y"), "title": title},
        )
    return action


@transaction.atomic
def action_complete(*, actor, action: Action, note: str) -> Action:
    """Mark an action done with a note of what was done (owner or a handler)."""
    if action.owner_id != actor.pk:
        access.require(actor, access.P_DEVIATION_HANDLE, action.unit)
    action.state = ActionState.DONE
    action.completion_note = note
    action.completed_at = timezone.now()
    action.save(update_fields=["state", "completion_note", "completed_at"])
    audit_event_record(actor=actor, verb="action.completed", target=action, unit=action.unit)
    return action
