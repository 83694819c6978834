"""Role x {own unit, other unit} x page: the status every combination gets.

"own" means the membership covers unit A, where the report lives (for group-level
roles: the whole organisation); "other" means it covers only unit B (region B
for the regional director). 404 outside the actor's units, 403 inside them
without the right."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from omavalvonta.deviations.services import deviation_submit
from omavalvonta.organisation.access import P_ACTION_MANAGE, P_SEARCH_USE, P_UNIT_VIEW, ROLE_PERMISSIONS
from omavalvonta.organisation.models import Role
from omavalvonta.testing.factories import deviation_kwargs, member

ORG_ROLES = {
    Role.QUALITY_DIRECTOR,
    Role.REHABILITATION_DIRECTOR,
    Role.SAFETY_MANAGER,
    Role.HR_DIRECTOR,
    Role.DATA_PROTECTION_OFFICER,
    Role.MANAGEMENT_GROUP,
    Role.ADMINISTRATOR,
}

# The columns of a page's full row: the unit roles and the regional director in
# their own unit (region) and in another, then the organisation-wide roles.
COLUMNS = (
    (Role.EMPLOYEE, "own"), (Role.EMPLOYEE, "other"),
    (Role.SUPERVISOR, "own"), (Role.SUPERVISOR, "other"),
    (Role.RESPONSIBLE_PERSON, "own"), (Role.RESPONSIBLE_PERSON, "other"),
    (Role.REGIONAL_DIRECTOR, "own"), (Role.REGIONAL_DIRECTOR, "other"),
    (Role.QUALITY_DIRECTOR, "own"), (Role.REHABILITATION_DIRECTOR, "own"), (Role.SAFETY_MANAGER, "own"),
    (Role.DATA_PROTECTION_OFFICER, "own"), (Role.MANAGEMENT_GROUP, "own"), (Role.ADMINISTRATOR, "own"),
    (Role.HR_DIRECTOR, "own"),
)


def _row(statuses: str) -> dict:
    """A page's full row: the statuses of COLUMNS in order, separated by spaces."""
    return dict(zip(COLUMNS, (int(status) for status in statuses.split()), strict=True))


def _by_right(perm: str, *, own: int, other: int) -> dict:
    """A page's full row by one right: `own` in their own unit and `other` in another
    for the roles that hold `perm`, 403 for the roles that do not."""
    return {(r, s): (own if s == "own" else other) if perm in ROLE_PERMISSIONS[r] else 403 for r, s in COLUMNS}


