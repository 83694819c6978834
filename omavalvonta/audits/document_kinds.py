"""The kinds of tracked documents and records (issue 21 items 6 and 8), as data
with their sources: what the law or the provider's programme fixes (who
approves, how often it is reviewed, whether it has a number, a valid-until or a
next review) lives here, not in the services.

Each kind: its default scope (a unit's document or the whole organisation's),
whether it carries a number (registration, policy or licence number), whether a
version needs an approver (the medication plan: the region's doctor), the
default interval to the next review or renewal in months, how many days
before the date its owner is reminded, and what its date means (valid until /
next review). The quality director may set another date on any document: the
interval is only the default the form offers."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentKind(models.TextChoices):
    MEDICATION_PLAN = "medication_plan", _("Medication plan")
    FIRE_RESCUE_PLAN = "rescue_plan", _("Fire and rescue plan")
    EVACUATION_REPORT = "evacuation_report", _("Evacuation safety report")
    CONTRACTOR_LIABILITY = "contractor_liability", _("Contractor's liability report")
    SOTERI_REGISTRATION = "soteri", _("Registration in Soteri")
    LIABILITY_INSURANCE = "insurance", _("Liability insurance")
    LICENCE = "licence", _("Licence")


class DateMeaning(models.TextChoices):
    NEXT_REVIEW = "review", _("Next review")
    VALID_UNTIL = "valid_until", _("Valid until")


@dataclass(frozen=True)
class KindRule:
    kind: str
    source: str  # the law, regulation or guide that asks for it (Finnish name and number)
    unit_scope: bool  # True: a unit's document by default; False: the whole organisation's
    has_number: bool
    needs_approval: bool  # a version records who approved it and when (the region's doctor)
    review_months: int  # the default interval from a version to the next review or renewal
    remind_days: int  # the owner is reminded this many days before the date
    date_meaning: str


KINDS: dict[str, KindRule] = {
    rule.kind: rule
    for rule in (
        # STM/THL Turvallinen lääkehoito -opas (THL Ohjaus 6/2021): the unit's medication
        # plan is approved by the doctor responsible (here the wellbeing services
        # county's doctor) and reviewed at least once a year.
        KindRule(DocumentKind.MEDICATION_PLAN, "Turvallinen lääkehoito -opas (THL Ohjaus 6/2021)",
                 True, False, True, 12, 30, DateMeaning.NEXT_REVIEW),
        # Pelastuslaki 379/2011 § 15 and VNA 407/2011 § 1–2: the rescue plan of a
        # residential care unit, kept up to date (reviewed yearly in the programme).
        KindRule(DocumentKind.FIRE_RESCUE_PLAN, "Pelastuslaki 379/2011 15 §",
                 True, False, False, 12, 30, DateMeaning.NEXT_REVIEW),
        # Pelastuslaki 379/2011 § 19 and VNA 407/2011 § 4: the evacuation safety
        # report of a care unit, updated when things change and at least every three years.
        KindRule(DocumentKind.EVACUATION_REPORT, "Pelastuslaki 379/2011 19 §",
                 True, False, False, 36, 60, DateMeaning.NEXT_REVIEW),
        # Laki tilaajan selvitysvelvollisuudesta 1233/2006 § 5–6: the reports are at most
        # three months old when a contract starts and are checked yearly while it runs.
        KindRule(DocumentKind.CONTRACTOR_LIABILITY, "Laki tilaajan selvitysvelvollisuudesta 1233/2006",
                 False, True, False, 12, 30, DateMeaning.VALID_UNTIL),
        # Sote-valvontalaki 741/2023 § 17–20: the provider and its units in the
        # register of social and health service providers (Soteri); changes notified.
        KindRule(DocumentKind.SOTERI_REGISTRATION, "Sote-valvontalaki 741/2023 17–20 §",
                 False, True, False, 12, 30, DateMeaning.NEXT_REVIEW),
        # The provider's liability insurance for the service (the purchasing county's
        # contract and the programme): renewed each insurance period.
        KindRule(DocumentKind.LIABILITY_INSURANCE, "Palveluntuottajan vastuuvakuutus (hankintasopimus)",
                 False, True, False, 12, 45, DateMeaning.VALID_UNTIL),
        # Sote-valvontalaki 741/2023 § 21–23: the licence of round-the-clock services,
        # granted by the licensing authority; reviewed against the unit's service yearly.
        KindRule(DocumentKind.LICENCE, "Sote-valvontalaki 741/2023 21–23 §",
                 True, True, False, 12, 60, DateMeaning.VALID_UNTIL),
    )
}

# The longest reminder window of any kind: the calendar's slot asks for this many days.
MAX_REMIND_DAYS = max(rule.remind_days for rule in KINDS.values())


def rule_of(kind: str) -> KindRule:
    return KINDS[kind]


# Oversight of purchased-service partners (ostopalvelut, Sote-valvontalaki 741/2023
# § 27 and § 30: the provider supervises the services it buys as its own):
# the evidence asked of a partner and how often.
class EvidenceKind(models.TextChoices):
    SELF_SUPERVISION_PLAN = "plan", _("Their self-supervision plan")
    AUDIT_REPORT = "audit", _("Audit report")
    CONTRACTOR_LIABILITY = "liability", _("Contractor's liability report")
    OTHER = "other", _("Other evidence")


PARTNER_EVIDENCE_MONTHS = 12  # the default: once a year, with the partner's plan
PARTNER_REMIND_DAYS = 30
