"""Duties other areas keep (core.registry DUTY_SOURCES), reminded of and
escalated like the calendar's own: a child's functional-capacity measurement
due every three months is one. The owner of the data says what is due and
when; the quality calendar says who hears of it and makes sure each reminder
and escalation goes out once (a claim row committed with its outbox rows).

Who hears: the duty's named owner (a child's personal worker), else the unit's
leaders (supervisor, responsible person), on the reminder day; once the grace
has passed, one level up: the unit's leaders when a worker was reminded, else
the unit's managers (responsible person, regional director), else the quality
director. An organisation-wide duty (unit None: the information-security plan's
annual review) is reminded to the holders of its source's `roles` (a duty that
names an owner: to the owner, or with `owner_with_roles` to the owner and the
role holders, as the readiness group's chair) and escalated
to its `escalate_roles` (the management group, else the administrators)."""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.urls import get_script_prefix, get_urlconf
from django.utils import timezone, translation
from django.utils.translation import gettext as _, ngettext

from omavalvonta.core import registry
from omavalvonta.core.lib.dates import fi_date
from omavalvonta.core.services import audit_event_record
from omavalvonta.notifications.services import notification_enqueue
from omavalvonta.organisation import access, access_people
from omavalvonta.organisation.models import Role, Unit
from omavalvonta.organisation.selectors import unit_managers
from omavalvonta.yearclock import counted, facts
from omavalvonta.yearclock.models import DutyNotice, NoticeKind
from omavalvonta.yearclock.reminders import _quality_directors, _unit_leaders
from omavalvonta.yearclock.services import JOB_BATCH

DEFAULT_REMIND_DAYS = 14
# Who hears of an organisation-wide duty that is late, when its source names nobody.
DEFAULT_ESCALATE_ROLES = (Role.MANAGEMENT_GROUP,)


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
        self.units = Unit.objects.select_related("region").in_bulk({d.unit_id for d in duties if d.unit_id})
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


class _OrganisationPeople:
    """Who hears of a source's organisation-wide duties: the holders of its
    roles, and above them the holders of its escalation roles. A duty with an
    owner (an organisation-level document's) is reminded to the owner; once
    late it goes to the holders of the source's roles (else its escalation
    roles) with the owner."""

    def __init__(self, entry):
        self.roles = tuple(entry.details.get("roles", ()))
        # `owner_with_roles`: the owner is reminded with the role holders (the
        # readiness group's chair beside the quality director), and escalation
        # goes above both; otherwise the owner alone is reminded.
        self.owner_with_roles = bool(entry.details.get("owner_with_roles", False))
        self.escalate_roles = tuple(entry.details.get("escalate_roles", DEFAULT_ESCALATE_ROLES))
        self._holders: list | None = None
        self._escalated: list | None = None
        self._owners: dict = {}

    def _owner(self, duty):
        if not duty.owner_id:
            return None
        if duty.owner_id not in self._owners:
            self._owners[duty.owner_id] = get_user_model().objects.filter(pk=duty.owner_id, is_active=True).first()
        return self._owners[duty.owner_id]

    def _role_holders(self) -> list:
        if self._holders is None:
            self._holders = list(access_people.people_holding(self.roles).order_by("full_name", "pk"))
        return self._holders

    def _above(self, excluded: set) -> list:
        above = access_people.people_holding(self.escalate_roles).order_by("full_name", "pk")
        return [p for p in above if p.pk not in excluded] or [
            p for p in access_people.people_holding([Role.ADMINISTRATOR]).order_by("full_name", "pk")
            if p.pk not in excluded
        ]

    def reminded(self, duty) -> list:
        owner = self._owner(duty)
        if owner is None:
            return self._role_holders()
        if self.owner_with_roles:
            return [owner, *[p for p in self._role_holders() if p.pk != owner.pk]]
        return [owner]

    def escalated(self, duty) -> list:
        owner = self._owner(duty)
        if owner is not None and self.owner_with_roles:
            reminded = self.reminded(duty)
            return self._above({p.pk for p in reminded}) + reminded
        if owner is not None:
            above = [p for p in self._role_holders() if p.pk != owner.pk] or self._above({owner.pk})
            return above + [owner]
        if self._escalated is None:
            reminded = {p.pk for p in self._role_holders()}
            # Those who should have done it hear again with those above them.
            self._escalated = self._above(reminded) + self._role_holders()
        return self._escalated


def _texts(kind: str, duty, unit) -> tuple[str, str]:
    values = {"title": duty.title, "unit": unit.name if unit else "", "date": fi_date(duty.due_on)}
    if unit is None:
        if kind == NoticeKind.REMINDER:
            return _("Due by %(date)s: %(title)s") % values, _("%(title)s is due by %(date)s.") % values
        return (
            _("Late: %(title)s (due %(date)s)") % values,
            _("%(title)s was due by %(date)s and has not been done.") % values,
        )
    if kind == NoticeKind.REMINDER:
        return _("Due by %(date)s: %(title)s, %(unit)s") % values, _("%(title)s of %(unit)s is due by %(date)s.") % values
    return (
        _("Late: %(title)s, %(unit)s (due %(date)s)") % values,
        _("%(title)s of %(unit)s was due by %(date)s and has not been done.") % values,
    )


