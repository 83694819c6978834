"""THE access kernel. Every decision about who may see or do what lives here.

* `ROLE_PERMISSIONS` is the one role -> permission table.
* A membership grants its role's permissions over a scope: one unit, the units of
  one region, or every unit (no unit and no region).
* Some roles see only some kinds of record (the safety manager sees threat and
  violence reports, the HR director those and harassment reports, the data
  protection officer data-protection reports):
  `ROLE_KIND_LIMITS`.
* Deny by default: an unknown permission, an inactive user, a unit outside every
  grant: denied.
* Outside the actor's units a record does not exist (404); inside them, a missing
  permission is 403.

Views declare their permission with `@requires(...)` (or `@public_view` in the
`public` app); a test walks every URL and fails on a view without one. Services
call `require(...)` again, so commands and background jobs are covered too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property, wraps

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import ExpressionWrapper, F, Q
from django.db.models.lookups import In
from django.http import Http404

from omavalvonta.organisation.models import Role, Unit

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
    ),
    Role.REHABILITATION_DIRECTOR: frozenset(
        _READ_DEVIATIONS
        | {P_FEEDBACK_VIEW, P_CLIENT_COUNT, P_OUTCOME_INSTRUMENT_MANAGE, P_COMPETENCE_COUNT, P_LEARNING_VIEW}
    ),
    # Kind-limited specialists: their reports only (ROLE_KIND_LIMITS), not the
    # units' meetings, actions or logs (need to know).
    Role.SAFETY_MANAGER: frozenset({P_DEVIATION_REPORT, P_UNIT_VIEW, P_DEVIATION_VIEW, P_DEVIATION_EXPORT}),
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
    ),
    # Reviews the access log with the data protection officer (who read what:
    # names and times, never the records' contents).
    Role.ADMINISTRATOR: frozenset(
        {P_ORG_ADMIN, P_DEVIATION_REPORT, P_UNIT_VIEW, P_ACCESS_LOG_REVIEW, P_SUBJECT_REQUEST_MANAGE}
        | {P_RETENTION_MANAGE, P_SECURITY_PLAN, P_PRIVACY_NOTICE_MANAGE}
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


# --- Grants ------------------------------------------------------------------------


@dataclass(frozen=True)
class Grant:
    role: str
    unit_id: int | None
    region_id: int | None
    permissions: frozenset[str]
    kind_limits: dict[str, frozenset[str]] = field(default_factory=dict)

    @property
    def is_organisation_wide(self) -> bool:
        return self.unit_id is None and self.region_id is None

    def covers(self, unit_id: int, region_id: int) -> bool:
        return (
            self.is_organisation_wide
            or self.unit_id == unit_id
            or (self.region_id is not None and self.region_id == region_id)
        )

    def allows_kind(self, perm: str, kind: str | None) -> bool:
        limit = self.kind_limits.get(perm.split(".", 1)[0])
        return limit is None or kind is None or kind in limit

    @cached_property
    def region_unit_ids(self) -> list[int]:
        """The ids of the region's units, read once per grant (grants live for
        one request)."""
        return list(Unit.objects.filter(region_id=self.region_id).order_by("pk").values_list("pk", flat=True))

    def unit_q(self, unit_field: str, *, walk: bool = False) -> Q:
        if self.is_organisation_wide:
            return Q()
        if self.unit_id is not None:
            return Q(**{f"{unit_field}_id": self.unit_id})
        # The region's unit ids as a list, not a join through unit (a join sorted
        # every row: 2.2 s against 22 ms on 500,000 reports) nor a subquery
        # (inside the OR of the object rules PostgreSQL cannot use an index for
        # a subquery, and counted a region's reports with a full scan).
        units = self.region_unit_ids
        if walk:
            # `unit_id + 0` hides the unit index from the planner, so it walks the
            # list's sort index and stops at the page, instead of collecting a
            # region's every row to sort them (SQLite: 220 ms against 1 ms for
            # the first page of 22,800 reports).
            return Q(In(ExpressionWrapper(F(f"{unit_field}_id") + 0, output_field=models.IntegerField()), units))
        return Q(**{f"{unit_field}_id__in": units})


def grants(actor) -> list[Grant]:
    """The actor's grants, computed once per actor object (one query)."""
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return []
    cached = getattr(actor, "_access_grants", None)
    if cached is not None:
        return cached
    result = [
        Grant(
            role=role,
            unit_id=unit_id,
            region_id=region_id,
            permissions=ROLE_PERMISSIONS.get(role, frozenset()),
            kind_limits=ROLE_KIND_LIMITS.get(role, {}),
        )
        for role, unit_id, region_id in actor.memberships.values_list("role", "unit_id", "region_id")
    ]
    actor._access_grants = result
    return result


