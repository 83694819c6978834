"""Every page that shows personal data writes one access-log row per page read:
a record's page names the record (and so the person it concerns), a list or an
export names itself and its filter (one row, not one per record listed).

The walk below is complete: every URL of the product is either a read that is
tested here (`READS`) or is listed in `NOT_A_READ` with the reason it reads no
one's personal data. A new page fails `test_every_page_is_a_tested_read_or_says_why_not`
until it is put in one of them."""

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from omavalvonta.clients.models import Placement
from omavalvonta.complaints.models import Complaint
from omavalvonta.core.models import AccessLogEntry
from omavalvonta.demo import builder, county as county_demo
from omavalvonta.deviations.models import Deviation
from omavalvonta.deviations.services import deviation_submit
from omavalvonta.feedback.models import PublicFeedback
from omavalvonta.guidance.models import Guidance
from omavalvonta.improvement.models import Action, LogEntry
from omavalvonta.learning.models import LearningReview
from omavalvonta.meetings.models import Meeting
from omavalvonta.organisation.models import Role, User
from omavalvonta.outcomes.models import Measurement
from omavalvonta.people.models import Orientation
from omavalvonta.privacy import services as privacy_services
from omavalvonta.restrictions import services as restriction_services
from omavalvonta.restrictions.models import Restriction
from omavalvonta.risks.models import Risk, RiskAssessment
from omavalvonta.testing.factories import deviation_kwargs
from omavalvonta.yearclock.models import Occurrence

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64


# The demo's purchasing-county person (no role at the provider: omavalvonta/demo/county.py).
COUNTY = "county"


def person(role):
    if role == COUNTY:
        return User.objects.get(email=county_demo.COUNTY_LOGIN_EMAIL)
    return User.objects.get(email=builder.LOGIN_EMAIL[role])


def _county_report():
    county = person(COUNTY).county_accesses.get().county
    return Deviation.objects.filter(statutory_notifications__county=county).order_by("pk").first()


def _county_unit():
    return _county_report().unit


def _child():
    return Placement.objects.filter(unit__name=builder.DEMO_UNIT_NAME, ends_on__isnull=True).order_by("pk").first()


def _first(model, **where):
    return model.objects.filter(**where).order_by("pk").first()


def _orientation():
    return Orientation.objects.filter(unit=_child().unit).order_by("pk").first()


def _deviation_with_attachment():
    supervisor = person(Role.SUPERVISOR)
    kwargs = deviation_kwargs(_child().unit, attachments=[SimpleUploadedFile("kuva.png", PNG, content_type="image/png")])
    deviation = deviation_submit(actor=supervisor, **kwargs).deviation
    return deviation, deviation.attachments.get()


def _grievance():
    kwargs = deviation_kwargs(_child().unit, kind="grievance")
    return deviation_submit(actor=person(Role.EMPLOYEE), **kwargs).deviation


def _restriction(**where):
    return _first(Restriction, unit__name=builder.DEMO_UNIT_NAME, **where)


def _signed_restriction():
    restriction = _restriction()
    if not restriction.documents.exists():
        restriction_services.document_sign(
            actor=person(Role.SUPERVISOR), restriction=restriction, reasoning="Perustelut kirjattu testissä."
        )
    return restriction, restriction.documents.order_by("-version").first()


def _compiled_request():
    dpo = person(Role.DATA_PROTECTION_OFFICER)
    request = privacy_services.subject_request_register(
        actor=dpo, kind="access", received_on=timezone.localdate(), identity_method="in_person",
        person=person(Role.EMPLOYEE),
    )
    privacy_services.subject_request_compile(actor=dpo, request=request)
    return request


def _erasure_request():
    dpo = person(Role.DATA_PROTECTION_OFFICER)
    return privacy_services.subject_request_register(
        actor=dpo, kind="erasure", received_on=timezone.localdate(), identity_method="in_person",
        person=person(Role.EMPLOYEE),
    )


