"""The permissions and the one role -> permission table of the access kernel
(`organisation.access` re-exports every name here: callers keep writing
`access.P_...`). What each role may do is data: the role table, the kinds some
roles are limited to, the permissions that read protected data, the roles that
must use a second factor, and the object rules (a permission on one record for
the person it names)."""

from __future__ import annotations

from omavalvonta.organisation.models import Role

# --- Permissions -----------------------------------------------------------------

AUTHENTICATED = "authenticated"  # any signed-in person; no unit-scoped data
# A call of the read-only open API (/api/v1/): an API token authorises it, not a
# session (organisation/access_county.py token_authenticate, county/api.py).
API_TOKEN = "api_token"

P_DEVIATION_REPORT = "deviation.report"
P_DEVIATION_VIEW = "deviation.view"
P_DEVIATION_HANDLE = "deviation.handle"
P_DEVIATION_VIEW_REPORTER = "deviation.view_reporter"
# A § 29 reporter's protected identity: shown to nobody, except to the unit's
# responsible person through a reasoned, logged disclosure of one report
# (deviations.identity.reporter_display, services.deviation_reporter_disclose).
P_DEVIATION_DISCLOSE_REPORTER = "deviation.disclose_reporter"
P_DEVIATION_EXPORT = "deviation.export"
P_DEVIATION_NOTIFY = "deviation.notify"
P_DEVIATION_ROUTING = "deviation.routing"
# Close a § 29 grievance whose corrective actions are still open, recording why.
P_DEVIATION_CLOSE_UNCORRECTED = "deviation.close_uncorrected"
P_UNIT_VIEW = "unit.view"
P_ORG_ADMIN = "organisation.admin"
P_ACCESS_LOG_VIEW = "access_log.view"
P_ACCESS_LOG_REVIEW = "access_log.review"  # the whole access log with its flags (data protection)
# The register of data-subject requests (GDPR arts. 12-22) and the compile of
# what the product holds about a person: organisation-level, the data-protection
# officer's and the administrators'.
P_SUBJECT_REQUEST_MANAGE = "subject_request.manage"
# The retention table, legal holds and the approval of destruction runs
# (privacy): organisation-level, the data-protection officer's and the administrators'.
P_RETENTION_MANAGE = "retention.manage"
P_PRIVACY_NOTICE_MANAGE = "privacy_notice.manage"  # the registers' privacy notices on the public site
P_ACTION_VIEW = "action.view"
P_ACTION_MANAGE = "action.manage"
P_LOG_VIEW = "log.view"
P_LOG_WRITE = "log.write"
P_MEETING_VIEW = "meeting.view"
P_MEETING_MANAGE = "meeting.manage"
# The occupational safety committee's minutes, for the safety manager
# (työsuojelupäällikkö): a member of the group's safety leadership
# ("Turvallisuuden johtoryhmä" in the provider's programme, seeds/001) who holds
# no meeting.view over the units' own meetings (need to know).
P_SAFETY_COMMITTEE_VIEW = "meeting.safety_committee"
# A unit's children's meetings (lasten kokoukset): every member of its staff records them.
P_CHILDRENS_MEETING_RECORD = "childrens_meeting.record"
P_GUIDANCE_VIEW = "guidance.view"
P_GUIDANCE_MANAGE = "guidance.manage"
P_GUIDANCE_REVIEW = "guidance.review"
P_PLAN_VIEW = "plan.view"
P_PLAN_EDIT = "plan.edit"
P_PLAN_APPROVE = "plan.approve"
P_PLAN_TEMPLATE = "plan.template"
P_PROGRAMME_MANAGE = "programme.manage"
P_PROGRAMME_APPROVE = "programme.approve"
P_OBLIGATION_VIEW = "obligation.view"
P_OBLIGATION_COMPLETE = "obligation.complete"
P_OBLIGATION_TEMPLATE_EDIT = "obligation.template_edit"
P_RISK_VIEW = "risk.view"
P_RISK_MANAGE = "risk.manage"
P_FEEDBACK_VIEW = "feedback.view"  # unit results incl. free text, public feedback
P_FEEDBACK_MANAGE = "feedback.manage"  # rounds, links, kiosk, on-behalf answers, answering feedback
P_SURVEY_EDIT = "feedback.survey_edit"  # the question sets
# The children placed in a unit (clients): how many (every reader of the unit's
# figures), who they are and their placements (the unit's staff), and keeping
# the placement records (the unit's leaders).
P_CLIENT_COUNT = "client.count"
P_CLIENT_VIEW = "client.view"
P_CLIENT_MANAGE = "client.manage"
# The functional-capacity instruments (outcomes): their versions and items,
# organisation-wide data kept by the rehabilitation director. (Measuring a
# child and reading the measurements go with client.view in the child's unit.)
P_OUTCOME_INSTRUMENT_MANAGE = "outcome.instrument_manage"
# Restrictive measures (Lastensuojelulaki ch. 11) on the unit's children: the
# unit's staff read and record them; deciding a measure the law gives to the
# director of the institution is the unit's leaders' (restrictions.law). Counting
# them without names is client.count's (the children's figures).
P_RESTRICTION_VIEW = "restriction.view"
P_RESTRICTION_RECORD = "restriction.record"
P_RESTRICTION_DECIDE = "restriction.decide"
# People and competence (people): counting a unit's valid qualifications without
# names (the unit's leaders and directors); the unit's staff's records by name
# (the unit's leaders); recording checks and qualifications for the unit's staff.
# Everyone reads their own records (no right needed: the records are theirs).
P_COMPETENCE_COUNT = "competence.count"
P_COMPETENCE_VIEW = "competence.view"
P_COMPETENCE_RECORD = "competence.record"
# The orientation cards (per role, versioned): the quality director edits and publishes them.
P_ORIENTATION_CARDS = "competence.cards"
# The provider's information-security plan (THL regulation 3/2024; not public):
# read and edited by the quality director, the data protection officer and
# administrators, organisation-wide only (audits/security_plan.py).
P_SECURITY_PLAN = "security_plan.manage"
# The organisation's readiness (audits): the readiness group's members, its
# yearly exercise and the crisis-communication plan's versions, kept by the
# quality director, the management group and administrators, organisation-wide
# only. (Every member of staff reads them: the group and the plan in force are
# what everyone needs to know in a crisis.)
P_READINESS_MANAGE = "readiness.manage"
# Search across units (search): finds deviations, actions, minutes and guidance
# only where the searcher reads them anyway (each area's own right, through the
# kernel); the right only opens the page to those who look across their scope.
P_SEARCH_USE = "search.use"
# Themes across units (search): deviations grouped by kind and by what their
# texts say, for a period and a scope; counts, units and terms, no names.
P_THEMES_VIEW = "themes.view"
# The clients' formal complaints (muistutukset, Sosiaalihuollon asiakaslaki 812/2000
# § 23; complaints): read the register with the complainant's name and contact
# (logged reads), and handle one: be its handler, answer it, decide its actions.
P_COMPLAINT_VIEW = "complaint.view"
P_COMPLAINT_HANDLE = "complaint.handle"
# Responsible for instructions: receives a deviation handler's proposal to change
# one and decides it (deviations/services/decisions.py). Held with guidance.manage.
P_INSTRUCTION_DECIDE = "instruction.decide"
# Learning reviews (learning): reading the reviews of one's units (the units'
# leaders and directors; facilitators and participants read their own reviews
# whatever their role), opening one from scratch (regional and quality
# directors; a deviation's handler opens one from the report), and sharing a
# learning summary with all units or a service type (organisation-wide only).
P_LEARNING_VIEW = "learning.view"
P_LEARNING_OPEN = "learning.open"
P_LEARNING_SHARE = "learning.share"
# The purchasing county's own view (/hyvinvointialue/): given by no role, only by
# an active CountyAccess (organisation/access_county.py); a member of staff never has it.
P_COUNTY_VIEW = "county.view"
# Tracked documents and the compliance register (audits): reading a unit's
# medication plan, rescue plan, licences... with their owners and dates (the
# unit's leaders and the directors above them; organisation-level records and
# the purchased-service partners need the right organisation-wide), and keeping
# them: recording versions, owners and dates (the unit's supervisor and
# responsible person for the unit's documents; the quality director and
# administrators for the organisation's and the partners).
P_DOCUMENT_VIEW = "document.view"
P_DOCUMENT_MANAGE = "document.manage"

