"""Plug points: how one area contributes to another without importing it.

A slot is a named table of entries (name -> callable, with a few keyword
details the consumer reads). The area that owns the data registers its entry
from its AppConfig.ready(); the area that shows it reads the slot and imports
nothing of the owner. Both know only the slot's name, which lives here.

    # risks/apps.py (the owner)
    registry.register(registry.DEVIATION_PANELS, "risks", risks_panel, order=10)

    # deviations/views/detail.py (the consumer)
    for entry in registry.entries(registry.DEVIATION_PANELS): ...

Registering the same name in a slot again replaces the entry (in its place), so
a test can swap one in and restore the table with `restore(slot, before)`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

# The slots. Each says what its callables are called with and return.

# Items that wait for a meeting: func(*, actor, unit) -> iterable of proposals
# (see meetings.agenda); details: kind, meeting_kinds, once.
AGENDA_SOURCES = "meetings.agenda_sources"
# Records that can fulfil a quality-calendar duty: func(actor, unit) -> iterable
# of (object, label, url); details: model_label, group_label.
EVIDENCE_SOURCES = "yearclock.evidence_sources"
EVIDENCE_LIMIT = 30  # records offered per source
# Panels on a deviation's page, shown to those who see its handling:
# func(*, actor, deviation) -> {"template": ..., **context}, or None for nothing.
# A func made with core.lib.counts.counts_first is asked its `declare` form: the
# page counts every panel's rows in one statement and reads rows only where any.
DEVIATION_PANELS = "deviations.panels"
# What other areas do when a unit is created or changed: func(*, unit, created),
# run after the unit's transaction commits (organisation.hooks).
UNIT_SAVED = "organisation.unit_saved"
# What other areas do when a meeting's minutes are closed: func(*, actor, meeting),
# run inside that transaction, each in a savepoint (meetings.hooks).
MINUTES_CLOSED = "meetings.minutes_closed"
# The notification outbox (one entry): func(**notification) as
# notifications.services.notification_enqueue takes it.
OUTBOX = "notifications.outbox"
# The children a record (a deviation report) concerns, from the unit's current
# placements (clients). One provider each; without one, no record names a child.
# func(*, actor, unit) -> list of (placement id, label): the children `actor` may name in `unit`.
CHILD_CHOICES = "clients.child_choices"
# func(*, actor, record, unit, ids) -> None: record that `record` concerns those
# children (a ValidationError keyed "children" on a choice that is not allowed).
CHILDREN_NAME = "clients.children_name"
# func(*, actor, record) -> {"labels": [...], "count": n, "county_ids": [...],
# "contacts": [(key, name, e-mail, county id)]}: who must hear about the record's
# children (their placing counties and responsible social workers); labels name
# the children only to an actor who may see them.
CHILDREN_RECIPIENTS = "clients.children_recipients"
# Panels on a child's page (clients), shown to those who see the child:
# func(*, actor, placement, request) -> {"template": ..., **context}, or None.
CHILD_PANELS = "clients.child_panels"
# Documents a child's social worker downloads with a one-time code (clients'
# SocialWorkerDelivery): func(*, delivery) -> (file name, PDF bytes), produced at
# download time from delivery.params; details: title (the document's name, no child data).
SOCIAL_WORKER_DOCUMENTS = "clients.social_worker_documents"
# Duties another area keeps that the quality calendar reminds of and escalates
# like its own (a child's functional-capacity measurement due every three
# months): func(*, today, unit_ids=None) -> iterable of `Duty` (unit_ids: only
# those units; None: every active unit). Details: label (the kind of duty, shown
# in the calendar's lists; lazy text), remind_days_before, unit_link
# (func(unit_id) -> the owner's page of the unit's duties, optional).
# An organisation-wide duty (the information-security plan's annual review, the
# group programme's four-monthly review) has unit_id None and comes from a source
# registered with organisation=True and roles (the roles whose holders, anywhere
# in the organisation, are reminded: ("data_protection_officer", ...)); it is
# escalated to escalate_roles (default: the management group, else the
# administrators). Such a source is called with unit_ids=None only. An
# organisation-wide duty with an owner_id (an organisation's tracked document)
# is reminded to the owner, and once late escalated to the holders of `roles`
# with the owner. A unit's source may also give `counts` (func(*, today,
# unit_ids) -> a values() queryset, one row per unit with any of the source's
# duties: unit_id, due (not late), late, oldest (the earliest due date)): the
# same duties counted in the database, which the calendar's lists read instead
# of making every duty (the counts of all such sources come in one statement,
# kept compiled: yearclock/counted.py). `counts` builds from `today` and
# `unit_ids` alone, reads nothing while building and uses the ids only as
# filter operands; otherwise its SQL is built again on every request.
DUTY_SOURCES = "yearclock.duty_sources"


def duty_counts(duties, *, due_field: str, today):
    """A DUTY_SOURCES `counts` result from a queryset of a source's duties (the
    rows its func would make duties of): one row per unit with unit_id, due
    (not late), late and oldest, counted by the date in `due_field`."""
    from django.db.models import Count, Min, Q

    return (
        duties.values("unit_id")
        .annotate(
            due=Count("pk", filter=Q(**{f"{due_field}__gte": today})),
            late=Count("pk", filter=Q(**{f"{due_field}__lt": today})),
            oldest=Min(due_field),
        )
        .order_by()
    )
# Figures of other areas that the four-monthly follow-up report and a unit's
# self-supervision plan show in a section of their own: func(*, actor,
# unit=None, period_start=None, period_end=None) -> dict (empty: nothing to
# show). Details: title (lazy text). The dict is plain JSON (an approved plan
# keeps it); its shape is the provider's own ("effectiveness": outcomes;
# "restrictions": counts by type and region, under five None).
REPORT_SECTIONS = "plans.report_sections"

# What an area holds about one person, for the data-protection officer's compile
# of an access request (privacy, GDPR art. 15): func(*, person) -> dict or None
# {"title": text, "items": [{"title": text, "fields": [[label, value], ...]}],
#  "redactions": [{"item": text, "what": text, "reason": text}],
#  "targets": [[app_label, model_name, [ids]]]}: plain text (it is stored as
# JSON and printed); targets are the records whose reads in the access log are
# reads of the person's data ("who has seen my data"). Another person's
# protected identity is never in the items: it is a redaction with its reason.
SUBJECT_DATA = "privacy.subject_data"
# What a data-subject request of type erasure or rectification may change in an
# area (privacy, GDPR arts. 16-17): func(*, person) -> list of `SubjectItem`, the
# items the area holds about the person, each saying whether it may be erased or
# rectified and, when it may not be erased, the legal duty to keep it. Details:
# apply(*, actor, person, key, action, value) -> None: the owning area's own
# service carries out "erase" or "rectify" (with `value`) on the item `key`,
# audited there, inside privacy's transaction; a ValidationError refuses it.
SUBJECT_ACTIONS = "privacy.subject_actions"

# Record types whose retention privacy keeps (the retention table, legal holds,
# the monthly destruction run). The owner of a record type registers one entry
# named by the type, with:
#   func(*, cutoff: date, limit: int) -> list of `RetentionDue`: the records
#     whose counting event fell before `cutoff` (ids, dates and unit; never content),
#   details: label (lazy text, plural), event (lazy text: what the period counts
#     from), destroy (func(*, ids) -> list of the ids destroyed, through the
#     owner's own services, files too; ids already gone are left out),
#     model_label ("app_label.model": the record's type in other areas' references),
#     part_of (optional: the record type whose destruction takes these records
#     along, e.g. a report's attachments; their period may not be longer).
RETENTION = "privacy.retention"
# What areas that refer to another area's record by type and id (a child's
# mention, an action's source, an agenda item's source) do when the record is
# destroyed: func(*, model_label, ids) -> None, inside the destroying transaction.
RECORD_DESTROYED = "privacy.record_destroyed"


@dataclass(frozen=True)
class RetentionDue:
    """One record due for destruction: its id, the date its period counts from,
    its unit (None: organisation-level) and the case it belongs to (record type,
    id) when a legal hold on the case must stop it too."""

    id: int
    dated: Any
    unit_id: int | None = None
    case: tuple[str, int] | None = None


@dataclass(frozen=True)
class SubjectItem:
    """One item an area holds about a person that a rectification or erasure
    request may touch. `key` is stable within the area's entry; `value` is the
    current value as the person may be told it; `keep` names the legal duty that
    stops erasure (empty: none); `erase`/`rectify` say what the area can do."""

    key: str
    title: str
    value: str
    erase: bool = False
    rectify: bool = False
    keep: str = ""


@dataclass(frozen=True)
class Duty:
    """One due item of a contributed duty. `key` is stable and unique in its slot
    for one due date (the claim of its reminder and escalation); `late` says the
    due date's grace has passed; `owner_id` is the person reminded (None: the
    unit's leaders); `link` opens the record; `title` names the duty without
    naming a client (it travels in e-mail)."""

    key: str
    unit_id: int | None
    title: str
    due_on: Any
    late: bool
    link: str
    owner_id: int | None = None
# What other areas do when a person leaves a unit: func(*, actor, person, unit)
# after one of their memberships in `unit` is removed (unit None: the person was
# deactivated, every unit). Run inside organisation's transaction, after the
# membership is gone (organisation.services.people). (people: the leaver's open
# orientation ends, their mentor duties pass to the unit's supervisor.)
MEMBERSHIP_ENDED = "organisation.membership_ended"
# Facts a self-supervision plan's section takes from another area, by the entry's
# name (a plans.LiveFact value): func(*, unit, actor) -> a JSON-able dict, counts
# only (the approved plan is public). (people: "staffing"; audits:
# "information_systems"; restrictions: "restrictions")
PLAN_FACTS = "plans.facts"
# What other areas show beside a team's half-year goals (feedback's team goals
# page): func(*, actor, unit, period_start, period_end) -> a dict, or None to
# leave it out (the provider checks the actor's rights in the unit). Details:
# template (the area's block, rendered with f = the data), title (lazy text).
# (meetings: the children's meetings of the half-year.)
TEAM_FACTS = "feedback.team_facts"
# Blocks of the home page (what is waiting for the person in each area):
# func(*, actor, today) -> the block's data, falsy when there is nothing to show
# (the area's own selector decides what the actor may see, in a fixed number of
# queries). Details: template (the area's block, rendered with b = the data).
# The order places the blocks; the entry's name keys the data in the page's
# context ("waiting").
HOME_BLOCKS = "dashboards.home_blocks"
# Records of other areas from which a deviation report can be started when
# something went wrong (a restrictive measure), keyed by the entry's name; the
# report form carries "name:id" (an id, never client data). Details:
# prefill(*, actor, ref) -> None when `actor` may not start a report from record
# `ref`, else {"label": text naming the record without a child's name, "unit": Unit,
# "kind": deviations Kind value, "occurred_at": datetime, "children": [placement
# ids], "fields": {report form field: value}}; func(*, actor, ref, deviation) links
# the new report to the record, inside the report's transaction (a
# ValidationError refuses the report).
REPORT_ORIGINS = "deviations.report_origins"

# What happened in one unit, for its timeline (dashboards): func(*, actor, unit,
# after, before) -> list of `TimelinePart`, each a kind of event as an ordered
# queryset reading only what `actor` may see in `unit` through the access kernel,
# with after <= at < before (either None: open); none when `actor` sees nothing
# of the area there. The page reads every part of every area in one query
# (core.lib.compound.newest_of_union) and makes entries only of the rows it
# shows. Titles name records by their kind and the staff's own titles, never a
# child or a reporter (counts only for children's data). Details: label (lazy
# text: the area's name in the page's filter).
UNIT_TIMELINE = "dashboards.unit_timeline"

# Where a learning review (learning) can be opened from, keyed by the entry's
# name; the review form carries "name:id" (an id, never client data), e.g.
# "theme:12" from a theme across units. func(*, actor, ref) -> None when there is
# no such record or `actor` may not open a review from it, else {"title": a
# suggested title naming no child or reporter, "deviation_ids": [deviations the
# review starts with, only ones `actor` may see], "units": [Unit, ...]}.
LEARNING_ORIGINS = "learning.review_origins"

# Records of other areas that can prompt a goal of a unit's action plan
# (improvement: linked to a goal, or a goal started from one), keyed by the entry's
# name, which is the improvement SourceKind value ("deviation", "audit",
# "complaint", "feedback"); the page carries "name:id" (an id, never client data).
# func(*, actor, ref) -> None when there is no such record or `actor` may not open
# its page, else {"record": the model instance (its content type and id are
# kept), "unit": Unit, "label": text naming the record without a child or a
# reporter (kept as a snapshot), "url": its page}. Details: links(ids) -> {id:
# the record's page} for the plan's follow-up, in at most one query whatever the
# number (the page checks access itself; a missing id: no link); label (lazy
# text: the kind of record).
GOAL_PROMPTS = "improvement.goal_prompts"

# What search (search) finds in each area, within the searcher's scope:
# func(*, actor, query, limit) -> list of `SearchHit`, best first, at most
# `limit`, reading only what `actor` may see through the access kernel (a fixed
# number of queries whatever the data). `query` is a `SearchQuery` of the search
# area (the raw text and its Finnish stems). The provider writes the access-log
# rows for personal data it returns. Details: label (lazy text: the area's name
# in the page's filter).
SEARCH_SOURCES = "search.sources"

# The purchasing county's own view and the open API (county), scoped by the
# access kernel (organisation.access_county). Nothing in these names a child or a
# reporter.
# The units where a county has children placed now (clients): func(*, county_id,
# today) -> a queryset of unit ids (values_list), used as a subquery by
# access_county.county_units (one query with the units the county purchases from).
COUNTY_PLACEMENTS = "county.placements"
# The statutory notifications and § 29 grievances sent to a county (deviations,
# one provider): func(*, county, newest=None) -> a values() queryset, one row per
# report, newest first (with `newest`: that many newest only), with the keys deviation_id, number, kind, state, closed_at,
# unit_id, unit_name, legal_basis, first_sent, correction_due, messages (the
# provider filters by access_county.notifications_for). Details: labels() ->
# {"kind": {...}, "state": {...}} (code -> label in the active language);
# detail(*, county, deviation_id) -> the row with "subject" and "body" of the
# message the county received, or None (another county's: the view's 404).
COUNTY_NOTIFICATIONS = "county.notifications"
# Figures of an area for a county's units (the county's view and the API's
# figures): func(*, county, unit_ids, period_start, period_end) -> dict of plain
# JSON ("figures") for the area's own template, falsy to leave it out; counts
# only, a group under five hidden (None). Details: title (lazy text), template.
# Providers: feedback, restrictions (measures on the county's own children),
# learning (the summaries shared with the county's units).
COUNTY_SECTIONS = "county.sections"


@dataclass(frozen=True)
class Entry:
    name: str
    func: Callable[..., Any]
    order: int = 0
    details: dict[str, Any] = field(default_factory=dict)

    def __getattr__(self, item):
        # The details read as attributes: entry.kind, entry.meeting_kinds.
        try:
            return self.__dict__["details"][item]
        except KeyError:
            raise AttributeError(item) from None


_SLOTS: dict[str, list[Entry]] = {}


def register(slot: str, name: str, func: Callable, *, order: int = 0, **details) -> Callable:
    """Add `func` to `slot` under `name` (replacing an entry of that name).
    Entries are read in `order`, then in the order they were added."""
    entry = Entry(name=name, func=func, order=order, details=details)
    entries = _SLOTS.setdefault(slot, [])
    for i, existing in enumerate(entries):
        if existing.name == name:
            entries[i] = entry
            break
    else:
        entries.append(entry)
    return func


def entries(slot: str) -> list[Entry]:
    """The slot's entries, by `order` (stable: equal orders keep their turn)."""
    return sorted(_SLOTS.get(slot, ()), key=lambda e: e.order)