def _evidence_occurrence():
    occurrence = _first(Occurrence, unit__name=builder.DEMO_UNIT_NAME)
    if not occurrence.evidence_file:
        occurrence.evidence_file.save("poytakirja.pdf", ContentFile(b"%PDF-1.4 testi"), save=False)
        occurrence.evidence_file_name = "poytakirja.pdf"
        occurrence.save(update_fields=["evidence_file", "evidence_file_name"])
    return occurrence


def _search_word():
    """A word of a demo report's text (ASCII: the row's detail is the query as sent)."""
    deviation_submit(actor=person(Role.SUPERVISOR), **deviation_kwargs(
        _child().unit, description="Tietokoneohjelma kaatui kesken kirjaamisen.", immediate_actions="",
    ))
    return "tietokoneohjelma"


def _list(query: str = ""):
    """A list's or an export's page (its filter `query`): the row names no record."""
    return lambda name: (reverse(name) + query, None)


def _unit_list(query: str = ""):
    """A list of the demo unit's (its id the URL's argument; its filter `query`): the row names no record."""
    return lambda name: (reverse(name, args=[_child().unit_id]) + query, None)


def _record(get, *args, **where):
    """The page of the record `get(*args, **where)`, its id the URL's argument: the row names it."""

    def page(name):
        record = get(*args, **where)
        return reverse(name, args=[record.pk]), record

    return page


