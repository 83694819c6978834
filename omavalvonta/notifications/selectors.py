"""Reads of the outbox: a person's own in-app notifications. Nobody reads
another person's notifications through these, whatever their role."""

from django.http import Http404

from omavalvonta.notifications.models import Notification


def notification_inbox(*, actor):
    """The actor's in-app notifications, newest first."""
    return Notification.objects.filter(recipient=actor, in_app=True).order_by("-created_at", "-id")


def notification_unread_count(*, actor) -> int:
    return Notification.objects.filter(recipient=actor, in_app=True, read_at__isnull=True).count()


def notification_for_actor(*, actor, pk) -> Notification:
    """One of the actor's own in-app notifications; 404 for anyone else's (or none)."""
    try:
        return notification_inbox(actor=actor).get(pk=pk)
    except (Notification.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
