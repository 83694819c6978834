"""The deviation pages, driven through the test client as the cast uses them:
report, my reports, the list and its export, the report page with its handling
panel, statutory notifications and routing."""

import datetime as dt
import re

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from omavalvonta.deviations import services
from omavalvonta.deviations.models import Deviation, HandlerAssignment, State, StatutoryNotification
from omavalvonta.deviations.tests.helpers import report_form
from omavalvonta.deviations.views.reporting import SUBMITTED_SESSION_KEY
from omavalvonta.improvement.models import Action
from omavalvonta.organisation.models import Role
from omavalvonta.testing.factories import UnitFactory, deviation_kwargs, handling_questions_answered, member

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64


pytestmark = pytest.mark.usefixtures("english_pages")


def submit(actor, unit, **overrides):
    return services.deviation_submit(actor=actor, **deviation_kwargs(unit, **overrides))


def closed_report(reporter, handler, unit):
    """A report `handler` answered, decided and closed."""
    deviation = submit(reporter, unit).deviation
    services.deviation_answer(actor=handler, deviation=deviation, answer="Hoidettu.")
    handling_questions_answered(handler, deviation)
    services.deviation_close(actor=handler, deviation=deviation)
    return deviation


def html(response):
    return response.content.decode()


def reported_by(page):
    """The "Reported by" fact of a report page."""
    return page.split("Reported by</dt>", 1)[1].split("</dd>", 1)[0]


# --- Reporting -------------------------------------------------------------------------------


def test_employee_with_one_unit_gets_the_form_with_the_unit_fixed(client, employee_a, unit_a):
    client.force_login(employee_a)
    response = client.get(reverse("deviations:new"))
    assert response.status_code == 200
    page = html(response)
    assert f'type="hidden" name="unit" value="{unit_a.pk}"' in page
    assert "Lastenkoti Koivu" in page
    assert 'type="datetime-local"' in page
    assert 'data-kinds="medication"' in page and 'data-kinds="grievance"' in page
    assert 'multiple' in page and 'accept="image/jpeg' in page


def test_regional_director_chooses_among_the_regions_units(client, regional_director_a, unit_a, region_a):
    UnitFactory(region=region_a, name="Lastenkoti Pihlaja")
    client.force_login(regional_director_a)
    page = html(client.get(reverse("deviations:new")))
    assert '<select name="unit"' in page
    assert "Lastenkoti Koivu" in page and "Lastenkoti Pihlaja" in page
    assert "Lastenkoti Mänty" not in page


def test_employee_files_a_report_and_is_thanked_without_a_code(client, employee_a, unit_a):
    client.force_login(employee_a)
    response = client.post(reverse("deviations:new"), report_form(unit_a))
    assert response.status_code == 302
    assert response["Location"] == reverse("deviations:submitted")
    deviation = Deviation.objects.get()
    assert deviation.reporter == employee_a
    assert deviation.affected_child is True
    page = html(client.get(reverse("deviations:submitted")))
    assert deviation.number in page
    assert "code-box" not in page
    assert reverse("deviations:detail", args=[deviation.pk]) in page


def test_anonymous_report_shows_the_followup_code_once_and_never_in_the_url(client, employee_a, unit_a):
    client.force_login(employee_a)
    response = client.post(reverse("deviations:new"), report_form(unit_a, anonymous="on"))
    assert response.status_code == 302
    code = client.session[SUBMITTED_SESSION_KEY]["code"]
    assert code and code not in response["Location"]
    deviation = Deviation.objects.get()
    assert deviation.reporter is None and deviation.is_anonymous

    first = html(client.get(reverse("deviations:submitted")))
    assert code in first and "code-box" in first
    assert reverse("public:followup") in first
    # The anonymous report is not linked from the reporter's page.
    assert reverse("deviations:detail", args=[deviation.pk]) not in first

    second = html(client.get(reverse("deviations:submitted")))
    assert code not in second
    assert SUBMITTED_SESSION_KEY not in client.session


def test_grievance_reporter_gets_a_followup_code_and_keeps_the_report_visible(client, employee_a, unit_a):
    client.force_login(employee_a)
    client.post(reverse("deviations:new"), report_form(unit_a, kind="grievance"))
    deviation = Deviation.objects.get()
    page = html(client.get(reverse("deviations:submitted")))
    assert "code-box" in page
    assert reverse("deviations:detail", args=[deviation.pk]) in page