PERMISSIONS = frozenset(
    {
        P_DEVIATION_REPORT,
        P_DEVIATION_VIEW,
        P_DEVIATION_HANDLE,
        P_DEVIATION_VIEW_REPORTER,
        P_DEVIATION_DISCLOSE_REPORTER,
        P_DEVIATION_EXPORT,
        P_DEVIATION_NOTIFY,
        P_DEVIATION_ROUTING,
        P_DEVIATION_CLOSE_UNCORRECTED,
        P_UNIT_VIEW,
        P_ORG_ADMIN,
        P_ACCESS_LOG_VIEW,
        P_ACCESS_LOG_REVIEW,
        P_SUBJECT_REQUEST_MANAGE,
        P_RETENTION_MANAGE,
        P_ACTION_VIEW,
        P_ACTION_MANAGE,
        P_LOG_VIEW,
        P_LOG_WRITE,
        P_MEETING_VIEW,
        P_MEETING_MANAGE,
        P_CHILDRENS_MEETING_RECORD,
        P_GUIDANCE_VIEW,
        P_GUIDANCE_MANAGE,
        P_GUIDANCE_REVIEW,
        P_OBLIGATION_VIEW,
        P_OBLIGATION_COMPLETE,
        P_OBLIGATION_TEMPLATE_EDIT,
        P_RISK_VIEW,
        P_RISK_MANAGE,
        P_FEEDBACK_VIEW,
        P_FEEDBACK_MANAGE,
        P_SURVEY_EDIT,
        P_PLAN_VIEW,
        P_PLAN_EDIT,
        P_PLAN_APPROVE,
        P_PLAN_TEMPLATE,
        P_PROGRAMME_MANAGE,
        P_PROGRAMME_APPROVE,
        P_CLIENT_COUNT,
        P_CLIENT_VIEW,
        P_CLIENT_MANAGE,
        P_OUTCOME_INSTRUMENT_MANAGE,
        P_RESTRICTION_VIEW,
        P_RESTRICTION_RECORD,
        P_RESTRICTION_DECIDE,
        P_COMPETENCE_COUNT,
        P_COMPETENCE_VIEW,
        P_COMPETENCE_RECORD,
        P_ORIENTATION_CARDS,
        P_SECURITY_PLAN,
        P_READINESS_MANAGE,
        P_PRIVACY_NOTICE_MANAGE,
        P_SEARCH_USE,
        P_THEMES_VIEW,
        P_COMPLAINT_VIEW,
        P_COMPLAINT_HANDLE,
        P_INSTRUCTION_DECIDE,
        P_LEARNING_VIEW,
        P_LEARNING_OPEN,
        P_LEARNING_SHARE,
        P_COUNTY_VIEW,
        P_DOCUMENT_VIEW,
        P_DOCUMENT_MANAGE,
        P_SAFETY_COMMITTEE_VIEW,
    }
)