# page -> {(role, scope): status}, a page's full row: the statuses of COLUMNS, in order.
# A role/scope missing from a page's row is an error.
EXPECTED = {
    #                         employee  supervisor  responsible  regional  quality rehab safety dpo mgmt admin hr
    "report_form": _row(     "200 200  200 200     200 200      200 200   200     200   200    200 200  200   200"),
    "list": _row(            "403 403  200 200     200 200      200 200   200     200   200    200 200  403   200"),
    # Kind-limited roles: a quality report is not theirs to read.
    "detail": _row(          "403 404  200 404     200 404      200 404   200     200   403    403 200  403   403"),
    "violence_detail": _row( "403 404  200 404     200 404      200 404   200     200   200    403 200  403   200"),
    # The HR director's kinds: harassment and the staff's safety (ROLE_KIND_LIMITS).
    "harassment_detail": _row("403 404  200 404     200 404      200 404   200     200   403    403 200  403   200"),
    "notify": _row(          "403 404  200 404     200 404      200 404   200     403   403    403 403  403   403"),
    "export": _row(          "403 403  200 200     200 200      200 200   200     200   200    200 200  403   200"),
    "routing": _row(         "403 404  200 404     200 404      200 404   200     403   403    403 403  403   403"),
    # The quality calendar: unit leaders, directors and the management group (read only).
    "yearclock_wheel": _row( "403 403  200 200     200 200      200 200   200     403   403    403 200  403   403"),
    "yearclock_detail": _row("403 403  200 404     200 404      200 404   200     403   403    403 200  403   403"),
    "yearclock_due": _row(   "403 403  200 200     200 200      200 200   200     403   403    403 403  403   403"),
    "yearclock_templates": _row("403 403  403 403     403 403      403 403   200     403   403    403 403  403   403"),
    # Client feedback: results for unit leaders, directors and the management group; rounds for leaders.
    "feedback_home": _row(   "403 403  200 200     200 200      200 200   200     200   403    403 200  403   403"),
    "feedback_unit": _row(   "403 403  200 404     200 404      200 404   200     200   403    403 200  403   403"),
    "feedback_round": _row(  "403 403  200 404     200 404      200 404   200     403   403    403 403  403   403"),
    "survey_sets": _row(     "403 403  403 403     403 403      403 403   200     403   403    403 403  403   403"),
    # Self-supervision plans: every member of staff reads the unit's plan; the responsible person approves.
    "plan_list": _row(       "200 200  200 200     200 200      200 200   200     200   403    403 200  403   403"),
    "plan_version": _row(    "200 404  200 404     200 404      200 404   200     200   403    403 200  403   403"),
    "plan_approve": _row(    "403 403  403 403     200 404      403 403   403     403   403    403 403  403   403"),
    "plan_template": _row(   "403 403  403 403     403 403      403 403   200     403   403    403 403  403   403"),
    "programme": _row(       "403 403  403 403     403 403      403 403   200     403   403    403 200  403   403"),
    "programme_compare": _row("403 403  403 403     403 403      403 403   200     403   403    403 200  403   403"),
    # The risk register: every member of staff reads it (need to know the unit's risks).
    "risk_list": _row(       "200 200  200 200     200 200      200 200   200     200   403    403 200  403   403"),
    "risk_detail": _row(     "200 404  200 404     200 404      200 404   200     200   403    403 200  403   403"),
    # Audits and continuity: read like the risk register (the unit's page: 404 outside).
    "audits_index": _row(    "200 200  200 200     200 200      200 200   200     200   403    403 200  403   403"),
    "continuity": _row(      "200 404  200 404     200 404      200 404   200     200   403    403 200  403   403"),
    # The access log review: the data protection officer and administrators only.
    "access_log_review": _row("403 403  403 403     403 403      403 403   403     403   403    200 403  200   403"),
    # The data-subject requests and a compile: the same two only.
    **{
        page: _row("403 403  403 403     403 403      403 403   403     403   403    200 403  200   403")
        for page in ("subject_requests", "subject_request_new", "subject_request", "subject_compilation",
                     "subject_request_items")
    },
    # Retention (the table, legal holds, destruction runs and records) and the registers' privacy notices: the same two only.
    **{
        page: _row("403 403  403 403     403 403      403 403   403     403   403    200 403  200   403")
        for page in ("retention", "retention_holds", "retention_runs", "retention_run", "destruction_records",
                     "privacy_notices", "privacy_notice")
    },
    # The information-security plan (not public): the quality director, the data
    # protection officer and administrators, organisation-wide only.
    **{
        page: _row("403 403  403 403     403 403      403 403   200     403   403    200 403  200   403")
        for page in ("security_plan", "security_plan_version")
    },
    # The organisation's readiness (the readiness group, its exercises, the
    # crisis-communication plan in force and its approved versions): everyone
    # of the organisation reads it; the draft is its keepers' (readiness.manage:
    # the quality director, the management group, administrators; organisation-wide).
    **{
        page: _row("200 200  200 200     200 200      200 200   200     200   200    200 200  200   200")
        for page in ("readiness", "crisis_plan", "crisis_plan_version")
    },
    "crisis_plan_draft": _row("403 403  403 403     403 403      403 403   200     403   403    403 200  200   403"),
    "admin_home": _row(      "403 403  403 403     403 403      403 403   403     403   403    403 403  200   403"),
}

# Children in care: directors count them (the overview); the unit's staff see its children
# (one unit: the overview sends straight to its list); the unit's leaders keep the records.
EXPECTED["clients_overview"] = _row("302 302  302 302     302 302      200 200   200     200   403    403 200  403   403")
# Without the right anywhere: 403 before any unit is looked at; with it, another unit's child is 404.
EXPECTED["clients_unit"] = _row("200 404  200 404     200 404      403 403   403     403   403    403 403  403   403")
EXPECTED["clients_detail"] = EXPECTED["clients_unit"]
EXPECTED["clients_create"] = _row("403 403  200 404     200 404      403 403   403     403   403    403 403  403   403")
EXPECTED["clients_edit"] = EXPECTED["clients_end"] = EXPECTED["clients_create"]
# A child's functional-capacity measurements and goals: as the child's page.
_OUTCOME_CHILD_PAGES = (
    "outcomes_child", "outcomes_measure", "outcomes_goals_print", "outcomes_goals", "outcomes_sessions",
    "outcomes_report", "outcomes_report_pdf",
)
for _page in _OUTCOME_CHILD_PAGES:
    EXPECTED[_page] = EXPECTED["clients_detail"]
# The instruments: organisation-wide data kept by the rehabilitation director.
EXPECTED["outcomes_instruments"] = _row("403 403  403 403     403 403      403 403   403     200   403    403 403  403   403")
EXPECTED["outcomes_version"] = EXPECTED["outcomes_item_edit"] = EXPECTED["outcomes_instruments"]
# Effectiveness: figures, no names, for everyone who may count the children.
EXPECTED["outcomes_effectiveness"] = _row("200 200  200 200     200 200      200 200   200     200   403    403 200  403   403")
EXPECTED["outcomes_unit_effectiveness"] = _row("200 404  200 404     200 404      200 404   200     200   403    403 200  403   403")