def test_invalid_submit_keeps_every_typed_value_and_shows_the_errors(client, employee_a, unit_a):
    client.force_login(employee_a)
    response = client.post(
        reverse("deviations:new"),
        report_form(
            unit_a,
            description="",
            location="Keittiö yläkerrassa",
            immediate_actions="Ovi lukittiin heti.",
            improvement_proposal="Avainkaappi toimistoon.",
            affected_staff="on",
        ),
    )
    assert response.status_code == 200
    page = html(response)
    assert 'id="error-summary"' in page
    assert "field--error" in page
    assert 'value="Keittiö yläkerrassa"' in page
    assert "Ovi lukittiin heti." in page
    assert "Avainkaappi toimistoon." in page
    assert re.search(r'name="affected_staff"[^>]*checked', page)
    assert re.search(r'value="quality"[^>]*checked', page)
    assert not Deviation.objects.exists()


def test_a_service_refusal_is_shown_next_to_its_field_with_the_values_kept(client, employee_a, unit_a):
    client.force_login(employee_a)
    response = client.post(
        reverse("deviations:new"),
        report_form(unit_a, kind="medication", medication_substance="Melatoniini 3 mg"),
    )
    assert response.status_code == 200
    page = html(response)
    assert "Choose the stage of the medication process." in page
    assert 'id="id_medication_stage_field"' in page
    field = page.split('id="id_medication_stage_field"', 1)[1].split("</fieldset>", 1)[0]
    assert "Choose the stage of the medication process." in field
    assert 'value="Melatoniini 3 mg"' in page
    assert "Iltalääkkeet jäivät antamatta vuoron vaihtuessa." in page
    assert not Deviation.objects.exists()


def test_a_wrong_attachment_type_is_refused_and_the_reporter_is_told_to_choose_files_again(
    client, employee_a, unit_a
):
    client.force_login(employee_a)
    data = report_form(unit_a)
    data["attachments"] = [SimpleUploadedFile("muistio.txt", b"plain text", content_type="text/plain")]
    response = client.post(reverse("deviations:new"), data)
    assert response.status_code == 200
    page = html(response)
    assert "only images (JPEG, PNG, HEIC, WebP) and PDF files can be attached" in page
    assert "the attachments must be chosen again" in page
    assert not Deviation.objects.exists()


def test_a_report_in_another_unit_cannot_be_posted(client, employee_a, unit_a, unit_b):
    client.force_login(employee_a)
    response = client.post(reverse("deviations:new"), report_form(unit_b))
    assert response.status_code == 200
    assert not Deviation.objects.exists()


def test_a_type_section_filled_before_switching_the_type_is_not_stored(client, employee_a, unit_a):
    client.force_login(employee_a)
    client.post(
        reverse("deviations:new"),
        report_form(unit_a, kind="quality", medication_stage="giving", injury="on"),
    )
    deviation = Deviation.objects.get()
    assert deviation.medication_stage == "" and deviation.injury is False


# --- My reports ------------------------------------------------------------------------------


def test_my_reports_lists_own_reports_with_state_and_whether_answered(
    client, employee_a, colleague_a, supervisor_a, unit_a
):
    answered = submit(employee_a, unit_a).deviation
    services.deviation_answer(actor=supervisor_a, deviation=answered, answer="Kiitos, ohjeistus päivitetty.")
    waiting = submit(employee_a, unit_a, kind="near_miss").deviation
    someone_elses = submit(colleague_a, unit_a).deviation
    anonymous = submit(employee_a, unit_a, anonymous=True).deviation
    client.force_login(employee_a)
    response = client.get(reverse("deviations:mine"))
    assert response.status_code == 200
    page = html(response)
    assert answered.number in page and waiting.number in page
    assert someone_elses.number not in page
    assert anonymous.number not in page
    assert "Answered" in page and "Not answered yet" in page
    assert "badge--in_handling" in page and "badge--submitted" in page


# --- The report page ---------------------------------------------------------------------------


