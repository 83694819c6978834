"""What the Child Welfare Act says about restrictive measures, kept as data with
its source.

One row per measure of chapter 11 of Lastensuojelulaki (417/2007) as in force
from 1.1.2020 (the reform 542/2019, explained section by section in HE 237/2018
vp): its section, who may decide it, whether it needs a written appealable
decision or a written account, the longest time the law allows, and for which
placements it may be used at all. Services, forms and templates read this table;
nothing else hard-codes a section, a decision right or a time limit. A change in
the law is a new row with a later `in_force_from` (HE 149/2025 vp, a reform of
chapter 11, was before Parliament in 2026; its outcome could not be verified
when this table was written). docs/law/restrictive-measures.md is the same table
for people, with the sources and what could not be verified."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _, ngettext

ACT = "Lastensuojelulaki (417/2007)"
HE_2018 = "HE 237/2018 vp (https://www.eduskunta.fi/FI/vaski/HallituksenEsitys/Sivut/HE_237+2018.aspx)"
REFORM_2020 = dt.date(2020, 1, 1)

# Who may decide, in the product's terms. The responsible social worker is the
# placing county's official: never a user of the provider's product, so the unit
# records an account of that decision. The institution's director is the unit's
# leader (restriction.decide in the access kernel); staff are the unit's care and
# upbringing staff (restriction.record).
SOCIAL_WORKER = "social_worker"
DIRECTOR = "director"
STAFF = "staff"
DECIDER_LABELS = {
    SOCIAL_WORKER: _("the child's responsible social worker"),
    DIRECTOR: _("the director of the institution"),
    STAFF: _("the care and upbringing staff"),
}

# What the law asks to be written: an appealable decision, or an account (kirjaus).
DECISION = "decision"
ACCOUNT = "account"

# Placement types (clients.PlacementType values). Family care is not a placement
# type of the product yet; the contact restriction's row names it for when it is.
INSTITUTION = "substitute_care"
FAMILY_CARE = "family_care"


@dataclass(frozen=True)
class Measure:
    key: str
    label: object  # lazily translated (fi, sv, en)
    term_fi: str  # the law's own word
    section: str
    deciders: tuple[str, ...]
    written: str  # DECISION or ACCOUNT
    appealable: bool
    placement_types: tuple[str, ...]
    source: str
    max_duration: dt.timedelta | None = None  # None: the law sets no limit (or none we could verify)
    # The director's own decision may be shorter than the measure's limit (contact restriction).
    director_max_duration: dt.timedelta | None = None
    asks: object = ""  # what the record must say, beyond the common fields
    note: str = ""  # what is uncertain, in English, for the people keeping this table
    in_force_from: dt.date = REFORM_2020

    @property
    def citation(self) -> str:
        return f"{ACT} {self.section}"

    def allowed_for(self, placement_type: str) -> bool:
        return placement_type in self.placement_types

    def may_decide(self, decider: str) -> bool:
        return decider in self.deciders

    @property
    def decider_labels(self) -> list[str]:
        return [str(DECIDER_LABELS[d]) for d in self.deciders]

    @property
    def max_text(self) -> str:
        return duration_text(self.max_duration) if self.max_duration else ""

    def longest(self, decider: str | None = None) -> dt.timedelta | None:
        """The longest duration the law allows, for a decision made by `decider`."""
        if decider == DIRECTOR and self.director_max_duration is not None:
            return self.director_max_duration
        return self.max_duration


def duration_text(limit: dt.timedelta) -> str:
    """A legal time limit in words: hours up to two days, days beyond."""
    if limit < dt.timedelta(days=2):
        hours = int(limit.total_seconds() // 3600)
        return ngettext("%(count)s hour", "%(count)s hours", hours) % {"count": hours}
    return ngettext("%(count)s day", "%(count)s days", limit.days) % {"count": limit.days}


_SOURCE = f"{ACT}; {HE_2018}"
_UNVERIFIED = "The number was not verified against the consolidated text (Finlex) in this session."


def _account(key, label, term_fi, section, **rest) -> Measure:
    """A measure of an institution the law answers with a written account: the
    staff or the director act, and there is nothing to appeal."""
    return _institution(key, label, term_fi, section, deciders=(STAFF, DIRECTOR), written=ACCOUNT, appealable=False, **rest)


def _institution(key, label, term_fi, section, **rest) -> Measure:
    """A measure used only in an institution, on the 2020 reform's sources."""
    return Measure(key, label, term_fi, section, placement_types=(INSTITUTION,), source=_SOURCE, **rest)


