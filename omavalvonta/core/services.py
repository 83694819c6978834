"""Writes of the framework-level records. Area services call these inside their
own transaction so the audit row commits (or rolls back) with the change."""

import ipaddress

from django.contrib.contenttypes.models import ContentType

from omavalvonta.core.models import AccessLogEntry, AuditEvent


def audit_event_record(*, actor, verb: str, target, unit=None, **data) -> AuditEvent:
    """Record that `actor` did `verb` to `target`. `actor` may be None for
    anonymous or system actions; never pass the reporter of an anonymous report."""
    return AuditEvent.objects.create(
        actor=actor,
        verb=verb,
        target_type=ContentType.objects.get_for_model(target),
        target_id=target.pk,
        unit=unit,
        data=data,
    )


def access_log_record(*, actor, target, what: str, right: str, unit=None, request=None) -> AccessLogEntry:
    """Record that `actor` read personal data in `target` using permission `right`."""
    return access_log_page_record(
        actor=actor,
        what=what,
        right=right,
        target_type=ContentType.objects.get_for_model(target),
        target_id=target.pk,
        unit=unit,
        request=request,
    )


def access_log_outside_record(*, reader: str, target, what: str, right: str, unit=None, address: str = "") -> AccessLogEntry:
    """Record a read by someone without an account here (a child's social worker
    downloading a document with a one-time code): `reader` names them."""
    try:
        ip_address = str(ipaddress.ip_address(address)) if address else None
    except ValueError:
        ip_address = None
    return AccessLogEntry.objects.create(
        actor=None,
        reader=reader[:200],
        target_type=ContentType.objects.get_for_model(target),
        target_id=target.pk,
        unit=unit,
        what=what,
        right=right,
        ip_address=ip_address,
    )


def access_log_page_record(*, actor, what: str, right: str, target_type=None, target_id=None, detail: str = "",
                           unit=None, request=None) -> AccessLogEntry:
    """Record one page read of personal data: a record's page (`target_type`,
    `target_id`) or a list or export (no target; `detail` names its filter)."""
    return AccessLogEntry.objects.create(
        actor=actor,
        target_type=target_type,
        target_id=target_id,
        unit=unit,
        what=what,
        right=right,
        detail=detail[:500],
        ip_address=(request.META.get("REMOTE_ADDR") or None) if request is not None else None,
    )
