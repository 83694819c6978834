"""Reads of the framework-level records."""

from typing import NamedTuple

from django.contrib.contenttypes.models import ContentType

from omavalvonta.core.models import AccessLogEntry, AuditEvent


def about(target) -> dict:
    """The filter of the audit events or access-log rows about one record: its type and id."""
    return {"target_type": ContentType.objects.get_for_model(target), "target_id": target.pk}


def audit_events_for(target):
    """The audit trail (timeline) of one object, oldest first, with actors."""
    return AuditEvent.objects.filter(**about(target)).select_related("actor").order_by("at", "id")


def access_log_for(target):
    return AccessLogEntry.objects.filter(**about(target)).select_related("actor").order_by("-at", "-id")


class AccessLogRow(NamedTuple):
    """One row of an access-log table: only what the table shows."""

    at: object
    what: str
    right: str
    reader_name: str


def access_log_rows(target, *, limit: int) -> list[AccessLogRow]:
    """The newest `limit` reads of one record as rows of a table (who read,
    when, what and with which right), without a whole entry and person a row."""
    rows = access_log_for(target).values_list("at", "what", "right", "reader", "actor_id", "actor__full_name", "actor__email")
    return [
        AccessLogRow(at, what, right, reader if actor_id is None else (full_name or email))
        for at, what, right, reader, actor_id, full_name, email in rows[:limit]
    ]
