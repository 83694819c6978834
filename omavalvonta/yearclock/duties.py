"""Duties other areas keep (core.registry DUTY_SOURCES), reminded of and
escalated like the calendar's own: a child's functional-capacity measurement
due every three months is one. The owner of the data says what is due and
when; the quality calendar says who hears of it and makes sure each reminder
and escalation goes out once (a claim row committed with its outbox rows).

Who hears: the duty's named owner (a child's personal worker), else the unit's
leaders (supervisor, responsible person), on the reminder day; once the grace
has passed, one level up: the unit's leaders when a worker was reminded, else
the unit's managers (responsible person, regional director), else the quality
director."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _, ngettext

from omavalvonta.core import registry
from omavalvonta.core.lib.dates import fi_date
from omavalvonta.core.services import audit_event_record
from omavalvonta.notifications.services import notification_enqueue
from omavalvonta.organisation import access
from omavalvonta.organisation.models import Unit
from omavalvonta.organisation.selectors import unit_managers
from omavalvonta.yearclock.models import DutyNotice, NoticeKind
from omavalvonta.yearclock.reminders import _quality_directors, _unit_leaders
from omavalvonta.yearclock.services import JOB_BATCH

DEFAULT_REMIND_DAYS = 14


def _claim(duty: registry.Duty, kind: str, now, recipients: list) -> DutyNotice | None:
    """Insert the notice row: the row for the one caller whose insert succeeds,
    None for the others (a savepoint keeps the lost race from the transaction)."""
    try:
        with transaction.atomic():
            return DutyNotice.objects.create(
                key=duty.key, kind=kind, unit_id=duty.unit_id, due_on=duty.due_on, sent_at=now,
                recipients=[p.pk for p in recipients],
            )
    except IntegrityError:
        return None


class _People:
    """Who hears of a unit's duties, read once per unit and run."""

    def __init__(self, duties):
        owner_ids = {d.owner_id for d in duties if d.owner_id}
        self.owners = {u.pk: u for u in get_user_model().objects.filter(pk__in=owner_ids, is_active=True)}
        self.units = Unit.objects.select_related("region").in_bulk({d.unit_id for d in duties})
        self._leaders: dict[int, list] = {}

    def leaders(self, unit_id: int) -> list:
        if unit_id not in self._leaders:
            self._leaders[unit_id] = _unit_leaders(unit_id)
        return self._leaders[unit_id]

    def reminded(self, duty) -> list:
        owner = self.owners.get(duty.owner_id)
        return [owner] if owner else self.leaders(duty.unit_id)

    def escalated(self, duty) -> list:
        owner = self.owners.get(duty.owner_id)
        if owner is not None:
            above = [p for p in self.leaders(duty.unit_id) if p.pk != owner.pk]
            if above:
                return above
        unit = self.units[duty.unit_id]
        reminded = {p.pk for p in self.reminded(duty)}
        managers = [p for p in unit_managers(unit=unit) if p.pk not in reminded]
        return managers or _quality_directors()


def _send(duty, kind: str, recipients: list, unit, now) -> int:
    with transaction.atomic():
        # Claim and outbox rows commit together: each goes out exactly once.
        notice = _claim(duty, kind, now, recipients)
        if notice is None:
            return 0
        values = {"title": duty.title, "unit": unit.name, "date": fi_date(duty.due_on)}
        for person in recipients:
            if kind == NoticeKind.REMINDER:
                notification_enqueue(
                    recipient=person, kind="duty.reminder",
                    subject=_("Due by %(date)s: %(title)s, %(unit)s") % values,
                    body=_("%(title)s of %(unit)s is due by %(date)s.") % values,
                    link=duty.link, digestible=True,
                )
            else:
                notification_enqueue(
                    recipient=person, kind="duty.late",
                    subject=_("Late: %(title)s, %(unit)s (due %(date)s)") % values,
                    body=_("%(title)s of %(unit)s was due by %(date)s and has not been done.") % values,
                    link=duty.link,
                )
        audit_event_record(
            actor=None, verb=f"duty.{'reminded' if kind == NoticeKind.REMINDER else 'escalated'}",
            target=notice, unit=unit, recipients=[p.pk for p in recipients],
        )
    return len(recipients)


def duties_remind_and_escalate(*, now: dt.datetime | None = None) -> int:
    """The periodic job: for every contributed duty, the reminder on its
    reminder day (or at once when it is already late) and the escalation once
    it is late, each once. Returns notifications queued."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    sent = claims = 0
    for entry in registry.entries(registry.DUTY_SOURCES):
        remind_days = entry.details.get("remind_days_before", DEFAULT_REMIND_DAYS)
        duties = [
            d for d in entry.func(today=today, unit_ids=None) if d.late or (d.due_on - today).days <= remind_days
        ]
        if not duties:
            continue
        claimed = set(
            DutyNotice.objects.filter(due_on__gte=min(d.due_on for d in duties)).values_list("key", "kind")
        )
        waiting = [
            (d, kind)
            for d in duties
            for kind in (NoticeKind.REMINDER, NoticeKind.ESCALATION)
            if (d.key, kind) not in claimed and (kind == NoticeKind.REMINDER or d.late)
        ][: max(0, JOB_BATCH - claims)]
        if not waiting:
            continue
        people = _People([d for d, _k in waiting])
        for duty, kind in waiting:
            recipients = people.reminded(duty) if kind == NoticeKind.REMINDER else people.escalated(duty)
            sent += _send(duty, kind, recipients, people.units[duty.unit_id], now)
            claims += 1
    return sent


def duties_of_units(*, actor, today: dt.date | None = None, unit_ids=None) -> list[dict]:
    """For the calendar's lists: per contributed duty and unit the actor may
    view duties of, how many are due and how many late (counts, no names).
    [{"label", "unit_id", "unit", "link", "due", "late", "oldest"}], the most late
    first (link: the source's page of the unit, its `unit_link` detail)."""
    today = today or timezone.localdate()
    visible = access.units_for(actor, access.P_OBLIGATION_VIEW).filter(is_active=True)
    if unit_ids is not None:
        visible = visible.filter(pk__in=unit_ids)
    names = dict(visible.values_list("pk", "name"))
    if not names:
        return []
    rows = []
    for entry in registry.entries(registry.DUTY_SOURCES):
        counts: dict[int, dict] = defaultdict(lambda: {"due": 0, "late": 0, "oldest": None})
        for duty in entry.func(today=today, unit_ids=list(names)):
            row = counts[duty.unit_id]
            row["due" if not duty.late else "late"] += 1
            row["oldest"] = min(row["oldest"] or duty.due_on, duty.due_on)
        label, unit_link = entry.details.get("label", entry.name), entry.details.get("unit_link")
        for unit_id, row in counts.items():
            link = unit_link(unit_id) if unit_link else ""
            rows.append({"label": str(label), "unit_id": unit_id, "unit": names[unit_id], "link": link, **row})
    rows.sort(key=lambda r: (-r["late"], r["oldest"], r["unit"]))
    return rows


def duty_counts_text(row: dict) -> str:
    """“3 due, 1 late” for a row of `duties_of_units`."""
    parts = [ngettext("%(count)s due", "%(count)s due", row["due"]) % {"count": row["due"]}] if row["due"] else []
    if row["late"]:
        parts.append(ngettext("%(count)s late", "%(count)s late", row["late"]) % {"count": row["late"]})
    return ", ".join(parts)