def test_supervisor_sees_the_report_with_the_handling_panel(client, supervisor_a, employee_a, unit_a):
    deviation = submit(employee_a, unit_a).deviation
    client.force_login(supervisor_a)
    response = client.get(reverse("deviations:detail", args=[deviation.pk]))
    assert response.status_code == 200
    page = html(response)
    assert "Iltalääkkeet jäivät antamatta vuoron vaihtuessa." in page
    assert reverse("deviations:classify", args=[deviation.pk]) in page
    assert reverse("deviations:answer", args=[deviation.pk]) in page
    assert reverse("deviations:close", args=[deviation.pk]) in page
    # The supervisor is the routed handler, who may see who reported.
    assert "Eeva Työntekijä" in reported_by(page)


def test_regional_director_sees_the_report_but_not_who_reported(
    client, regional_director_a, supervisor_a, employee_a, unit_a
):
    deviation = submit(employee_a, unit_a).deviation
    assert deviation.handler == supervisor_a
    client.force_login(regional_director_a)
    page = html(client.get(reverse("deviations:detail", args=[deviation.pk])))
    assert "Identity protected" in reported_by(page)
    assert "Eeva Työntekijä" not in page.split('name="action-owner"', 1)[0]


def test_responsible_person_sees_who_reported(client, responsible_a, employee_a, unit_a):
    deviation = submit(employee_a, unit_a).deviation
    client.force_login(responsible_a)
    page = html(client.get(reverse("deviations:detail", args=[deviation.pk])))
    assert "Eeva Työntekijä" in reported_by(page)


def test_anonymous_report_says_anonymous_even_to_the_quality_director(
    client, quality_director, employee_a, unit_a
):
    deviation = submit(employee_a, unit_a, anonymous=True).deviation
    client.force_login(quality_director)
    page = html(client.get(reverse("deviations:detail", args=[deviation.pk])))
    assert "Anonymous" in reported_by(page)
    assert "Eeva Työntekijä" not in page.split('name="action-owner"', 1)[0]


def test_other_unit_supervisor_gets_404_on_every_page_of_a_report(client, supervisor_b, employee_a, unit_a):
    deviation = submit(employee_a, unit_a, attachments=[SimpleUploadedFile("kuva.png", PNG)]).deviation
    attachment = deviation.attachments.get()
    client.force_login(supervisor_b)
    pk = deviation.pk
    assert client.get(reverse("deviations:detail", args=[pk])).status_code == 404
    assert client.get(reverse("deviations:attachment", args=[pk, attachment.pk])).status_code == 404
    assert client.get(reverse("deviations:notify", args=[pk])).status_code == 404
    response = client.post(reverse("deviations:classify", args=[pk]), {"classify-consequence": "1"})
    assert response.status_code == 404
    assert client.post(reverse("deviations:close", args=[pk])).status_code == 404
    assert client.get(reverse("deviations:routing", args=[unit_a.pk])).status_code == 404


def test_same_unit_employee_gets_403_on_someone_elses_report(client, colleague_a, employee_a, unit_a):
    deviation = submit(employee_a, unit_a).deviation
    client.force_login(colleague_a)
    assert client.get(reverse("deviations:detail", args=[deviation.pk])).status_code == 403
    response = client.post(reverse("deviations:answer", args=[deviation.pk]), {"answer-answer": "Hoidettu."})
    assert response.status_code == 403
    assert client.get(reverse("deviations:routing", args=[unit_a.pk])).status_code == 403


def test_reporter_sees_own_report_and_the_answer_without_the_handling_panel(
    client, employee_a, supervisor_a, unit_a
):
    deviation = submit(employee_a, unit_a).deviation
    client.force_login(employee_a)
    page = html(client.get(reverse("deviations:detail", args=[deviation.pk])))
    assert "Not answered yet" in page

    services.deviation_answer(actor=supervisor_a, deviation=deviation, answer="Lääkejako siirretään aamuvuoroon.")
    response = client.get(reverse("deviations:detail", args=[deviation.pk]))
    assert response.status_code == 200
    page = html(response)
    assert "Lääkejako siirretään aamuvuoroon." in page
    assert "badge--in_handling" in page
    assert reverse("deviations:classify", args=[deviation.pk]) not in page
    assert reverse("deviations:close", args=[deviation.pk]) not in page
    assert "Sari Esihenkilö" in page  # the handler named on the timeline is staff at work


def test_attachment_is_streamed_as_a_download_to_the_handler(client, supervisor_a, employee_a, unit_a):
    deviation = submit(employee_a, unit_a, attachments=[SimpleUploadedFile("kuva.png", PNG)]).deviation
    attachment = deviation.attachments.get()
    client.force_login(supervisor_a)
    page = html(client.get(reverse("deviations:detail", args=[deviation.pk])))
    url = reverse("deviations:attachment", args=[deviation.pk, attachment.pk])
    assert url in page
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content) == PNG