# What every member of a unit's staff may do there: report, follow the unit's
# actions and meetings, confirm new instructions.
# Every member of staff: reports deviations, follows the unit's actions, meetings
# and risks, reads the unit's self-supervision plan.
_STAFF = {
    P_DEVIATION_REPORT, P_UNIT_VIEW, P_ACTION_VIEW, P_MEETING_VIEW, P_RISK_VIEW, P_PLAN_VIEW, P_CHILDRENS_MEETING_RECORD,
}
# Reading the units' deviations, the log and guidance (directors, the management group).
_READ_DEVIATIONS = _STAFF | {P_DEVIATION_VIEW, P_DEVIATION_EXPORT, P_LOG_VIEW, P_GUIDANCE_VIEW}
_HANDLE_DEVIATIONS = _READ_DEVIATIONS | {P_DEVIATION_HANDLE, P_DEVIATION_NOTIFY}
# Leading a unit's self-supervision: deviations' routing, actions, the log,
# meetings, the plan's drafts, the quality calendar, the risk register and the
# feedback rounds (results with free text).
_LEAD = _HANDLE_DEVIATIONS | {
    P_ACTION_MANAGE,
    P_LOG_WRITE,
    P_MEETING_MANAGE,
    P_DEVIATION_ROUTING,
    P_PLAN_EDIT,
    P_OBLIGATION_VIEW,
    P_OBLIGATION_COMPLETE,
    P_RISK_MANAGE,
    P_FEEDBACK_VIEW,
    P_FEEDBACK_MANAGE,
    P_SEARCH_USE,
    P_LEARNING_VIEW,
}