# Restrictive measures: the unit's staff read and record them; directors count them (no names).
EXPECTED["restrictions_overview"] = EXPECTED["clients_overview"]
EXPECTED["restrictions_unit"] = EXPECTED["clients_unit"]
EXPECTED["restrictions_new"] = EXPECTED["restrictions_detail"] = EXPECTED["restrictions_debrief"] = EXPECTED["clients_unit"]
# Phase 2: a restraint's account is signed and read by the unit's staff; the figures as the register;
# a child's flag is handled by those who decide (the unit's leaders, as the placement's keepers).
for _page in ("restrictions_figures", "restrictions_sign", "restrictions_pdf", "restrictions_handover"):
    EXPECTED[_page] = EXPECTED["clients_unit"]
EXPECTED["restrictions_flag"] = EXPECTED["clients_create"]

# Competence (people): everyone reads their own; the unit's leaders read and record their staff's
# records (another unit's people are 404); directors count without names.
EXPECTED["people_index"] = _row("200 200  200 200     200 200      200 200   200     200   200    200 200  200   200")
EXPECTED["people_overview"] = _row("403 403  200 200     200 200      200 200   200     200   403    403 200  403   200")
EXPECTED["people_unit"] = _row("403 403  200 404     200 404      403 403   403     403   403    403 403  403   403")
EXPECTED["people_requirement"] = EXPECTED["people_person"] = EXPECTED["people_record_new"] = EXPECTED["people_unit"]
# Training, development discussions and the recruitment plan: the unit's leaders'.
for _page in ("people_training_new", "people_discussion_new", "people_recruitment"):
    EXPECTED[_page] = EXPECTED["people_unit"]
# A certificate: its owner's and their unit's leaders'; nobody else knows of it.
EXPECTED["people_certificate"] = _row("404 404  200 404     200 404      404 404   404     404   404    404 404  404   404")
EXPECTED["people_training_certificate"] = EXPECTED["people_certificate"]

# Orientation (people): the cards are everyone's reading; a unit's orientations and the start form as its
# competence; one orientation is its newcomer's, its mentor's and the unit's leaders' (anyone else: 404, as
# if it did not exist); a finding's action needs action.manage as well.
EXPECTED["people_cards"] = EXPECTED["people_card"] = EXPECTED["people_index"]
EXPECTED["people_orientations"] = EXPECTED["people_orientation_new"] = EXPECTED["people_unit"]
EXPECTED["people_orientation"] = _row("404 404  200 404     200 404      404 404   404     404   404    404 404  404   404")
EXPECTED["people_evaluation_action"] = _by_right(P_ACTION_MANAGE, own=404, other=404) | {
    (Role.SUPERVISOR, "own"): 200, (Role.RESPONSIBLE_PERSON, "own"): 200,
}

# The purchasing county's own view: no role at the provider opens it (a county
# access does, organisation/access_county.py; county/tests). Its administration
# (who of a county may sign in, the API's tokens): the administrator's, as the rest.
EXPECTED["county_home"] = EXPECTED["county_unit"] = _row(
    "403 403  403 403     403 403      403 403   403     403   403    403 403  403   403")
EXPECTED["county_access_list"] = EXPECTED["api_token_list"] = EXPECTED["admin_home"]

# A unit's timeline: everyone who sees the unit (each entry as its area allows); another unit's is 404.
EXPECTED["unit_timeline"] = _by_right(P_UNIT_VIEW, own=200, other=404)

# Search across units: those who look across their scope (results are each area's own, through the kernel).
# Themes across units: the quality director, and the regional director for their region.
EXPECTED["search"] = _by_right(P_SEARCH_USE, own=200, other=200)
EXPECTED["themes"] = _row("403 403  403 403     403 403      200 200   200     403   403    403 403  403   403")
# Learning reviews: the list shows each person what they may read (their own reviews at least);
# a review is read by its unit's leaders and the directors (404 in another unit, 403 inside
# without learning.view); opening one from scratch is for the regional and quality directors.
EXPECTED["learning_list"] = _row("200 200  200 200     200 200      200 200   200     200   200    200 200  200   200")
EXPECTED["learning_detail"] = _row("403 404  200 404     200 404      200 404   200     200   403    403 200  403   403")
EXPECTED["learning_new"] = _row("403 403  403 403     403 403      200 200   200     403   403    403 403  403   403")

# A unit's monthly feedback report and team goals: as its results; aggregates of a region: as the overview.
EXPECTED["feedback_report"] = EXPECTED["feedback_goals"] = EXPECTED["feedback_unit"]
EXPECTED["feedback_scope"] = EXPECTED["feedback_home"]

# The clients' complaints: the unit's leaders and the directors over them handle them; the
# management group reads them; the deadline is set organisation-wide (the quality director).
EXPECTED["complaints_list"] = _row("403 403  200 200     200 200      200 200   200     403   403    403 200  403   403")
EXPECTED["complaints_new"] = _row("403 403  200 200     200 200      200 200   200     403   403    403 403  403   403")
EXPECTED["complaints_detail"] = _row("403 403  200 404     200 404      200 404   200     403   403    403 200  403   403")
EXPECTED["complaints_settings"] = _row("403 403  403 403     403 403      403 403   200     403   403    403 403  403   403")
# Proposals to change an instruction: those who decide instructions (instruction.decide)
# list them wherever they hold it; one proposal in unit A is theirs over unit A only.
EXPECTED["instruction_proposals"] = _row("403 403  403 403     200 200      200 200   200     403   403    403 403  403   403")
EXPECTED["instruction_proposal"] = _row("403 404  403 404     200 404      200 404   200     403   403    403 403  403   403")