# --- Handling ----------------------------------------------------------------------------------


def test_handler_classifies_adds_an_action_answers_and_closes(client, supervisor_a, colleague_a, employee_a, unit_a):
    deviation = submit(employee_a, unit_a).deviation
    client.force_login(supervisor_a)
    pk = deviation.pk
    detail = reverse("deviations:detail", args=[pk])

    response = client.post(
        reverse("deviations:classify", args=[pk]),
        {
            "classify-consequence": "2",
            "classify-likelihood": "3",
            "classify-analysis": "Vuoronvaihdon tarkistuslista puuttui.",
            "classify-for_team_meeting": "on",
        },
    )
    assert response.status_code == 302 and response["Location"] == detail
    due = (timezone.localdate() + dt.timedelta(days=14)).isoformat()
    response = client.post(
        reverse("deviations:add_action", args=[pk]),
        {"action-title": "Tarkistuslista vuoronvaihtoon", "action-owner": str(colleague_a.pk), "action-due_date": due},
    )
    assert response.status_code == 302
    response = client.post(reverse("deviations:answer", args=[pk]), {"answer-answer": "Tarkistuslista otetaan käyttöön."})
    assert response.status_code == 302
    response = client.post(
        reverse("deviations:decide", args=[pk]),
        {"decisions-instruction_followed": "no", "decisions-must_change": "no", "decisions-outside_needed": "no"},
    )
    assert response.status_code == 302
    response = client.post(reverse("deviations:close", args=[pk]), follow=True)
    assert response.status_code == 200
    page = html(response)
    assert "The report was closed." in page
    deviation.refresh_from_db()
    assert deviation.state == State.CLOSED
    assert deviation.risk_level == "moderate" and deviation.for_team_meeting
    assert Action.objects.get().owner == colleague_a
    assert "Tarkistuslista vuoronvaihtoon" in page
    assert reverse("deviations:reopen", args=[pk]) in page


def test_a_refused_close_redirects_back_to_the_report_with_every_unmet_condition_at_once(
    client, supervisor_a, employee_a, unit_a
):
    deviation = submit(employee_a, unit_a, kind="grievance").deviation
    services.deviation_add_action(
        actor=supervisor_a, deviation=deviation, title="Korjaus", owner=supervisor_a, due_date=timezone.localdate()
    )
    client.force_login(supervisor_a)
    response = client.post(reverse("deviations:close", args=[deviation.pk]))

    # Post/redirect/get: back to the report page, not a page at the form's address.
    assert response.status_code == 302
    assert response["Location"] == reverse("deviations:detail", args=[deviation.pk]) + "#close-title"
    page = html(client.get(response["Location"]))
    refusal = page.split('id="close-title"', 1)[1].split("</section>", 1)[0]
    assert "Answer the reporter." in refusal
    assert "Notify the purchasing county" in refusal
    assert "1 corrective action is still open" in refusal
    assert "The change was not saved." in page
    deviation.refresh_from_db()
    assert deviation.state != State.CLOSED
    # Shown once: a reload shows the conditions as a plain checklist.
    assert "The report cannot be closed yet:" not in html(client.get(response["Location"]))


def test_an_invalid_classification_keeps_the_typed_analysis(client, supervisor_a, employee_a, unit_a):
    deviation = submit(employee_a, unit_a).deviation
    client.force_login(supervisor_a)
    response = client.post(
        reverse("deviations:classify", args=[deviation.pk]),
        {"classify-likelihood": "4", "classify-analysis": "Perehdytys oli kesken."},
    )
    assert response.status_code == 200
    page = html(response)
    assert "Perehdytys oli kesken." in page
    assert re.search(r'<option value="4" selected>', page)
    assert "field--error" in page
    deviation.refresh_from_db()
    assert deviation.consequence is None


