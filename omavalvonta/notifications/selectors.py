"""Reads of the outbox: a person's own in-app notifications."""

from omavalvonta.notifications.models import Notification


def notification_inbox(*, actor):
    return Notification.objects.filter(recipient=actor, in_app=True).order_by("-created_at", "-id")


def notification_unread_count(*, actor) -> int:
    return Notification.objects.filter(recipient=actor, in_app=True, read_at__isnull=True).count()