# A unit's children's meetings: whoever reads the unit's meetings (meeting.view) lists and
# records them there (childrens_meeting.record, every member of staff); the kind-limited
# specialists and the administrators hold neither; another unit's is 404.
EXPECTED["childrens_meetings"] = _row("200 404  200 404     200 404      200 404   200     200   403    403 200  403   403")
EXPECTED["childrens_meeting_add"] = EXPECTED["childrens_meeting_edit"] = EXPECTED["childrens_meetings"]
# The occupational safety committee meets at group level: the group's safety leadership
# (quality and rehabilitation directors, the safety manager) and the management group
# read its minutes; to everyone else with meeting.view it does not exist (404); without
# it, 403.
EXPECTED["safety_committee"] = _row("404 404  404 404     404 404      404 404   200     200   200    403 200  403   403")

# Tracked documents and the compliance register (audits): the unit's leaders and the
# directors above them read (a unit's pages: 404 outside); the unit's supervisor and
# responsible person, the quality director and administrators keep; an organisation's
# document and the partners' register are organisation-wide (a unit's leaders see the
# partners their units use).
EXPECTED["documents"] = EXPECTED["partners"] = _row("403 403  200 200     200 200      200 200   200     403   403    403 200  200   403")
EXPECTED["document_unit"] = EXPECTED["document_detail"] = EXPECTED["partner_detail"] = _row(
    "403 403  200 404     200 404      200 404   200     403   403    403 200  200   403")
EXPECTED["document_create"] = _row("403 403  200 200     200 200      403 403   200     403   403    403 403  200   403")
EXPECTED["document_edit"] = _row("403 403  200 404     200 404      403 403   200     403   403    403 403  200   403")
EXPECTED["document_organisation"] = _row("403 403  404 404     404 404      404 404   200     403   403    403 200  200   403")
EXPECTED["partner_create"] = _row("403 403  403 403     403 403      403 403   200     403   403    403 403  200   403")

# A finding steers the unit's action plan (improvement, ?lahde=deviation:<the quality report>):
# those who manage the unit's plan and may open the report; the report unseen is 404.
EXPECTED["goal_prompt"] = _by_right(P_ACTION_MANAGE, own=200, other=404)

CASES = sorted(
    (page, str(role), scope, status) for page, row in EXPECTED.items() for (role, scope), status in row.items()
)


def _actor(role, scope, unit_a, unit_b):
    if role in ORG_ROLES:
        return member(role)
    if role == Role.REGIONAL_DIRECTOR:
        return member(role, region=(unit_a if scope == "own" else unit_b).region)
    return member(role, unit=unit_a if scope == "own" else unit_b)