# url name -> (what the row says, who reads, the page: its url name -> (url, the record it names or None for a list/export))
READS = {
    "county:home": ("county.home", COUNTY, _list()),
    "county:notifications": ("county.notifications", COUNTY, _list()),
    "county:notification": ("county.notification", COUNTY, _record(_county_report)),
    "county:unit": ("county.unit", COUNTY, _record(_county_unit)),
    "organisation:county_access_list": ("county_access.list", Role.ADMINISTRATOR, _list()),
    "improvement:log": ("log.list", Role.QUALITY_DIRECTOR, _list("?unit=")),
    "improvement:log_detail": ("log.detail", Role.QUALITY_DIRECTOR, _record(_first, LogEntry)),
    "meetings:detail": ("meeting.minutes", Role.QUALITY_DIRECTOR, _record(_first, Meeting)),
    "improvement:action_list": ("action.list", Role.QUALITY_DIRECTOR, _list()),
    "complaints:list": ("complaint.list", Role.SUPERVISOR, _list("?state=open")),
    "complaints:detail": ("complaint.detail", Role.SUPERVISOR, _record(_first, Complaint, unit__name=builder.DEMO_UNIT_NAME)),
    "improvement:action_detail": ("action.detail", Role.QUALITY_DIRECTOR, _record(_first, Action)),
    "improvement:action_export": ("action.export", Role.QUALITY_DIRECTOR, _list()),
    "risks:list": ("risk.list", Role.QUALITY_DIRECTOR, _list()),
    "risks:detail": ("risk.detail", Role.QUALITY_DIRECTOR, _record(_first, Risk)),
    "risks:assessments": ("risk.assessment_list", Role.QUALITY_DIRECTOR, _list()),
    "risks:assessment_detail": ("risk.assessment", Role.QUALITY_DIRECTOR, _record(_first, RiskAssessment)),
    "guidance:list": ("guidance.list", Role.QUALITY_DIRECTOR, _list()),
    "guidance:detail": ("guidance.letter", Role.QUALITY_DIRECTOR, _record(_first, Guidance)),
    "organisation:person_list": ("person.list", Role.ADMINISTRATOR, _list("?q=ohjaaja")),
    "organisation:person_detail": ("person.detail", Role.ADMINISTRATOR, _record(person, Role.EMPLOYEE)),
    "organisation:person_edit": ("person.detail", Role.ADMINISTRATOR, _record(person, Role.EMPLOYEE)),
    "notifications:inbox": ("notification.inbox", Role.QUALITY_DIRECTOR, _list()),
    "deviations:list": ("deviation.list", Role.QUALITY_DIRECTOR, _list("?state=open&kind=quality")),
    "deviations:export": ("deviation.export", Role.QUALITY_DIRECTOR, _list("?state=open")),
    # The handler's page reads the report and, apart, the reporter's identity (a protected read, flagged).
    "deviations:detail": (
        ("deviation.detail", "deviation.reporter"), Role.SUPERVISOR,
        _record(_first, Deviation, unit__name=builder.DEMO_UNIT_NAME),
    ),
    "deviations:disclose_reporter": (
        "deviation.detail", Role.RESPONSIBLE_PERSON,
        lambda _name: (lambda d: (reverse("deviations:disclose_reporter", args=[d.pk]), d))(
            _first(Deviation, unit__name=builder.DEMO_UNIT_NAME, kind="grievance", reporter__isnull=False)
            or _grievance()
        ),
    ),
    "deviations:attachment": (
        "deviation.attachment", Role.SUPERVISOR,
        lambda _name: (lambda d, a: (reverse("deviations:attachment", args=[d.pk, a.pk]), d))(*_deviation_with_attachment()),
    ),
    "feedback:public_detail": ("feedback.sender", Role.QUALITY_DIRECTOR, _record(_first, PublicFeedback)),
    "yearclock:evidence": ("obligation.evidence", Role.SUPERVISOR, _record(_evidence_occurrence)),
    "clients:unit": ("placement.list", Role.EMPLOYEE, _unit_list("?ended=1")),
    "clients:detail": ("placement.detail", Role.EMPLOYEE, _record(_child)),
    "clients:edit": ("placement.detail", Role.SUPERVISOR, _record(_child)),
    "clients:end": ("placement.detail", Role.SUPERVISOR, _record(_child)),
    "outcomes:child": ("outcome.measurements", Role.EMPLOYEE, _record(_child)),
    "outcomes:measure": ("outcome.measurements", Role.EMPLOYEE, _record(_child)),
    "outcomes:goals_print": ("outcome.goals", Role.EMPLOYEE, _record(_child)),
    "outcomes:goals": (
        "outcome.measurements", Role.EMPLOYEE,
        lambda _name: (lambda m: (reverse("outcomes:goals", args=[m.pk]), m.placement))(
            _first(Measurement, placement__unit__name=builder.DEMO_UNIT_NAME)
        ),
    ),
    "outcomes:sessions": ("outcome.sessions", Role.EMPLOYEE, _record(_child)),
    "outcomes:report": ("outcome.report", Role.EMPLOYEE, _record(_child)),
    "outcomes:report_pdf": ("outcome.report_pdf", Role.EMPLOYEE, _record(_child)),
    "restrictions:unit": ("restriction.list", Role.EMPLOYEE, _unit_list()),
    "restrictions:new": ("placement.detail", Role.EMPLOYEE, _record(_child)),
    "restrictions:detail": ("restriction.detail", Role.EMPLOYEE, _record(_restriction)),
    "restrictions:debrief": ("restriction.detail", Role.EMPLOYEE, _record(_restriction, debrief_at__isnull=True)),
    "restrictions:sign": ("restriction.detail", Role.SUPERVISOR, _record(_restriction)),
    "restrictions:pdf": (
        "restriction.detail", Role.SUPERVISOR,
        lambda _name: (lambda r, d: (reverse("restrictions:pdf", args=[r.pk, d.version, "fi"]), r))(*_signed_restriction()),
    ),
    "restrictions:handover": (
        "restriction.detail", Role.SUPERVISOR,
        lambda _name: (lambda r, d: (reverse("restrictions:handover", args=[r.pk, d.version]), r))(*_signed_restriction()),
    ),
    "restrictions:figures": ("restriction.figures", Role.SUPERVISOR, _unit_list()),
    "people:index": ("competence.own", Role.EMPLOYEE, _list()),
    "people:unit": ("competence.matrix", Role.SUPERVISOR, _unit_list()),
    "people:person": (
        "competence.person", Role.SUPERVISOR,
        lambda _name: (lambda p: (reverse("people:person", args=[_child().unit_id, p.pk]), p))(person(Role.EMPLOYEE)),
    ),
    "people:orientations": ("competence.orientations", Role.SUPERVISOR, _unit_list()),
    "people:orientation": ("competence.orientation", Role.SUPERVISOR, _record(_orientation)),
    # Search: each area that returned results logs one row (here only deviations match the word).
    "search:search": ("deviation.search", Role.QUALITY_DIRECTOR, lambda _name: (reverse("search:search") + "?q=" + _search_word(), None)),
    "learning:list": ("learning.list", Role.SUPERVISOR, _list("?tila=open")),
    "learning:detail": ("learning.review", Role.SUPERVISOR, _record(_first, LearningReview)),
    "privacy:log": ("access_log.review", Role.DATA_PROTECTION_OFFICER, _list()),
    "privacy:requests": ("subject_request.list", Role.DATA_PROTECTION_OFFICER, _list()),
    "privacy:request": ("subject_request.detail", Role.DATA_PROTECTION_OFFICER, _record(_compiled_request)),
    "privacy:compilation": (
        "subject_request.compilation", Role.DATA_PROTECTION_OFFICER,
        lambda _name: (lambda r: (reverse("privacy:compilation", args=[r.pk]), r.person))(_compiled_request()),
    ),
    "privacy:request_items": (
        "subject_request.items", Role.DATA_PROTECTION_OFFICER,
        lambda _name: (lambda r: (reverse("privacy:request_items", args=[r.pk]), r.person))(_erasure_request()),
    ),
}

