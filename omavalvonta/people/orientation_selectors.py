"""Reads of orientation (perehdytys), scoped through the access kernel: the
cards, one orientation (its newcomer, its mentor, the unit's leaders; 404 for
anyone else), a unit's orientations with progress, the home page's block, the
late items as quality-calendar duties and the directors' counts (no names).
Each in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from itertools import groupby

from django.db.models import CharField, Count, Exists, F, Min, OuterRef, Q, Value
from django.db.models.functions import Cast, Concat
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _, ngettext

from omavalvonta.core import registry
from omavalvonta.core.lib.counts import CountsFirst, counts_first
from omavalvonta.core.services import access_log_record
from omavalvonta.organisation import access, access_people
from omavalvonta.organisation.models import Role
from omavalvonta.people.models import (
    Orientation,
    OrientationCard,
    OrientationItem,
    OrientationRole,
    OrientationState,
    OrientationTheme,
)

# Who is on a unit's staff (people.selectors.STAFF_ROLES; kept here too: that module imports this one).
STAFF_ROLES = (Role.EMPLOYEE, Role.SUPERVISOR, Role.RESPONSIBLE_PERSON)
OPEN_STATES = (OrientationState.OPEN, OrientationState.EVALUATION)
# The unit's competence page shows the orientations of those who started in the last six months.
RECENT_DAYS = 183
HOME_ROWS = 6


def _today(today=None) -> dt.date:
    return today or timezone.localdate()


def undone_q(prefix: str = "") -> Q:
    """Items not yet done: not ticked, or ticked but waiting for the newcomer's acknowledgement."""
    return Q(**{f"{prefix}ticked_at__isnull": True}) | Q(
        **{f"{prefix}card_item__needs_ack": True, f"{prefix}acknowledged_at__isnull": True}
    )


def _with_done(rows: list) -> list:
    for o in rows:
        o.n_done = o.n_items - o.n_undone
    return rows


def with_progress(queryset, today):
    """Orientations annotated with their items: total, done, late (the target day
    passed, not done) and waiting for the newcomer's acknowledgement."""
    return queryset.annotate(
        n_items=Count("items", distinct=True),
        n_undone=Count("items", distinct=True, filter=undone_q("items__")),
        n_late=Count("items", distinct=True, filter=undone_q("items__") & Q(items__due_on__lt=today)),
        n_to_ack=Count("items", distinct=True, filter=Q(
            items__card_item__needs_ack=True, items__acknowledged_at__isnull=True)),
    )


# --- Cards -------------------------------------------------------------------------------------------


def card_current(role: str) -> OrientationCard | None:
    """The role's newest published card: the one new orientations take."""
    return OrientationCard.objects.filter(for_role=role, published_at__isnull=False).order_by("-version").first()


def cards_overview() -> list[dict]:
    """Per role: the card in use and the draft, if any. One query."""
    cards = list(OrientationCard.objects.annotate(n=Count("items")).order_by("for_role", "-version"))
    rows = []
    for role, label in OrientationRole.choices:
        mine = [c for c in cards if c.for_role == role]
        rows.append({
            "role": role, "label": label,
            "current": next((c for c in mine if not c.is_draft), None),
            "draft": next((c for c in mine if c.is_draft), None),
            "versions": len(mine),
        })
    return rows


def card_get(pk) -> OrientationCard:
    card = OrientationCard.objects.filter(pk=pk).first()
    if card is None:
        raise Http404
    return card


def card_items_by_theme(card) -> list[tuple[str, list]]:
    return _by_theme(list(card.items.all()), key=lambda i: i.theme)


def _by_theme(items, *, key) -> list[tuple[str, list]]:
    order = {theme: n for n, theme in enumerate(OrientationTheme.values)}
    labels = dict(OrientationTheme.choices)
    items = sorted(items, key=lambda i: order.get(key(i), 99))
    return [(labels.get(theme, theme), list(group)) for theme, group in groupby(items, key=key)]


# --- One orientation ---------------------------------------------------------------------------------


def may_view(actor, orientation) -> bool:
    return actor.pk in (orientation.newcomer_id, orientation.mentor_id) or access.can(
        actor, access.P_COMPETENCE_VIEW, orientation.unit
    )