# The children in care: staff of a unit know its children; the unit's leaders keep
# their placement records; directors see how many (their role grants no names).
_CHILDREN = {P_CLIENT_COUNT, P_CLIENT_VIEW, P_RESTRICTION_VIEW, P_RESTRICTION_RECORD}
_KEEP_CHILDREN = _CHILDREN | {P_CLIENT_MANAGE, P_RESTRICTION_DECIDE}
# The staff's competence: the unit's leaders keep its records; directors count.
_KEEP_COMPETENCE = {P_COMPETENCE_COUNT, P_COMPETENCE_VIEW, P_COMPETENCE_RECORD}
# The clients' complaints: the unit's leaders and the directors above them handle
# them (the responsible person answers by law, § 23); the management group reads.
_HANDLE_COMPLAINTS = {P_COMPLAINT_VIEW, P_COMPLAINT_HANDLE}
# Tracked documents: the unit's leaders keep their unit's; directors read.
_KEEP_DOCUMENTS = {P_DOCUMENT_VIEW, P_DOCUMENT_MANAGE}

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    # Staff write the unit's self-supervision plan with the supervisor (drafts only).
    Role.EMPLOYEE: frozenset(_STAFF | {P_PLAN_EDIT} | _CHILDREN),
    Role.SUPERVISOR: frozenset(_LEAD | _KEEP_CHILDREN | _KEEP_COMPETENCE | _HANDLE_COMPLAINTS | _KEEP_DOCUMENTS),
    # The responsible person answers for the unit's service by law: may see who
    # reported, receives § 29 grievances (and alone may disclose a protected
    # reporter, with a reason, to act on one), prepares answers to authorities and
    # approves the unit's self-supervision plan (Valvira regulation 1/2024). Only
    # they may close a § 29 grievance before its shortcoming is corrected, saying why.
    Role.RESPONSIBLE_PERSON: frozenset(
        _LEAD
        | {P_DEVIATION_VIEW_REPORTER, P_DEVIATION_DISCLOSE_REPORTER, P_GUIDANCE_MANAGE, P_PLAN_APPROVE}
        | {P_INSTRUCTION_DECIDE}
        | {P_DEVIATION_CLOSE_UNCORRECTED}
        | _KEEP_CHILDREN
        | _KEEP_COMPETENCE
        | _HANDLE_COMPLAINTS
        | _KEEP_DOCUMENTS
    ),
    Role.REGIONAL_DIRECTOR: frozenset(
        _LEAD
        | {P_GUIDANCE_MANAGE, P_INSTRUCTION_DECIDE, P_CLIENT_COUNT, P_COMPETENCE_COUNT, P_THEMES_VIEW, P_LEARNING_OPEN}
        | _HANDLE_COMPLAINTS
        | {P_DOCUMENT_VIEW}
    ),
    # Owns the quality system: reviews answers to authorities, edits the survey
    # questions, the calendar's duties and the plan template, approves the group
    # programme and publishes its follow-up.
    Role.QUALITY_DIRECTOR: frozenset(
        _LEAD
        | {P_DEVIATION_VIEW_REPORTER, P_ACCESS_LOG_VIEW, P_GUIDANCE_MANAGE, P_GUIDANCE_REVIEW, P_INSTRUCTION_DECIDE}
        | {P_SURVEY_EDIT, P_OBLIGATION_TEMPLATE_EDIT, P_PLAN_TEMPLATE, P_PROGRAMME_MANAGE, P_PROGRAMME_APPROVE}
        | {P_CLIENT_COUNT, P_COMPETENCE_COUNT, P_ORIENTATION_CARDS, P_SECURITY_PLAN, P_THEMES_VIEW}
        | _HANDLE_COMPLAINTS
        | {P_LEARNING_OPEN, P_LEARNING_SHARE}
        | _KEEP_DOCUMENTS
        | {P_READINESS_MANAGE}
    ),
    Role.REHABILITATION_DIRECTOR: frozenset(
        _READ_DEVIATIONS
        | {P_FEEDBACK_VIEW, P_CLIENT_COUNT, P_OUTCOME_INSTRUMENT_MANAGE, P_COMPETENCE_COUNT, P_LEARNING_VIEW}
    ),
    # Kind-limited specialists: their reports only (ROLE_KIND_LIMITS), not the
    # units' meetings, actions or logs (need to know).
    Role.SAFETY_MANAGER: frozenset(
        {P_DEVIATION_REPORT, P_UNIT_VIEW, P_DEVIATION_VIEW, P_DEVIATION_EXPORT, P_SAFETY_COMMITTEE_VIEW}
    ),
    # The HR director (henkilöstöjohtaja) supports the units' handling of the
    # deviations that concern the staff (their kinds: ROLE_KIND_LIMITS) and follows
    # the staff's competence as figures, without names (competence.count).
    Role.HR_DIRECTOR: frozenset(
        {P_DEVIATION_REPORT, P_UNIT_VIEW, P_DEVIATION_VIEW, P_DEVIATION_EXPORT, P_COMPETENCE_COUNT}
    ),
    Role.DATA_PROTECTION_OFFICER: frozenset(
        {P_DEVIATION_REPORT, P_UNIT_VIEW, P_DEVIATION_VIEW, P_DEVIATION_EXPORT}
        | {P_DEVIATION_HANDLE, P_DEVIATION_NOTIFY, P_ACCESS_LOG_VIEW, P_ACCESS_LOG_REVIEW}
        | {P_SUBJECT_REQUEST_MANAGE, P_RETENTION_MANAGE, P_SECURITY_PLAN, P_PRIVACY_NOTICE_MANAGE}
    ),
    # Reads everything, and writes its findings and measures beside the
    # programme's follow-up figures.
    Role.MANAGEMENT_GROUP: frozenset(
        _READ_DEVIATIONS | {P_FEEDBACK_VIEW, P_OBLIGATION_VIEW, P_PROGRAMME_MANAGE, P_CLIENT_COUNT, P_COMPETENCE_COUNT}
        | {P_SEARCH_USE}
        | {P_COMPLAINT_VIEW}
        | {P_LEARNING_VIEW}
        | {P_DOCUMENT_VIEW}
        | {P_READINESS_MANAGE}
    ),
    # Reviews the access log with the data protection officer (who read what:
    # names and times, never the records' contents).
    Role.ADMINISTRATOR: frozenset(
        {P_ORG_ADMIN, P_DEVIATION_REPORT, P_UNIT_VIEW, P_ACCESS_LOG_REVIEW, P_SUBJECT_REQUEST_MANAGE}
        | {P_RETENTION_MANAGE, P_SECURITY_PLAN, P_PRIVACY_NOTICE_MANAGE, P_READINESS_MANAGE}
        | _KEEP_DOCUMENTS
    ),
}