def _send(duty, kind: str, recipients: list, unit, now) -> int:
    with transaction.atomic():
        # Claim and outbox rows commit together: each goes out exactly once.
        notice = _claim(duty, kind, now, recipients)
        if notice is None:
            return 0
        subject, body = _texts(kind, duty, unit)
        for person in recipients:
            notification_enqueue(
                recipient=person, kind="duty.reminder" if kind == NoticeKind.REMINDER else "duty.late",
                subject=subject, body=body, link=duty.link, digestible=kind == NoticeKind.REMINDER,
            )
        audit_event_record(
            actor=None, verb=f"duty.{'reminded' if kind == NoticeKind.REMINDER else 'escalated'}",
            target=notice, unit=unit, recipients=[p.pk for p in recipients],
        )
    return len(recipients)


def _reminder_due(duty, today: dt.date, remind_days: int) -> bool:
    """Whether a duty is within its reminder days, or late."""
    return duty.late or (duty.due_on - today).days <= remind_days


def _waiting_notices(duties: list, room: int) -> list:
    """(duty, kind) of the notices not yet claimed: every duty's reminder and a
    late duty's escalation, at most `room` of them."""
    claimed = set(
        DutyNotice.objects.filter(due_on__gte=min(d.due_on for d in duties)).values_list("key", "kind")
    )
    return [
        (d, kind)
        for d in duties
        for kind in (NoticeKind.REMINDER, NoticeKind.ESCALATION)
        if (d.key, kind) not in claimed and (kind == NoticeKind.REMINDER or d.late)
    ][: max(0, room)]


def _notify_waiting(entry, waiting: list, now) -> int:
    """Send a source's waiting notices to those who hear of them; notifications queued."""
    organisation_wide = entry.details.get("organisation", False)
    people = _OrganisationPeople(entry) if organisation_wide else _People([d for d, _k in waiting])
    sent = 0
    for duty, kind in waiting:
        recipients = people.reminded(duty) if kind == NoticeKind.REMINDER else people.escalated(duty)
        unit = None if organisation_wide else people.units[duty.unit_id]
        sent += _send(duty, kind, recipients, unit, now)
    return sent


