"""The home page's figures: what is waiting for the signed-in person. The
deviation figures are read through the deviations' scoped selectors; every
other area contributes its block through core.registry HOME_BLOCKS."""

import datetime as dt
import functools
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

from django.utils import timezone

from omavalvonta.core import registry
from omavalvonta.core.lib.counts import CountsFirst, LazyCounts
from omavalvonta.core.lib.kept import Keep, resolve_kept
from omavalvonta.deviations.models import Kind, State
from omavalvonta.deviations.selectors import deviation_figure_rows, deviation_list_mine
from omavalvonta.notifications.selectors import notification_inbox
from omavalvonta.organisation import access, access_shape


@dataclass(frozen=True)
class UnitFigures:
    open: int
    overdue: int
    not_started: int
    for_team_meeting: int


@dataclass(frozen=True)
class HomeBlock:
    name: str
    template: str
    data: object


def home_summary(*, actor, badges: Callable | None = None) -> dict:
    """Everything the home page shows, in a fixed number of queries. `badges`:
    more counts (`badges(actor)`: {name: queryset}, "unread" the unread
    notifications) to make in the same statement, returned as "badge_counts"."""
    today = timezone.localdate()
    summary = {
        "can_report": access.has_perm_anywhere(actor, access.P_DEVIATION_REPORT),
        "can_view": access.has_perm_anywhere(actor, access.P_DEVIATION_VIEW),
        "figures": None,
        # The timelines of the person's own units (from the grants: no query).
        "timeline_unit_ids": list(dict.fromkeys(access.own_unit_ids(actor, access.P_UNIT_VIEW))),
    }
    now = timezone.now()
    key = (*access_shape.shape_key(actor), today)
    learner = functools.partial(access_shape.reading_nothing, actor)
    if summary["can_view"]:
        summary["figures"] = _figures(actor, today, now)
    # What is waiting in the areas: each area's own selector decides what the
    # actor may see there (falsy when nothing), in a fixed number of queries.
    # A block that counts first (core/lib/counts.py) declares its counts, and
    # every block's counts are made in one statement before any block reads rows,
    # each kept block's from its SQL kept compiled for the person and the day
    # (core/lib/kept.py): a block is built only when it has something to show.
    # The person's own reports and unread notifications count first too: their
    # rows are read only when there are some.
    # `badges` (the menu's, dashboards.context_processors, with "unread") are
    # counted in the same statement; their counts come back as "badge_counts".
    entries = registry.entries(registry.HOME_BLOCKS)
    blocks = [
        _keep(("own", badges), _own_block, actor, learner, key, today, zero=_nothing_own, badges=badges),
        *(_keep((entry.name, entry.func), getattr(entry.func, "declare", entry.func), actor, learner, key, today) for entry in entries),
    ]
    own_data, *resolved = resolve_kept(blocks, now=now)
    summary.update(own_data)
    blocks = [HomeBlock(entry.name, entry.template, data) for entry, data in zip(entries, resolved, strict=True)]
    summary["home_blocks"] = [block for block in blocks if block.data]
    summary["waiting"] = {block.name: block.data for block in blocks}
    summary["anything_waiting"] = bool(summary["notifications"] or summary["home_blocks"])
    return summary


def _figures(actor, today, now) -> UnitFigures:
    """The deviations' figures of `actor`'s units, counted per state and team
    meeting mark (deviations.selectors.deviation_figure_rows) from their SQL
    kept compiled for the person and the day (core/lib/kept.py)."""
    rows = access_shape.kept_rows_for(
        actor, "figures", lambda who, _now: deviation_figure_rows(actor=who, today=today), today=today, now=now
    )
    return UnitFigures(
        open=sum(n for _state, _team, n, _overdue in rows),
        overdue=sum(overdue for _state, _team, _n, overdue in rows),
        not_started=sum(n for state, _team, n, _overdue in rows if state == State.SUBMITTED),
        for_team_meeting=sum(n for _state, team, n, _overdue in rows if team),
    )


def _unread(actor) -> dict:
    return {"unread": notification_inbox(actor=actor).filter(read_at__isnull=True)}


def _own_block(*, actor, today, now=None, badges=None) -> CountsFirst:
    """The person's own reports and the badges' counts (`badges(actor)`); the
    lists read only what the page shows of a report or a notification, from
    their SQL kept compiled for the person and the day."""
    now = now or timezone.now()
    counting = badges or _unread

    def counts():
        return {**counting(actor), "my_reports": deviation_list_mine(actor=actor)}

    def reports(who, _now):
        return deviation_list_mine(actor=who).values_list(*MyReport._fields)[:5]

    def notes(who, _now):
        return counting(who)["unread"].values_list(*MyNotification._fields)[:5]

    def then(counted):
        kept = functools.partial(access_shape.kept_rows_for, actor, today=today, now=now)
        return {
            "my_reports": [MyReport(*row) for row in kept("own.reports", reports)] if counted["my_reports"] else [],
            "notifications": [MyNotification(*row) for row in kept(("own.unread", badges), notes)] if counted["unread"] else [],
            "badge_counts": _badge_counts(counted),
        }

    return CountsFirst(LazyCounts(counts), then)


class MyReport(NamedTuple):
    """What dashboards/home.html shows of the person's own report."""

    pk: int
    kind: str
    state: str
    submitted_at: dt.datetime
    answered_at: dt.datetime | None
    reporter_id: int

    def get_kind_display(self) -> str:
        return _label(Kind, self.kind)

    def get_state_display(self) -> str:
        return _label(State, self.state)


def _label(choices, value) -> str:
    return str(dict(choices.choices).get(value, value))


class MyNotification(NamedTuple):
    """What dashboards/home.html shows of an unread notification."""

    pk: int
    subject: str
    created_at: dt.datetime


def _nothing_own(counted: dict) -> dict:
    """The own block when nothing is counted (core/lib/kept.py skips building it)."""
    return {"my_reports": [], "notifications": [], "badge_counts": _badge_counts(counted)}


def _badge_counts(counted: dict) -> dict:
    return {name: value for name, value in counted.items() if name != "my_reports"}


def _keep(name: tuple, declare: Callable, actor, learner: Callable, key: tuple, today, zero=None, **more) -> Keep:
    """A block of the home page for core/lib/kept.py: kept per block, person
    (their grants) and day; `now` given to the blocks that take it."""
    takes_now = _takes_now(declare)

    def build(now, who):
        return declare(actor=who, today=today, **more, **({"now": now} if takes_now else {}))

    return Keep(
        key=(*name, *key),
        declare=lambda now: build(now, actor),
        learn=lambda now: build(now, learner()),
        zero=zero,
    )


@functools.cache
def _takes_now(func: Callable) -> bool:
    return "now" in inspect.signature(func).parameters