# Roles whose rights over a record family are limited to some kinds of record.
ROLE_KIND_LIMITS: dict[str, dict[str, frozenset[str]]] = {
    Role.SAFETY_MANAGER: {"deviation": frozenset({"threat_or_violence"})},
    # The provider's self-supervision programme names the HR director among the
    # group's directors who support a unit's supervisor in handling deviations
    # ("Poikkeamien käsittelyyn antavat yksikön lähiesihenkilölle tukea ...
    # laatujohtaja, kuntoutusjohtaja, työsuojelupäällikkö, henkilöstöjohtaja tai
    # työsuojeluvastaava") and lists "epäasiallinen käytös tai häirintä" among the
    # subjects of a deviation. Theirs: inappropriate treatment or harassment, and
    # the staff's safety (threat, danger or violence). Every other kind (quality,
    # medication, data protection, client rights, § 29 grievances) stays closed.
    Role.HR_DIRECTOR: {"deviation": frozenset({"harassment", "threat_or_violence"})},
    Role.DATA_PROTECTION_OFFICER: {"deviation": frozenset({"data_protection"})},
}

# (client.view is not among them: every member of a unit's staff knows the
# children placed there, and it is granted with the unit's staff roles only.)
# Rights that read protected or child data: the reports about children, a
# reporter's identity, the self-supervision log, feedback in the clients' own
# words and who has read what. Granting a role with any of them needs the
# administrator's re-authentication and is told to the other administrators and
# the data protection officer (organisation.services.membership_add).
SENSITIVE_PERMISSIONS = frozenset(
    {
        P_DEVIATION_VIEW,
        P_DEVIATION_HANDLE,
        P_DEVIATION_VIEW_REPORTER,
        P_DEVIATION_DISCLOSE_REPORTER,
        P_DEVIATION_EXPORT,
        P_LOG_VIEW,
        P_ACCESS_LOG_VIEW,
        P_FEEDBACK_VIEW,
        P_COMPLAINT_VIEW,
    }
)