# Reasons a page reads no one's personal data (or reads only the signed-in person's own).
OWN = "the signed-in person's own account, reports, tasks or sessions; other records open on their own logged pages"
WRITE = "a write: accepts only POST (audited by its service) or redirects after it"
FORM_NEW = "a form for a new record: shows no existing record"
ORGANISATION = "the organisation's structure, settings, templates or instruments: no one's personal data"
FIGURES = "figures and unit names only (groups under five hidden): no one's personal data"
STAFF_WORK = "units' shared work (plans, meetings, duties, audits) naming staff only in their work roles"
CHILDRENS_MEETINGS = (
    "a unit's children's meetings in short: the day, the topics, what the children raised and decided, "
    "recorded without naming a child"
)
PUBLIC = "the public site: published documents and forms, no personal data"
SHELL = "the web app's shell, its offline form, language or icons"
ENDED_ELSEWHERE = "a sign-in session's end: writes, shows nothing"
SIGN_IN = "single sign-on with the organisation's identity provider: signs in, shows no one's data"
RETENTION = "retention settings, holds and destruction runs: record types, ids and dates, never their content"
TIMELINE = (
    "a unit's timeline: kinds of record, numbers and counts, never a child's or a reporter's name "
    "(tests/test_unit_timeline_demo.py); each record opens on its own logged page"
)
# A public page that reads a child's document logs its reader through the service (test below).
DELIVERY = "the social worker's download: logged by clients.services.delivery_open for a reader without an account"

