"""The meeting pages through the test client: access, the minutes editor, the
read-only minutes and the acknowledge page."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from omavalvonta.improvement.models import Acknowledgement, Action
from omavalvonta.improvement.selectors import acknowledgement_progress
from omavalvonta.meetings import services
from omavalvonta.meetings.models import Meeting, MeetingKind
from omavalvonta.meetings.tests.helpers import closed_meeting, marked_deviation, team_meeting
from omavalvonta.testing.queries import reads_flat

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_pages")]


def html(response):
    return response.content.decode()


def test_supervisor_plans_a_meeting_and_the_agenda_is_there(client, supervisor_a, employee_a, unit_a):
    deviation = marked_deviation(employee_a, supervisor_a, unit_a)
    client.force_login(supervisor_a)
    page = client.get(reverse("meetings:create"))
    assert page.status_code == 200
    assert "Management group meeting" not in html(page)  # only the quality director plans those
    response = client.post(
        reverse("meetings:create"),
        {"kind": "team", "unit": unit_a.pk, "title": "", "starts_at": "2026-12-03T13:00", "location": "Kahvihuone"},
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response.url == reverse("meetings:detail", args=[meeting.pk])
    assert meeting.title == "Team meeting 12/2026"
    detail = html(client.get(response.url))
    assert deviation.number in detail
    assert reverse("meetings:close", args=[meeting.pk]) in detail
    assert reverse("deviations:detail", args=[deviation.pk]) in detail


def test_create_form_requires_a_unit_for_a_team_meeting(client, supervisor_a):
    client.force_login(supervisor_a)
    response = client.post(reverse("meetings:create"), {"kind": "team", "starts_at": "2026-12-03T13:00"})
    assert response.status_code == 200 and "Choose the unit." in html(response)
    assert not Meeting.objects.exists()


def test_minutes_are_written_on_the_meeting_page(client, supervisor_a, employee_a, colleague_a, unit_a):
    meeting = team_meeting(supervisor_a, unit_a)
    item = services.agenda_item_add(actor=supervisor_a, meeting=meeting, title="Lääkehoidon ohje")
    client.force_login(supervisor_a)
    url = reverse("meetings:item_decide", args=[meeting.pk, item.pk])
    response = client.post(url, {f"d{item.pk}-decision": "Ohje käydään läpi jokaisessa vuorossa."})
    assert response.status_code == 302 and response.url.endswith(f"#item-{item.pk}")
    due = (timezone.localdate() + dt.timedelta(days=7)).isoformat()
    client.post(
        reverse("meetings:item_action", args=[meeting.pk, item.pk]),
        {f"a{item.pk}-title": "Ohje tulostetaan kansioon", f"a{item.pk}-owner": employee_a.pk,
         f"a{item.pk}-due_date": due, f"a{item.pk}-kind": "corrective"},
    )
    client.post(
        reverse("meetings:attendance", args=[meeting.pk]),
        {"attendance-participants": [supervisor_a.pk, colleague_a.pk], "attendance-absentees": [employee_a.pk]},
    )
    response = client.post(reverse("meetings:close", args=[meeting.pk]), {})
    assert response.status_code == 302
    meeting.refresh_from_db()
    item.refresh_from_db()
    assert meeting.is_closed and item.decision == "Ohje käydään läpi jokaisessa vuorossa."
    assert Action.objects.get().title == "Ohje tulostetaan kansioon"
    assert acknowledgement_progress(target=meeting) == (0, 1)
    page = html(client.get(reverse("meetings:detail", args=[meeting.pk])))
    assert "0 / 1" in page and "Eeva Työntekijä" in page
    assert reverse("meetings:item_decide", args=[meeting.pk, item.pk]) not in page  # read-only now


def test_a_refused_step_shows_the_page_with_the_errors(client, supervisor_a, unit_a):
    meeting = team_meeting(supervisor_a, unit_a)
    item = services.agenda_item_add(actor=supervisor_a, meeting=meeting, title="Muut asiat")
    client.force_login(supervisor_a)
    response = client.post(reverse("meetings:item_action", args=[meeting.pk, item.pk]), {f"a{item.pk}-title": "X"})
    assert response.status_code == 200
    assert "The change was not saved." in html(response)
    response = client.post(reverse("meetings:close", args=[meeting.pk]), {})
    assert "Record who took part before closing the minutes." in html(response)
    assert not Action.objects.exists()


def test_other_unit_supervisor_gets_404(client, supervisor_a, supervisor_b, unit_a):
    meeting = team_meeting(supervisor_a, unit_a)
    item = services.agenda_item_add(actor=supervisor_a, meeting=meeting, title="Muut asiat")
    client.force_login(supervisor_b)
    assert client.get(reverse("meetings:detail", args=[meeting.pk])).status_code == 404
    assert client.post(reverse("meetings:item_add", args=[meeting.pk]), {"item-title": "X"}).status_code == 404
    assert client.post(reverse("meetings:item_decide", args=[meeting.pk, item.pk]), {}).status_code == 404
    assert client.post(reverse("meetings:close", args=[meeting.pk]), {}).status_code == 404
    assert meeting.pk not in [m.pk for m in client.get(reverse("meetings:list")).context["page"]]


def test_employee_gets_403_on_manage_pages_but_reads_closed_minutes(client, supervisor_a, employee_a, unit_a):
    meeting = team_meeting(supervisor_a, unit_a)
    item = services.agenda_item_add(actor=supervisor_a, meeting=meeting, title="Lomalistat")
    services.agenda_item_decide(actor=supervisor_a, item=item, decision="Lomatoiveet maaliskuun loppuun mennessä.")
    client.force_login(employee_a)
    assert client.get(reverse("meetings:create")).status_code == 403
    for name, args in [
        ("meetings:item_add", [meeting.pk]),
        ("meetings:item_decide", [meeting.pk, item.pk]),
        ("meetings:item_remove", [meeting.pk, item.pk]),
        ("meetings:attendance", [meeting.pk]),
        ("meetings:close", [meeting.pk]),
        ("meetings:remind", [meeting.pk]),
    ]:
        assert client.post(reverse(name, args=args), {}).status_code == 403, name
    # While the minutes are written, staff see the agenda but not the drafts.
    page = html(client.get(reverse("meetings:detail", args=[meeting.pk])))
    assert "Lomalistat" in page and "Lomatoiveet" not in page
    services.meeting_attendance_set(actor=supervisor_a, meeting=meeting, participants=[supervisor_a], absentees=[])
    services.meeting_close(actor=supervisor_a, meeting=meeting)
    response = client.get(reverse("meetings:detail", args=[meeting.pk]))
    assert response.status_code == 200
    assert "Lomatoiveet maaliskuun loppuun mennessä." in html(response)
    assert reverse("meetings:item_decide", args=[meeting.pk, item.pk]) not in html(response)


def test_absent_employee_acknowledges_on_the_acknowledge_page(client, supervisor_a, employee_a, unit_a):
    meeting = team_meeting(supervisor_a, unit_a)
    item = services.agenda_item_add(actor=supervisor_a, meeting=meeting, title="Uusi lääkeohje")
    services.agenda_item_decide(actor=supervisor_a, item=item, decision="Kaksoistarkistus aina.")
    services.meeting_attendance_set(actor=supervisor_a, meeting=meeting, participants=[supervisor_a], absentees=[employee_a])
    services.meeting_close(actor=supervisor_a, meeting=meeting)
    client.force_login(employee_a)
    page = html(client.get(reverse("meetings:acknowledge")))
    assert meeting.title in page and "Kaksoistarkistus aina." in page
    ack = Acknowledgement.objects.get(user=employee_a)
    # Someone else's acknowledgement does not exist for me.
    client.force_login(supervisor_a)
    assert client.post(reverse("meetings:acknowledge_confirm", args=[ack.pk])).status_code == 404
    client.force_login(employee_a)
    response = client.post(reverse("meetings:acknowledge_confirm", args=[ack.pk]))
    assert response.status_code == 302
    ack.refresh_from_db()
    assert ack.acknowledged_at is not None
    assert "Nothing to acknowledge" in html(client.get(reverse("meetings:acknowledge")))
    # The next parameter only leads inside the product.
    response = client.post(reverse("meetings:acknowledge_confirm", args=[ack.pk]), {"next": "https://evil.example/"})
    assert response.url == reverse("meetings:acknowledge")


def test_list_filters_by_unit_and_kind(client, quality_director, supervisor_a, unit_a, unit_b, supervisor_b):
    a = team_meeting(supervisor_a, unit_a)
    b = team_meeting(supervisor_b, unit_b, kind=MeetingKind.SUPERVISOR_REVIEW)
    group = services.meeting_create(actor=quality_director, kind=MeetingKind.MANAGEMENT_GROUP, title="", starts_at=timezone.now())
    client.force_login(quality_director)
    all_pks = {m.pk for m in client.get(reverse("meetings:list")).context["page"]}
    assert all_pks == {a.pk, b.pk, group.pk}
    assert [m.pk for m in client.get(reverse("meetings:list"), {"unit": unit_a.pk}).context["page"]] == [a.pk]
    assert [m.pk for m in client.get(reverse("meetings:list"), {"kind": "supervisor_review"}).context["page"]] == [b.pk]
    client.force_login(supervisor_a)
    assert [m.pk for m in client.get(reverse("meetings:list")).context["page"]] == [a.pk]


def test_list_query_count_stays_flat(client, supervisor_a, employee_a, unit_a, django_assert_max_num_queries):
    closed_meeting(supervisor_a, unit_a, participants=[supervisor_a], absentees=[employee_a])
    client.force_login(supervisor_a)

    def more():
        for _ in range(6):
            meeting = team_meeting(supervisor_a, unit_a)
            services.agenda_item_add(actor=supervisor_a, meeting=meeting, title="Muut asiat")

    response = reads_flat(client, reverse("meetings:list"), more, django_assert_max_num_queries)
    assert len(response.context["page"].object_list) == 7


def test_detail_query_count_does_not_grow_per_item(client, supervisor_a, employee_a, unit_a, django_assert_max_num_queries):
    meeting = team_meeting(supervisor_a, unit_a)
    services.agenda_item_add(actor=supervisor_a, meeting=meeting, title="Ensimmäinen")
    client.force_login(supervisor_a)

    def more():
        for n in range(5):
            services.agenda_item_add(actor=supervisor_a, meeting=meeting, title=f"Kohta {n}")

    reads_flat(client, reverse("meetings:detail", args=[meeting.pk]), more, django_assert_max_num_queries)


def test_chair_reminds_from_the_meeting_page(client, supervisor_a, employee_a, colleague_a, unit_a):
    meeting = closed_meeting(supervisor_a, unit_a, participants=[supervisor_a], absentees=[employee_a, colleague_a])
    client.force_login(supervisor_a)
    response = client.post(reverse("meetings:remind", args=[meeting.pk]), follow=True)
    assert "2 people were reminded." in html(response)
    assert Acknowledgement.objects.filter(target_id=meeting.pk, reminded_at__isnull=False).count() == 2


def test_other_acknowledgements_are_listed_with_their_title(client, supervisor_a, employee_a, unit_a):
    from omavalvonta.improvement import services as improvement

    improvement.acknowledgements_request(actor=supervisor_a, unit=unit_a, target=unit_a, users=[employee_a])
    client.force_login(employee_a)
    page = html(client.get(reverse("meetings:acknowledge")))
    assert unit_a.name in page
    ack = Acknowledgement.objects.get(user=employee_a)
    client.post(reverse("meetings:acknowledge_confirm", args=[ack.pk]))
    ack.refresh_from_db()
    assert ack.acknowledged_at is not None


def test_the_acknowledge_page_reads_other_targets_in_a_fixed_number_of_queries(
    client, supervisor_a, employee_a, unit_a, django_assert_max_num_queries
):

    from omavalvonta.improvement import services as improvement_services
    from omavalvonta.testing.factories import UnitFactory

    def ask(n):
        for _ in range(n):
            improvement_services.acknowledgements_request(
                actor=supervisor_a, unit=unit_a, target=UnitFactory(), users=[employee_a], reason="Uusi ohje"
            )

    client.force_login(employee_a)
    ask(1)
    client.get(reverse("meetings:acknowledge"))  # warm the caches
    with CaptureQueriesContext(connection) as one:
        assert client.get(reverse("meetings:acknowledge")).status_code == 200
    ask(6)
    with CaptureQueriesContext(connection) as seven:
        page = html(client.get(reverse("meetings:acknowledge")))
    assert len(seven) == len(one)
    assert page.count("Uusi ohje") >= 7