def role_reads_sensitive_data(role: str) -> bool:
    """Does `role` read protected or child data (SENSITIVE_PERMISSIONS)?"""
    return bool(ROLE_PERMISSIONS.get(role, frozenset()) & SENSITIVE_PERMISSIONS)


# Roles that must sign in with a second factor (when REQUIRE_MFA_FOR_PRIVILEGED).
PRIVILEGED_ROLES = frozenset(
    {
        Role.REGIONAL_DIRECTOR,
        Role.QUALITY_DIRECTOR,
        Role.REHABILITATION_DIRECTOR,
        Role.SAFETY_MANAGER,
        Role.HR_DIRECTOR,
        Role.DATA_PROTECTION_OFFICER,
        Role.MANAGEMENT_GROUP,
        Role.ADMINISTRATOR,
    }
)

# Object rules: a permission granted on one record, whatever the unit grants, to
# the person named in one of its fields. The reporter always sees their own report
# (and the answer to it); the named handler handles it and may see who reported.
OBJECT_RULES: dict[str, tuple[str, ...]] = {
    P_DEVIATION_VIEW: ("reporter_id", "handler_id"),
    P_DEVIATION_HANDLE: ("handler_id",),
    P_DEVIATION_NOTIFY: ("handler_id",),
    P_DEVIATION_VIEW_REPORTER: ("handler_id",),
    # The person a proposal to change an instruction was sent to decides it.
    P_INSTRUCTION_DECIDE: ("responsible_id",),
}