def get(slot: str, name: str) -> Entry | None:
    return next((e for e in _SLOTS.get(slot, ()) if e.name == name), None)


def one(slot: str) -> Callable:
    """The single callable of a slot that has one provider (the outbox)."""
    found = _SLOTS.get(slot) or []
    if len(found) != 1:
        raise LookupError(f"{slot}: expected one provider, found {len(found)}")
    return found[0].func


def snapshot(slot: str) -> list[Entry]:
    """The slot as it is now, for `restore` (tests that add an entry for a while)."""
    return list(_SLOTS.get(slot, ()))


def restore(slot: str, saved: list[Entry]) -> None:
    _SLOTS[slot] = list(saved)


def first(slot: str) -> Callable | None:
    """The callable of a slot's first entry, or None when nobody provides it
    (an optional plug: the consumer then leaves the feature out)."""
    found = entries(slot)
    return found[0].func if found else None


@dataclass(frozen=True)
class TimelineEntry:
    """One event of a unit's timeline (UNIT_TIMELINE): when (an aware datetime;
    a day's event at the day's start), the area (the provider's name), what kind
    of event (a short key of the provider's own), a title that names no child
    and no reporter, and the record's page (None: nothing to open)."""

    at: Any
    area: str
    kind: str
    title: str
    link: str | None = None