API = "the open API: its county reads are logged with the token as the reader (county/api.py; county/tests/test_api.py)"
NOT_A_READ = {
    "organisation:county_access_revoke": WRITE, "organisation:api_token_revoke": WRITE,
    "organisation:api_token_list": "the open API's tokens: names, counties and dates, no one's personal data",
    **{
        f"api:{name}": API
        for name in (
            "api-root", "openapi-json", "units", "plans", "followup_reports",
            "county_units", "county_notifications", "county_notification", "county_figures",
        )
    },
    "home": OWN, "unit_timeline": TIMELINE, "favicon": SHELL, "service_worker": SHELL, "offline_shell": SHELL, "offline_queue_key": SHELL,
    "my_sessions": OWN, "my_sessions_end_others": ENDED_ELSEWHERE,
    "my_session_end": ENDED_ELSEWHERE, "set_language": SHELL,
    "deviations:new": FORM_NEW, "deviations:new_offline": SHELL, "deviations:offline_units": SHELL,
    "deviations:submitted": OWN, "deviations:mine": OWN, "deviations:routing": ORGANISATION,
    "deviations:assign": WRITE, "deviations:classify": WRITE, "deviations:add_action": WRITE,
    "deviations:answer": WRITE, "deviations:close": WRITE, "deviations:message": WRITE, "deviations:reply": WRITE,
    "deviations:reopen": WRITE, "deviations:notify": WRITE, "deviations:escalate": WRITE,
    "deviations:informed_add": WRITE, "deviations:informed_remove": WRITE,
    "deviations:decide": WRITE, "deviations:proposals": STAFF_WORK, "deviations:proposal": STAFF_WORK,
    "notifications:open": OWN,
    "improvement:goal_prompt": "a record's kind, number or date and the unit's goals: the label names no child, "
    "reporter or complainant (each area's GOAL_PROMPTS entry), the record's own page logs its read",
    "improvement:goal_prompt_remove": WRITE,
    "improvement:my_actions": OWN, "improvement:action_create": FORM_NEW, "improvement:action_complete": WRITE,
    "improvement:action_effectiveness": WRITE, "improvement:action_edit": WRITE, "improvement:action_cancel": WRITE,
    "improvement:plan_list": STAFF_WORK, "improvement:plan_create": FORM_NEW, "improvement:plan_detail": STAFF_WORK,
    "improvement:plan_participants": WRITE, "improvement:plan_goal_add": WRITE, "improvement:plan_approve": WRITE,
    "improvement:goal_edit": WRITE, "improvement:goal_remove": WRITE, "improvement:goal_follow_up": WRITE,
    "improvement:goal_action_add": WRITE, "improvement:log_create": FORM_NEW, "improvement:log_follow_up": WRITE,
    "meetings:list": STAFF_WORK, "meetings:create": FORM_NEW, "meetings:acknowledge": OWN,
    "meetings:acknowledge_confirm": WRITE, "meetings:item_add": WRITE, "meetings:agenda_refresh": WRITE,
    "meetings:item_move": WRITE, "meetings:item_remove": WRITE, "meetings:item_decide": WRITE,
    "meetings:item_action": WRITE, "meetings:item_log": WRITE, "meetings:attendance": WRITE, "meetings:close": WRITE,
    "meetings:remind": WRITE,
    "meetings:childrens": CHILDRENS_MEETINGS, "meetings:childrens_add": FORM_NEW,
    "meetings:childrens_edit": CHILDRENS_MEETINGS,
    "guidance:create": FORM_NEW, "guidance:attachment": "an authority's attachment: logged as guidance.attachment "
    "(guidance/tests)", "guidance:instructions": STAFF_WORK, "guidance:response": WRITE, "guidance:review": WRITE,
    "guidance:assign": WRITE, "guidance:add_action": WRITE, "guidance:issue_instructions": WRITE,
    "guidance:close": WRITE,
    "plans:list": STAFF_WORK, "plans:plan": STAFF_WORK, "plans:draft_start": WRITE, "plans:review": WRITE,
    "plans:compare": STAFF_WORK, "plans:version": STAFF_WORK, "plans:details": WRITE, "plans:section": WRITE,
    "plans:section_remove": WRITE, "plans:section_add": WRITE, "plans:approve": WRITE,
    "plans:request_approval": WRITE, "plans:discard": WRITE, "plans:template": ORGANISATION,
    "plans:template_new": FORM_NEW, "plans:template_edit": ORGANISATION, "plans:programme": ORGANISATION,
    "plans:programme_compare": ORGANISATION, "plans:programme_edit": WRITE, "plans:programme_approve": WRITE,
    "plans:programme_review": WRITE,
    "plans:reports": FIGURES, "plans:report": FIGURES, "plans:report_recompile": WRITE, "plans:report_approve": WRITE,
    "plans:report_publish": WRITE,
    "feedback:home": FIGURES, "feedback:unit": "figures; its free texts are logged as feedback.free_texts "
    "(feedback/tests)", "feedback:scope": FIGURES, "feedback:unit_report": FIGURES, "feedback:unit_goals": FIGURES,
    "feedback:goal_assess": WRITE, "feedback:goal_delete": WRITE, "feedback:reward_record": WRITE, "feedback:rounds": STAFF_WORK,
    "feedback:round": STAFF_WORK, "feedback:round_dates": WRITE, "feedback:round_links": STAFF_WORK,
    "feedback:round_kiosk": WRITE, "feedback:round_record": FORM_NEW, "feedback:kiosk_stop": WRITE,
    "feedback:surveys": ORGANISATION, "feedback:survey_edit": ORGANISATION, "feedback:survey_discard": WRITE,
    "feedback:public_list": "notices listed by unit and date; each sender's text is read on its logged page",
    "organisation:admin_home": ORGANISATION, "organisation:settings": ORGANISATION,
    "organisation:risk_matrix": ORGANISATION, "organisation:authority_list": ORGANISATION,
    "organisation:authority_create": FORM_NEW, "organisation:authority_edit": ORGANISATION,
    "organisation:unit_list": ORGANISATION, "organisation:unit_create": FORM_NEW, "organisation:unit_edit": ORGANISATION,
    "organisation:county_list": ORGANISATION, "organisation:county_create": FORM_NEW,
    "organisation:county_edit": ORGANISATION, "organisation:region_list": ORGANISATION,
    "organisation:region_create": FORM_NEW, "organisation:region_edit": ORGANISATION,
    "organisation:person_create": FORM_NEW, "organisation:person_password": WRITE,
    "organisation:person_sessions_end": WRITE, "organisation:membership_add": WRITE,
    "organisation:membership_remove": WRITE,
    "yearclock:wheel": STAFF_WORK, "yearclock:list": STAFF_WORK, "yearclock:due": STAFF_WORK,
    "yearclock:overdue": STAFF_WORK, "yearclock:detail": STAFF_WORK, "yearclock:templates": ORGANISATION,
    "yearclock:template_create": FORM_NEW, "yearclock:template_defaults": WRITE, "yearclock:template_edit": ORGANISATION,
    "risks:create": FORM_NEW, "risks:edit": WRITE, "risks:assessment_create": FORM_NEW, "risks:deviation_link": WRITE,
    "risks:deviation_unlink": WRITE,
    "audits:index": STAFF_WORK, "audits:checklists": ORGANISATION, "audits:checklist_create": FORM_NEW,
    "audits:checklist_edit": ORGANISATION, "audits:self_assessment_create": FORM_NEW,
    "audits:self_assessment": STAFF_WORK, "audits:audit_create": FORM_NEW, "audits:audit": STAFF_WORK,
    "audits:continuity": STAFF_WORK,
    "privacy:log_mark": WRITE, "privacy:request_new": FORM_NEW, "privacy:request_extend": WRITE,
    "privacy:request_status": WRITE, "privacy:request_compile": WRITE, "privacy:compilation_review": WRITE,
    "privacy:compilation_download": "the released compile: logged as subject_request.compilation_pdf/json "
    "(privacy/tests/test_compilation.py)",
    "clients:overview": FIGURES, "clients:create": FORM_NEW,
    "outcomes:instruments": ORGANISATION, "outcomes:instrument_threshold": WRITE, "outcomes:version": ORGANISATION,
    "outcomes:version_draft": WRITE, "outcomes:version_publish": WRITE, "outcomes:item_edit": ORGANISATION,
    "outcomes:effectiveness": FIGURES, "outcomes:unit_effectiveness": FIGURES, "outcomes:unit_sessions": FIGURES,
    "restrictions:overview": FIGURES, "restrictions:flag": WRITE,
    "complaints:new": FORM_NEW, "complaints:settings": ORGANISATION, "complaints:assign": WRITE,
    "complaints:answer": WRITE, "complaints:action": WRITE, "complaints:close": WRITE,
    "people:overview": FIGURES, "people:requirement": WRITE, "people:record_new": FORM_NEW,
    "people:certificate": "a certificate file: logged as competence.certificate (people/tests)",
    "audits:security_plan": ORGANISATION, "audits:security_plan_compare": ORGANISATION,
    "audits:security_plan_draft": ORGANISATION, "audits:security_plan_draft_start": WRITE,
    "audits:security_plan_version": ORGANISATION,
    # The compliance register: documents' kinds, numbers, dates and owners (staff in their work roles).
    "audits:documents": STAFF_WORK, "audits:unit_documents": STAFF_WORK, "audits:document": STAFF_WORK,
    "audits:document_create": FORM_NEW, "audits:document_edit": STAFF_WORK,
    "audits:document_version_file": STAFF_WORK, "audits:partners": STAFF_WORK, "audits:partner": STAFF_WORK,
    "audits:partner_create": FORM_NEW, "audits:partner_edit": STAFF_WORK, "audits:partner_evidence_file": STAFF_WORK,
    "audits:readiness": STAFF_WORK, "audits:crisis_plan": ORGANISATION, "audits:crisis_plan_version": ORGANISATION,
    "audits:crisis_plan_draft": ORGANISATION, "audits:crisis_plan_draft_start": WRITE,
    "openid_connect_callback": SIGN_IN, "openid_connect_login": SIGN_IN, "sso_callback": SIGN_IN, "sso_login": SIGN_IN,
    "search:themes": "themes across units: kinds of report, counts, unit names and shared words, never a name "
    "(search/tests/test_themes.py)",
    "people:card": ORGANISATION, "people:cards": ORGANISATION, "people:evaluation_action": WRITE,
    "people:orientation_evaluate": WRITE, "people:orientation_new": FORM_NEW,
    "people:training_new": FORM_NEW, "people:discussion_new": FORM_NEW, "people:recruitment_approve": WRITE,
    "people:recruitment": "the unit's recruitment plan: the competence its children need, no one's personal data",
    "people:training_certificate": "a certificate file: logged as competence.training_certificate (people/tests)",
    "privacy:destruction_records": RETENTION, "privacy:holds": RETENTION, "privacy:retention": RETENTION,
    "privacy:runs": RETENTION, "privacy:run": RETENTION, "privacy:hold_lift": WRITE, "privacy:retention_rule": WRITE,
    "privacy:run_approve": WRITE, "privacy:run_cancel": WRITE,
    "privacy:notices": "the registers' privacy notices: documents for the public site, no personal data",
    "privacy:notice": "a register's privacy notice and its draft: a document for the public site, no personal data",
    "public:privacy_notices": PUBLIC, "public:privacy_notice": PUBLIC,
    "learning:review_new": FORM_NEW, "learning:answers": WRITE, "learning:action": WRITE, "learning:share": WRITE,
    "learning:acknowledge": WRITE,
    "learning:complete": "the facilitator's form completing their own review (the review's page logs its reads)",
    "learning:summary": "an anonymised learning summary shared with units: no one's personal data",
    "public:index": PUBLIC, "public:followup": "the reporter's own answer, read with their follow-up code",
    "public:delivery": DELIVERY, "public:plans_index": PUBLIC, "public:plans_unit": PUBLIC,
    "public:plans_unit_pdf": PUBLIC, "public:plans_programme": PUBLIC, "public:plans_report": PUBLIC,
    "public:plans_programme_pdf": PUBLIC, "public:plans_report_pdf": PUBLIC, "public:feedback_send": PUBLIC,
    "public:feedback_answer": "the sender's own answer, read with their code", "public:feedback_thanks": PUBLIC,
    "public:feedback_link": PUBLIC, "public:feedback_kiosk": PUBLIC, "public:feedback_kiosk_thanks": PUBLIC,
}


