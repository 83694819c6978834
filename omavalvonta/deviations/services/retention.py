"""Retention of deviation reports and their attachments (registered in
privacy's table through registry.RETENTION): which closed reports' periods have
ended, and their destruction with everything that is theirs: attachments (the
files deleted from storage once the transaction commits), messages, statutory
notifications and the report's audit trail. The access log's rows about the
report stay under the log's own retention. Figures already published (a
follow-up report's frozen JSON) are not touched; live figures are counted from
the remaining reports, so the destroyed one leaves them."""

from __future__ import annotations

from django.db import transaction

from omavalvonta.core.registry import RetentionDue
from omavalvonta.core.services import retention_destroy, retention_due
from omavalvonta.deviations.models import (
    Attachment,
    Deviation,
    DeviationMessage,
    InformedRecord,
    State,
    StatutoryNotification,
)


def deviations_due(*, cutoff, limit: int) -> list[RetentionDue]:
    """Closed reports closed before `cutoff` (a date): ids, closing dates, units."""
    closed = Deviation.objects.filter(state=State.CLOSED, closed_at__date__lt=cutoff)
    return retention_due(closed, "closed_at", limit=limit)


def attachments_due(*, cutoff, limit: int) -> list[RetentionDue]:
    """Attachments of reports closed before `cutoff`; a hold on the report keeps them."""
    rows = (
        Attachment.objects.filter(deviation__state=State.CLOSED, deviation__closed_at__date__lt=cutoff)
        .order_by("deviation__closed_at", "pk").values_list("pk", "deviation__closed_at", "unit_id", "deviation_id")[:limit]
    )
    return [
        RetentionDue(id=pk, dated=closed_at, unit_id=unit_id, case=("deviation", deviation_id))
        for pk, closed_at, unit_id, deviation_id in rows
    ]


def _delete_files(names: list[str]) -> None:
    """Delete stored files after the destroying transaction commits (a rolled
    back destruction keeps its files)."""
    storage = Attachment._meta.get_field("file").storage

    def delete():
        for name in names:
            if name:
                storage.delete(name)

    transaction.on_commit(delete)


def attachments_destroy(*, ids) -> list[int]:
    """Destroy attachments and their files. Returns the ids destroyed."""
    with transaction.atomic():
        rows = list(Attachment.objects.select_for_update().filter(pk__in=list(ids)).values_list("pk", "file"))
        Attachment.objects.filter(pk__in=[pk for pk, _name in rows]).delete()
        _delete_files([name for _pk, name in rows])
    return [pk for pk, _name in rows]


def deviations_destroy(*, ids) -> list[int]:
    """Destroy reports with their attachments (files too), messages, who was informed, statutory
    notifications and audit trail. Returns the ids destroyed."""

    def theirs_destroy(found):
        attachments_destroy(ids=Attachment.objects.filter(deviation_id__in=found).values_list("pk", flat=True))
        DeviationMessage.objects.filter(deviation_id__in=found).delete()
        InformedRecord.objects.filter(deviation_id__in=found).delete()
        StatutoryNotification.objects.filter(deviation_id__in=found).delete()

    return retention_destroy(Deviation.objects.all(), ids, with_them=theirs_destroy)


def register() -> None:
    from django.utils.translation import gettext_lazy as _

    from omavalvonta.core import registry

    registry.register(
        registry.RETENTION, "deviation", deviations_due, order=10,
        label=_("Deviation reports and grievances"), event=_("closing of the report"),
        destroy=deviations_destroy, model_label="deviations.deviation",
    )
    registry.register(
        registry.RETENTION, "attachment", attachments_due, order=11,
        label=_("Attachments of deviation reports"), event=_("closing of the report"),
        destroy=attachments_destroy, model_label="deviations.attachment", part_of="deviation",
    )
