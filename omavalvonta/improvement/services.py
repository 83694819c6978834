"""Writes of actions. Any area that decides an action calls `action_create`."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from omavalvonta.core.services import audit_event_record
from omavalvonta.improvement.models import Acknowledgement, Action, ActionKind, ActionState, LogEntry
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


# --- Acknowledgements (CONTRACT: meetings and guidance call these) ------------------------------


@transaction.atomic
def acknowledgements_request(*, actor, unit, target, users, reason: str = "", link: str = "") -> int:
    """Ask each of `users` to acknowledge `target` (minutes, an instruction) in
    `unit`; people already asked are skipped. Notifies each in the product and by
    e-mail. Returns how many were asked. The caller has checked its own permission."""
    target_type = ContentType.objects.get_for_model(target)
    already = set(
        Acknowledgement.objects.filter(target_type=target_type, target_id=target.pk).values_list("user_id", flat=True)
    )
    new = [u for u in {u.pk: u for u in users}.values() if u.pk not in already and u.is_active]
    Acknowledgement.objects.bulk_create(
        Acknowledgement(unit=unit, target_type=target_type, target_id=target.pk, user=u, reason=reason, requested_by=actor)
        for u in new
    )
    for user in new:
        notification_enqueue(
            recipient=user,
            kind="acknowledgement.requested",
            subject=_("Please acknowledge: %(what)s") % {"what": str(target)[:150]},
            body=_("%(actor)s asks you to read and acknowledge: %(what)s") % {"actor": actor, "what": target},
            link=link,
        )
    if new:
        audit_event_record(actor=actor, verb="acknowledgements.requested", target=target, unit=unit, count=len(new))
    return len(new)


@transaction.atomic
def acknowledgement_confirm(*, actor, acknowledgement) -> None:
    """The person confirms they have read it (only their own row; idempotent)."""
    if acknowledgement.user_id != actor.pk:
        raise PermissionDenied("Not your acknowledgement.")
    if acknowledgement.acknowledged_at is None:
        acknowledgement.acknowledged_at = timezone.now()
        acknowledgement.save(update_fields=["acknowledged_at"])


# --- Self-supervision log (CONTRACT: meetings and deviations call this) -----------------------------


@transaction.atomic
def log_entry_create(
    *, actor, unit, observation: str, reaction: str = "", planned_correction: str = "", observed_on=None, source=None
):
    """Write a self-supervision log entry in `unit` (requires log.write there:
    supervisors, responsible persons, directors)."""
    access.require(actor, access.P_LOG_WRITE, unit)
    if not (observation or "").strip():
        raise ValidationError({"observation": _("Write what was observed.")})
    entry = LogEntry.objects.create(
        unit=unit,
        observed_on=observed_on or timezone.localdate(),
        observation=observation.strip(),
        reaction=(reaction or "").strip(),
        planned_correction=(planned_correction or "").strip(),
        source_type=ContentType.objects.get_for_model(source) if source is not None else None,
        source_id=source.pk if source is not None else None,
        created_by=actor,
    )
    audit_event_record(actor=actor, verb="log_entry.created", target=entry, unit=unit)
    return entry