def _project_url_names():
    def walk(patterns, namespace=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns, namespace + (f"{p.namespace}:" if p.namespace else ""))
            elif isinstance(p, URLPattern) and p.name:
                yield namespace + p.name

    third_party = ("admin:", "account_", "mfa_", "socialaccount_")
    return {name for name in walk(get_resolver().url_patterns) if not name.startswith(third_party)}


def test_every_page_is_a_tested_read_or_says_why_not():
    names = _project_url_names()
    assert len(names) > 150  # the walk sees the product
    unclassified = sorted(names - set(READS) - set(NOT_A_READ))
    assert unclassified == [], (
        "Pages neither tested as a read of personal data (READS) nor explained (NOT_A_READ): "
        + ", ".join(unclassified)
    )
    assert sorted(set(READS) & set(NOT_A_READ)) == []
    assert sorted((set(READS) | set(NOT_A_READ)) - names) == [], "Classified pages that no longer exist"


@pytest.mark.parametrize("name", sorted(READS))
def test_a_page_read_writes_one_access_log_row_naming_what_it_read(small_demo, db, client, name):
    what, role, page = READS[name]
    url, record = page(name)
    reader = person(role)
    client.force_login(reader)
    before = AccessLogEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    response = client.get(url, REMOTE_ADDR="192.0.2.44")
    assert response.status_code == 200, name
    if response.streaming:
        b"".join(response.streaming_content)
    rows = list(AccessLogEntry.objects.filter(pk__gt=before).order_by("pk"))
    whats = list(what) if isinstance(what, tuple) else [what]
    assert [row.what for row in rows] == whats, name
    row = rows[-1]
    assert row.actor == reader and row.ip_address == "192.0.2.44" and row.right
    if record is None:
        assert row.target_id is None
        query = url.partition("?")[2]
        # The filter, without empty values: "?unit=" adds nothing.
        assert row.detail == "&".join(sorted(p for p in query.split("&") if not p.endswith("="))) if query else row.detail == ""
    else:
        assert (row.target_type, row.target_id) == (ContentType.objects.get_for_model(record), record.pk)


