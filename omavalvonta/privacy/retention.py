"""Retention: the table of periods (the defaults with the DPO's changes), the
monthly proposal of what falls due and the destruction of an approved run.

Both halves run in the worker (the job `privacy.retention`), never in a request:
the DPO's approval is the only step taken on a page.

- Proposal: once a month (DestructionRun.month is unique, so two workers propose
  once) every record type of registry.RETENTION lists its records whose period
  ended before today, capped at PROPOSE_LIMIT each. Records under a legal hold
  are left out. The run waits for the DPO in state "proposed".
- Destruction: the items of an approved run are claimed in batches
  (select_for_update(skip_locked=True): two workers never take one item), each
  checked against the legal holds again (a hold set after the proposal wins),
  destroyed through the owner's `destroy`, and recorded in DestructionRecord
  (type, identifier, dates, approver, run; never the content). Areas that refer
  to a destroyed record by type and id are told (registry.RECORD_DESTROYED).
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _, ngettext

from omavalvonta.core import registry
from omavalvonta.core.lib.dates import add_months
from omavalvonta.core.services import audit_event_record
from omavalvonta.privacy.models import (
    DestructionItem,
    DestructionRecord,
    DestructionRun,
    ItemState,
    LegalHold,
    RetentionRule,
    RunState,
)
from omavalvonta.privacy.retention_defaults import DEFAULTS

PROPOSE_LIMIT = 5000  # records of one type in one run; the rest fall due next month
DESTROY_BATCH = 200


def record_types() -> list[registry.Entry]:
    return registry.entries(registry.RETENTION)


def record_type_label(record_type: str) -> str:
    entry = registry.get(registry.RETENTION, record_type)
    return str(entry.label) if entry else record_type


def period_text(months: int | None) -> str:
    """A period in words: whole years as years, else months."""
    if months is None:
        return ""
    if months % 12 == 0:
        return ngettext("%(n)s year", "%(n)s years", months // 12) % {"n": months // 12}
    return ngettext("%(n)s month", "%(n)s months", months) % {"n": months}


def table() -> list[dict]:
    """Each registered record type with its period in force: the DPO's setting
    or the default, the event it counts from and the source."""
    rules = {r.record_type: r for r in RetentionRule.objects.select_related("changed_by")}
    rows = []
    for entry in record_types():
        default = DEFAULTS.get(entry.name)
        rule = rules.get(entry.name)
        rows.append({
            "record_type": entry.name,
            "label": entry.label,
            "event": entry.event,
            "default_months": default.months if default else None,
            "source": default.source if default else "",
            "rule": rule,
            "months": rule.months if rule else (default.months if default else None),
            "period": period_text(rule.months if rule else (default.months if default else None)),
            "default_period": period_text(default.months if default else None),
        })
    return rows


def months_in_force(record_type: str) -> int | None:
    rule = RetentionRule.objects.filter(record_type=record_type).values_list("months", flat=True).first()
    if rule is not None:
        return rule
    default = DEFAULTS.get(record_type)
    return default.months if default else None


def held_keys(pairs) -> set[tuple[str, int]]:
    """Of (record type, id) pairs, those under an active legal hold."""
    pairs = {(t, int(i)) for t, i in pairs if t and i is not None}
    if not pairs:
        return set()
    by_type: dict[str, set[int]] = {}
    for record_type, record_id in pairs:
        by_type.setdefault(record_type, set()).add(record_id)
    q = Q()
    for record_type, ids in by_type.items():
        q |= Q(record_type=record_type, record_id__in=ids)
    return set(LegalHold.objects.filter(q, lifted_at__isnull=True).values_list("record_type", "record_id"))


def _month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _is_held(held: set, key: tuple, case) -> bool:
    """Is the record `key` or the case it belongs to under a legal hold?"""
    return key in held or bool(case and (case[0], case[1]) in held)


def _due_items(entry, today: dt.date) -> list[DestructionItem]:
    """The record type's records past their period and not held (unsaved items)."""
    months = months_in_force(entry.name)
    if months is None:
        return []
    due = list(entry.func(cutoff=add_months(today, -months), limit=PROPOSE_LIMIT))
    held = held_keys([(entry.name, d.id) for d in due] + [d.case for d in due if d.case])
    return [
        DestructionItem(
            record_type=entry.name, record_id=d.id, unit_id=d.unit_id, dated=_as_date(d.dated),
            due_on=add_months(_as_date(d.dated), months),
            case_type=d.case[0] if d.case else "", case_id=d.case[1] if d.case else None,
        )
        for d in due if not _is_held(held, (entry.name, d.id), d.case)
    ]


