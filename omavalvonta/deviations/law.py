"""What the law fixes about deviation reports, kept as data with its source.

One table says which reports are *serious events* under Sote-valvontalaki
741/2023 § 28 (the clock starts when such a report is submitted), one says what
each statutory duty asks (whom to notify and by when). Services, selectors and
templates read these; nothing else hard-codes a section, a deadline or a rule of
what is serious. Changing the law's reading means changing this file only."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.utils.translation import gettext_lazy as _

from omavalvonta.deviations.choices import Kind, NotificationRecipient

HELSINKI = ZoneInfo("Europe/Helsinki")

# Cited as Finnish law is cited: the act's name, its number, the section.
SECTION_28 = "Sote-valvontalaki (741/2023) 28 §"
SECTION_29 = "Sote-valvontalaki (741/2023) 29 §"


@dataclass(frozen=True)
class SeriousCriterion:
    """One sign, in what the reporter answered, of an event that seriously
    endangered (or endangers) a client's safety."""

    key: str
    label: object  # lazily translated
    source: str
    flag: str  # the Deviation field that must be true
    kinds: tuple[str, ...] | None = None  # None: any kind of report

    def applies(self, deviation) -> bool:
        if self.kinds is not None and deviation.kind not in self.kinds:
            return False
        return bool(getattr(deviation, self.flag, False))


SERIOUS_EVENT_CRITERIA: tuple[SeriousCriterion, ...] = (
    SeriousCriterion(
        "violence_injury", _("Violence or a threat in which someone was injured"), SECTION_28, "injury",
        (Kind.THREAT_OR_VIOLENCE,),
    ),
    SeriousCriterion("child_missing", _("A child or young person is missing"), SECTION_28, "child_missing"),
    SeriousCriterion(
        "medication_harm", _("A serious medication error: the child was harmed or needed care"), SECTION_28,
        "medication_harm", (Kind.MEDICATION,),
    ),
    SeriousCriterion(
        "reported_serious", _("The reporter marked the event as seriously endangering a client's safety"),
        SECTION_28, "reported_serious",
    ),
)
CRITERIA_BY_KEY = {c.key: c for c in SERIOUS_EVENT_CRITERIA}


@dataclass(frozen=True)
class NotificationDuty:
    """Whom the law tells the provider to notify, and by when."""

    key: str
    source: str
    recipients: tuple[str, ...]  # NotificationRecipient values
    # Days after the clock starts, counted to the end of that day in Helsinki:
    # 0 is "the same day" (the law's "immediately"). None: no fixed clock.
    deadline_days: int | None

    @property
    def includes_authority(self) -> bool:
        return NotificationRecipient.AUTHORITY in self.recipients

    def deadline(self, started: dt.datetime) -> dt.datetime | None:
        """The moment the notification is late after a clock started at `started`."""
        if self.deadline_days is None:
            return None
        day = started.astimezone(HELSINKI).date() + dt.timedelta(days=self.deadline_days)
        return dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=HELSINKI)


# § 28: serious events and critical shortcomings go to the county and the
# supervisory authority immediately.
SERIOUS_EVENT_DUTY = NotificationDuty(
    key="section_28",
    source=SECTION_28,
    recipients=(NotificationRecipient.COUNTY, NotificationRecipient.LEAD_OFFICIAL, NotificationRecipient.AUTHORITY),
    deadline_days=0,
)
# § 29: a shortcoming reported by staff goes to the county; the authority only
# when it is not corrected (escalation).
GRIEVANCE_DUTY = NotificationDuty(
    key="section_29",
    source=SECTION_29,
    recipients=(NotificationRecipient.COUNTY, NotificationRecipient.LEAD_OFFICIAL),
    deadline_days=None,
)


def serious_reasons(deviation) -> list[str]:
    """The keys of the criteria a (not yet saved) report meets, in table order."""
    return [c.key for c in SERIOUS_EVENT_CRITERIA if c.applies(deviation)]


def duty_for(deviation) -> NotificationDuty | None:
    """The statutory notification duty of a report, or None when it has none.
    A serious or critical event is § 28 (also when it is a grievance)."""
    if deviation.serious_reasons or deviation.is_critical:
        return SERIOUS_EVENT_DUTY
    if deviation.kind == Kind.GRIEVANCE:
        return GRIEVANCE_DUTY
    return None


def reason_labels(keys) -> list[str]:
    return [str(CRITERIA_BY_KEY[k].label) for k in keys or () if k in CRITERIA_BY_KEY]