def test_a_refused_read_writes_no_row(small_demo, db, client):
    client.force_login(person(Role.EMPLOYEE))
    assert client.get(reverse("organisation:person_list")).status_code == 403
    assert client.get(reverse("improvement:log")).status_code == 403
    assert not AccessLogEntry.objects.filter(what__in=["person.list", "log.list"]).exists()
    # A supervisor may read the report but not disclose its protected reporter: refused, nothing logged.
    client.force_login(person(Role.SUPERVISOR))
    before = AccessLogEntry.objects.count()
    assert client.get(reverse("deviations:disclose_reporter", args=[_grievance().pk])).status_code == 403
    assert AccessLogEntry.objects.count() == before


def test_log_rows_are_never_changed_by_the_application(small_demo, db, client):
    """Append-only: the model offers no update path the areas use; a read adds a row and changes none."""
    client.force_login(person(Role.QUALITY_DIRECTOR))
    client.get(reverse("deviations:list"))
    first = list(AccessLogEntry.objects.order_by("pk").values_list("pk", "at", "what"))
    client.get(reverse("deviations:list"))
    assert list(AccessLogEntry.objects.order_by("pk").values_list("pk", "at", "what"))[: len(first)] == first
    assert timezone.now() - AccessLogEntry.objects.order_by("-pk").first().at < dt.timedelta(minutes=5)