def test_an_action_due_in_the_past_is_refused_with_the_title_kept(client, supervisor_a, employee_a, unit_a):
    deviation = submit(employee_a, unit_a).deviation
    client.force_login(supervisor_a)
    response = client.post(
        reverse("deviations:add_action", args=[deviation.pk]),
        {
            "action-title": "Lääkekaapin lukitus",
            "action-owner": str(supervisor_a.pk),
            "action-due_date": (timezone.localdate() - dt.timedelta(days=1)).isoformat(),
        },
    )
    assert response.status_code == 200
    page = html(response)
    assert "The due date cannot be in the past." in page
    assert 'value="Lääkekaapin lukitus"' in page
    assert not Action.objects.exists()


def test_a_step_posted_from_a_stale_page_after_closing_shows_why_it_failed(
    client, supervisor_a, employee_a, unit_a
):
    deviation = closed_report(employee_a, supervisor_a, unit_a)
    client.force_login(supervisor_a)
    response = client.post(
        reverse("deviations:classify", args=[deviation.pk]),
        {"classify-consequence": "1", "classify-likelihood": "2"},
    )
    assert response.status_code == 200
    page = html(response)
    assert "The change was not saved." in page
    assert "This report is closed. Reopen it before changing it." in page


def test_reopening_asks_for_a_reason(client, supervisor_a, employee_a, unit_a):
    deviation = closed_report(employee_a, supervisor_a, unit_a)
    client.force_login(supervisor_a)
    response = client.post(reverse("deviations:reopen", args=[deviation.pk]), {"reopen-reason": ""})
    assert response.status_code == 200
    assert "field--error" in html(response)
    response = client.post(reverse("deviations:reopen", args=[deviation.pk]), {"reopen-reason": "Toistui."})
    assert response.status_code == 302
    deviation.refresh_from_db()
    assert deviation.state == State.IN_HANDLING


def test_assigning_another_handler(client, supervisor_a, responsible_a, employee_a, unit_a):
    deviation = submit(employee_a, unit_a).deviation
    client.force_login(supervisor_a)
    response = client.post(reverse("deviations:assign", args=[deviation.pk]), {"assign-handler": str(responsible_a.pk)})
    assert response.status_code == 302
    deviation.refresh_from_db()
    assert deviation.handler == responsible_a


def test_handling_steps_only_accept_post(client, supervisor_a, employee_a, unit_a):
    deviation = submit(employee_a, unit_a).deviation
    client.force_login(supervisor_a)
    assert client.get(reverse("deviations:close", args=[deviation.pk])).status_code == 405


# --- Statutory notifications -------------------------------------------------------------------


def test_grievance_demands_a_county_notification_which_the_handler_sends(
    client, supervisor_a, employee_a, unit_a, county
):
    deviation = submit(employee_a, unit_a, kind="grievance").deviation
    client.force_login(supervisor_a)
    page = html(client.get(reverse("deviations:detail", args=[deviation.pk])))
    assert "card--danger" in page and "County must be notified" in page
    notify_url = reverse("deviations:notify", args=[deviation.pk])
    assert notify_url in page

    page = html(client.get(notify_url))
    assert county.notification_email in page and county.lead_official_email in page
    assert "Eeva Työntekijä" not in page

    response = client.post(
        notify_url, {"counties": [str(county.pk)], "subject": "Epäkohtailmoitus", "body": "Korjaamme asian viikon sisällä."}
    )
    assert response.status_code == 302
    sent = StatutoryNotification.objects.filter(deviation=deviation)
    assert {n.recipient_email for n in sent} == {county.notification_email, county.lead_official_email}
    assert all(n.body == "Korjaamme asian viikon sisällä." for n in sent)

    page = html(client.get(reverse("deviations:detail", args=[deviation.pk])))
    assert "County must be notified" not in page
    assert "Statutory notifications sent" in page


def test_a_notification_naming_the_reporter_is_refused_with_the_text_kept(
    client, responsible_a, employee_a, unit_a, county
):
    deviation = submit(employee_a, unit_a, kind="grievance").deviation
    client.force_login(responsible_a)
    response = client.post(
        reverse("deviations:notify", args=[deviation.pk]),
        {"subject": "Epäkohta", "body": "Ilmoittaja Eeva Työntekijä kertoi asiasta."},
    )
    assert response.status_code == 200
    page = html(response)
    assert "The message must not name the reporter." in page
    assert "Ilmoittaja Eeva Työntekijä kertoi asiasta." in page
    assert not StatutoryNotification.objects.exists()


