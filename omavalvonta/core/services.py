"""Writes of the framework-level records. Area services call these inside their
own transaction so the audit row commits (or rolls back) with the change."""

import ipaddress

from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from omavalvonta.core.models import AccessLogEntry, AuditEvent
from omavalvonta.core.selectors import about


def audit_event_record(*, actor, verb: str, target, unit=None, **data) -> AuditEvent:
    """Record that `actor` did `verb` to `target`. `actor` may be None for
    anonymous or system actions; never pass the reporter of an anonymous report."""
    return AuditEvent.objects.create(actor=actor, verb=verb, unit=unit, data=data, **about(target))


def access_log_record(*, actor, target, what: str, right: str, unit=None, request=None) -> AccessLogEntry:
    """Record that `actor` read personal data in `target` using permission `right`."""
    return access_log_page_record(actor=actor, what=what, right=right, unit=unit, request=request, **about(target))


def access_log_outside_record(*, reader: str, target, what: str, right: str, unit=None, address: str = "") -> AccessLogEntry:
    """Record a read by someone without an account here (a child's social worker
    downloading a document with a one-time code): `reader` names them, `address`
    is theirs when it is an IP address."""
    return access_log_page_record(
        actor=None, reader=reader, what=what, right=right, unit=unit, address=address, **about(target)
    )


def audit_trail_delete(model, ids) -> int:
    """Delete the audit events of the `model` records `ids` (with the records,
    when retention destroys them). Returns how many went."""
    ids = list(ids)
    if not ids:
        return 0
    target_type = ContentType.objects.get_for_model(model)
    return AuditEvent.objects.filter(target_type=target_type, target_id__in=ids).delete()[0]


def retention_due(records, dated: str, *, limit: int) -> list:
    """What of the queryset `records` is due for destruction, oldest first (at
    most `limit`): a registry.RetentionDue each, with its id, the value of the
    field `dated` its period counts from, and its unit."""
    from omavalvonta.core.registry import RetentionDue

    rows = records.order_by(dated, "pk").values_list("pk", dated, "unit_id")[:limit]
    return [RetentionDue(id=pk, dated=day, unit_id=unit_id) for pk, day, unit_id in rows]


def retention_destroy(records, ids, *, with_them=None) -> list[int]:
    """Destroy those of `ids` that the queryset `records` still holds (locked
    first: a record that has moved on is left), with their audit trail, in one
    transaction; `with_them(found)` first destroys what hangs on them. Returns
    the ids destroyed."""
    with transaction.atomic():
        found = list(records.select_for_update().filter(pk__in=list(ids)).values_list("pk", flat=True))
        if not found:
            return []
        if with_them is not None:
            with_them(found)
        audit_trail_delete(records.model, found)
        records.model.objects.filter(pk__in=found).delete()
    return found


def _ip_address(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address)) if address else None
    except ValueError:
        return None


def access_log_page_record(*, actor, what: str, right: str, target_type=None, target_id=None, detail: str = "",
                           unit=None, request=None, reader: str = "", address: str = "") -> AccessLogEntry:
    """Record one page read of personal data: a record's page (`target_type`,
    `target_id`) or a list or export (no target; `detail` names its filter).
    A reader without an account (an API token) has no actor: `reader` names it.
    The reader's address: the `request`'s, else `address` when it is an IP address."""
    return AccessLogEntry.objects.create(
        actor=actor,
        reader=reader[:200],
        target_type=target_type,
        target_id=target_id,
        unit=unit,
        what=what,
        right=right,
        detail=detail[:500],
        ip_address=(request.META.get("REMOTE_ADDR") or None) if request is not None else _ip_address(address),
    )


# --- Retention of the access log (privacy's table, registry.RETENTION) --------------------


def access_log_due(*, cutoff, limit: int) -> list:
    """Access-log rows written before `cutoff`: ids, dates, units."""
    import datetime as dt

    from django.utils import timezone

    start = timezone.make_aware(dt.datetime.combine(cutoff, dt.time.min))
    return retention_due(AccessLogEntry.objects.filter(at__lt=start), "at", limit=limit)


def access_log_destroy(*, ids) -> list[int]:
    """The only deletion of access-log rows: retention's (their reviews go with them)."""
    with transaction.atomic():
        found = list(AccessLogEntry.objects.filter(pk__in=list(ids)).values_list("pk", flat=True))
        AccessLogEntry.objects.filter(pk__in=found).delete()
    return found


def references_forget(model, *, model_label: str, ids, type_field: str = "source_type", id_field: str = "source_id",
                      delete: bool = False) -> int:
    """For registry.RECORD_DESTROYED: the rows of `model` that refer to the
    destroyed records (`model_label` "app_label.model", `ids`) by type and id
    lose the reference (or are deleted with `delete`). Returns the rows changed."""
    app_label, _dot, name = model_label.partition(".")
    try:
        content_type = ContentType.objects.get_by_natural_key(app_label, name)
    except ContentType.DoesNotExist:
        return 0
    rows = model.objects.filter(**{type_field: content_type, f"{id_field}__in": list(ids)})
    if delete:
        return rows.delete()[0]
    return rows.update(**{type_field: None, id_field: None})
