"""Shared by the organisation's tests: what the administration pages leave in the audit trail."""

from django.contrib.contenttypes.models import ContentType

from omavalvonta.core.models import AuditEvent


def audit(verb, target=None):
    """The audit events of `verb`, about `target` only when one is given."""
    qs = AuditEvent.objects.filter(verb=verb)
    if target is not None:
        qs = qs.filter(target_type=ContentType.objects.get_for_model(target), target_id=target.pk)
    return qs