def forget(actor) -> None:
    """Drop the cached grants (after memberships change)."""
    if hasattr(actor, "_access_grants"):
        del actor._access_grants


def _check_perm(perm: str) -> None:
    if perm not in PERMISSIONS:
        raise ValueError(f"Unknown permission {perm!r}")


def has_role(actor, *roles: str) -> bool:
    return any(g.role in roles for g in grants(actor))


def has_perm_anywhere(actor, perm: str) -> bool:
    if perm == AUTHENTICATED:
        return bool(getattr(actor, "is_authenticated", False) and actor.is_active)
    _check_perm(perm)
    return any(perm in g.permissions for g in grants(actor))


def roles_with(perm: str, *, kind: str | None = None) -> list[str]:
    """The roles that give `perm` (with `kind`: leaving out roles limited to other
    kinds of record), in the role table's order."""
    _check_perm(perm)
    area = perm.split(".", 1)[0]
    return [
        role
        for role, permissions in ROLE_PERMISSIONS.items()
        if perm in permissions
        and (kind is None or (limit := ROLE_KIND_LIMITS.get(role, {}).get(area)) is None or kind in limit)
    ]


def has_perm_organisation_wide(actor, perm: str | None = None) -> bool:
    """Does `actor` hold `perm` (without one: any right) over the whole
    organisation, not through a unit or a region? Group-wide records need it."""
    if perm is not None:
        _check_perm(perm)
    return any(g.is_organisation_wide and (perm is None or perm in g.permissions) for g in grants(actor))


def has_perm_above_unit(actor, perm: str) -> bool:
    """Does `actor` hold `perm` over a region or the whole organisation (a
    director), not only in units of their own?"""
    _check_perm(perm)
    return any(g.unit_id is None and perm in g.permissions for g in grants(actor))


def has_role_organisation_wide(actor, *roles: str) -> bool:
    """Does `actor` hold one of `roles` over the whole organisation?"""
    return any(g.role in roles and g.is_organisation_wide for g in grants(actor))


def is_member(actor) -> bool:
    """Does `actor` belong anywhere (any membership, any level)?"""
    return bool(grants(actor))


def own_unit_ids(actor, perm: str | None = None) -> list[int]:
    """The ids of the units `actor` is a member of directly (not through a region
    or the organisation), in membership order; with `perm`, only where the
    membership gives it. A form's default unit is the actor's own."""
    if perm is not None:
        _check_perm(perm)
    return [g.unit_id for g in grants(actor) if g.unit_id and (perm is None or perm in g.permissions)]


def can(actor, perm: str, unit: Unit | None, *, kind: str | None = None) -> bool:
    """May `actor` use `perm` in `unit` (for a record of `kind`)? Unknown: no."""
    if unit is None:
        return False
    _check_perm(perm)
    return any(
        perm in g.permissions and g.covers(unit.pk, unit.region_id) and g.allows_kind(perm, kind)
        for g in grants(actor)
    )


def require(actor, perm: str, unit: Unit | None, *, kind: str | None = None) -> None:
    """Raise PermissionDenied unless `can(...)`. Services call this."""
    if not can(actor, perm, unit, kind=kind):
        raise PermissionDenied(perm)


def sees_unit(actor, unit: Unit) -> bool:
    """Does any of the actor's memberships cover `unit`? (404 versus 403.)"""
    return any(g.covers(unit.pk, unit.region_id) for g in grants(actor))


