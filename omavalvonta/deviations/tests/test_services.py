"""Writes of deviations: reporting, routing, handling, statutory notifications and
the stalled-handling escalation."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from omavalvonta.core import jobs
from omavalvonta.core.models import AuditEvent
from omavalvonta.deviations import rules, services
from omavalvonta.deviations.models import (
    Attachment,
    Deviation,
    HandlerAssignment,
    NotificationRecipient,
    State,
    StatutoryNotification,
)
from omavalvonta.deviations.selectors import deviation_for_followup_code
from omavalvonta.improvement.models import Action
from omavalvonta.notifications.models import Notification
from omavalvonta.organisation.models import Membership, Role
from omavalvonta.testing.factories import AuthorityFactory, WellbeingCountyFactory, deviation_kwargs, handling_questions_answered, member

HELSINKI = ZoneInfo("Europe/Helsinki")
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01" + b"\x00" * 64
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64
PDF = b"%PDF-1.7\n" + b"x" * 64
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 64
HEIC = b"\x00\x00\x00\x18ftypheic" + b"\x00" * 64


# Messages are asserted in their English msgids whatever translations exist.
pytestmark = pytest.mark.usefixtures("english_texts")


def submit(actor, unit, **overrides):
    return services.deviation_submit(actor=actor, **deviation_kwargs(unit, **overrides))


def upload(name, content):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def events(deviation, verb=None):
    qs = AuditEvent.objects.filter(target_id=deviation.pk, verb__startswith="deviation.")
    return list(qs.filter(verb=verb) if verb else qs)


def notifications_to(user, kind=None):
    qs = Notification.objects.filter(recipient=user)
    return list(qs.filter(kind=kind) if kind else qs)


@pytest.fixture
def report(employee_a, supervisor_a, unit_a):
    """A named quality report in unit A, handled by its supervisor."""
    return submit(employee_a, unit_a).deviation


@pytest.fixture
def answered(report, supervisor_a):
    return services.deviation_answer(actor=supervisor_a, deviation=report, answer="Korjasimme lääkelistan.")


# --- Submit --------------------------------------------------------------------------------


def test_employee_submits_a_report_routed_to_the_unit_supervisor(employee_a, supervisor_a, unit_a):
    result = submit(employee_a, unit_a)

    d = Deviation.objects.get()
    assert result.deviation == d
    assert result.followup_code is None
    assert d.followup_code_digest == ""
    assert d.state == State.SUBMITTED
    assert d.reporter == employee_a
    assert d.is_anonymous is False
    assert d.handler == supervisor_a
    assert d.number == f"P{timezone.localdate().year}-{d.pk:06d}"
    assert [e.verb for e in events(d)] == ["deviation.submitted", "deviation.assigned"]
    submitted, assigned = events(d)
    assert submitted.actor == employee_a
    assert assigned.data["handler_name"] == "Sari Esihenkilö"


def test_report_numbers_are_unique(employee_a, supervisor_a, unit_a):
    numbers = {submit(employee_a, unit_a).deviation.number for _ in range(3)}

    assert len(numbers) == 3


def test_handling_deadline_skips_weekends_and_christmas_and_target_date_counts_calendar_days(
    employee_a, supervisor_a, unit_a
):
    with time_machine.travel(dt.datetime(2026, 12, 23, 10, 0, tzinfo=HELSINKI), tick=False):
        d = submit(employee_a, unit_a).deviation

    # 24.-27.12 are holidays or a weekend: three working days are 28., 29. and 30.12.
    assert d.handling_due_at == dt.datetime(2026, 12, 30, 10, 0, tzinfo=HELSINKI)
    assert d.due_date == dt.date(2027, 1, 22)


def test_organisation_settings_drive_the_deadlines(employee_a, supervisor_a, unit_a, organisation):
    organisation.handling_start_working_days = 1
    organisation.handling_target_days = 7
    organisation.save()

    with time_machine.travel(dt.datetime(2026, 3, 6, 9, 0, tzinfo=HELSINKI), tick=False):  # a Friday
        d = submit(employee_a, unit_a).deviation

    assert d.handling_due_at == dt.datetime(2026, 3, 9, 9, 0, tzinfo=HELSINKI)
    assert d.due_date == dt.date(2026, 3, 13)


def test_anonymous_report_stores_no_identity(employee_a, supervisor_a, unit_a):
    result = submit(employee_a, unit_a, anonymous=True, attachments=[upload("Eeva_kuva.jpg", JPEG)])

    d = result.deviation
    d.refresh_from_db()
    assert d.reporter is None
    assert d.is_anonymous is True
    assert all(e.actor_id is None for e in AuditEvent.objects.all())
    traces = [str(e.data) for e in AuditEvent.objects.all()]
    traces += [f"{n.subject} {n.body} {n.email}" for n in Notification.objects.all()]
    traces += [a.original_name for a in Attachment.objects.all()]
    for trace in traces:
        assert "Eeva" not in trace
        assert "eeva@" not in trace
    assert not any(e.data.get("reporter_id") for e in AuditEvent.objects.all())
    assert list(employee_a.reported_deviations.all()) == []
    assert notifications_to(employee_a) == []


def test_anonymous_report_gets_a_followup_code_stored_only_as_a_digest(employee_a, supervisor_a, unit_a):
    result = submit(employee_a, unit_a, anonymous=True)

    code = result.followup_code
    assert code and len(code) == 14
    d = result.deviation
    assert d.followup_code_digest == rules.followup_code_digest(code)
    assert code.replace("-", "") not in d.followup_code_digest
    assert deviation_for_followup_code(code=code.lower()) == d


def test_grievance_always_gets_a_followup_code_and_keeps_the_named_reporter(employee_a, supervisor_a, unit_a):
    result = submit(employee_a, unit_a, kind="grievance")

    assert result.followup_code is not None
    assert result.deviation.reporter == employee_a
    assert result.deviation.identity_protected


def test_reporting_in_another_unit_is_refused(employee_a, unit_b):
    with pytest.raises(PermissionDenied):
        submit(employee_a, unit_b)
    assert Deviation.objects.count() == 0


def test_a_person_without_a_membership_cannot_report(unit_a):
    outsider = member(Role.EMPLOYEE, unit=None)
    Membership.objects.filter(user=outsider).delete()

    with pytest.raises(PermissionDenied):
        submit(outsider, unit_a)


def test_occurred_in_the_future_is_refused(employee_a, unit_a):
    with pytest.raises(ValidationError) as exc:
        submit(employee_a, unit_a, occurred_at=timezone.now() + dt.timedelta(minutes=10))

    assert exc.value.message_dict == {"occurred_at": ["The time cannot be in the future."]}
    assert Deviation.objects.count() == 0


def test_a_phone_clock_a_few_minutes_fast_is_tolerated(employee_a, supervisor_a, unit_a):
    d = submit(employee_a, unit_a, occurred_at=timezone.now() + dt.timedelta(minutes=4)).deviation

    assert d.pk


def test_naive_time_is_read_as_helsinki_time(employee_a, supervisor_a, unit_a):
    d = submit(employee_a, unit_a, occurred_at=dt.datetime(2026, 1, 15, 14, 30)).deviation

    assert d.occurred_at == dt.datetime(2026, 1, 15, 14, 30, tzinfo=HELSINKI)


@pytest.mark.parametrize(
    ("overrides", "refused"),
    [
        pytest.param({"occurred_at": None}, "occurred_at", id="missing time"),
        pytest.param({"description": "   "}, {"description": ["Describe what happened."]}, id="blank description"),
        pytest.param({"kind": "gossip"}, "kind", id="unknown type"),
        pytest.param(
            {"location": "x" * 201}, {"location": ["Use at most 200 characters (now 201)."]}, id="too long location"
        ),
        pytest.param(
            {"kind": "medication"},
            {"medication_stage": ["Choose the stage of the medication process."]},
            id="medication without its stage",
        ),
        pytest.param({"kind": "medication", "medication_stage": "brewing"}, "medication_stage", id="unknown stage"),
        pytest.param(
            {"kind": "threat_or_violence"},
            {"violence_target": ["Choose at whom the threat or violence was directed."]},
            id="violence without its target",
        ),
    ],
)
def test_a_bad_report_is_refused_with_a_readable_message(employee_a, unit_a, overrides, refused):
    """`refused`: the field to blame, or all the messages exactly."""
    with pytest.raises(ValidationError) as exc:
        submit(employee_a, unit_a, **overrides)

    if isinstance(refused, dict):
        assert exc.value.message_dict == refused
    else:
        assert refused in exc.value.message_dict


def test_inactive_unit_is_refused(employee_a, unit_a):
    unit_a.is_active = False
    unit_a.save()

    with pytest.raises(ValidationError) as exc:
        submit(employee_a, unit_a)

    assert "unit" in exc.value.message_dict


def test_all_problems_are_reported_at_once(employee_a, unit_a):
    with pytest.raises(ValidationError) as exc:
        submit(employee_a, unit_a, kind="medication", description="", occurred_at=timezone.now() + dt.timedelta(days=1))

    assert set(exc.value.message_dict) == {"description", "occurred_at", "medication_stage"}


@pytest.mark.parametrize(
    ("overrides", "stored"),
    [
        pytest.param(
            {"kind": "medication", "medication_stage": "giving", "medication_substance": "Melatoniini"},
            {"medication_stage": "giving", "medication_substance": "Melatoniini"},
            id="medication",
        ),
        pytest.param(
            {"kind": "threat_or_violence", "violence_target": "staff", "injury": True, "restraint_used": True},
            {"violence_target": "staff", "injury": True, "restraint_used": True},
            id="threat or violence",
        ),
        pytest.param(
            {
                "kind": "quality",
                "medication_stage": "giving",
                "violence_target": "child",
                "restraint_used": True,
                "personal_data_breach": True,
                "data_concerned": "Asiakastietojärjestelmä",
            },
            {
                "medication_stage": "",
                "violence_target": "",
                "restraint_used": False,
                "personal_data_breach": False,
                "data_concerned": "",
            },
            id="another type's details dropped",
        ),
    ],
)
def test_a_report_keeps_the_details_of_its_own_type_only(employee_a, supervisor_a, unit_a, overrides, stored):
    d = submit(employee_a, unit_a, **overrides).deviation

    assert {field: getattr(d, field) for field in stored} == stored


# --- Attachments ------------------------------------------------------------------------


def test_images_and_pdf_are_attached_with_the_type_their_bytes_show(employee_a, supervisor_a, unit_a):
    files = [
        upload("kuva.jpg", JPEG),
        upload("kuva.png", PNG),
        upload("liite.pdf", PDF),
        upload("kuva.webp", WEBP),
        upload("IMG_0001.HEIC", HEIC),
    ]

    d = submit(employee_a, unit_a, attachments=files).deviation

    stored = list(Attachment.objects.filter(deviation=d))
    assert [a.content_type for a in stored] == [
        "image/jpeg",
        "image/png",
        "application/pdf",
        "image/webp",
        "image/heic",
    ]
    assert all(a.unit == unit_a for a in stored)
    assert stored[0].original_name == "kuva.jpg"
    assert stored[0].size == len(JPEG)
    assert "kuva" not in stored[0].file.name
    with stored[0].file.open("rb") as fh:
        assert fh.read() == JPEG


def test_attachment_of_a_forbidden_type_is_refused(employee_a, unit_a):
    with pytest.raises(ValidationError) as exc:
        submit(employee_a, unit_a, attachments=[upload("ohjelma.exe", b"MZ\x90\x00" + b"\x00" * 20)])

    assert exc.value.message_dict == {
        "attachments": ["ohjelma.exe: only images (JPEG, PNG, HEIC, WebP) and PDF files can be attached."]
    }
    assert Deviation.objects.count() == 0
    assert Attachment.objects.count() == 0


def test_attachment_whose_bytes_do_not_match_its_name_is_refused(employee_a, unit_a):
    with pytest.raises(ValidationError) as exc:
        submit(employee_a, unit_a, attachments=[upload("raportti.pdf", b"<html><script>alert(1)</script>")])

    assert "attachments" in exc.value.message_dict


def test_too_large_attachment_is_refused(employee_a, unit_a, settings):
    settings.ATTACHMENT_MAX_BYTES = 50

    with pytest.raises(ValidationError) as exc:
        submit(employee_a, unit_a, attachments=[upload("kuva.jpg", JPEG)])

    assert exc.value.message_dict["attachments"][0].startswith("kuva.jpg is too large")


def test_empty_attachment_is_refused(employee_a, unit_a):
    with pytest.raises(ValidationError) as exc:
        submit(employee_a, unit_a, attachments=[upload("kuva.jpg", b"")])

    assert "attachments" in exc.value.message_dict


def test_more_than_five_attachments_are_refused(employee_a, unit_a):
    with pytest.raises(ValidationError) as exc:
        submit(employee_a, unit_a, attachments=[upload(f"kuva{i}.jpg", JPEG) for i in range(6)])

    assert exc.value.message_dict == {"attachments": ["Attach at most 5 files."]}


def test_anonymous_attachment_does_not_keep_the_original_file_name(employee_a, supervisor_a, unit_a):
    d = submit(employee_a, unit_a, anonymous=True, attachments=[upload("Eeva_Tyontekija.png", PNG)]).deviation

    attachment = Attachment.objects.get(deviation=d)
    assert attachment.original_name == "attachment-1.png"
    assert "Eeva" not in attachment.file.name


# --- Routing ---------------------------------------------------------------------------------


def test_named_handler_for_the_type_takes_precedence(employee_a, supervisor_a, responsible_a, unit_a):
    HandlerAssignment.objects.create(unit=unit_a, kind="medication", handler=responsible_a)

    medication = submit(employee_a, unit_a, kind="medication", medication_stage="giving").deviation
    quality = submit(employee_a, unit_a).deviation

    assert medication.handler == responsible_a
    assert quality.handler == supervisor_a


def test_without_a_supervisor_the_responsible_person_handles(employee_a, responsible_a, regional_director_a, unit_a):
    assert submit(employee_a, unit_a).deviation.handler == responsible_a


def test_without_unit_managers_the_regional_director_handles(employee_a, regional_director_a, unit_a):
    assert submit(employee_a, unit_a).deviation.handler == regional_director_a


def test_inactive_supervisor_is_skipped(employee_a, supervisor_a, responsible_a, unit_a):
    supervisor_a.is_active = False
    supervisor_a.save()

    assert submit(employee_a, unit_a).deviation.handler == responsible_a


def test_named_handler_who_lost_the_right_is_skipped(employee_a, supervisor_a, responsible_a, unit_a):
    HandlerAssignment.objects.create(unit=unit_a, kind="quality", handler=responsible_a)
    Membership.objects.filter(user=responsible_a).delete()

    assert submit(employee_a, unit_a).deviation.handler == supervisor_a


def test_report_without_anyone_to_route_to_is_still_filed(employee_a, unit_a):
    d = submit(employee_a, unit_a).deviation

    assert d.handler is None
    assert events(d, "deviation.assigned") == []


# --- Notifications on submit -----------------------------------------------------------------


def test_handler_is_notified_with_type_unit_and_link(employee_a, colleague_a, supervisor_a, supervisor_b, unit_a):
    d = submit(employee_a, unit_a, kind="near_miss").deviation

    [n] = notifications_to(supervisor_a)
    assert n.kind == "deviation.submitted"
    assert "Near miss" in n.subject
    assert "Lastenkoti Koivu" in n.subject
    assert n.link == f"/poikkeamat/{d.pk}/"
    assert n.email == supervisor_a.email
    assert d.number in n.body
    # The e-mail leaves the product: it names neither the reporter nor the event's text.
    assert "Eeva" not in n.body
    assert d.description not in n.body
    assert notifications_to(colleague_a) == []
    assert notifications_to(supervisor_b) == []
    assert notifications_to(employee_a) == []


def test_grievance_reminds_the_handler_of_the_county_notification(employee_a, supervisor_a, unit_a):
    submit(employee_a, unit_a, kind="grievance")

    [n] = notifications_to(supervisor_a)
    assert "§ 29" in n.body
    assert "county must be notified" in n.body


def test_data_protection_report_reaches_the_dpo_with_the_72_hour_deadline(employee_a, supervisor_a, dpo, unit_a):
    with time_machine.travel(dt.datetime(2026, 4, 14, 9, 15, tzinfo=HELSINKI), tick=False):
        submit(employee_a, unit_a, kind="data_protection", personal_data_breach=True, data_concerned="Sähköposti")

    [n] = notifications_to(dpo)
    assert n.kind == "deviation.data_protection"
    assert "72 hours" in n.body
    assert "17.04.2026 09:15" in n.body
    assert len(notifications_to(supervisor_a)) == 1


def test_data_protection_report_without_a_breach_has_no_72_hour_clock(employee_a, supervisor_a, dpo, unit_a):
    submit(employee_a, unit_a, kind="data_protection")

    [n] = notifications_to(dpo)
    assert "72 hours" not in n.body


def test_other_types_do_not_reach_the_dpo_or_the_safety_manager(employee_a, supervisor_a, dpo, safety_manager, unit_a):
    submit(employee_a, unit_a, kind="quality")

    assert notifications_to(dpo) == []
    assert notifications_to(safety_manager) == []


def test_violence_report_reaches_safety_managers_whose_grants_cover_the_unit(
    employee_a, supervisor_a, safety_manager, unit_a, unit_b, region_a
):
    regional = member(Role.SAFETY_MANAGER, region=region_a)
    elsewhere = member(Role.SAFETY_MANAGER, unit=unit_b)

    submit(employee_a, unit_a, kind="threat_or_violence", violence_target="staff")

    assert [n.kind for n in notifications_to(safety_manager)] == ["deviation.threat_or_violence"]
    assert len(notifications_to(regional)) == 1
    assert notifications_to(elsewhere) == []


def test_a_dpo_who_is_also_the_handler_is_told_once(employee_a, dpo, unit_a):
    HandlerAssignment.objects.create(unit=unit_a, kind="data_protection", handler=dpo)

    submit(employee_a, unit_a, kind="data_protection")

    assert [n.kind for n in notifications_to(dpo)] == ["deviation.submitted"]


# --- Assign ----------------------------------------------------------------------------------


def test_supervisor_names_another_handler_who_is_notified(report, supervisor_a, responsible_a):
    services.deviation_assign(actor=supervisor_a, deviation=report, handler=responsible_a)

    report.refresh_from_db()
    assert report.handler == responsible_a
    [n] = notifications_to(responsible_a)
    assert n.kind == "deviation.assigned"
    assert report.number in n.subject
    assert n.link == f"/poikkeamat/{report.pk}/"
    event = events(report, "deviation.assigned")[-1]
    assert (event.actor, event.data["handler_name"]) == (supervisor_a, "Veikko Vastuuhenkilö")


def test_handler_forwarding_the_report_starts_handling(report, supervisor_a, responsible_a):
    services.deviation_assign(actor=supervisor_a, deviation=report, handler=responsible_a)

    report.refresh_from_db()
    assert report.state == State.IN_HANDLING
    assert report.handling_started_at is not None


def test_rerouting_by_a_third_person_does_not_start_handling(report, quality_director, responsible_a):
    services.deviation_assign(actor=quality_director, deviation=report, handler=responsible_a)

    report.refresh_from_db()
    assert report.state == State.SUBMITTED
    assert report.handling_started_at is None


def test_taking_a_report_over_oneself_starts_handling(report, regional_director_a):
    services.deviation_assign(actor=regional_director_a, deviation=report, handler=regional_director_a)

    report.refresh_from_db()
    assert report.handler == regional_director_a
    assert report.state == State.IN_HANDLING
    assert notifications_to(regional_director_a) == []


def test_assigning_someone_who_cannot_handle_is_refused(report, supervisor_a, colleague_a, supervisor_b):
    for person in (colleague_a, supervisor_b):
        with pytest.raises(ValidationError) as exc:
            services.deviation_assign(actor=supervisor_a, deviation=report, handler=person)
        assert "handler" in exc.value.message_dict


def test_dpo_cannot_be_named_for_a_quality_report(report, supervisor_a, dpo):
    with pytest.raises(ValidationError):
        services.deviation_assign(actor=supervisor_a, deviation=report, handler=dpo)


def test_assigning_an_inactive_person_is_refused(report, supervisor_a, responsible_a):
    responsible_a.is_active = False
    responsible_a.save()

    with pytest.raises(ValidationError):
        services.deviation_assign(actor=supervisor_a, deviation=report, handler=responsible_a)


@pytest.mark.parametrize("who", ["supervisor_b", "colleague_a", "employee_a", "safety_manager"])
def test_assign_is_denied_without_the_right_to_handle(report, responsible_a, who, request):
    actor = request.getfixturevalue(who)

    with pytest.raises(PermissionDenied):
        services.deviation_assign(actor=actor, deviation=report, handler=responsible_a)


def test_naming_the_current_handler_again_changes_nothing(report, supervisor_a):
    services.deviation_assign(actor=supervisor_a, deviation=report, handler=supervisor_a)

    assert len(events(report, "deviation.assigned")) == 1


# --- Classify --------------------------------------------------------------------------------


def test_classification_sets_risk_from_the_matrix_and_starts_handling(report, supervisor_a):
    services.deviation_classify(
        actor=supervisor_a,
        deviation=report,
        consequence=2,
        likelihood=4,
        contributing_factors=" Vuoronvaihto ",
        analysis="Lista puuttui.",
        for_team_meeting=True,
    )

    report.refresh_from_db()
    assert (report.consequence, report.likelihood, report.risk_level) == (2, 4, "high")
    assert report.is_critical is False
    assert report.contributing_factors == "Vuoronvaihto"
    assert report.for_team_meeting is True
    assert report.state == State.IN_HANDLING
    assert report.handling_started_at is not None
    assert report.classified_at is not None
    event = events(report, "deviation.classified")[0]
    assert event.actor == supervisor_a
    assert event.data == {"consequence": 2, "likelihood": 4, "risk_level": "high", "is_critical": False}


def test_classification_uses_the_organisations_own_matrix(report, supervisor_a, organisation):
    organisation.risk_matrix = [["very_high"] * 5 for _ in range(5)]
    organisation.save()

    services.deviation_classify(actor=supervisor_a, deviation=report, consequence=0, likelihood=1)

    assert report.risk_level == "very_high"


@pytest.mark.parametrize(("consequence", "critical"), [(0, False), (2, False), (3, True), (4, True)])
def test_serious_consequence_makes_the_report_critical(report, supervisor_a, consequence, critical):
    services.deviation_classify(actor=supervisor_a, deviation=report, consequence=consequence, likelihood=3)

    report.refresh_from_db()
    assert report.is_critical is critical


def test_handler_may_mark_a_report_critical_by_judgement(report, supervisor_a):
    services.deviation_classify(actor=supervisor_a, deviation=report, consequence=1, likelihood=1, is_critical=True)

    assert report.is_critical is True


def test_reclassifying_keeps_the_started_handling(report, supervisor_a):
    services.deviation_classify(actor=supervisor_a, deviation=report, consequence=1, likelihood=1)
    started = Deviation.objects.get(pk=report.pk).handling_started_at

    services.deviation_classify(actor=supervisor_a, deviation=report, consequence=2, likelihood=2)

    assert Deviation.objects.get(pk=report.pk).handling_started_at == started


@pytest.mark.parametrize(
    ("consequence", "likelihood", "field"),
    [(5, 3, "consequence"), (-1, 3, "consequence"), (None, 3, "consequence"), (2, 0, "likelihood"), (2, 6, "likelihood")],
)
def test_classification_outside_the_scales_is_refused(report, supervisor_a, consequence, likelihood, field):
    with pytest.raises(ValidationError) as exc:
        services.deviation_classify(actor=supervisor_a, deviation=report, consequence=consequence, likelihood=likelihood)

    assert field in exc.value.message_dict
    assert Deviation.objects.get(pk=report.pk).state == State.SUBMITTED


@pytest.mark.parametrize("who", ["supervisor_b", "colleague_a", "employee_a"])
def test_classify_is_denied_without_the_right_to_handle(report, who, request):
    with pytest.raises(PermissionDenied):
        services.deviation_classify(actor=request.getfixturevalue(who), deviation=report, consequence=1, likelihood=1)


def test_named_handler_from_elsewhere_may_handle_by_the_object_rule(report, supervisor_b):
    # E.g. a supervisor lent from another unit; the unit grant alone would deny.
    Deviation.objects.filter(pk=report.pk).update(handler=supervisor_b)
    report.refresh_from_db()

    services.deviation_classify(actor=supervisor_b, deviation=report, consequence=1, likelihood=2)

    assert report.risk_level == "low"


def test_critical_cannot_be_withdrawn_after_the_county_was_notified(report, supervisor_a):
    services.deviation_classify(actor=supervisor_a, deviation=report, consequence=3, likelihood=3)
    services.deviation_notify_county(
        actor=supervisor_a, deviation=report, counties=report.unit.counties.all(), subject="Ilmoitus", body="Tapahtui."
    )

    services.deviation_classify(actor=supervisor_a, deviation=report, consequence=1, likelihood=1)

    assert report.is_critical is True


def test_closed_report_cannot_be_classified(answered, supervisor_a):
    handling_questions_answered(supervisor_a, answered)
    services.deviation_close(actor=supervisor_a, deviation=answered)

    with pytest.raises(ValidationError):
        services.deviation_classify(actor=supervisor_a, deviation=answered, consequence=1, likelihood=1)


# --- Corrective actions ------------------------------------------------------------------------


def test_corrective_action_is_created_from_the_report(report, supervisor_a, responsible_a):
    due = timezone.localdate() + dt.timedelta(days=14)

    action = services.deviation_add_action(
        actor=supervisor_a, deviation=report, title="Tarkistuslista vuoronvaihtoon", owner=responsible_a, due_date=due
    )

    assert isinstance(action, Action)
    assert (action.unit, action.owner, action.due_date, action.source_id) == (unit_of(report), responsible_a, due, report.pk)
    assert action.source_type.model == "deviation"
    report.refresh_from_db()
    assert report.state == State.ACTIONS_DECIDED
    assert report.handling_started_at is not None
    assert events(report, "deviation.action_added")[0].data["action_id"] == action.pk
    assert [n.kind for n in notifications_to(responsible_a)] == ["action.assigned"]


def unit_of(deviation):
    return deviation.unit


def test_action_on_a_classified_report_moves_it_to_actions_decided(report, supervisor_a):
    services.deviation_classify(actor=supervisor_a, deviation=report, consequence=1, likelihood=1)

    services.deviation_add_action(
        actor=supervisor_a, deviation=report, title="Ohje", owner=supervisor_a, due_date=timezone.localdate()
    )

    assert Deviation.objects.get(pk=report.pk).state == State.ACTIONS_DECIDED


def test_action_without_title_in_the_past_or_for_an_outsider_is_refused(report, supervisor_a, supervisor_b):
    with pytest.raises(ValidationError) as exc:
        services.deviation_add_action(
            actor=supervisor_a,
            deviation=report,
            title=" ",
            owner=supervisor_b,
            due_date=timezone.localdate() - dt.timedelta(days=1),
        )

    assert set(exc.value.message_dict) == {"title", "owner", "due_date"}
    assert Action.objects.count() == 0


def test_employee_cannot_decide_actions(report, colleague_a):
    with pytest.raises(PermissionDenied):
        services.deviation_add_action(
            actor=colleague_a, deviation=report, title="Ohje", owner=colleague_a, due_date=timezone.localdate()
        )


# --- Answer ---------------------------------------------------------------------------------------


def test_answer_is_stored_and_the_named_reporter_told(report, supervisor_a, employee_a, colleague_a):
    services.deviation_answer(actor=supervisor_a, deviation=report, answer="  Kiitos, korjasimme listan.  ")

    report.refresh_from_db()
    assert report.answer == "Kiitos, korjasimme listan."
    assert report.answered_at is not None
    assert report.state == State.IN_HANDLING
    [n] = notifications_to(employee_a)
    assert n.kind == "deviation.answered"
    assert n.link == f"/poikkeamat/{report.pk}/"
    assert report.number in n.subject
    assert "korjasimme" not in n.body  # the answer is read in the product
    assert notifications_to(colleague_a) == []
    assert events(report, "deviation.answered")[0].data == {"rewritten": False}


def test_answer_to_an_anonymous_report_tells_no_one(employee_a, supervisor_a, unit_a):
    d = submit(employee_a, unit_a, anonymous=True).deviation
    before = Notification.objects.count()

    services.deviation_answer(actor=supervisor_a, deviation=d, answer="Korjattu.")

    assert Notification.objects.count() == before
    assert d.answered_at is not None


def test_rewriting_the_answer_is_recorded(answered, supervisor_a):
    services.deviation_answer(actor=supervisor_a, deviation=answered, answer="Tarkennettu vastaus.")

    assert [e.data["rewritten"] for e in events(answered, "deviation.answered")] == [False, True]


def test_blank_answer_is_refused(report, supervisor_a):
    with pytest.raises(ValidationError) as exc:
        services.deviation_answer(actor=supervisor_a, deviation=report, answer=" ")

    assert exc.value.message_dict == {"answer": ["Write the answer to the reporter."]}


def test_the_reporter_cannot_answer_their_own_report(report, employee_a):
    with pytest.raises(PermissionDenied):
        services.deviation_answer(actor=employee_a, deviation=report, answer="Itse vastaan.")


# --- Close and reopen ---------------------------------------------------------------------------


def test_close_is_refused_before_the_reporter_is_answered(report, supervisor_a):
    with pytest.raises(ValidationError) as exc:
        services.deviation_close(actor=supervisor_a, deviation=report)

    assert exc.value.messages == [
        "Answer the reporter.",
        "Answer the three handling questions: was the instruction followed, must the instruction change, "
        "is an outside party needed.",
    ]
    assert Deviation.objects.get(pk=report.pk).state == State.SUBMITTED


def test_answered_report_closes(answered, supervisor_a):
    handling_questions_answered(supervisor_a, answered)
    services.deviation_close(actor=supervisor_a, deviation=answered)

    answered.refresh_from_db()
    assert answered.state == State.CLOSED
    assert answered.closed_at is not None
    assert events(answered, "deviation.closed")[0].actor == supervisor_a


def test_closing_twice_is_refused(answered, supervisor_a):
    handling_questions_answered(supervisor_a, answered)
    services.deviation_close(actor=supervisor_a, deviation=answered)

    with pytest.raises(ValidationError):
        handling_questions_answered(supervisor_a, answered)
        services.deviation_close(actor=supervisor_a, deviation=answered)


def test_grievance_cannot_close_before_the_county_is_notified(employee_a, supervisor_a, unit_a):
    d = submit(employee_a, unit_a, kind="grievance").deviation
    services.deviation_answer(actor=supervisor_a, deviation=d, answer="Selvitetty.")

    with pytest.raises(ValidationError) as exc:
        handling_questions_answered(supervisor_a, d)
        services.deviation_close(actor=supervisor_a, deviation=d)
    assert "Notify the purchasing county" in exc.value.messages[0]

    services.deviation_notify_county(actor=supervisor_a, deviation=d, counties=d.unit.counties.all(), subject="Epäkohta", body="Kuvaus.")
    handling_questions_answered(supervisor_a, d)
    services.deviation_close(actor=supervisor_a, deviation=d)
    assert d.state == State.CLOSED


def test_critical_report_cannot_close_before_the_county_is_notified(answered, supervisor_a):
    services.deviation_classify(actor=supervisor_a, deviation=answered, consequence=4, likelihood=2)

    with pytest.raises(ValidationError):
        handling_questions_answered(supervisor_a, answered)
        services.deviation_close(actor=supervisor_a, deviation=answered)


def test_other_unit_supervisor_cannot_close(answered, supervisor_b):
    with pytest.raises(PermissionDenied):
        handling_questions_answered(supervisor_b, answered)
        services.deviation_close(actor=supervisor_b, deviation=answered)


def test_reopen_returns_a_closed_report_to_handling_with_the_reason(answered, supervisor_a):
    handling_questions_answered(supervisor_a, answered)
    services.deviation_close(actor=supervisor_a, deviation=answered)

    services.deviation_reopen(actor=supervisor_a, deviation=answered, reason="Sama toistui.")

    answered.refresh_from_db()
    assert answered.state == State.IN_HANDLING
    assert answered.closed_at is None
    assert events(answered, "deviation.reopened")[0].data == {"reason": "Sama toistui."}


def test_open_report_cannot_be_reopened(report, supervisor_a):
    with pytest.raises(ValidationError):
        services.deviation_reopen(actor=supervisor_a, deviation=report, reason="Miksi?")


def test_reopen_needs_a_reason(answered, supervisor_a):
    handling_questions_answered(supervisor_a, answered)
    services.deviation_close(actor=supervisor_a, deviation=answered)

    with pytest.raises(ValidationError) as exc:
        services.deviation_reopen(actor=supervisor_a, deviation=answered, reason="")

    assert "reason" in exc.value.message_dict


def test_reporter_cannot_reopen(answered, supervisor_a, employee_a):
    handling_questions_answered(supervisor_a, answered)
    services.deviation_close(actor=supervisor_a, deviation=answered)

    with pytest.raises(PermissionDenied):
        services.deviation_reopen(actor=employee_a, deviation=answered, reason="En ole tyytyväinen.")


# --- County notification --------------------------------------------------------------------------


@pytest.fixture
def grievance(employee_a, supervisor_a, unit_a):
    return submit(
        employee_a,
        unit_a,
        kind="grievance",
        description="Mikko-poika jäi ilman iltalääkettä, kertoo Eeva.",
    ).deviation


def test_drafts_address_the_county_and_its_lead_official_without_names(grievance, supervisor_a, county):
    drafts = services.deviation_notification_drafts(actor=supervisor_a, deviation=grievance)

    assert [(d.recipient_kind, d.recipient_email) for d in drafts] == [
        (NotificationRecipient.COUNTY, county.notification_email),
        (NotificationRecipient.LEAD_OFFICIAL, county.lead_official_email),
    ]
    draft = drafts[0]
    assert "§ 29" in draft.subject
    assert grievance.number in draft.subject
    assert "Lastenkoti Koivu" in draft.body
    assert "Testikonserni Oy" in draft.body
    for name in ("Mikko", "Eeva", "Työntekijä"):
        assert name not in draft.body
        assert name not in draft.subject
    assert "Sari Esihenkilö" in draft.body  # the sender signs


def test_drafts_cover_every_purchasing_county(grievance, supervisor_a, unit_a):
    unit_a.counties.add(WellbeingCountyFactory(name="Kanta-Hämeen hyvinvointialue"))

    drafts = services.deviation_notification_drafts(actor=supervisor_a, deviation=grievance)

    assert len(drafts) == 4


def test_drafts_are_denied_to_those_who_may_not_notify(grievance, colleague_a, supervisor_b, safety_manager):
    for actor in (colleague_a, supervisor_b, safety_manager):
        with pytest.raises(PermissionDenied):
            services.deviation_notification_drafts(actor=actor, deviation=grievance)


def test_county_notification_is_sent_through_the_outbox_and_recorded(grievance, supervisor_a, county, organisation):
    with time_machine.travel(dt.datetime(2026, 2, 2, 12, 0, tzinfo=HELSINKI), tick=False):
        records = services.deviation_notify_county(
            actor=supervisor_a,
            deviation=grievance,
            counties=grievance.unit.counties.all(),
            subject=" Epäkohtailmoitus ",
            body="Tarkistettu teksti.",
        )

    assert len(records) == 2
    assert StatutoryNotification.objects.count() == 2
    for record in records:
        assert record.sent_by == supervisor_a
        assert record.unit == grievance.unit
        assert record.subject == "Epäkohtailmoitus"
        assert record.body == "Tarkistettu teksti."
        assert record.correction_due == dt.date(2026, 2, 16)
        assert record.outbox.recipient is None
        assert record.outbox.email == record.recipient_email
        assert record.outbox.state == "pending"
    assert {r.recipient_email for r in records} == {county.notification_email, county.lead_official_email}
    event = events(grievance, "deviation.county_notified")[0]
    assert event.actor == supervisor_a
    assert event.data["correction_due"] == "2026-02-16"
    grievance.refresh_from_db()
    assert grievance.state == State.IN_HANDLING


def test_county_notification_naming_the_reporter_is_refused(grievance, supervisor_a):
    with pytest.raises(ValidationError) as exc:
        services.deviation_notify_county(
            actor=supervisor_a,
            deviation=grievance,
            counties=grievance.unit.counties.all(),
            subject="Ilmoitus",
            body="Ilmoittaja: eeva työntekijä.",
        )

    assert exc.value.message_dict == {"body": ["The message must not name the reporter."]}
    assert StatutoryNotification.objects.count() == 0


def test_county_notification_needs_subject_and_body(grievance, supervisor_a):
    with pytest.raises(ValidationError) as exc:
        services.deviation_notify_county(
            actor=supervisor_a, deviation=grievance, counties=grievance.unit.counties.all(), subject="", body=" "
        )

    assert set(exc.value.message_dict) == {"subject", "body"}


def test_county_notification_needs_a_county(employee_a, supervisor_a, unit_a):
    unit_a.counties.clear()
    d = submit(employee_a, unit_a, kind="grievance").deviation

    assert services.deviation_notification_drafts(actor=supervisor_a, deviation=d) == []
    with pytest.raises(ValidationError):
        services.deviation_notify_county(actor=supervisor_a, deviation=d, counties=d.unit.counties.all(), subject="S", body="B")


def test_employee_cannot_notify_the_county(grievance, colleague_a):
    with pytest.raises(PermissionDenied):
        services.deviation_notify_county(
            actor=colleague_a, deviation=grievance, counties=grievance.unit.counties.all(), subject="S", body="B"
        )


# --- Supervisory authority -------------------------------------------------------------------------


@pytest.fixture
def notified(grievance, supervisor_a, authority):
    with time_machine.travel(dt.datetime(2026, 2, 2, 12, 0, tzinfo=HELSINKI), tick=False):
        services.deviation_notify_county(
            actor=supervisor_a, deviation=grievance, counties=grievance.unit.counties.all(), subject="Ilmoitus", body="Teksti."
        )
    return grievance


def test_escalation_is_refused_before_the_county_is_notified(grievance, supervisor_a, authority):
    assert services.authority_escalation_refusal(grievance) == "Notify the purchasing county first."
    with pytest.raises(ValidationError):
        services.deviation_escalate_to_authority(actor=supervisor_a, deviation=grievance, subject="S", body="B")


def test_escalation_is_refused_until_the_correction_deadline_has_passed(notified, supervisor_a):
    with time_machine.travel(dt.datetime(2026, 2, 16, 23, 0, tzinfo=HELSINKI), tick=False), pytest.raises(ValidationError) as exc:
        services.deviation_escalate_to_authority(actor=supervisor_a, deviation=notified, subject="S", body="B")
    assert exc.value.messages == ["The county's correction deadline 16.02.2026 has not passed yet."]
    assert not StatutoryNotification.objects.filter(recipient_kind=NotificationRecipient.AUTHORITY).exists()


def test_escalation_after_the_deadline_goes_to_the_default_authority(notified, supervisor_a, authority):
    AuthorityFactory(name="Vanha AVI", email="avi@valvonta.example", is_default=False)

    with time_machine.travel(dt.datetime(2026, 2, 17, 8, 0, tzinfo=HELSINKI), tick=False):
        draft = services.deviation_authority_draft(actor=supervisor_a, deviation=notified)
        record = services.deviation_escalate_to_authority(
            actor=supervisor_a, deviation=notified, subject=draft.subject, body=draft.body
        )

    assert draft.recipient_email == authority.email
    assert "02.02.2026" in draft.body and "16.02.2026" in draft.body
    assert "Eeva" not in draft.body and "Mikko" not in draft.body
    assert record.recipient_kind == NotificationRecipient.AUTHORITY
    assert record.recipient_email == authority.email
    assert record.sent_by == supervisor_a
    assert record.outbox.email == authority.email
    assert events(notified, "deviation.authority_notified")[0].actor == supervisor_a


def test_escalating_twice_is_refused(notified, supervisor_a):
    with time_machine.travel(dt.datetime(2026, 3, 1, 8, 0, tzinfo=HELSINKI), tick=False):
        services.deviation_escalate_to_authority(actor=supervisor_a, deviation=notified, subject="S", body="B")
        with pytest.raises(ValidationError):
            services.deviation_escalate_to_authority(actor=supervisor_a, deviation=notified, subject="S", body="B")


def test_closed_report_whose_shortcoming_was_corrected_is_not_escalated(notified, supervisor_a):
    services.deviation_answer(actor=supervisor_a, deviation=notified, answer="Korjattu.")
    handling_questions_answered(supervisor_a, notified)
    services.deviation_close(actor=supervisor_a, deviation=notified)

    with time_machine.travel(dt.datetime(2026, 3, 1, 8, 0, tzinfo=HELSINKI), tick=False), pytest.raises(ValidationError) as exc:
        services.deviation_escalate_to_authority(actor=supervisor_a, deviation=notified, subject="S", body="B")

    assert exc.value.messages == [
        "The report is closed and its corrective actions are done: the shortcoming has been corrected."
    ]


def test_escalation_needs_a_default_authority(notified, supervisor_a, authority):
    authority.is_default = False
    authority.save()

    with time_machine.travel(dt.datetime(2026, 3, 1, 8, 0, tzinfo=HELSINKI), tick=False):
        with pytest.raises(ValidationError):
            services.deviation_authority_draft(actor=supervisor_a, deviation=notified)
        with pytest.raises(ValidationError):
            services.deviation_escalate_to_authority(actor=supervisor_a, deviation=notified, subject="S", body="B")


def test_other_unit_supervisor_cannot_escalate(notified, supervisor_b):
    with time_machine.travel(dt.datetime(2026, 3, 1, 8, 0, tzinfo=HELSINKI), tick=False), pytest.raises(PermissionDenied):
        services.deviation_escalate_to_authority(actor=supervisor_b, deviation=notified, subject="S", body="B")


# --- Stalled handling --------------------------------------------------------------------------------


@pytest.fixture
def stalled_cast(employee_a, supervisor_a, responsible_a, regional_director_a, supervisor_b):
    """Monday 2.3.2026 10:00: a report that must be handled by Thursday 5.3. 10:00."""
    with time_machine.travel(dt.datetime(2026, 3, 2, 10, 0, tzinfo=HELSINKI), tick=False):
        return submit(employee_a, employee_a.memberships.get().unit).deviation


def test_the_escalation_job_is_registered():
    job = {j.name: j for j in jobs.registered()}["deviations.escalate_stalled"]

    assert job.func is services.deviations_escalate_stalled
    assert job.every_seconds == 300


def test_stalled_report_escalates_to_the_responsible_person_and_regional_director(
    stalled_cast, supervisor_a, responsible_a, regional_director_a, supervisor_b, employee_a
):
    d = stalled_cast
    Notification.objects.all().delete()
    late = dt.datetime(2026, 3, 5, 10, 1, tzinfo=HELSINKI)

    assert services.deviations_escalate_stalled(now=late) == 1

    d.refresh_from_db()
    assert d.escalated_at == late
    assert d.state == State.SUBMITTED
    for manager in (responsible_a, regional_director_a):
        [n] = notifications_to(manager)
        assert n.kind == "deviation.escalated"
        assert d.number in n.subject
        assert "Sari Esihenkilö" in n.body
        assert n.link == f"/poikkeamat/{d.pk}/"
    assert notifications_to(supervisor_a) == []
    assert notifications_to(supervisor_b) == []
    assert notifications_to(employee_a) == []
    [event] = events(d, "deviation.escalated")
    assert event.actor is None


def test_report_is_escalated_only_once(stalled_cast):
    late = dt.datetime(2026, 3, 6, 10, 0, tzinfo=HELSINKI)

    assert services.deviations_escalate_stalled(now=late) == 1
    assert services.deviations_escalate_stalled(now=late + dt.timedelta(hours=1)) == 0
    assert len(events(stalled_cast, "deviation.escalated")) == 1


def test_report_within_its_deadline_is_not_escalated(stalled_cast):
    assert services.deviations_escalate_stalled(now=dt.datetime(2026, 3, 5, 9, 59, tzinfo=HELSINKI)) == 0


def test_report_in_handling_is_not_escalated(stalled_cast, supervisor_a):
    with time_machine.travel(dt.datetime(2026, 3, 3, 10, 0, tzinfo=HELSINKI), tick=False):
        services.deviation_classify(actor=supervisor_a, deviation=stalled_cast, consequence=1, likelihood=1)

    assert services.deviations_escalate_stalled(now=dt.datetime(2026, 3, 9, 10, 0, tzinfo=HELSINKI)) == 0


def test_escalation_job_uses_the_current_time_by_default(stalled_cast):
    with time_machine.travel(dt.datetime(2026, 3, 10, 8, 0, tzinfo=HELSINKI), tick=False):
        assert services.deviations_escalate_stalled() == 1


# --- Routing table -------------------------------------------------------------------------------------


def test_supervisor_names_the_handler_of_a_type_and_new_reports_follow(supervisor_a, responsible_a, employee_a, unit_a):
    services.handler_assignment_set(actor=supervisor_a, unit=unit_a, kind="harassment", handler=responsible_a)

    assert HandlerAssignment.objects.get(unit=unit_a, kind="harassment").handler == responsible_a
    assert submit(employee_a, unit_a, kind="harassment").deviation.handler == responsible_a
    assert AuditEvent.objects.filter(verb="deviation.routing_set", target_id=unit_a.pk).count() == 1


def test_changing_and_removing_the_named_handler(supervisor_a, responsible_a, regional_director_a, unit_a):
    services.handler_assignment_set(actor=supervisor_a, unit=unit_a, kind="quality", handler=responsible_a)
    services.handler_assignment_set(actor=supervisor_a, unit=unit_a, kind="quality", handler=regional_director_a)
    assert HandlerAssignment.objects.get(unit=unit_a, kind="quality").handler == regional_director_a

    services.handler_assignment_set(actor=supervisor_a, unit=unit_a, kind="quality", handler=None)

    assert not HandlerAssignment.objects.filter(unit=unit_a).exists()
    assert AuditEvent.objects.filter(verb="deviation.routing_cleared").count() == 1


def test_routing_refuses_someone_who_cannot_handle_that_type(supervisor_a, colleague_a, dpo, unit_a):
    with pytest.raises(ValidationError) as exc:
        services.handler_assignment_set(actor=supervisor_a, unit=unit_a, kind="quality", handler=colleague_a)
    assert "handler" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.handler_assignment_set(actor=supervisor_a, unit=unit_a, kind="quality", handler=dpo)

    services.handler_assignment_set(actor=supervisor_a, unit=unit_a, kind="data_protection", handler=dpo)
    assert HandlerAssignment.objects.get(unit=unit_a).handler == dpo


def test_routing_refuses_an_unknown_type(supervisor_a, unit_a):
    with pytest.raises(ValidationError):
        services.handler_assignment_set(actor=supervisor_a, unit=unit_a, kind="gossip", handler=supervisor_a)


@pytest.mark.parametrize("who", ["employee_a", "supervisor_b", "safety_manager", "administrator"])
def test_routing_is_denied_without_the_routing_right(unit_a, supervisor_a, who, request):
    with pytest.raises(PermissionDenied):
        services.handler_assignment_set(
            actor=request.getfixturevalue(who), unit=unit_a, kind="quality", handler=supervisor_a
        )


def test_a_handler_who_reported_the_case_can_send_the_prefilled_county_notification(supervisor_a, unit_a, county):
    # The draft names the handler as contact person; when the handler is also the
    # reporter, that is their own choice, not a breach of the reporter's protection.
    report = services.deviation_submit(
        actor=supervisor_a, **deviation_kwargs(unit_a, kind="threat_or_violence", violence_target="staff")
    ).deviation
    services.deviation_classify(actor=supervisor_a, deviation=report, consequence=3, likelihood=3)
    draft = services.deviation_notification_drafts(actor=supervisor_a, deviation=report)[0]
    sent = services.deviation_notify_county(
        actor=supervisor_a, deviation=report, counties=report.unit.counties.all(), subject=draft.subject, body=draft.body
    )
    assert {n.recipient_email for n in sent} == {county.notification_email, county.lead_official_email}


def test_a_report_input_without_a_required_field_names_it():
    with pytest.raises(TypeError, match="description"):
        services.ReportInput(kind="quality", occurred_at=timezone.now())