def _url(page, unit_a, quality, violence):
    return {
        "report_form": reverse("deviations:new"),
        "list": reverse("deviations:list"),
        "detail": reverse("deviations:detail", args=[quality.pk]),
        "violence_detail": reverse("deviations:detail", args=[violence.pk]),
        "goal_prompt": f"{reverse('improvement:goal_prompt')}?lahde=deviation:{quality.pk}",
        "harassment_detail": reverse("deviations:detail", args=[_harassment(unit_a).pk])
        if page == "harassment_detail" else "",
        "notify": reverse("deviations:notify", args=[quality.pk]),
        "export": reverse("deviations:export"),
        "routing": reverse("deviations:routing", args=[unit_a.pk]),
        "instruction_proposals": reverse("deviations:proposals"),
        "instruction_proposal": reverse("deviations:proposal", args=[_proposal(quality).pk])
        if page == "instruction_proposal" else "",
        "admin_home": reverse("organisation:admin_home"),
        "county_home": reverse("county:home"),
        "county_unit": reverse("county:unit", args=[unit_a.pk]),
        "county_access_list": reverse("organisation:county_access_list"),
        "api_token_list": reverse("organisation:api_token_list"),
        "access_log_review": reverse("privacy:log"),
        **(_subject_request_urls(unit_a) if page.startswith("subject_") else {}),
        **(_retention_urls() if page.startswith(("retention", "destruction_", "privacy_notice")) else {}),
        "feedback_home": reverse("feedback:home"),
        "feedback_unit": reverse("feedback:unit", args=[unit_a.pk]),
        "feedback_round": reverse("feedback:round", args=[_round(unit_a).pk]) if page == "feedback_round" else "",
        "survey_sets": reverse("feedback:surveys"),
        "feedback_report": reverse("feedback:unit_report", args=[unit_a.pk]),
        "feedback_goals": reverse("feedback:unit_goals", args=[unit_a.pk]),
        "feedback_scope": reverse("feedback:scope", args=["region", unit_a.region_id]),
        "yearclock_wheel": reverse("yearclock:wheel"),
        "yearclock_detail": reverse("yearclock:detail", args=[_duty(unit_a).pk]) if page == "yearclock_detail" else "",
        "yearclock_due": reverse("yearclock:due"),
        "yearclock_templates": reverse("yearclock:templates"),
        "risk_list": reverse("risks:list"),
        "audits_index": reverse("audits:index"),
        "continuity": reverse("audits:continuity", args=[unit_a.pk]),
        "security_plan": reverse("audits:security_plan"),
        "documents": reverse("audits:documents"),
        "document_unit": reverse("audits:unit_documents", args=[unit_a.pk]),
        "document_create": reverse("audits:document_create"),
        "document_detail": reverse("audits:document", args=[_document(unit_a).pk]) if page == "document_detail" else "",
        "document_edit": reverse("audits:document_edit", args=[_document(unit_a).pk]) if page == "document_edit" else "",
        "document_organisation": reverse("audits:document", args=[_document(None).pk])
        if page == "document_organisation" else "",
        "partners": reverse("audits:partners"),
        "partner_create": reverse("audits:partner_create"),
        "partner_detail": reverse("audits:partner", args=[_partner(unit_a).pk]) if page == "partner_detail" else "",
        "security_plan_version": reverse("audits:security_plan_version", args=[_security_plan().pk])
        if page == "security_plan_version" else "",
        "readiness": reverse("audits:readiness"),
        "crisis_plan": reverse("audits:crisis_plan"),
        "crisis_plan_version": reverse("audits:crisis_plan_version", args=[_crisis_plan().pk])
        if page == "crisis_plan_version" else "",
        # The draft page shows the open draft (without one it sends back to the plan).
        "crisis_plan_draft": (_crisis_plan(draft=True) and reverse("audits:crisis_plan_draft"))
        if page == "crisis_plan_draft" else "",
        "risk_detail": reverse("risks:detail", args=[_risk(unit_a).pk]) if page == "risk_detail" else "",
        "plan_version": reverse("plans:version", args=[_plan_draft(unit_a).pk]) if page == "plan_version" else "",
        "plan_approve": reverse("plans:approve", args=[_plan_draft(unit_a).pk]) if page == "plan_approve" else "",
        "plan_list": reverse("plans:list"),
        "plan_template": reverse("plans:template"),
        "programme": reverse("plans:programme"),
        "programme_compare": reverse("plans:programme_compare"),
        "clients_overview": reverse("clients:overview"),
        "clients_unit": reverse("clients:unit", args=[unit_a.pk]),
        "clients_create": reverse("clients:create", args=[unit_a.pk]),
        **(
            {
                "clients_detail": reverse("clients:detail", args=[child.pk]),
                "clients_edit": reverse("clients:edit", args=[child.pk]),
                "clients_end": reverse("clients:end", args=[child.pk]),
            }
            if page in ("clients_detail", "clients_edit", "clients_end") and (child := _placement(unit_a))
            else {}
        ),
        **(_outcome_child_urls(unit_a) if page in _OUTCOME_CHILD_PAGES else {}),
        **(_instrument_urls() if page in ("outcomes_instruments", "outcomes_version", "outcomes_item_edit") else {}),
        "outcomes_effectiveness": reverse("outcomes:effectiveness"),
        "outcomes_unit_effectiveness": reverse("outcomes:unit_effectiveness", args=[unit_a.pk]),
        **(_people_urls(unit_a) if page.startswith("people_") else {}),
        "unit_timeline": reverse("unit_timeline", args=[unit_a.pk]),
        "search": reverse("search:search") + "?q=l%C3%A4%C3%A4ke",
        "themes": reverse("search:themes"),
        "complaints_list": reverse("complaints:list"),
        "complaints_new": reverse("complaints:new"),
        "complaints_settings": reverse("complaints:settings"),
        "complaints_detail": reverse("complaints:detail", args=[_complaint(unit_a).pk]) if page == "complaints_detail" else "",
        "childrens_meetings": reverse("meetings:childrens", args=[unit_a.pk]),
        "childrens_meeting_add": reverse("meetings:childrens_add", args=[unit_a.pk]),
        "childrens_meeting_edit": reverse("meetings:childrens_edit", args=[_childrens_meeting(unit_a).pk])
        if page == "childrens_meeting_edit" else "",
        "safety_committee": reverse("meetings:detail", args=[_safety_committee().pk]) if page == "safety_committee" else "",
        "learning_list": reverse("learning:list"),
        "learning_new": reverse("learning:review_new"),
        "learning_detail": reverse("learning:detail", args=[_learning_review(unit_a, quality).pk])
        if page == "learning_detail" else "",
        "restrictions_overview": reverse("restrictions:overview"),
        "restrictions_unit": reverse("restrictions:unit", args=[unit_a.pk]),
        "restrictions_figures": reverse("restrictions:figures", args=[unit_a.pk]),
        **(
            {
                "restrictions_new": reverse("restrictions:new", args=[child.pk]),
                "restrictions_detail": reverse("restrictions:detail", args=[_restriction(child).pk]),
                "restrictions_debrief": reverse("restrictions:debrief", args=[_restriction(child).pk]),
                "restrictions_sign": reverse("restrictions:sign", args=[_restriction(child).pk]),
                **_restriction_document_urls(child),
                "restrictions_flag": reverse("restrictions:flag", args=[_flag(child).pk]),
            }
            if page.startswith("restrictions_")
            and page not in ("restrictions_overview", "restrictions_unit", "restrictions_figures")
            and (child := _placement(unit_a))
            else {}
        ),
    }[page]


