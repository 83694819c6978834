"""When many, consecutive or long restrictive measures flag a child (issue 16,
item 4): the rules as data. Each rule looks at one child's measures; the first
one met raises the flag (services.flags_check). Changing a number here changes
the rule; a new kind of rule is a new function in RULE_TESTS."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _, ngettext


@dataclass(frozen=True)
class FlagRule:
    key: str
    kind: str  # "many", "consecutive" or "long"
    count: int = 0
    days: int = 0
    measures: tuple[str, ...] = ()  # empty: every measure
    gap: dt.timedelta = dt.timedelta(days=1)  # consecutive: the next begins within this of the last's end
    longer_than: dt.timedelta | None = None

    def explain(self) -> str:
        if self.kind == "many":
            return ngettext(
                "%(count)s or more restrictive measures within %(days)s days",
                "%(count)s or more restrictive measures within %(days)s days",
                self.count,
            ) % {"count": self.count, "days": self.days}
        if self.kind == "consecutive":
            return ngettext(
                "%(count)s consecutive period of restricted movement or isolation",
                "%(count)s consecutive periods of restricted movement or isolation",
                self.count,
            ) % {"count": self.count}
        minutes = int(self.longer_than.total_seconds() // 60) if self.longer_than else 0
        return ngettext(
            "a single measure longer than %(minutes)s minute",
            "a single measure longer than %(minutes)s minutes",
            minutes,
        ) % {"minutes": minutes}


FLAG_RULES: tuple[FlagRule, ...] = (
    FlagRule("many_30d", "many", count=3, days=30),
    FlagRule("consecutive", "consecutive", count=2, measures=("movement", "isolation")),
    FlagRule("long_restraint", "long", longer_than=dt.timedelta(minutes=30), measures=("restraint",)),
    FlagRule("long_isolation", "long", longer_than=dt.timedelta(hours=12), measures=("isolation",)),
)

FLAG_TITLE = _("Many, consecutive or long restrictive measures")


def _matching(rule: FlagRule, rows):
    return [r for r in rows if not rule.measures or r.measure in rule.measures]


def _many(rule, rows, now) -> bool:
    since = now - dt.timedelta(days=rule.days)
    return len([r for r in _matching(rule, rows) if r.started_at >= since]) >= rule.count


def _consecutive(rule, rows, now) -> bool:
    chain, last_end = 0, None
    for r in sorted(_matching(rule, rows), key=lambda r: r.started_at):
        if last_end is not None and r.started_at - last_end <= rule.gap:
            chain += 1
        else:
            chain = 1
        if chain >= rule.count:
            return True
        last_end = r.ended_at or r.started_at
    return False


def _long(rule, rows, now) -> bool:
    return any(
        r.ended_at is not None and r.ended_at - r.started_at > rule.longer_than for r in _matching(rule, rows)
    )


RULE_TESTS = {"many": _many, "consecutive": _consecutive, "long": _long}
# How far back the rules look (the longest window of any rule, with room).
LOOK_BACK = dt.timedelta(days=90)


def first_met(rows, now: dt.datetime) -> FlagRule | None:
    """The first rule `rows` (one child's measures of the last LOOK_BACK) meet."""
    return next((rule for rule in FLAG_RULES if RULE_TESTS[rule.kind](rule, rows, now)), None)


def rule(key: str) -> FlagRule | None:
    return next((r for r in FLAG_RULES if r.key == key), None)