def orientation_get(*, actor, pk, request=None) -> Orientation:
    """An orientation its newcomer, its mentor or the unit's leaders may read;
    404 for anyone else (another unit's orientation is unknown). Reading it
    writes an access-log row."""
    try:
        orientation = Orientation.objects.select_related("unit", "newcomer", "mentor", "card").get(pk=int(pk))
    except (Orientation.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None
    if not may_view(actor, orientation):
        raise Http404
    if request is not None:
        access_log_record(actor=actor, target=orientation, what="competence.orientation",
                          right=access.P_COMPETENCE_VIEW, unit=orientation.unit, request=request)
    return orientation


def orientation_item_get(orientation, item_id) -> OrientationItem | None:
    try:
        return orientation.items.select_related("card_item", "orientation__unit").get(pk=int(item_id))
    except (OrientationItem.DoesNotExist, ValueError, TypeError, OverflowError):
        return None


def orientation_page(*, actor, orientation, today=None) -> dict:
    """The checklist by theme with each item's state, the progress and the evaluations."""
    today = _today(today)
    items = list(orientation.items.select_related("card_item", "ticked_by"))
    for item in items:
        item.is_late = not item.done and item.due_on < today
    evaluations = list(orientation.evaluations.select_related("author"))
    done = sum(1 for i in items if i.done)
    return {
        "groups": _by_theme(items, key=lambda i: i.card_item.theme),
        "total": len(items),
        "done": done,
        "late": sum(1 for i in items if i.is_late),
        "percent": round(100 * done / len(items)) if items else 100,
        "evaluations": evaluations,
        "all_done": done == len(items),
    }


# --- A unit's orientations ---------------------------------------------------------------------------


def unit_orientations(*, actor, unit, today=None, recent_only: bool = False) -> list[Orientation]:
    """The unit's orientations with their progress (the unit's leaders): open
    first, then the newest. `recent_only`: those started in the last six months.
    One query."""
    access.require(actor, access.P_COMPETENCE_VIEW, unit)
    today = _today(today)
    qs = Orientation.objects.filter(unit=unit)
    if recent_only:
        qs = qs.filter(started_on__gte=today - dt.timedelta(days=RECENT_DAYS))
    rows = list(with_progress(qs, today).select_related("newcomer", "mentor", "card").order_by("-started_on", "-id"))
    rows.sort(key=lambda o: (not o.is_open,))
    return _with_done(rows)


def orientation_counts(*, units, key: str = "unit_id", today=None) -> dict:
    """Per unit (or `key`="unit__region_id": per region) of the given unit ids:
    orientations started in the last six months, those in progress and those
    with late items. Counts, no names. One query."""
    today = _today(today)
    late = Q(state__in=OPEN_STATES) & undone_q("items__") & Q(items__due_on__lt=today)
    rows = (
        Orientation.objects.filter(unit_id__in=units, started_on__gte=today - dt.timedelta(days=RECENT_DAYS))
        .values(key)
        .annotate(
            started=Count("id", distinct=True),
            in_progress=Count("id", distinct=True, filter=Q(state__in=OPEN_STATES)),
            late=Count("id", distinct=True, filter=late),
        )
    )
    return {row[key]: row for row in rows}


# --- Home page, the quality calendar -----------------------------------------------------------------


@counts_first
def orientation_home_items(*, actor, today=None) -> CountsFirst:
    """core.registry HOME_BLOCKS: the actor's own orientation in progress and the
    orientations they mentor, with progress. Counted first (core/lib/counts.py):
    the rows are read only when there are some."""
    today = _today(today)
    open_ones = Orientation.objects.filter(Q(newcomer=actor) | Q(mentor=actor), state__in=OPEN_STATES)

    def then(counted):
        if not counted["open"]:
            return None
        rows = _with_done(list(
            with_progress(open_ones, today).select_related("newcomer", "unit").order_by("started_on", "pk")[:50]
        ))
        own = [o for o in rows if o.newcomer_id == actor.pk]
        mentoring = [o for o in rows if o.newcomer_id != actor.pk]
        return {"own": own[:HOME_ROWS], "mentoring": mentoring[:HOME_ROWS], "late": sum(1 for o in mentoring if o.n_late)}

    return CountsFirst({"open": open_ones}, then)


def _items_to_tick(*, today, unit_ids=None):
    items = OrientationItem.objects.filter(
        ticked_at__isnull=True, due_on__lte=today, orientation__state__in=OPEN_STATES,
        orientation__unit__is_active=True,
    )
    if unit_ids is not None:
        items = items.filter(orientation__unit_id__any_of=list(unit_ids))
    return items


def orientation_duty_counts(*, today, unit_ids=None):
    """core.registry DUTY_SOURCES `counts`: orientation_duties counted per unit
    in the database (unit_id, due, late, oldest): one duty per orientation and
    target day, due on its day (today) and late after it."""
    one_day = Concat(Cast("orientation_id", CharField()), Value(":"), Cast("due_on", CharField()))
    return (
        _items_to_tick(today=today, unit_ids=unit_ids)
        .values(unit_id=F("orientation__unit_id"))
        .annotate(
            due=Count("orientation_id", distinct=True, filter=Q(due_on__gte=today)),
            late=Count(one_day, distinct=True, filter=Q(due_on__lt=today)),
            oldest=Min("due_on"),
        )
        .order_by()
    )


def orientation_duties(*, today, unit_ids=None) -> list[registry.Duty]:
    """core.registry DUTY_SOURCES: the items not ticked by their target day, one
    duty per orientation and target day (its items reminded together, once),
    owned by the main mentor (escalated to the unit's leaders). The title names
    the newcomer (a member of staff), never a child. One query."""
    items = _items_to_tick(today=today, unit_ids=unit_ids)
    # A mentor no longer on the unit's staff (and nobody to pass the duties to) is
    # not reminded: the unit's leaders are.
    mentor_on_staff = Exists(access_people.memberships_of(
        STAFF_ROLES, unit=OuterRef("orientation__unit_id"), user=OuterRef("orientation__mentor_id")
    ))
    rows = (
        items.annotate(mentor_on_staff=mentor_on_staff)
        .values("orientation_id", "due_on", "orientation__unit_id", "orientation__mentor_id",
                "orientation__newcomer__full_name", "mentor_on_staff")
        .annotate(n=Count("id")).order_by("due_on", "orientation_id")
    )
    return [
        registry.Duty(
            key=f"people.orientation:{row['orientation_id']}:{row['due_on'].isoformat()}",
            unit_id=row["orientation__unit_id"],
            title=ngettext(
                "Orientation of %(name)s: %(count)s item to tick",
                "Orientation of %(name)s: %(count)s items to tick",
                row["n"],
            ) % {"name": row["orientation__newcomer__full_name"], "count": row["n"]},
            due_on=row["due_on"],
            late=row["due_on"] < today,
            link=reverse("people:orientation", args=[row["orientation_id"]]),
            owner_id=row["orientation__mentor_id"] if row["mentor_on_staff"] else None,
        )
        for row in rows
    ]


def role_label(role: str) -> str:
    return dict(OrientationRole.choices).get(role, _("Unknown role"))


def late_orientation_items(*, unit_ids, today=None):
    """The unticked items past their target day of the open orientations in the
    units (`unit_ids` a list or a subquery)."""
    return OrientationItem.objects.filter(
        ticked_at__isnull=True, due_on__lt=_today(today), orientation__state__in=OPEN_STATES,
        orientation__unit_id__in=unit_ids,
    )


def late_orientations_by_unit(*, unit_ids, today=None, names: dict | None = None) -> dict[int, int]:
    """Per unit (`unit_ids` a list or a subquery), how many open orientations
    have an item past its target day unticked; the units' names into `names`
    when given. One query."""
    rows = (
        late_orientation_items(unit_ids=unit_ids, today=today)
        .values("orientation__unit_id", "orientation__unit__name").annotate(n=Count("orientation_id", distinct=True))
    )
    counts = {}
    for row in rows:
        counts[row["orientation__unit_id"]] = row["n"]
        if names is not None:
            names[row["orientation__unit_id"]] = row["orientation__unit__name"]
    return counts
