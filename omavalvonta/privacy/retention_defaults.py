"""The default retention periods, each with its source (what the law fixes is
data with its source next to it; docs/retention.md says the same in prose).
The data-protection officer may change a period (services.retention_rule_set,
audited); a record type without a default here is kept until the DPO sets one.

Months, counted from the event the owner's entry names (registry.RETENTION's
`event`): a deviation report from its closing, an access-log row from its
writing, and so on. The sources are the law where it fixes a period and the
provider's own decision where it does not (its data-management plan, under
GDPR art. 5(1)(e): no longer than needed). docs/retention.md lists what the DPO
should confirm before the first run."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Default:
    months: int
    source: str


DEFAULTS: dict[str, Default] = {
    # Self-supervision records (deviations, § 29 grievances and their handling):
    # no statutory period for a provider's own quality records; the supervisors
    # (Valvira, the wellbeing services county) may examine self-supervision for
    # the years under supervision. Ten years after closing covers a child's
    # placement and the statutory limitation of claims (Act 728/2003, 10 years).
    "deviation": Default(120, _(
        "Provider's decision (data-management plan, GDPR art. 5(1)(e)): 10 years from closing, "
        "the limitation period of claims (Act 728/2003)"
    )),
    # Attachments go with their report: the same period from the report's closing.
    "attachment": Default(120, _("As the deviation report it belongs to (from the report's closing)")),
    # Corrective actions: kept as long as the reports they correct.
    "action": Default(120, _(
        "Provider's decision: as the deviation reports they correct, 10 years from completion or cancellation"
    )),
    # Client feedback answers are anonymous; the tallies keep the figures.
    "feedback_response": Default(60, _(
        "Provider's decision (GDPR art. 5(1)(e)): 5 years from the answer; the figures stay in the tallies"
    )),
    # The access log of client data: Act 703/2023 on the processing of client data
    # in health and social care keeps the log of use and disclosure for 12 years
    # from its writing (the period of the former Act 159/2007, carried over).
    "access_log": Default(144, _(
        "Act 703/2023 on client data in health and social care: the access log is kept 12 years from its writing"
    )),
    # Sent e-mail and in-product notifications carry no record of their own: the
    # record they point at keeps what must be kept.
    "outbox": Default(12, _("Provider's decision (GDPR art. 5(1)(e)): 1 year from sending")),
    # A sign-in record (when, from which address, on what device) is kept for a
    # year: long enough to investigate a misuse; the access log keeps the reads.
    # Meeting minutes are the provider's own self-supervision records, as the
    # deviation reports they handle: the same ten years, from the closing.
    "meeting": Default(120, _(
        "Provider's decision (data-management plan, GDPR art. 5(1)(e)): 10 years from the closing of the minutes, "
        "as the deviation reports they handle"
    )),
    # The children's own meetings: the unit's record of what the children raised
    # and what was decided, a self-supervision record like the minutes.
    "childrens_meeting": Default(120, _(
        "Provider's decision (data-management plan, GDPR art. 5(1)(e)): 10 years from the meeting, "
        "as the minutes of the staff's meetings"
    )),
    # A complaint (muistutus, Act 812/2000 § 23) and its written answer: no
    # statutory period fixed for the provider's copy; kept as the self-supervision
    # records it steers, ten years from the answer. To be confirmed by the DPO
    # (a complaint about a child's care may also belong to the county's client documents).
    "complaint": Default(120, _(
        "Provider's decision (data-management plan, GDPR art. 5(1)(e)): 10 years from the written answer, "
        "as the deviation reports. To be confirmed by the DPO"
    )),
    # Learning reviews are self-supervision records like the reports they learn from.
    "learning_review": Default(120, _(
        "Provider's decision (data-management plan, GDPR art. 5(1)(e)): 10 years from the review's completion, "
        "as the deviation reports it learns from"
    )),
    # Measurements and restrictive measures are a child's client documents (Act
    # 703/2023 on client data, annex: child-welfare client documents are kept
    # until 2 years after the client's death, a period the product cannot count).
    # The best-known value the product can count: 100 years from the end of the
    # placement (the longest it keeps). To be confirmed by the DPO, who may also
    # hand them over to the wellbeing services county, the controller, instead.
    "measurement": Default(1200, _(
        "Act 703/2023 on client data, annex: child-welfare client documents are kept until 2 years after the "
        "client's death; counted here as 100 years from the placement's end. To be confirmed by the DPO"
    )),
    "restriction": Default(1200, _(
        "Act 703/2023 on client data, annex: child-welfare client documents are kept until 2 years after the "
        "client's death; counted here as 100 years from the placement's end. To be confirmed by the DPO"
    )),
    "session": Default(12, _("Provider's decision (GDPR art. 5(1)(e)): 1 year from the sign-in")),
}


def default_months(record_type: str) -> int | None:
    found = DEFAULTS.get(record_type)
    return found.months if found else None
