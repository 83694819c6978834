"""Acknowledgements (kuittaukset). CONTRACT: meetings and guidance call these;
keep their names and arguments."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from omavalvonta.core.services import audit_event_record
from omavalvonta.improvement.models import Acknowledgement
from omavalvonta.notifications.services import notification_enqueue

# --- Acknowledgements (CONTRACT: meetings and guidance call these) ------------------------------


@transaction.atomic
def acknowledgements_request(*, actor, unit, target, users, reason: str = "", link: str = "") -> int:
    """Ask each of `users` to acknowledge `target` (minutes, an instruction) in
    `unit`; people already asked are skipped. Notifies each in the product and by
    e-mail. Returns how many were asked. The caller has checked its own permission."""
    target_type = ContentType.objects.get_for_model(target)
    people = {u.pk: u for u in users}
    # Only these people's rows: a target asked of 50,000 people unit by unit reads 25, not all.
    already = set(
        Acknowledgement.objects.filter(target_type=target_type, target_id=target.pk, user_id__in=list(people))
        .values_list("user_id", flat=True)
    )
    new = [u for u in people.values() if u.pk not in already and u.is_active]
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


@transaction.atomic
def acknowledgements_remind(*, actor, target, subject: str, body: str, link: str = "") -> int:
    """Remind everyone who has not yet acknowledged `target` (active people only)
    and stamp reminded_at. The caller has checked its own permission. Returns how
    many were reminded."""
    waiting = [
        a
        for a in Acknowledgement.objects.filter(
            target_type=ContentType.objects.get_for_model(target), target_id=target.pk, acknowledged_at__isnull=True
        ).select_related("user")
        if a.user.is_active
    ]
    for ack in waiting:
        notification_enqueue(recipient=ack.user, kind="acknowledgement.reminder", subject=subject, body=body, link=link)
    if waiting:
        Acknowledgement.objects.filter(pk__in=[a.pk for a in waiting]).update(reminded_at=timezone.now())
    return len(waiting)