def duties_remind_and_escalate(*, now: dt.datetime | None = None) -> int:
    """The periodic job: for every contributed duty, the reminder on its
    reminder day (or at once when it is already late) and the escalation once
    it is late, each once, at most JOB_BATCH notices a run. Returns
    notifications queued."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    sent = claims = 0
    for entry in registry.entries(registry.DUTY_SOURCES):
        remind_days = entry.details.get("remind_days_before", DEFAULT_REMIND_DAYS)
        duties = [d for d in entry.func(today=today, unit_ids=None) if _reminder_due(d, today, remind_days)]
        if not duties:
            continue
        waiting = _waiting_notices(duties, JOB_BATCH - claims)
        if not waiting:
            continue
        sent += _notify_waiting(entry, waiting, now)
        claims += len(waiting)
    return sent


def _organisation_entries(actor) -> list:
    """The organisation-wide sources whose duties `actor` hears of (holds one
    of their roles or escalation roles)."""
    found = []
    for entry in registry.entries(registry.DUTY_SOURCES):
        if not entry.details.get("organisation", False):
            continue
        roles = tuple(entry.details.get("roles", ())) + tuple(entry.details.get("escalate_roles", DEFAULT_ESCALATE_ROLES))
        if access.has_role(actor, *roles):
            found.append(entry)
    return found


def organisation_duties(*, actor, today: dt.date | None = None) -> list[dict]:
    """For the calendar's lists and the home page: the organisation-wide duties
    `actor` hears of, open now (due or late), the most late first:
    [{"label", "title", "due_on", "late", "link"}], those within their reminder
    days or late."""
    today = today or timezone.localdate()
    rows = []
    for entry, duties in _organisation_entries_duties(_organisation_entries(actor), today):
        label = entry.details.get("label", entry.name)
        remind_days = entry.details.get("remind_days_before", DEFAULT_REMIND_DAYS)
        for duty in duties:
            if not _reminder_due(duty, today, remind_days):
                continue
            rows.append({"label": str(label), "title": duty.title, "due_on": duty.due_on, "late": duty.late,
                         "link": duty.link})
    rows.sort(key=lambda r: (not r["late"], r["due_on"], r["title"]))
    return rows


def _organisation_entries_duties(entries: list, today: dt.date) -> list[tuple]:
    """[(entry, its duties)]: the facts of every source that declares them read in
    one statement (yearclock/facts.py), each such source's duties made from its
    own; a source without facts gives its duties itself."""
    declaring = [entry for entry in entries if entry.details.get("facts")]

    def build():
        return {
            (entry.name, name): queryset
            for entry in declaring
            for name, queryset in entry.details["facts"](today=today).items()
        }

    sources = tuple((entry.name, id(entry.details["facts"])) for entry in declaring)
    values = facts.kept_first_values(("duty_facts", today, sources), build)
    by_source: dict[str, dict] = {entry.name: {} for entry in declaring}
    for (source, name), value in values.items():
        by_source[source][name] = value
    return [
        (
            entry,
            entry.details["duties_from"](today=today, facts=by_source[entry.name])
            if entry.name in by_source
            else entry.func(today=today, unit_ids=None),
        )
        for entry in entries
    ]


def duties_of_units(*, actor, today: dt.date | None = None, unit_ids=None) -> list[dict]:
    """For the calendar's lists: per contributed duty and unit the actor may
    view duties of, how many are due and how many late (counts, no names).
    [{"label", "unit_id", "unit", "link", "due", "late", "oldest"}], the most late
    first (link: the source's page of the unit, its `unit_link` detail)."""
    today = today or timezone.localdate()
    visible = access.units_for(actor, access.P_OBLIGATION_VIEW).filter(is_active=True)
    if unit_ids is not None:
        visible = visible.filter(pk__any_of=list(unit_ids))
    names = dict(visible.values_list("pk", "name"))
    if not names:
        return []
    entries = [e for e in registry.entries(registry.DUTY_SOURCES) if not e.details.get("organisation", False)]
    # The sources that count in the database, all in one statement kept compiled
    # (yearclock/counted.py); the others' duties are counted here.
    counting = [e for e in entries if e.details.get("counts")]

    def build(ids):
        return {e.name: e.details["counts"](today=today, unit_ids=ids) for e in counting}

    sources = tuple((e.name, id(e.details["counts"])) for e in counting)
    counted_rows = counted.kept_counts(("duty_counts", today, sources), build, list(names))
    rows = []
    for entry in entries:  # organisation_duties lists the organisation-wide ones
        counts = counted_rows.get(entry.name)
        if counts is None:
            counts = _counted_here(entry.func(today=today, unit_ids=list(names)))
        label, unit_link = entry.details.get("label", entry.name), _unit_links(entry.details.get("unit_link"))
        for unit_id, row in counts.items():
            link = unit_link(unit_id) if unit_link else ""
            rows.append({"label": str(label), "unit_id": unit_id, "unit": names[unit_id], "link": link, **row})
    rows.sort(key=lambda r: (-r["late"], r["oldest"], r["unit"]))
    return rows


# A unit id no unit has, to learn a source's `unit_link` once a page.
_LINK_SENTINEL = 987_654_321


def _unit_links(unit_link):
    """`unit_link`, or the same links made from one (the source's page of the
    sentinel unit with the unit's id written in) when the id stands in it once:
    a region's dozens of rows are not each a reverse()."""
    if unit_link is None:
        return None
    parts = _link_parts(unit_link, get_script_prefix(), get_urlconf(), translation.get_language())
    if parts is None:
        return unit_link
    head, tail = parts
    return lambda unit_id: f"{head}{unit_id}{tail}"


@functools.lru_cache(maxsize=256)
def _link_parts(unit_link, _prefix, _urlconf, _language) -> tuple[str, str] | None:
    """(before, after) the sentinel unit's id in its link, or None (kept per
    source and what a reverse() depends on: the script prefix, the URLconf, the
    language)."""
    made, mark = unit_link(_LINK_SENTINEL), str(_LINK_SENTINEL)
    if made.count(mark) != 1:
        return None
    head, tail = made.split(mark)
    return head, tail


def _counted_here(duties) -> dict[int, dict]:
    counts: dict[int, dict] = defaultdict(lambda: {"due": 0, "late": 0, "oldest": None})
    for duty in duties:
        row = counts[duty.unit_id]
        row["due" if not duty.late else "late"] += 1
        row["oldest"] = min(row["oldest"] or duty.due_on, duty.due_on)
    return counts


def source_counts_both_ways(name: str, *, today: dt.date, unit_ids=None) -> tuple[dict, dict]:
    """A source's counts per unit as its `counts` gives them and as counted from
    its duties (for the tests that keep the two the same)."""
    entry = registry.get(registry.DUTY_SOURCES, name)
    in_database = counted.counted_in_database({name: entry.details["counts"](today=today, unit_ids=unit_ids)})[name]
    return in_database, dict(_counted_here(entry.func(today=today, unit_ids=unit_ids)))


def duty_counts_text(row: dict) -> str:
    """“3 due, 1 late” for a row of `duties_of_units`."""
    parts = [ngettext("%(count)s due", "%(count)s due", row["due"]) % {"count": row["due"]}] if row["due"] else []
    if row["late"]:
        parts.append(ngettext("%(count)s late", "%(count)s late", row["late"]) % {"count": row["late"]})
    return ", ".join(parts)
