"""Shared pieces of the deviation services: constants, result types, helpers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from omavalvonta.deviations import rules
from omavalvonta.deviations.models import (
    Deviation,
    NotificationRecipient,
    State,
    StatutoryNotification,
)
from omavalvonta.organisation.models import Membership

# A clock a few minutes fast on a phone must not block a report.
FUTURE_TOLERANCE = dt.timedelta(minutes=5)
GDPR_BREACH_HOURS = 72
STALLED_BATCH = 500
_COUNTY_KINDS = (NotificationRecipient.COUNTY, NotificationRecipient.LEAD_OFFICIAL)


@dataclass(frozen=True)
class SubmitResult:
    deviation: Deviation
    # Plain follow-up code, shown once to the reporter; None when not issued.
    followup_code: str | None


@dataclass(frozen=True)
class NotificationDraft:
    recipient_kind: str  # NotificationRecipient value
    recipient_name: str
    recipient_email: str
    subject: str
    body: str


# --- Small helpers ---------------------------------------------------------------------


def detail_link(deviation: Deviation) -> str:
    """The in-product address of a report, for notifications (relative to SITE_URL)."""
    return f"/poikkeamat/{deviation.pk}/"


def _local(value: dt.datetime | None) -> str:
    return value.astimezone(rules.HELSINKI).strftime("%d.%m.%Y %H:%M") if value else ""


def _date(value: dt.date | None) -> str:
    return value.strftime("%d.%m.%Y") if value else ""


def _require_open(deviation: Deviation) -> None:
    if deviation.state == State.CLOSED:
        raise ValidationError(_("This report is closed. Reopen it before changing it."))


def _start_handling(deviation: Deviation, now: dt.datetime, fields: list[str]) -> None:
    """The first handler write moves a new report into handling; the stalled-handling
    job watches exactly this stamp."""
    if deviation.state == State.SUBMITTED:
        deviation.state = State.IN_HANDLING
        fields.append("state")
    if deviation.handling_started_at is None:
        deviation.handling_started_at = now
        fields.append("handling_started_at")


def _save(deviation: Deviation, fields: list[str]) -> None:
    # update_fields skips auto_now unless named; the list page sorts on freshness.
    deviation.save(update_fields=sorted(set(fields) | {"updated_at"}))


def _members_covering(unit, roles, *, exclude_ids=()) -> list:
    """Active people holding one of `roles` over `unit` (the unit itself, its region
    or the whole organisation), ordered by name. One query."""
    rows = (
        Membership.objects.filter(role__in=list(roles), user__is_active=True)
        .filter(Q(unit_id=unit.pk) | Q(region_id=unit.region_id) | Q(unit__isnull=True, region__isnull=True))
        .exclude(user_id__in=list(exclude_ids))
        .select_related("user")
        .order_by("user__full_name", "user_id")
    )
    people = {}
    for m in rows:
        people.setdefault(m.user_id, m.user)
    return list(people.values())


def _clean_text(value) -> str:
    return (value or "").strip()


def _organisation(unit):
    return unit.region.organisation


def _county_notifications(deviation: Deviation):
    return StatutoryNotification.objects.filter(deviation=deviation, recipient_kind__in=_COUNTY_KINDS)


# --- Submit --------------------------------------------------------------------------------


def _check_max_length(errors: dict, field: str, value: str, limit: int) -> None:
    if len(value) > limit:
        errors[field] = _("Use at most %(limit)s characters (now %(count)s).") % {"limit": limit, "count": len(value)}