def test_escalation_is_offered_only_after_the_correction_deadline(
    client, supervisor_a, employee_a, unit_a, county, authority
):
    deviation = submit(employee_a, unit_a, kind="grievance").deviation
    services.deviation_notify_county(
        actor=supervisor_a, deviation=deviation, counties=deviation.unit.counties.all(), subject="Epäkohta", body="Korjataan."
    )
    escalate_url = reverse("deviations:escalate", args=[deviation.pk])
    client.force_login(supervisor_a)
    assert escalate_url not in html(client.get(reverse("deviations:detail", args=[deviation.pk])))

    later = timezone.now() + dt.timedelta(days=unit_a.region.organisation.correction_due_days + 2)
    with time_machine.travel(later):
        client.force_login(supervisor_a)
        page = html(client.get(reverse("deviations:detail", args=[deviation.pk])))
        assert escalate_url in page
        page = html(client.get(escalate_url))
        assert authority.email in page
        response = client.post(escalate_url, {"subject": "Korjaamaton epäkohta", "body": "Ei korjattu määräajassa."})
        assert response.status_code == 302
    assert StatutoryNotification.objects.filter(deviation=deviation, recipient_email=authority.email).count() == 1


# --- GDPR clock ----------------------------------------------------------------------------------


def test_the_72_hour_clock_is_shown_for_a_personal_data_breach_to_the_handler_and_the_dpo(
    client, supervisor_a, dpo, employee_a, unit_a
):
    deviation = submit(
        employee_a, unit_a, kind="data_protection", data_concerned="Raportti väärään osoitteeseen",
        personal_data_breach=True,
    ).deviation
    url = reverse("deviations:detail", args=[deviation.pk])
    for person in (supervisor_a, dpo):
        client.force_login(person)
        page = html(client.get(url))
        assert "72-hour clock" in page
        assert "Time left" in page
    client.force_login(employee_a)
    assert "72-hour clock" not in html(client.get(url))


# --- The list and the export --------------------------------------------------------------------


def test_list_shows_only_the_actors_units_with_filters_and_overdue_rows(
    client, supervisor_a, employee_a, supervisor_b, unit_a, unit_b
):
    with time_machine.travel(timezone.now() - dt.timedelta(days=60)):
        old = submit(employee_a, unit_a, kind="near_miss").deviation
    fresh = submit(employee_a, unit_a).deviation
    other = submit(supervisor_b, unit_b).deviation
    client.force_login(supervisor_a)
    response = client.get(reverse("deviations:list"))
    assert response.status_code == 200
    page = html(response)
    assert old.number in page and fresh.number in page
    assert other.number not in page
    assert 'class="is-overdue"' in page and "badge--overdue" in page
    # The unit filter offers only the units the actor sees.
    assert "Lastenkoti Mänty" not in page

    page = html(client.get(reverse("deviations:list"), {"kind": "near_miss"}))
    assert old.number in page and fresh.number not in page
    page = html(client.get(reverse("deviations:list"), {"overdue": "on"}))
    assert old.number in page and fresh.number not in page


def test_list_is_paginated_by_twenty(client, supervisor_a, employee_a, unit_a):
    for _ in range(21):
        submit(employee_a, unit_a)
    client.force_login(supervisor_a)
    response = client.get(reverse("deviations:list"))
    assert len(response.context["page"].object_list) == 20
    assert "page=2" in html(response)
    assert len(client.get(reverse("deviations:list"), {"page": 2}).context["page"].object_list) == 1


def test_list_query_count_stays_flat_as_rows_grow(
    client, supervisor_a, employee_a, unit_a, django_assert_max_num_queries
):
    url = reverse("deviations:list")
    for _ in range(3):
        submit(employee_a, unit_a)
    client.force_login(supervisor_a)
    client.get(url)  # warm up caches (content types, sessions)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for _ in range(22):
        submit(employee_a, unit_a)
    with django_assert_max_num_queries(len(few)):
        response = client.get(url)
    assert len(response.context["page"].object_list) == 20


def test_my_reports_query_count_stays_flat_as_rows_grow(client, employee_a, unit_a, django_assert_max_num_queries):
    url = reverse("deviations:mine")
    for _ in range(3):
        submit(employee_a, unit_a)
    client.force_login(employee_a)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(22):
        submit(employee_a, unit_a)
    with django_assert_max_num_queries(len(few)):
        client.get(url)


