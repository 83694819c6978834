"""The guidance pages: who sees what (404 outside, 403 inside), the steps, the list."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from omavalvonta.guidance import services
from omavalvonta.guidance.models import Guidance, Kind, State
from omavalvonta.guidance.tests.conftest import PDF
from omavalvonta.improvement.models import Acknowledgement, Action

pytestmark = pytest.mark.django_db


def test_unit_a_item_is_404_for_the_other_units_supervisor(client, register, quality_director, unit_a, supervisor_b):
    g = register(quality_director, units=[unit_a])
    client.force_login(supervisor_b)
    assert client.get(reverse("guidance:detail", args=[g.pk])).status_code == 404
    assert client.post(reverse("guidance:review", args=[g.pk]), {"review-decision": "approve"}).status_code == 404


def test_all_units_item_is_visible_to_both_units(client, register, quality_director, unit_a, supervisor_a, supervisor_b):
    g = register(quality_director, units=[unit_a], applies_to_all_units=True)
    for person in (supervisor_a, supervisor_b):
        client.force_login(person)
        response = client.get(reverse("guidance:detail", args=[g.pk]))
        assert response.status_code == 200
        assert g.title in response.content.decode()


def test_employee_has_no_register(client, register, quality_director, unit_a, employee_a):
    g = register(quality_director, units=[unit_a])
    client.force_login(employee_a)
    assert client.get(reverse("guidance:list")).status_code == 403
    assert client.get(reverse("guidance:detail", args=[g.pk])).status_code == 403


def test_the_list_shows_the_deadline_and_highlights_overdue_items(client, register, quality_director, unit_a, time_machine):
    time_machine.move_to(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), tick=False)
    register(quality_director, units=[unit_a], deadline=dt.date(2026, 3, 4), title="Myöhässä oleva pyyntö")
    register(quality_director, units=[unit_a], deadline=dt.date(2026, 4, 30), title="Ajallaan oleva pyyntö")
    time_machine.move_to(dt.datetime(2026, 3, 10, 9, 0, tzinfo=dt.UTC), tick=False)
    client.force_login(quality_director)
    page = client.get(reverse("guidance:list")).content.decode()
    assert "4.3.2026" in page and "30.4.2026" in page
    assert page.count('class="is-overdue"') == 1
    overdue = client.get(reverse("guidance:list"), {"overdue": "on"})
    assert [g.title for g in overdue.context["page"]] == ["Myöhässä oleva pyyntö"]


def test_the_list_filters_by_unit_and_kind(client, register, quality_director, unit_a, unit_b):
    a = register(quality_director, units=[unit_a])
    register(quality_director, units=[unit_b])
    group = register(quality_director, units=[unit_b], kind=Kind.DECISION, deadline=None, applies_to_all_units=True)
    client.force_login(quality_director)
    by_unit = client.get(reverse("guidance:list"), {"unit": unit_a.pk}).context["page"]
    assert {g.pk for g in by_unit} == {a.pk, group.pk}
    by_kind = client.get(reverse("guidance:list"), {"kind": "decision"}).context["page"]
    assert [g.pk for g in by_kind] == [group.pk]


def test_list_query_count_stays_flat(client, register, quality_director, unit_a, unit_b, django_assert_max_num_queries):
    for _ in range(2):
        register(quality_director, units=[unit_a, unit_b])
    client.force_login(quality_director)
    url = reverse("guidance:list")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for i in range(22):
        register(quality_director, units=[unit_a] if i % 2 else [unit_b], applies_to_all_units=i % 3 == 0)
    with django_assert_max_num_queries(len(few)):
        response = client.get(url)
    assert len(response.context["page"].object_list) == 20


def test_register_page_creates_an_item_with_an_attachment(client, quality_director, responsible_a, unit_a, authority):
    client.force_login(quality_director)
    url = reverse("guidance:create")
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "kind": "information_request",
            "sender": f"a{authority.pk}",
            "sender_reference": "LVV/1/2026",
            "received_on": timezone.localdate().isoformat(),
            "title": "Selvityspyyntö",
            "content": "Pyydämme selvitystä.",
            "deadline": (timezone.localdate() + dt.timedelta(days=20)).isoformat(),
            "units": [unit_a.pk],
            "assignee": responsible_a.pk,
            "attachments": [SimpleUploadedFile("kirje.pdf", PDF, content_type="application/pdf")],
        },
    )
    g = Guidance.objects.get()
    assert response.status_code == 302 and response.url == reverse("guidance:detail", args=[g.pk])
    assert g.assignee == responsible_a and g.attachments.count() == 1


def test_register_page_shows_the_missing_deadline(client, quality_director, unit_a, authority):
    client.force_login(quality_director)
    response = client.post(
        reverse("guidance:create"),
        {
            "kind": "information_request",
            "sender": f"a{authority.pk}",
            "received_on": timezone.localdate().isoformat(),
            "title": "Selvityspyyntö",
            "content": "Pyydämme selvitystä.",
            "units": [unit_a.pk],
        },
    )
    assert response.status_code == 200
    assert "A request for explanation needs a deadline." in response.content.decode()
    assert not Guidance.objects.exists()


def test_supervisor_cannot_open_the_register_form(client, supervisor_a):
    client.force_login(supervisor_a)
    assert client.get(reverse("guidance:create")).status_code == 403


def test_attachment_downloads_through_the_access_check(client, register, quality_director, unit_a, supervisor_a, supervisor_b):
    g = register(quality_director, units=[unit_a], attachments=[SimpleUploadedFile("kirje.pdf", PDF)])
    url = reverse("guidance:attachment", args=[g.pk, g.attachments.get().pk])
    client.force_login(supervisor_a)
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    client.force_login(supervisor_b)
    assert client.get(url).status_code == 404


def test_response_flow_through_the_pages(client, register, quality_director, responsible_a, unit_a):
    g = register(quality_director, units=[unit_a], assignee=responsible_a)
    client.force_login(responsible_a)
    page = client.get(reverse("guidance:detail", args=[g.pk])).content.decode()
    assert "Prepare the response" in page
    url = reverse("guidance:response", args=[g.pk])
    assert client.post(url, {"response-response": "Luonnos", "submit": "draft"}).status_code == 302
    assert Guidance.objects.get(pk=g.pk).state == State.RESPONSE_IN_PREPARATION
    assert client.post(url, {"response-response": "Valmis", "submit": "review"}).status_code == 302
    assert Guidance.objects.get(pk=g.pk).state == State.RESPONSE_IN_REVIEW

    client.force_login(quality_director)
    review = reverse("guidance:review", args=[g.pk])
    response = client.post(review, {"review-decision": "return"})
    assert response.status_code == 400 and "Tell what should be changed." in response.content.decode()
    assert client.post(review, {"review-decision": "return", "review-comment": "Tarkenna."}).status_code == 302
    client.force_login(responsible_a)
    assert "Returned for changes:" in client.get(reverse("guidance:detail", args=[g.pk])).content.decode()
    client.post(url, {"response-response": "Valmis 2", "submit": "review"})
    client.force_login(quality_director)
    assert client.post(review, {"review-decision": "approve"}).status_code == 302
    g.refresh_from_db()
    assert g.state == State.RESPONDED and g.response_date == timezone.localdate()


@pytest.mark.parametrize("who", ["responsible_a", "supervisor_a"])
def test_review_is_403_for_others_than_the_quality_director(who, request, client, register, quality_director, responsible_a, unit_a):
    g = register(quality_director, units=[unit_a], assignee=responsible_a)
    services.guidance_response_submit(actor=responsible_a, guidance=g, response="Vastaus")
    client.force_login(request.getfixturevalue(who))
    response = client.post(reverse("guidance:review", args=[g.pk]), {"review-decision": "approve"})
    assert response.status_code == 403
    assert Guidance.objects.get(pk=g.pk).state == State.RESPONSE_IN_REVIEW


def test_supervisor_cannot_post_a_response(client, register, quality_director, supervisor_a, unit_a):
    g = register(quality_director, units=[unit_a])
    client.force_login(supervisor_a)
    response = client.post(reverse("guidance:response", args=[g.pk]), {"response-response": "x"})
    assert response.status_code == 403


def test_actions_and_instructions_from_the_page(client, register, quality_director, supervisor_a, employee_a, unit_a):
    g = register(quality_director, units=[unit_a], kind=Kind.INSPECTION_FINDING, deadline=None)
    client.force_login(quality_director)
    due = (timezone.localdate() + dt.timedelta(days=10)).isoformat()
    response = client.post(
        reverse("guidance:add_action", args=[g.pk]),
        {"action-title": "Lääkekaapin lukitus", "action-unit": unit_a.pk, "action-owner": supervisor_a.pk, "action-due_date": due},
    )
    assert response.status_code == 302
    assert Action.objects.get().title == "Lääkekaapin lukitus"
    response = client.post(reverse("guidance:issue_instructions", args=[g.pk]), {"instructions-instructions": "Lukitse kaappi."})
    assert response.status_code == 302
    assert set(Acknowledgement.objects.values_list("user_id", flat=True)) == {supervisor_a.pk, employee_a.pk}
    page = client.get(reverse("guidance:detail", args=[g.pk])).content.decode()
    assert "Lääkekaapin lukitus" in page and "0 / 2 acknowledged" in page

    # Staff read the instructions they are asked to acknowledge.
    client.force_login(employee_a)
    response = client.get(reverse("guidance:instructions", args=[g.pk]))
    assert response.status_code == 200 and "Lukitse kaappi." in response.content.decode()


def test_instructions_page_is_404_for_other_units(client, register, quality_director, supervisor_b, unit_a):
    g = register(quality_director, units=[unit_a], kind=Kind.GUIDANCE, deadline=None)
    services.guidance_instructions_issue(actor=quality_director, guidance=g, instructions="Ohje")
    client.force_login(supervisor_b)
    assert client.get(reverse("guidance:instructions", args=[g.pk])).status_code == 404
