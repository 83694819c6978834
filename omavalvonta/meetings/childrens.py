"""The children's meetings of a unit (lasten / nuorten viikko- ja
kuukausikokoukset): a short record of each (the day, weekly or monthly, the
topics, what the children raised, what was decided), kept by the unit's staff.

Reads go through the access kernel (meeting.view in the unit); writes need
childrens_meeting.record there (every member of the unit's staff). They feed
the good-treatment plan's participation facts (core.registry PLAN_FACTS
"childrens_meetings": counts and the topics; the plan is public, so the form
asks not to name a child) and the team goals page (core.registry TEAM_FACTS)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from omavalvonta.core.concurrency import edit_version_claim
from omavalvonta.core.services import audit_event_record
from omavalvonta.meetings.models import ChildrensMeeting, ChildrensMeetingKind
from omavalvonta.organisation import access

TEXT_MAX = 2000
# How far back a meeting may be recorded (a forgotten one is still worth recording).
RECORD_BACK_DAYS = 366
# The good-treatment plan is updated with the self-supervision plan three times a
# year (the programme: "kolme kertaa vuodessa"): its fact covers four months.
PLAN_FACT_DAYS = 122
# Topics shown in the plan's fact and on the team goals page, newest first.
TOPICS_SHOWN = 8


# --- Reads --------------------------------------------------------------------------------------


def childrens_meeting_list(*, actor, unit):
    """The unit's children's meetings, newest first (meeting.view in the unit)."""
    access.require(actor, access.P_MEETING_VIEW, unit)
    return ChildrensMeeting.objects.filter(unit=unit).order_by("-held_on", "-id")


def childrens_meeting_get(*, actor, pk, perm: str = access.P_MEETING_VIEW) -> ChildrensMeeting:
    """One record: 404 outside the actor's units, 403 inside without `perm`."""
    return access.access_object(ChildrensMeeting.objects.select_related("unit"), actor, pk, perm)


def period_summary(*, unit, first: dt.date, last: dt.date) -> dict:
    """Counts of the unit's children's meetings between two days and the newest
    topics. Two queries."""
    qs = ChildrensMeeting.objects.filter(unit=unit, held_on__gte=first, held_on__lte=last)
    counts = qs.aggregate(
        weekly=Count("pk", filter=Q(kind=ChildrensMeetingKind.WEEKLY)),
        monthly=Count("pk", filter=Q(kind=ChildrensMeetingKind.MONTHLY)),
    )
    rows = list(qs.order_by("-held_on", "-id").values("held_on", "kind", "topics", "decisions")[:TOPICS_SHOWN])
    labels = dict(ChildrensMeetingKind.choices)
    return {
        "period_start": first.isoformat(),
        "period_end": last.isoformat(),
        "total": counts["weekly"] + counts["monthly"],
        "weekly": counts["weekly"],
        "monthly": counts["monthly"],
        "topics": [
            {"held_on": r["held_on"].isoformat(), "kind": str(labels.get(r["kind"], r["kind"])),
             "topics": r["topics"][:300], "decisions": r["decisions"][:300]}
            for r in rows
        ],
    }


def plan_fact(*, unit, actor) -> dict:
    """core.registry PLAN_FACTS "childrens_meetings": the children's meetings of
    the last four months for the good-treatment plan's participation section:
    how many (weekly, monthly) and the topics (no decisions: the plan is public)."""
    if not access.can(actor, access.P_MEETING_VIEW, unit):
        return {"hidden": True}
    today = timezone.localdate()
    data = period_summary(unit=unit, first=today - dt.timedelta(days=PLAN_FACT_DAYS), last=today)
    for row in data["topics"]:
        row.pop("decisions", None)
    return data


def team_fact(*, actor, unit, period_start: dt.date, period_end: dt.date) -> dict | None:
    """core.registry TEAM_FACTS: the half-year's children's meetings beside the
    team's goals: counts, the topics and what was decided. None without
    meeting.view in the unit."""
    if not access.can(actor, access.P_MEETING_VIEW, unit):
        return None
    from django.urls import reverse

    data = period_summary(unit=unit, first=period_start, last=min(period_end, timezone.localdate()))
    data["url"] = reverse("meetings:childrens", args=[unit.pk])
    for row in data["topics"]:
        row["held_on"] = dt.date.fromisoformat(row["held_on"])
    return data


# --- Writes -------------------------------------------------------------------------------------


def _clean(*, held_on, kind, topics, children_raised, decisions) -> dict:
    errors = {}
    today = timezone.localdate()
    if held_on is None:
        errors["held_on"] = _("Give the day of the meeting.")
    elif held_on > today:
        errors["held_on"] = _("The meeting is recorded once it has been held: the day cannot be in the future.")
    elif held_on < today - dt.timedelta(days=RECORD_BACK_DAYS):
        errors["held_on"] = _("Give a day within the last year.")
    if kind not in ChildrensMeetingKind.values:
        errors["kind"] = _("Choose weekly or monthly.")
    topics = (topics or "").strip()
    children_raised = (children_raised or "").strip()
    decisions = (decisions or "").strip()
    if not topics:
        errors["topics"] = _("Write what was talked about.")
    for name, value in (("topics", topics), ("children_raised", children_raised), ("decisions", decisions)):
        if len(value) > TEXT_MAX and name not in errors:
            errors[name] = _("Use at most %(limit)s characters.") % {"limit": TEXT_MAX}
    if errors:
        raise ValidationError(errors)
    return {"held_on": held_on, "kind": kind, "topics": topics, "children_raised": children_raised,
            "decisions": decisions}


@transaction.atomic
def childrens_meeting_create(*, actor, unit, held_on, kind, topics, children_raised="", decisions="") -> ChildrensMeeting:
    """Record a children's meeting held in `unit` (childrens_meeting.record there)."""
    access.require(actor, access.P_CHILDRENS_MEETING_RECORD, unit)
    data = _clean(held_on=held_on, kind=kind, topics=topics, children_raised=children_raised, decisions=decisions)
    record = ChildrensMeeting.objects.create(unit=unit, created_by=actor, **data)
    audit_event_record(actor=actor, verb="childrens_meeting.recorded", target=record, unit=unit, kind=data["kind"])
    return record


@transaction.atomic
def childrens_meeting_update(
    *, actor, record: ChildrensMeeting, held_on, kind, topics, children_raised="", decisions="",
    expected_version: int | None = None,
) -> ChildrensMeeting:
    """Correct a record (childrens_meeting.record in its unit). `expected_version`:
    the edit_version the form was opened at (core/concurrency.py)."""
    access.require(actor, access.P_CHILDRENS_MEETING_RECORD, record.unit)
    data = _clean(held_on=held_on, kind=kind, topics=topics, children_raised=children_raised, decisions=decisions)
    edit_version_claim(record, expected=expected_version)
    for name, value in data.items():
        setattr(record, name, value)
    record.updated_by = actor
    record.updated_at = timezone.now()
    record.save(update_fields=[*data, "updated_by", "updated_at"])
    audit_event_record(actor=actor, verb="childrens_meeting.corrected", target=record, unit=record.unit)
    return record