def test_csv_export_is_a_dated_utf8_file_for_excel_without_reporter_names(
    client, responsible_a, employee_a, unit_a
):
    deviation = submit(employee_a, unit_a).deviation
    client.force_login(responsible_a)
    page = html(client.get(reverse("deviations:list"), {"kind": "quality"}))
    assert reverse("deviations:export") + "?kind=quality" in page

    response = client.get(reverse("deviations:export"), {"kind": "quality"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert f'filename="poikkeamat-{timezone.localdate():%Y-%m-%d}.csv"' in response["Content-Disposition"]
    content = b"".join(response.streaming_content).decode("utf-8")
    assert content.startswith("\ufeff")
    assert deviation.number in content
    assert "Lastenkoti Koivu" in content
    assert "Eeva" not in content and "eeva@" not in content
    assert "Iltalääkkeet" not in content  # free text stays in the product


def test_employee_cannot_see_the_list_or_export(client, employee_a):
    client.force_login(employee_a)
    assert client.get(reverse("deviations:list")).status_code == 403
    assert client.get(reverse("deviations:export")).status_code == 403


def test_signed_out_visitor_is_sent_to_sign_in(client):
    response = client.get(reverse("deviations:new"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


# --- Routing ---------------------------------------------------------------------------------------


def test_supervisor_names_a_handler_per_type_and_blank_means_the_supervisor(
    client, supervisor_a, responsible_a, unit_a
):
    client.force_login(supervisor_a)
    url = reverse("deviations:routing", args=[unit_a.pk])
    page = html(client.get(url))
    assert "The unit&#x27;s supervisor (default)" in page or "The unit's supervisor (default)" in page
    response = client.post(url, {"kind_medication": str(responsible_a.pk)})
    assert response.status_code == 302
    assignment = HandlerAssignment.objects.get()
    assert (assignment.kind, assignment.handler) == ("medication", responsible_a)
    assert re.search(rf'<option value="{responsible_a.pk}" selected>', html(client.get(url)))

    response = client.post(url, {"kind_medication": ""})
    assert response.status_code == 302
    assert not HandlerAssignment.objects.exists()


def test_the_data_protection_officer_is_offered_only_for_data_protection_reports(
    client, supervisor_a, dpo, unit_a
):
    client.force_login(supervisor_a)
    page = html(client.get(reverse("deviations:routing", args=[unit_a.pk])))
    quality = page.split('name="kind_quality"', 1)[1].split("</select>", 1)[0]
    data = page.split('name="kind_data_protection"', 1)[1].split("</select>", 1)[0]
    assert "Tiina Tietosuoja" not in quality
    assert "Tiina Tietosuoja" in data


def test_a_routing_page_of_an_unknown_unit_is_404(client, supervisor_a):
    client.force_login(supervisor_a)
    assert client.get(reverse("deviations:routing", args=[999999])).status_code == 404


def test_handler_named_by_routing_receives_the_next_report(client, supervisor_a, responsible_a, employee_a, unit_a):
    client.force_login(supervisor_a)
    client.post(reverse("deviations:routing", args=[unit_a.pk]), {"kind_near_miss": str(responsible_a.pk)})
    deviation = submit(employee_a, unit_a, kind="near_miss").deviation
    assert deviation.handler == responsible_a


def test_no_authority_means_the_escalation_page_says_so(client, supervisor_a, employee_a, unit_a):
    deviation = submit(employee_a, unit_a, kind="grievance").deviation
    client.force_login(supervisor_a)
    response = client.get(reverse("deviations:escalate", args=[deviation.pk]))
    assert response.status_code == 200
    assert "No default supervisory authority has been set." in html(response)


def test_manager_of_another_region_is_not_offered_as_action_owner(
    client, supervisor_a, supervisor_b, colleague_a, employee_a, unit_a
):
    deviation = submit(employee_a, unit_a).deviation
    client.force_login(supervisor_a)
    page = html(client.get(reverse("deviations:detail", args=[deviation.pk])))
    owners = page.split('name="action-owner"', 1)[1].split("</select>", 1)[0]
    assert "Kalle Kollega" in owners and "Sari Esihenkilö" in owners
    assert "Mikko Muualta" not in owners


def test_quality_director_can_handle_and_sees_the_handling_panel_anywhere(
    client, quality_director, employee_a, unit_a
):
    deviation = submit(employee_a, unit_a).deviation
    client.force_login(quality_director)
    page = html(client.get(reverse("deviations:detail", args=[deviation.pk])))
    assert reverse("deviations:classify", args=[deviation.pk]) in page
    assert "Eeva Työntekijä" in reported_by(page)  # the quality director may see who reported


def test_notification_page_without_county_explains_there_is_nobody_to_notify(
    client, supervisor_a, region_a
):
    lonely = UnitFactory(region=region_a, name="Avohuolto Tammi")
    boss = member(Role.SUPERVISOR, unit=lonely, full_name="Tuula Tammi")
    worker = member(Role.EMPLOYEE, unit=lonely)
    deviation = submit(worker, lonely, kind="grievance").deviation
    client.force_login(boss)
    page = html(client.get(reverse("deviations:notify", args=[deviation.pk])))
    assert "There is nobody to send this to" in page
    assert "<textarea" not in page


def test_quality_director_sees_who_has_read_the_report_and_a_supervisor_does_not(
    client, employee_a, supervisor_a, quality_director, unit_a
):
    from omavalvonta.deviations.services import deviation_submit
    from omavalvonta.testing.factories import deviation_kwargs

    report = deviation_submit(actor=employee_a, **deviation_kwargs(unit_a)).deviation
    url = reverse("deviations:detail", args=[report.pk])
    client.force_login(supervisor_a)
    assert client.get(url).context["access_log"] is None
    client.force_login(quality_director)
    response = client.get(url)
    rows = [(row.reader_name, row.what) for row in response.context["access_log"]]
    # Newest first; this very read is logged too, and each read of the reporter's identity.
    qd, supervisor = quality_director.full_name, supervisor_a.full_name
    assert qd != supervisor
    assert rows == [
        (qd, "deviation.reporter"),
        (qd, "deviation.detail"),
        (supervisor, "deviation.reporter"),
        (supervisor, "deviation.detail"),
    ]
    assert "Sari Esihenkilö" in response.content.decode()


def test_quality_director_filters_the_list_by_region(client, employee_a, quality_director, unit_a, unit_b, supervisor_b):
    from omavalvonta.deviations.services import deviation_submit
    from omavalvonta.testing.factories import deviation_kwargs

    in_a = deviation_submit(actor=employee_a, **deviation_kwargs(unit_a)).deviation
    deviation_submit(actor=supervisor_b, **deviation_kwargs(unit_b))
    client.force_login(quality_director)
    response = client.get(reverse("deviations:list"), {"region": unit_a.region_id})
    assert [d.pk for d in response.context["page"]] == [in_a.pk]
    assert 'name="region"' in response.content.decode()


def test_a_supervisor_of_one_unit_is_not_offered_a_region_filter(client, supervisor_a):
    client.force_login(supervisor_a)
    assert 'name="region"' not in client.get(reverse("deviations:list")).content.decode()


def test_a_large_organisation_chooses_a_region_before_a_unit(client, quality_director, unit_a, unit_b, monkeypatch):
    from omavalvonta.deviations.forms import FilterForm

    monkeypatch.setattr(FilterForm, "MAX_UNITS_WITHOUT_REGION", 1)
    client.force_login(quality_director)
    html = client.get(reverse("deviations:list")).content.decode()
    assert 'name="region"' in html and 'name="unit"' not in html
    html = client.get(reverse("deviations:list"), {"region": unit_a.region_id}).content.decode()
    assert f">{unit_a.name}</option>" in html and f">{unit_b.name}</option>" not in html


def test_the_list_loads_a_page_in_a_fixed_number_of_queries_for_the_quality_director(
    client, django_assert_max_num_queries, quality_director, employee_a, unit_a
):
    from omavalvonta.deviations.services import deviation_submit
    from omavalvonta.testing.factories import deviation_kwargs

    for _ in range(25):
        deviation_submit(actor=employee_a, **deviation_kwargs(unit_a))
    client.force_login(quality_director)
    client.get(reverse("deviations:list"))
    # 14 before the navigation's two badges were counted in one statement; 10
    # before the page's rows came in one statement with their ids and the region
    # choice's options with its counts.
    with django_assert_max_num_queries(9):
        response = client.get(reverse("deviations:list"), {"page": 2})
    assert len(response.context["page"].object_list) == 5
    with django_assert_max_num_queries(0):
        assert response.context["rows"][0]["unit"] == unit_a.name  # loaded with the page