@dataclass(frozen=True)
class TimelinePart:
    """One kind of event a UNIT_TIMELINE provider contributes. `rows`: a
    `values_list` queryset ordered newest first (not sliced) whose first column
    is the event's time -- an aware datetime, or a date when `day` (the day's
    event at its start in Helsinki, `core.lib.dates.day_start`) -- and whose
    other columns are integers, text, booleans or null (they may come back
    through JSON); or those rows kept compiled (`core.lib.compound.shaped`,
    which a provider may hand its parts to). `entry(at, *values)` makes the
    row's `TimelineEntry`, `at` an aware datetime; it is called only for the
    rows a page shows."""

    rows: Any
    entry: Callable
    day: bool = False


@dataclass(frozen=True)
class SearchHit:
    """One search result (SEARCH_SOURCES): the area (the provider's name), the
    record's title and a short snippet (no protected reporter's identity), when
    (an aware datetime or None), the record's page, and a score (higher first)."""

    area: str
    title: str
    snippet: str
    link: str
    at: Any = None
    score: float = 0.0

    @classmethod
    def of_texts(cls, query, texts, shown: str, *, redact=(), **fields) -> SearchHit:
        """The hit of a record whose `texts` matched `query`: scored on them all,
        its snippet from the text `shown` (with the names `redact` hidden)."""
        from omavalvonta.core.lib import textsearch

        return cls(
            snippet=textsearch.snippet(shown, query, redact=redact), score=textsearch.score(texts, query), **fields
        )
