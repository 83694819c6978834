"""The complaint pages: recording, the register's filters, the handling steps,
bad input answered with 400 and a message (nothing typed lost), logged reads,
query counts that do not grow, and the public channel's complaint kind."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from omavalvonta.complaints import services
from omavalvonta.complaints.models import Complaint, State
from omavalvonta.core.models import AccessLogEntry
from omavalvonta.deviations.models import Deviation
from omavalvonta.feedback.models import PublicFeedback

NAME = "Maija Muistuttaja"


def _complaint(actor, unit, **overrides):
    kwargs = {
        "received_on": timezone.localdate(), "received_via": "letter", "complainant_kind": "guardian",
        "complainant_name": NAME, "complainant_contact": "maija@example.test",
        "subject": "Lapsen puhelin otettiin pois ilman perusteluja.",
    }
    kwargs.update(overrides)
    return services.complaint_register(actor=actor, unit=unit, **kwargs)


def _post_new(client, unit, **overrides):
    data = {
        "unit": unit.pk, "received_on": timezone.localdate().isoformat(), "received_via": "letter",
        "complainant_kind": "child", "complainant_name": "Nuori Nimi", "complainant_contact": "",
        "subject": "Ulkoiluaikaa rajoitettiin.", "handle_myself": "on",
    }
    data.update(overrides)
    return client.post(reverse("complaints:new"), data)


def test_a_supervisor_records_a_complaint_and_handles_it(client, supervisor_a, unit_a):
    client.force_login(supervisor_a)
    assert client.get(reverse("complaints:new")).status_code == 200
    response = _post_new(client, unit_a)
    complaint = Complaint.objects.get()
    assert response.status_code == 302 and response.url == reverse("complaints:detail", args=[complaint.pk])
    assert (complaint.handler, complaint.state, complaint.created_by) == (supervisor_a, State.IN_HANDLING, supervisor_a)
    page = client.get(response.url)
    assert page.status_code == 200 and "Nuori Nimi" in page.content.decode()


def test_bad_input_is_400_with_the_message_and_nothing_typed_lost(client, supervisor_a, unit_a):
    client.force_login(supervisor_a)
    response = _post_new(client, unit_a, complainant_name="", received_on="2999-01-01",
                         subject="Tämä teksti säilyy lomakkeella.")
    html = response.content.decode()
    assert response.status_code == 400
    assert "Tämä teksti säilyy lomakkeella." in html
    assert not Complaint.objects.exists()
    response = _post_new(client, unit_a, received_on=(timezone.localdate() + dt.timedelta(days=2)).isoformat())
    assert response.status_code == 400 and "future" in response.content.decode()


def test_the_answer_step_refuses_missing_fields_with_400_and_then_records_it(client, supervisor_a, unit_a):
    complaint = _complaint(supervisor_a, unit_a, handler=supervisor_a)
    client.force_login(supervisor_a)
    url = reverse("complaints:answer", args=[complaint.pk])
    response = client.post(url, {"answer-answered_on": "", "answer-answer_summary": ""})
    assert response.status_code == 400 and 'aria-invalid="true"' in response.content.decode()
    response = client.post(url, {"answer-answered_on": "kesäkuu", "answer-answer_summary": "Vastaus säilyy."})
    assert response.status_code == 400 and "Vastaus säilyy." in response.content.decode()
    response = client.post(url, {"answer-answered_on": timezone.localdate().isoformat(),
                                 "answer-answer_summary": "Pahoittelimme."})
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.state == State.ANSWERED
    # The step is no longer open: back to the page with a message, not a 500.
    again = client.post(url, {"answer-answered_on": timezone.localdate().isoformat(), "answer-answer_summary": "x"})
    assert again.status_code == 302
    assert client.post(reverse("complaints:close", args=[complaint.pk])).status_code == 302
    assert Complaint.objects.get().state == State.CLOSED


@pytest.mark.usefixtures("english_pages")
def test_closing_an_unanswered_complaint_is_refused_with_the_reason(client, supervisor_a, unit_a):
    complaint = _complaint(supervisor_a, unit_a, handler=supervisor_a)
    client.force_login(supervisor_a)
    response = client.post(reverse("complaints:close", args=[complaint.pk]), follow=True)
    assert response.redirect_chain == [(reverse("complaints:detail", args=[complaint.pk]), 302)]
    assert "Only an answered complaint can be closed." in response.content.decode()
    complaint.refresh_from_db()
    assert complaint.state != State.CLOSED


def test_assign_and_action_steps(client, supervisor_a, responsible_a, employee_a, unit_a):
    complaint = _complaint(supervisor_a, unit_a)
    client.force_login(supervisor_a)
    assert client.post(reverse("complaints:assign", args=[complaint.pk]), {"assign-handler": "999999"}).status_code == 400
    assert client.post(reverse("complaints:assign", args=[complaint.pk]), {"assign-handler": responsible_a.pk}).status_code == 302
    complaint.refresh_from_db()
    assert complaint.handler == responsible_a
    action_url = reverse("complaints:action", args=[complaint.pk])
    bad = client.post(action_url, {"action-title": "Ohje", "action-owner": employee_a.pk, "action-due_date": "2000-01-01"})
    assert bad.status_code == 400
    good = client.post(action_url, {"action-title": "Ohje päivitetään", "action-owner": employee_a.pk,
                                    "action-due_date": (timezone.localdate() + dt.timedelta(days=7)).isoformat()})
    assert good.status_code == 302
    assert "Ohje päivitetään" in client.get(reverse("complaints:detail", args=[complaint.pk])).content.decode()


def test_another_units_complaint_is_404_and_an_employee_is_refused(client, supervisor_a, supervisor_b, employee_a, unit_a):
    complaint = _complaint(supervisor_a, unit_a)
    client.force_login(supervisor_b)
    assert client.get(reverse("complaints:detail", args=[complaint.pk])).status_code == 404
    assert client.post(reverse("complaints:answer", args=[complaint.pk]), {}).status_code == 404
    client.force_login(employee_a)
    assert client.get(reverse("complaints:list")).status_code == 403
    assert client.get(reverse("complaints:detail", args=[complaint.pk])).status_code == 403


def test_the_list_filters_and_marks_late_ones(client, supervisor_a, unit_a):
    late = _complaint(supervisor_a, unit_a, received_on=timezone.localdate() - dt.timedelta(days=45), handler=supervisor_a)
    fresh = _complaint(supervisor_a, unit_a)
    client.force_login(supervisor_a)
    listed = lambda query: [c.pk for c in client.get(reverse("complaints:list") + query).context["page"]]  # noqa: E731
    assert listed("") == [fresh.pk, late.pk]
    assert listed("?late=on") == [late.pk]
    assert listed("?mine=on") == [late.pk]
    assert listed("?state=received") == [fresh.pk]
    html = client.get(reverse("complaints:list")).content.decode()
    assert NAME not in html  # the name stays on the complaint's page
    assert client.get(reverse("complaints:list") + "?unit=abc&state=zzz").status_code == 400


def test_reads_are_logged_list_and_page(client, supervisor_a, unit_a):
    complaint = _complaint(supervisor_a, unit_a)
    client.force_login(supervisor_a)
    client.get(reverse("complaints:list"))
    client.get(reverse("complaints:detail", args=[complaint.pk]))
    assert list(AccessLogEntry.objects.order_by("pk").values_list("what", "target_id")) == [
        ("complaint.list", None), ("complaint.detail", complaint.pk)
    ]


@pytest.mark.parametrize("rows", [2, 12])
def test_the_list_query_count_does_not_grow(client, django_assert_max_num_queries, supervisor_a, unit_a, rows):
    for i in range(rows):
        _complaint(supervisor_a, unit_a, handler=supervisor_a if i % 2 else None)
    client.force_login(supervisor_a)
    client.get(reverse("complaints:list"))
    with django_assert_max_num_queries(14):
        assert client.get(reverse("complaints:list")).status_code == 200


@pytest.mark.parametrize("rows", [2, 12])
def test_the_home_block_query_count_does_not_grow(client, django_assert_max_num_queries, supervisor_a, unit_a, rows):
    for _ in range(rows):
        _complaint(supervisor_a, unit_a, handler=supervisor_a, received_on=timezone.localdate() - dt.timedelta(days=40))
    client.force_login(supervisor_a)
    client.get(reverse("home"))
    # The whole home page, as dashboards/tests/test_home.py counts it (26 with the learning block).
    with django_assert_max_num_queries(26):
        response = client.get(reverse("home"))
    assert response.status_code == 200
    assert len(response.context["waiting"]["complaints"]["rows"]) == min(rows, 5)


def test_the_deadline_page(client, quality_director, supervisor_a):
    client.force_login(supervisor_a)
    assert client.get(reverse("complaints:settings")).status_code == 403
    client.force_login(quality_director)
    assert client.get(reverse("complaints:settings")).status_code == 200
    assert client.post(reverse("complaints:settings"), {"answer_days": "0"}).status_code == 400
    assert client.post(reverse("complaints:settings"), {"answer_days": "21"}).status_code == 302
    assert client.get(reverse("complaints:list")).context["answer_days"] == 21


# --- The public channel ---------------------------------------------------------------------


def _public(client, **overrides):
    data = {"kind": "complaint", "message": "Lastani kohdeltiin epäasiallisesti.", "complainant_kind": "guardian",
            "sender_name": "Pekka Vanhempi", "sender_contact": "pekka@example.test", "website": ""}
    data.update(overrides)
    return client.post(reverse("public:feedback_send"), data)


def test_a_public_complaint_creates_a_complaint_and_leaks_nothing_to_the_address(client, unit_a, supervisor_a):
    response = _public(client, unit=unit_a.pk)
    assert response.status_code == 200
    complaint = Complaint.objects.get()
    assert (complaint.unit, complaint.received_via, complaint.complainant_name) == (unit_a, "public_site", "Pekka Vanhempi")
    html = response.content.decode()
    assert "muistutus" in html.lower() or "complaint" in html.lower()
    assert complaint.answer_due.strftime("%-d.%-m.%Y") in html
    # Rendered in answer to the POST: no redirect, no address carrying anything of it.
    assert "Location" not in response.headers
    assert not Deviation.objects.exists() and not PublicFeedback.objects.exists()


def test_a_public_complaint_needs_its_unit_name_contact_and_kind(client, unit_a):
    response = _public(client, unit="", sender_name="", sender_contact="", complainant_kind="")
    html = response.content.decode()
    assert response.status_code == 400
    assert "Lastani kohdeltiin epäasiallisesti." in html  # nothing typed is lost
    assert not Complaint.objects.exists()


def test_a_bot_filling_the_honeypot_creates_nothing(client, unit_a):
    response = _public(client, unit=unit_a.pk, website="http://spam.example")
    assert response.status_code == 200 and not Complaint.objects.exists()


def test_public_complaints_are_rate_limited(client, unit_a):
    for _ in range(5):
        _public(client, unit=unit_a.pk)
    assert _public(client, unit=unit_a.pk).status_code == 429
    assert Complaint.objects.count() == 5