def propose(*, today: dt.date | None = None) -> DestructionRun | None:
    """This month's run, if it has not been proposed yet; None when it was or
    when nothing falls due."""
    today = today or timezone.localdate()
    month = _month_start(today)
    if DestructionRun.objects.filter(month=month).exists():
        return None
    items = [item for entry in record_types() for item in _due_items(entry, today)]
    if not items:
        return None
    try:
        with transaction.atomic():
            run = DestructionRun.objects.create(month=month)
            for item in items:
                item.run = run
            DestructionItem.objects.bulk_create(items, batch_size=1000)
            audit_event_record(actor=None, verb="retention.run_proposed", target=run, items=len(items))
            _tell_the_dpos(run, len(items))
    except IntegrityError:
        return None  # another worker proposed this month's run first
    return run


def _tell_the_dpos(run: DestructionRun, count: int) -> None:
    """The data-protection officers hear that a run waits for approval (counts
    and a link only; no record's content)."""
    from django.urls import reverse

    from omavalvonta.notifications.services import notification_enqueue
    from omavalvonta.organisation import access_people
    from omavalvonta.organisation.models import Role

    values = {"month": f"{run.month.month}/{run.month.year}", "count": count}
    for person in access_people.people_holding([Role.DATA_PROTECTION_OFFICER]).order_by("pk"):
        notification_enqueue(
            recipient=person, kind="retention.run_proposed",
            subject=_("Destruction run %(month)s waits for your approval") % values,
            body=ngettext(
                "%(count)s record has reached the end of its retention period. Preview the run and approve or cancel it.",
                "%(count)s records have reached the end of their retention period. Preview the run and approve or cancel it.",
                count,
            ) % values,
            link=reverse("privacy:run", args=[run.pk]),
        )


def _as_date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return timezone.localdate(value) if timezone.is_aware(value) else value.date()
    return value


def _destroy_batch(run: DestructionRun) -> int:
    """Claim and destroy one batch of the run's pending items. Returns the
    number of items handled (0: nothing left to claim)."""
    with transaction.atomic():
        claimed = list(
            DestructionItem.objects.select_for_update(skip_locked=True)
            .filter(run=run, state=ItemState.PENDING)
            .order_by("record_type", "pk")[:DESTROY_BATCH]
        )
        if not claimed:
            return 0
        held = held_keys(
            [(i.record_type, i.record_id) for i in claimed]
            + [(i.case_type, i.case_id) for i in claimed if i.case_type]
        )
        by_type: dict[str, list[DestructionItem]] = {}
        for item in claimed:
            if _is_held(held, (item.record_type, item.record_id), (item.case_type, item.case_id) if item.case_type else None):
                item.state = ItemState.HELD
            else:
                by_type.setdefault(item.record_type, []).append(item)
        records = [record for record_type, items in by_type.items() for record in _destroy_type(run, record_type, items)]
        DestructionItem.objects.bulk_update(claimed, ["state"])
        DestructionRecord.objects.bulk_create(records)
    return len(claimed)


def _destroy_type(run: DestructionRun, record_type: str, items: list[DestructionItem]) -> list[DestructionRecord]:
    """Destroy one type's claimed items through their owner, tell the areas that
    refer to them, mark each item; the records of what was destroyed (unsaved)."""
    entry = registry.get(registry.RETENTION, record_type)
    destroyed = set(entry.destroy(ids=[i.record_id for i in items])) if entry else set()
    if destroyed and entry.details.get("model_label"):
        for hook in registry.entries(registry.RECORD_DESTROYED):
            hook.func(model_label=entry.model_label, ids=sorted(destroyed))
    records = []
    for item in items:
        if item.record_id not in destroyed:
            item.state = ItemState.GONE
            continue
        item.state = ItemState.DESTROYED
        records.append(DestructionRecord(
            record_type=record_type, record_id=item.record_id, unit_id=item.unit_id, dated=item.dated,
            due_on=item.due_on, approved_by_id=run.decided_by_id, run=run,
        ))
    return records


def execute(run: DestructionRun) -> int:
    """Destroy an approved run's pending items; the run is done when none is left.
    Returns the items handled by this call."""
    handled = 0
    while n := _destroy_batch(run):
        handled += n
    if not DestructionItem.objects.filter(run=run, state=ItemState.PENDING).exists():
        finished = DestructionRun.objects.filter(pk=run.pk, state=RunState.APPROVED).update(
            state=RunState.DONE, finished_at=timezone.now()
        )
        if finished:
            counts = dict.fromkeys(ItemState.values, 0)
            for state in DestructionItem.objects.filter(run=run).values_list("state", flat=True):
                counts[state] += 1
            audit_event_record(actor=None, verb="retention.run_done", target=run, **counts)
    return handled


def retention_job(*, now: dt.datetime | None = None) -> int:
    """The worker's job: propose this month's run, destroy the approved ones.
    Returns the records proposed and handled."""
    now = now or timezone.now()
    done = 0
    run = propose(today=timezone.localdate(now))
    if run is not None:
        done += run.items.count()
    for approved in DestructionRun.objects.filter(state=RunState.APPROVED).order_by("month"):
        done += execute(approved)
    return done