MEASURES: tuple[Measure, ...] = (
    Measure(
        "contact", _("Restricting contact"), "yhteydenpidon rajoittaminen", "62–63 §",
        deciders=(SOCIAL_WORKER, DIRECTOR), written=DECISION, appealable=True,
        placement_types=(INSTITUTION, FAMILY_CARE), source=_SOURCE,
        max_duration=dt.timedelta(days=365), director_max_duration=dt.timedelta(days=30),
        asks=_("What contact is restricted, with whom, how and until when."),
        note="Decided by the responsible social worker for at most a year at a time; the director of the "
        "institution only urgently and for at most 30 days. " + _UNVERIFIED
        + " Not for a child placed as open-care support (Kuntaliitto yleiskirje 3/80/2007 on the same rule "
        "before the reform).",
    ),
    _account(
        "confiscation", _("Confiscating substances or objects"), "aineiden ja esineiden haltuunotto", "65 §",
        asks=_("What was taken, where it is kept and when it is returned (or to whom it was handed over)."),
        note="Keeping or destroying what was taken may need the director's decision; not verified.",
    ),
    _account(
        "body_search", _("Body search"), "henkilöntarkastus", "66 §",
        asks=_("Who searched, who witnessed it and what was found."),
        note="Performed by a person of the same sex where possible, with a witness; not verified.",
    ),
    _institution(
        "body_examination", _("Body examination"), "henkilönkatsastus", "66 a §",
        deciders=(DIRECTOR,), written=DECISION, appealable=False,
        asks=_("Which health professional examined the child, and why."),
        note="Whether the director's decision is appealable was not verified: recorded as not appealable.",
    ),
    _account(
        "property_search", _("Searching property or premises, withholding mail"),
        "omaisuuden ja lähetysten tarkastaminen, lähetysten luovuttamatta jättäminen", "67 §",
        asks=_("What was searched or withheld, and why."),
        note="Withholding a letter or parcel takes the director's appealable decision; not verified, and "
        "not yet a row of its own.",
    ),
    _account(
        "restraint", _("Physical restraint"), "kiinnipitäminen", "68 §",
        asks=_("How long the child was held, who held the child, and any injuries."),
        note="No decision: a written account. Lasts only as long as necessary; no fixed limit.",
    ),
    _institution(
        "movement", _("Restricting freedom of movement"), "liikkumisvapauden rajoittaminen", "69 §",
        deciders=(DIRECTOR,), written=DECISION, appealable=True,
        max_duration=dt.timedelta(days=7),
        asks=_("What the child may not do or where the child may not go, and until when."),
        note="At most 7 days at a time. " + _UNVERIFIED + " Whether and how it may be continued is left out.",
    ),
    _account(
        "return", _("Returning a child who left without permission"), "luvatta poistuneen lapsen palauttaminen",
        "69 a §",
        asks=_("Who returned the child, from where and how."),
        note="The section number comes from issue 16; not verified.",
    ),
    _institution(
        "isolation", _("Isolation"), "eristäminen", "70 §",
        deciders=(DIRECTOR,), written=DECISION, appealable=True,
        max_duration=dt.timedelta(hours=24),
        asks=_("How the child was observed during the isolation, and whether a doctor was informed."),
        note="At most 24 hours without a break. " + _UNVERIFIED
        + " When a doctor must be informed is not encoded.",
    ),
    _institution(
        "special_care", _("Special care"), "erityinen huolenpito", "71 §",
        deciders=(SOCIAL_WORKER,), written=DECISION, appealable=True,
        max_duration=dt.timedelta(days=30),
        asks=_("The plan for the special care, and who decided it."),
        note="Decided outside the unit, for at most 30 days; may be continued. " + _UNVERIFIED
        + " The continuation is not encoded.",
    ),
)


def measures(on: dt.date | None = None) -> tuple[Measure, ...]:
    """The rows in force on `on` (today): the latest row of each key."""
    on = on or timezone.localdate()
    latest: dict[str, Measure] = {}
    for m in MEASURES:
        if m.in_force_from <= on and (m.key not in latest or m.in_force_from >= latest[m.key].in_force_from):
            latest[m.key] = m
    return tuple(latest.values())


def measure(key: str, on: dt.date | None = None) -> Measure | None:
    return next((m for m in measures(on) if m.key == key), None)


def allowed_for(placement_type: str) -> tuple[Measure, ...]:
    """The measures the law allows for a child of this placement type (none for open-care support)."""
    return tuple(m for m in measures() if m.allowed_for(placement_type))


def choices() -> list[tuple[str, object]]:
    """The form's choices: each measure with its section."""
    return [(m.key, format_lazy("{} ({})", m.label, m.section)) for m in measures()]


# The general conditions of every restriction (Lastensuojelulaki 61 a §, HE 237/2018 vp),
# asked on the form as plain questions.
GENERAL_CONDITIONS_SOURCE = f"{ACT} 61 a §; {HE_2018}"


# --- The written decision, its delivery, and telling the social worker ----------------

# An appealable decision is appealed to the administrative court within 30 days
# of its service (Lastensuojelulaki 90 §; Laki oikeudenkäynnistä hallintoasioissa
# 808/2019 13 §). The child of twelve or more has the right to be heard and to
# appeal in their own name (Lastensuojelulaki 20–21 §); the guardian is served
# the decision too. Numbers not verified against Finlex in this session.
APPEAL_DAYS = 30
APPEAL_SOURCE = f"{ACT} 20–21 §, 90 §; Laki oikeudenkäynnistä hallintoasioissa (808/2019) 13 §"
CHILD_SERVED_FROM_AGE = 12


def serve_to(birth_year: int, on: dt.date | None = None) -> tuple[str, ...]:
    """Who is given an appealable decision: the guardian always, the child from twelve."""
    on = on or timezone.localdate()
    return ("child", "guardian") if on.year - birth_year >= CHILD_SERVED_FROM_AGE else ("guardian",)


def document_kind(rule: Measure, record_kind: str) -> str | None:
    """Which document a measure gets: a written decision for an appealable measure
    the unit decided itself; a written account for a measure the law answers with
    an account (restraint and the others); none for a decision made outside the
    unit (the social worker's decision is theirs to write)."""
    if rule.written == ACCOUNT:
        return ACCOUNT
    if rule.appealable and record_kind == DECISION:
        return DECISION
    return None


# Told to the child's social worker at once; all others go in the weekly summary
# (issue 16: isolation, special care, and a restraint in which someone was hurt).
SERIOUS_MEASURES = ("isolation", "special_care")
SERIOUS_WITH_INJURY = ("restraint",)


def is_serious(key: str, injured: bool) -> bool:
    return key in SERIOUS_MEASURES or (injured and key in SERIOUS_WITH_INJURY)
