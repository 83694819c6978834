"""A child's client documents kept by other areas (functional-capacity
measurements, restrictive measures) in privacy's retention table
(registry.RETENTION): their period counts from the end of the child's
placement (Act 703/2023), so a current placement's are never due."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from omavalvonta.core import registry
from omavalvonta.core.services import retention_destroy, retention_due


def register_child_documents(name: str, records, *, with_them, order: int, label) -> None:
    """Put `records` (a queryset of a kind of a child's client documents, each
    with its `placement`) in the retention table as `name`: due, oldest first,
    once the placement ended before the cutoff; destroyed with their audit
    trail after `with_them(found ids)` has destroyed what hangs on them."""

    def due(*, cutoff, limit: int) -> list[registry.RetentionDue]:
        return retention_due(records.filter(placement__ends_on__lt=cutoff), "placement__ends_on", limit=limit)

    def destroy(*, ids) -> list[int]:
        return retention_destroy(records, ids, with_them=with_them)

    registry.register(
        registry.RETENTION, name, due, order=order, label=label, event=_("end of the child's placement"),
        destroy=destroy, model_label=records.model._meta.label_lower,
    )