def _childrens_meeting(unit):
    """A children's meeting of `unit`, recorded by a member of its staff."""
    from omavalvonta.meetings.childrens import childrens_meeting_create

    return childrens_meeting_create(
        actor=member(Role.EMPLOYEE, unit=unit), unit=unit, held_on=timezone.localdate(), kind="weekly", topics="Säännöt"
    )


def _safety_committee():
    """An occupational safety committee meeting, planned by a quality director."""
    from omavalvonta.meetings.services import meeting_create

    return meeting_create(
        actor=member(Role.QUALITY_DIRECTOR), kind="safety_committee", title="", starts_at=timezone.now()
    )


def _learning_review(unit, deviation):
    """A learning review in `unit` opened by a quality director, facilitated by its supervisor."""
    from omavalvonta.learning.services import review_open

    return review_open(
        actor=member(Role.QUALITY_DIRECTOR), unit=unit, title="Iltalääkkeet", facilitator=member(Role.SUPERVISOR, unit=unit),
        due_date=dt.date.today() + dt.timedelta(days=10), deviation_ids=[deviation.pk],
    )


def _retention_urls():
    """The retention pages, and a proposed run of one old sent notification."""
    from omavalvonta.notifications.models import DeliveryState, Notification
    from omavalvonta.privacy import retention

    long_ago = timezone.now() - dt.timedelta(days=800)
    Notification.objects.create(
        email="x@omavalvonta.example", kind="old", subject="s", body="b", state=DeliveryState.SENT,
        created_at=long_ago, sent_at=long_ago,
    )
    run = retention.propose()
    return {
        "retention": reverse("privacy:retention"),
        "retention_holds": reverse("privacy:holds"),
        "retention_runs": reverse("privacy:runs"),
        "retention_run": reverse("privacy:run", args=[run.pk]),
        "destruction_records": reverse("privacy:destruction_records"),
        "privacy_notices": reverse("privacy:notices"),
        "privacy_notice": reverse("privacy:notice", args=["deviations"]),
    }


def _subject_request_urls(unit):
    """The register, and an access request about a member of `unit`'s staff with its compile."""
    from omavalvonta.privacy.services import subject_request_compile, subject_request_register

    dpo = member(Role.DATA_PROTECTION_OFFICER)
    request = subject_request_register(
        actor=dpo, kind="access", person=member(Role.EMPLOYEE, unit=unit), received_on=dt.date(2026, 1, 5),
        identity_method="signed_in", today=dt.date(2026, 1, 5),
    )
    subject_request_compile(actor=dpo, request=request)
    erasure = subject_request_register(
        actor=dpo, kind="erasure", person=request.person, received_on=dt.date(2026, 1, 5),
        identity_method="signed_in", today=dt.date(2026, 1, 5),
    )
    return {
        "subject_request_items": reverse("privacy:request_items", args=[erasure.pk]),
        "subject_requests": reverse("privacy:requests"),
        "subject_request_new": reverse("privacy:request_new"),
        "subject_request": reverse("privacy:request", args=[request.pk]),
        "subject_compilation": reverse("privacy:compilation", args=[request.pk]),
    }


def _outcome_child_urls(unit):
    """The measure pages of a child placed in `unit`, with one measurement."""
    from omavalvonta.outcomes.tests.helpers import record

    child = _placement(unit)
    measurement = record(member(Role.EMPLOYEE, unit=unit), child, on=child.starts_on)
    return {
        "outcomes_child": reverse("outcomes:child", args=[child.pk]),
        "outcomes_measure": reverse("outcomes:measure", args=[child.pk]),
        "outcomes_goals_print": reverse("outcomes:goals_print", args=[child.pk]),
        "outcomes_goals": reverse("outcomes:goals", args=[measurement.pk]),
        "outcomes_sessions": reverse("outcomes:sessions", args=[child.pk]),
        "outcomes_report": reverse("outcomes:report", args=[child.pk]),
        "outcomes_report_pdf": reverse("outcomes:report_pdf", args=[child.pk]),
    }


def _instrument_urls():
    from omavalvonta.outcomes.defaults import ensure_default_instrument
    from omavalvonta.outcomes.selectors import current_version

    ensure_default_instrument()
    version = current_version()
    return {
        "outcomes_instruments": reverse("outcomes:instruments"),
        "outcomes_version": reverse("outcomes:version", args=[version.pk]),
        "outcomes_item_edit": reverse("outcomes:item_edit", args=[version.items.first().pk]),
    }


