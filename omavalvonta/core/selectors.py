"""Reads of the framework-level records."""

from django.contrib.contenttypes.models import ContentType

from omavalvonta.core.models import AccessLogEntry, AuditEvent


def audit_events_for(target):
    """The audit trail (timeline) of one object, oldest first, with actors."""
    return (
        AuditEvent.objects.filter(
            target_type=ContentType.objects.get_for_model(target), target_id=target.pk
        )
        .select_related("actor")
        .order_by("at", "id")
    )


def access_log_for(target):
    return (
        AccessLogEntry.objects.filter(
            target_type=ContentType.objects.get_for_model(target), target_id=target.pk
        )
        .select_related("actor")
        .order_by("-at", "-id")
    )
