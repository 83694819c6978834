"""What the deviations area gives the purchasing county's own view and API
(core.registry COUNTY_NOTIFICATIONS): the statutory notifications and § 29
grievances sent to the county, one row per report with its handling status.
Never a child's name or the reporter: the report's number, kind, unit, dates and
state, and the message the county itself received (checked for names when it was
sent: services.statutory._check_message)."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, F, Max, Min, Subquery

from omavalvonta.core.services import access_log_page_record
from omavalvonta.deviations.choices import Kind, NotificationRecipient
from omavalvonta.deviations.models import Deviation, NotificationPurpose, State, StatutoryNotification
from omavalvonta.organisation import access, access_county

# The messages that went to the county: its address, its lead official and its
# social workers (a child's responsible social worker works for the placing county).
_TO_COUNTY = (NotificationRecipient.COUNTY, NotificationRecipient.LEAD_OFFICIAL, NotificationRecipient.SOCIAL_WORKER)


def _sent_to(county):
    return access_county.notifications_for(
        StatutoryNotification.objects.filter(purpose=NotificationPurpose.NOTIFICATION, recipient_kind__in=_TO_COUNTY),
        county,
    )


def county_notifications(*, county, newest: int | None = None):
    """One row per report notified to `county`, newest first (one query). With
    `newest`, the newest that many reports only: their ids are chosen first
    from the county's messages alone, and only their messages are grouped and
    joined to the report and the unit (the home's five, not all of them)."""
    sent = _sent_to(county)
    if newest is not None:
        chosen = (
            sent.order_by()
            .values("deviation_id")
            .annotate(first_sent=Min("sent_at"))
            .order_by("-first_sent", "-deviation_id")
            .values("deviation_id")[:newest]
        )
        sent = sent.filter(deviation_id__in=Subquery(chosen))
    return (
        sent
        .order_by()
        .values(
            "deviation_id",
            "unit_id",
            number=F("deviation__number"),
            kind=F("deviation__kind"),
            state=F("deviation__state"),
            closed_at=F("deviation__closed_at"),
            unit_name=F("unit__name"),
        )
        .annotate(
            first_sent=Min("sent_at"),
            correction_due=Min("correction_due"),
            legal_basis=Max("legal_basis"),
            messages=Count("id"),
        )
        .order_by("-first_sent", "-deviation_id")
    )


def county_notification_detail(*, county, deviation_id, actor=None, reader: str = "", request=None) -> dict | None:
    """The row of one report notified to `county` with the message the county
    received (its notification address's first, else the first to it), or None
    when nothing about that report went to this county. The read is logged
    (the county's person, or `reader`: an API token). Three queries."""
    row = county_notifications(county=county).filter(deviation_id=deviation_id).first()
    if row is None:
        return None
    access_log_page_record(
        actor=actor,
        reader=reader,
        what="county.notification",
        right=access.P_COUNTY_VIEW,
        target_type=ContentType.objects.get_for_model(Deviation),
        target_id=row["deviation_id"],
        unit=None,
        request=request,
    )
    message = (
        _sent_to(county)
        .filter(deviation_id=deviation_id)
        .order_by("recipient_kind", "sent_at", "id")  # "county" sorts before "lead_official" and "social_worker"
        .values("subject", "body", "sent_at")
        .first()
    )
    return {**row, **(message or {})}


def labels() -> dict:
    return {"kind": dict(Kind.choices), "state": dict(State.choices)}