def _people_urls(unit):
    """The competence pages about a member of `unit`'s staff with a first-aid certificate."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from omavalvonta.people.defaults import ensure_default_types
    from omavalvonta.people.models import QualificationType
    from omavalvonta.people.services import qualification_record
    from omavalvonta.people.training_services import training_record

    ensure_default_types()
    person = member(Role.EMPLOYEE, unit=unit)
    first_aid = QualificationType.objects.get(key="ensiapu")
    record = qualification_record(
        actor=member(Role.SUPERVISOR, unit=unit), unit=unit, person=person, qtype=first_aid, done_on=dt.date(2026, 1, 5),
        files=[SimpleUploadedFile("ea.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")],
    )
    training = training_record(
        actor=member(Role.SUPERVISOR, unit=unit), unit=unit, person=person, course="Ensiapu EA1",
        done_on=dt.date(2026, 1, 5), hours=16,
        files=[SimpleUploadedFile("ea1.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")],
    )
    return {
        "people_index": reverse("people:index"),
        "people_overview": reverse("people:overview"),
        "people_unit": reverse("people:unit", args=[unit.pk]),
        "people_requirement": reverse("people:requirement", args=[unit.pk]),
        "people_person": reverse("people:person", args=[unit.pk, person.pk]),
        "people_record_new": reverse("people:record_new", args=[unit.pk, person.pk, first_aid.pk]),
        "people_certificate": reverse("people:certificate", args=[record.pk]),
        "people_training_new": reverse("people:training_new", args=[unit.pk, person.pk]),
        "people_discussion_new": reverse("people:discussion_new", args=[unit.pk, person.pk]),
        "people_recruitment": reverse("people:recruitment", args=[unit.pk]),
        "people_training_certificate": reverse("people:training_certificate", args=[training.pk]),
        **_orientation_urls(unit, person),
    }


def _orientation_urls(unit, newcomer):
    """An orientation of `newcomer` in `unit`, done and evaluated by the newcomer."""
    from omavalvonta.people import services
    from omavalvonta.people.orientation_defaults import ensure_default_cards

    ensure_default_cards()
    mentor = member(Role.EMPLOYEE, unit=unit)
    orientation = services.orientation_start(
        actor=member(Role.SUPERVISOR, unit=unit), unit=unit, newcomer=newcomer, role="hourly", mentor=mentor,
        started_on=dt.date.today(),
    )
    for item in orientation.items.select_related("card_item", "orientation__unit"):
        services.item_tick(actor=mentor, item=item)
        if item.card_item.needs_ack:
            services.item_acknowledge(actor=newcomer, item=item)
    evaluation = services.evaluation_save(actor=newcomer, orientation=orientation, score=4, text="Hyvä perehdytys.")
    return {
        "people_cards": reverse("people:cards"),
        "people_card": reverse("people:card", args=[orientation.card_id]),
        "people_orientations": reverse("people:orientations", args=[unit.pk]),
        "people_orientation_new": reverse("people:orientation_new", args=[unit.pk]),
        "people_orientation": reverse("people:orientation", args=[orientation.pk]),
        "people_evaluation_action": reverse("people:evaluation_action", args=[orientation.pk, evaluation.pk]),
    }


def _placement(unit):
    """A child placed in `unit` (recorded by the unit's supervisor)."""
    from omavalvonta.clients.services import placement_create
    from omavalvonta.testing.factories import placement_kwargs

    return placement_create(
        actor=member(Role.SUPERVISOR, unit=unit), unit=unit, **placement_kwargs(county=unit.counties.first())
    )


def _restriction(child):
    """A restraint recorded for `child` by an employee of its unit."""
    from omavalvonta.restrictions.services import restriction_record
    from omavalvonta.restrictions.tests.conftest import restraint_kwargs

    return restriction_record(actor=member(Role.EMPLOYEE, unit=child.unit), placement=child, **restraint_kwargs())


def _restriction_document_urls(child):
    """The signed account of a restraint: its PDF and its handover page."""
    from omavalvonta.restrictions.services import document_sign

    restriction = _restriction(child)
    document_sign(actor=member(Role.EMPLOYEE, unit=child.unit), restriction=restriction, reasoning="Selvitys.")
    return {
        "restrictions_pdf": reverse("restrictions:pdf", args=[restriction.pk, 1, "fi"]),
        "restrictions_handover": reverse("restrictions:handover", args=[restriction.pk, 1]),
    }


def _flag(child):
    """An open flag on `child` (many, consecutive or long measures; the helpers' measures may have raised it)."""
    from django.utils import timezone

    from omavalvonta.restrictions.models import ChildFlag

    flag, _created = ChildFlag.objects.get_or_create(
        placement=child, handled_at__isnull=True,
        defaults={"unit": child.unit, "rule": "many_30d", "raised_at": timezone.now()},
    )
    return flag


def _complaint(unit):
    """A complaint received by letter in `unit` (recorded by its supervisor)."""
    from omavalvonta.complaints.services import complaint_register

    return complaint_register(
        actor=member(Role.SUPERVISOR, unit=unit), unit=unit, received_on=dt.date(2026, 1, 5), received_via="letter",
        complainant_kind="guardian", complainant_name="Maija Muistuttaja", subject="Kohtelu iltaisin.",
        today=dt.date(2026, 1, 5),
    )


def _proposal(deviation):
    """A proposal to change an instruction from `deviation`, sent to another responsible person of its unit."""
    from omavalvonta.deviations.models import InstructionProposal

    return InstructionProposal.objects.create(
        deviation=deviation, unit=deviation.unit, instruction="Iltalääkkeiden ohje", proposal="Kaksoistarkistus.",
        responsible=member(Role.RESPONSIBLE_PERSON, unit=deviation.unit),
    )


def _harassment(unit):
    """A harassment report filed by an employee of `unit`."""
    return deviation_submit(
        actor=member(Role.EMPLOYEE, unit=unit), **deviation_kwargs(unit, kind="harassment")
    ).deviation


def _risk(unit):
    from omavalvonta.risks.models import Risk

    return Risk.objects.create(
        unit=unit, category="premises", title="Liukas piha", likelihood=3, consequence=2, level="moderate",
        created_by=member(Role.SUPERVISOR, unit=unit),
    )


def _duty(unit):
    """One quality calendar duty of `unit` (made directly: the matrix tests access, not generation)."""
    from omavalvonta.yearclock.models import ObligationTemplate, Occurrence

    template = ObligationTemplate.objects.create(title="Riskiarvio", kind="risk_assessment", recurrence="yearly")
    return Occurrence.objects.create(template=template, unit=unit, due_date=dt.date(2026, 12, 31))


def _plan_draft(unit):
    """A draft of `unit`'s self-supervision plan (started by a supervisor of the unit)."""
    from omavalvonta.plans.services import plan_draft_start

    return plan_draft_start(actor=member(Role.SUPERVISOR, unit=unit), unit=unit)


def _security_plan():
    """An approved version of the information-security plan (by a quality director)."""
    from omavalvonta.audits import services

    director = member(Role.QUALITY_DIRECTOR)
    draft = services.security_plan_draft_start(actor=director)
    services.security_plan_draft_save(actor=director, version=draft, sections={"scope": "Koko konserni."})
    return services.security_plan_approve(actor=director, version=draft)


def _document(unit):
    """A tracked document of `unit` (None: the organisation's), kept by a quality director."""
    from omavalvonta.audits import document_services

    director = member(Role.QUALITY_DIRECTOR)
    kind, number = ("medication_plan", "") if unit else ("soteri", "1.2.246.10.1234567.10.0")
    return document_services.document_create(
        actor=director, kind=kind, unit=unit, owner=director, due_on=dt.date(2027, 6, 30), number=number
    )


def _partner(unit):
    """A purchased-service partner used by `unit`."""
    from omavalvonta.audits import document_services

    director = member(Role.QUALITY_DIRECTOR)
    return document_services.partner_save(
        actor=director, name="Vartiointi Oy", business_id="0737546-2", service="Yövartiointi", units=[unit],
        owner=director, next_due=dt.date(2027, 6, 30),
    )


def _crisis_plan(*, draft=False):
    """An approved version of the crisis-communication plan, and a draft after it when asked."""
    from omavalvonta.audits import readiness_services

    director = member(Role.QUALITY_DIRECTOR)
    version = readiness_services.crisis_plan_draft_start(actor=director)
    readiness_services.crisis_plan_draft_save(actor=director, version=version, sections={"scope": "Koko konserni."})
    version = readiness_services.crisis_plan_approve(actor=director, version=version)
    return readiness_services.crisis_plan_draft_start(actor=director) if draft else version


def _round(unit):
    """A feedback round of `unit` (made directly: the matrix tests access)."""
    from omavalvonta.feedback.models import Round

    return Round.objects.create(unit=unit, year=2026, quarter=4, opens_on=dt.date(2026, 10, 1), closes_on=dt.date(2026, 12, 31))


def test_every_role_and_scope_has_an_expectation_for_every_page():
    scopes = {(r, "own") for r in Role} | {(r, "other") for r in Role if r not in ORG_ROLES}
    for page, row in EXPECTED.items():
        assert set(row) == scopes, page


@pytest.mark.parametrize(("page", "role", "scope", "status"), CASES, ids=[f"{p}-{r}-{s}" for p, r, s, _ in CASES])
def test_role_scope_page_status(client, page, role, scope, status, unit_a, unit_b, colleague_a, supervisor_a):
    quality = deviation_submit(actor=colleague_a, **deviation_kwargs(unit_a)).deviation
    violence = deviation_submit(
        actor=colleague_a, **deviation_kwargs(unit_a, kind="threat_or_violence", violence_target="staff")
    ).deviation
    actor = _actor(role, scope, unit_a, unit_b)
    client.force_login(actor)
    response = client.get(_url(page, unit_a, quality, violence))
    assert response.status_code == status, f"{page} {role} {scope}"