def scope_q(
    actor, perm: str, *, unit_field: str = "unit", kind_field: str | None = None, walk: bool = False
) -> Q:
    """A filter matching the rows `actor` may use `perm` on. Nothing when no grant.
    Organisation-level rows (no unit) match organisation-wide grants only.
    `walk`: the same rows, written for a page of a long sorted list (see
    `Grant.unit_q`); a count or a short list is faster without it."""
    _check_perm(perm)
    combined = None
    for g in grants(actor):
        if perm not in g.permissions:
            continue
        q = g.unit_q(unit_field, walk=walk)
        limit = g.kind_limits.get(perm.split(".", 1)[0])
        if limit is not None and kind_field:
            q &= Q(**{f"{kind_field}__in": sorted(limit)})
        if not q:  # organisation-wide and unlimited: everything
            return Q()
        combined = q if combined is None else combined | q
    return combined if combined is not None else Q(pk__in=[])


def units_for(actor, perm: str):
    """The active units where `actor` may use `perm`."""
    return Unit.objects.filter(_unit_scope_q(actor, perm), is_active=True)


def _unit_scope_q(actor, perm: str) -> Q:
    _check_perm(perm)
    combined = None
    for g in grants(actor):
        if perm not in g.permissions:
            continue
        if g.is_organisation_wide:
            return Q()
        q = Q(pk=g.unit_id) if g.unit_id is not None else Q(region_id=g.region_id)
        combined = q if combined is None else combined | q
    return combined if combined is not None else Q(pk__in=[])


def _owner_q(model, actor, perm: str) -> Q | None:
    """The object rules of `perm` for `actor` on `model` (their own reports, the
    reports they handle), or None."""
    if not (getattr(actor, "is_authenticated", False) and actor.is_active):
        return None
    field_names = {f.attname for f in model._meta.concrete_fields}
    q = None
    for owner_field in OBJECT_RULES.get(perm, ()):
        if owner_field in field_names:
            rule = Q(**{owner_field: actor.pk})
            q = rule if q is None else q | rule
    return q


def filter_for_actor(queryset, actor, perm: str, *, walk: bool = False):
    """Scope a queryset of a unit-scoped model to what `actor` may use `perm` on.
    Object rules (a reporter's own report, the named handler) are added for the permissions they cover.
    `walk`: see `scope_q`."""
    model = queryset.model
    q = scope_q(actor, perm, kind_field=getattr(model, "access_kind_field", None), walk=walk)
    if q == Q():
        # Organisation-wide and unlimited. (Q() | Q(x) would collapse to Q(x),
        # silently narrowing "everything" to the object rules.)
        return queryset.all()
    owner = _owner_q(model, actor, perm)
    return queryset.filter(q if owner is None else q | owner)


def count_for_actor(queryset, actor, perm: str, *, limit: int | None = None) -> int:
    """`filter_for_actor(queryset, actor, perm).count()`, counted in two parts:
    the rows in the actor's units, then their own rows elsewhere. Each part can
    be counted from an index alone; the OR of both made PostgreSQL visit every
    row of a region (a regional director's 22,800 reports: 120 ms against 5 ms).
    With `limit`, counting stops there (the result is at most `limit`): a list
    of half a million rows says "more than N" instead of counting them all."""
    model = queryset.model

    def counted(qs) -> int:
        return qs.count() if limit is None else qs.order_by()[:limit].count()

    q = scope_q(actor, perm, kind_field=getattr(model, "access_kind_field", None))
    if q == Q():
        return counted(queryset)
    count = counted(queryset.filter(q))
    owner = _owner_q(model, actor, perm)
    if owner is not None and (limit is None or count < limit):
        count += counted(queryset.filter(owner).exclude(q))
    return count if limit is None else min(count, limit)


