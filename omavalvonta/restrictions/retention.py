"""Retention of restrictive measures (privacy's table through
registry.RETENTION): a child's measures, with their signed decisions and
accounts and the record of their handing over, counted from the end of the
child's placement (part of the child's client documents, Act 703/2023). A
current placement's are never due."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from omavalvonta.clients.retention import register_child_documents
from omavalvonta.restrictions import monthly
from omavalvonta.restrictions.models import DocumentHandover, Restriction, RestrictionDocument


def _documents_destroy(found) -> None:
    """The measures' documents and handovers go with them, and their months'
    counts are forgotten."""
    monthly.months_forget(Restriction.objects.filter(pk__in=found).dates("started_at", "month"))
    DocumentHandover.objects.filter(document__restriction_id__in=found).delete()
    RestrictionDocument.objects.filter(restriction_id__in=found).delete()


def register() -> None:
    register_child_documents(
        "restriction", Restriction.objects.all(), with_them=_documents_destroy, order=46,
        label=_("Restrictive measures"),
    )