def access_object(queryset, actor, pk, perm: str):
    """Fetch one record for `actor`: 404 when it lies outside every unit the actor
    belongs to, 403 inside them without `perm`. A record without a unit (an
    organisation-level one) is the organisation-wide members' alone."""
    _check_perm(perm)
    try:
        obj = queryset.select_related("unit", "unit__region").get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if owns(actor, obj, perm):
        return obj
    if obj.unit_id is None:
        # An organisation-level record (no unit): only organisation-wide
        # members know of it; among them, the right decides.
        if not has_perm_organisation_wide(actor):
            raise Http404
        if not has_perm_organisation_wide(actor, perm):
            raise PermissionDenied(perm)
        return obj
    if not sees_unit(actor, obj.unit):
        raise Http404
    kind = getattr(obj, getattr(obj, "access_kind_field", "") or "", None)
    if not can(actor, perm, obj.unit, kind=kind):
        raise PermissionDenied(perm)
    return obj


def owns(actor, obj, perm: str) -> bool:
    """Is `actor` the person one of `perm`'s object rules names on `obj`?"""
    if not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return False
    return any(getattr(obj, f, None) == actor.pk for f in OBJECT_RULES.get(perm, ()))


def can_on(actor, obj, perm: str) -> bool:
    """`can` for one record, owner rules and kind limits included (for templates).
    A record without a unit needs `perm` organisation-wide."""
    if owns(actor, obj, perm):
        return True
    if obj.unit_id is None:
        return has_perm_organisation_wide(actor, perm)
    kind = getattr(obj, getattr(obj, "access_kind_field", "") or "", None)
    return can(actor, perm, obj.unit, kind=kind)


class UnitScopedQuerySet(models.QuerySet):
    """Queryset for of unit-scoped models: `Model.objects.for_actor(actor, perm)`."""

    def for_actor(self, actor, perm: str, *, walk: bool = False):
        return filter_for_actor(self, actor, perm, walk=walk)


# --- View declarations ---------------------------------------------------------------


def requires(perm: str):
    """Declare (and check) the permission a view needs somewhere in the actor's units.

    Object-level checks (which unit) are done by the view's selector through
    `access_object`. The URL-walk test reads `view.access_permission`.
    """
    if perm != AUTHENTICATED:
        _check_perm(perm)

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                from django.contrib.auth.views import redirect_to_login

                return redirect_to_login(request.get_full_path())
            if not has_perm_anywhere(request.user, perm):
                raise PermissionDenied(perm)
            return view(request, *args, **kwargs)

        wrapped.access_permission = perm
        return wrapped

    return decorator


def public_view(view):
    """Declare a view reachable without login. Only the `public` app may use it."""
    view = login_not_required(view)
    view.access_public = True
    return view


def require_on(actor, obj, perm: str) -> None:
    """Raise PermissionDenied unless `can_on(actor, obj, perm)`. Services call this
    for writes to an existing record."""
    if not can_on(actor, obj, perm):
        raise PermissionDenied(perm)


def access_unit(actor, pk, perm: str) -> Unit:
    """One unit for a per-unit page: 404 when none of the actor's memberships
    covers it, 403 when one does but without `perm`."""
    _check_perm(perm)
    try:
        unit = Unit.objects.select_related("region").get(pk=pk)
    except (Unit.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not sees_unit(actor, unit):
        raise Http404
    if not can(actor, perm, unit):
        raise PermissionDenied(perm)
    return unit


def outside_own_units_q(*, user_field: str, unit_field: str) -> Q:
    """Rows whose unit (`unit_field`) is not one of the own units of the person in
    `user_field`: no membership of theirs names that unit or its region. A wide
    (organisation-level) role has no own units, so all its reads of a unit's
    records are outside them. Rows without a unit are never outside. (The
    access-log review flags such reads.)"""
    from django.db.models import Exists, OuterRef

    from omavalvonta.organisation.models import Membership

    own = Membership.objects.filter(user_id=OuterRef(f"{user_field}_id")).filter(
        Q(unit_id=OuterRef(f"{unit_field}_id")) | Q(region_id=OuterRef(f"{unit_field}__region_id"))
    )
    return Q(**{f"{unit_field}__isnull": False}) & ~Q(Exists(own))
