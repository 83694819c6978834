"""The children's meetings pages: list, record, correct; refusals keep the typed text."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from omavalvonta.core.models import AuditEvent
from omavalvonta.meetings import childrens
from omavalvonta.meetings.models import ChildrensMeeting
from omavalvonta.testing.queries import reads_flat

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_texts")]


def _record(actor, unit, *, days_ago=3, topics="Kotiintuloajat", kind="weekly"):
    return childrens.childrens_meeting_create(
        actor=actor, unit=unit, held_on=timezone.localdate() - dt.timedelta(days=days_ago), kind=kind, topics=topics,
        children_raised="Myöhäisempi kotiintulo", decisions="Kokeillaan",
    )


def _form(**overrides):
    data = {
        "held_on": (timezone.localdate() - dt.timedelta(days=1)).isoformat(), "kind": "monthly",
        "topics": "Hyvän kohtelun suunnitelma", "children_raised": "Yövalot", "decisions": "Yövalo päälle",
        "edit_version": "0",
    }
    data.update(overrides)
    return data


def test_an_employee_records_a_childrens_meeting(client, employee_a, unit_a):
    client.force_login(employee_a)
    assert client.get(reverse("meetings:childrens_add", args=[unit_a.pk])).status_code == 200
    response = client.post(reverse("meetings:childrens_add", args=[unit_a.pk]), _form())
    assert response.status_code == 302 and response.url == reverse("meetings:childrens", args=[unit_a.pk])
    record = ChildrensMeeting.objects.get()
    assert (record.unit, record.kind, record.topics, record.created_by) == (unit_a, "monthly", "Hyvän kohtelun suunnitelma", employee_a)
    assert AuditEvent.objects.filter(verb="childrens_meeting.recorded").count() == 1
    page = client.get(reverse("meetings:childrens", args=[unit_a.pk])).content.decode()
    assert "Hyvän kohtelun suunnitelma" in page and "Yövalo päälle" in page


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"topics": "  "}, "Write what was talked about."),
        ({"held_on": "2099-01-01"}, "cannot be in the future"),
        ({"held_on": "2001-01-01"}, "Give a day within the last year."),
        ({"held_on": "31.2.2026"}, ""),
        ({"kind": "daily"}, ""),
        ({"decisions": "x" * 2001}, ""),
    ],
)
def test_a_refused_record_is_400_with_the_typed_text_kept(client, employee_a, unit_a, overrides, message):
    client.force_login(employee_a)
    response = client.post(reverse("meetings:childrens_add", args=[unit_a.pk]), _form(children_raised="Yövalot käytävälle", **overrides))
    page = response.content.decode()
    assert response.status_code == 400
    assert "Yövalot käytävälle" in page and 'id="error-summary"' in page
    assert message in page
    assert not ChildrensMeeting.objects.exists()


def test_a_record_is_corrected_and_a_stale_form_does_not_overwrite_it(client, employee_a, colleague_a, unit_a):
    record = _record(employee_a, unit_a)
    url = reverse("meetings:childrens_edit", args=[record.pk])
    client.force_login(employee_a)
    assert 'value="Kotiintuloajat"' in client.get(url).content.decode() or "Kotiintuloajat" in client.get(url).content.decode()
    opened = record.edit_version
    childrens.childrens_meeting_update(
        actor=colleague_a, record=record, held_on=record.held_on, kind="weekly", topics="Toisen korjaus",
        expected_version=opened,
    )
    response = client.post(url, _form(topics="Minun korjaukseni", edit_version=str(opened)))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Minun korjaukseni" in page and "Toisen korjaus" in page and "Saved by someone else meanwhile" in page
    record.refresh_from_db()
    assert record.topics == "Toisen korjaus"
    # Saving again, knowingly, replaces it.
    fresh = str(record.edit_version)
    response = client.post(url, _form(topics="Minun korjaukseni", edit_version=fresh))
    assert response.status_code == 302
    record.refresh_from_db()
    assert (record.topics, record.updated_by) == ("Minun korjaukseni", employee_a)


def test_another_units_records_are_not_found(client, supervisor_b, employee_a, unit_a):
    record = _record(employee_a, unit_a)
    client.force_login(supervisor_b)
    assert client.get(reverse("meetings:childrens", args=[unit_a.pk])).status_code == 404
    assert client.get(reverse("meetings:childrens_add", args=[unit_a.pk])).status_code == 404
    assert client.get(reverse("meetings:childrens_edit", args=[record.pk])).status_code == 404
    assert client.post(reverse("meetings:childrens_edit", args=[record.pk]), _form(topics="X")).status_code == 404
    record.refresh_from_db()
    assert record.topics == "Kotiintuloajat"


def test_the_meeting_list_links_the_own_childrens_home(client, employee_a, unit_a):
    client.force_login(employee_a)
    page = client.get(reverse("meetings:list")).content.decode()
    assert reverse("meetings:childrens", args=[unit_a.pk]) in page


def test_the_list_reads_the_same_number_of_queries_whatever_the_records(
    client, employee_a, unit_a, django_assert_max_num_queries
):
    _record(employee_a, unit_a)
    client.force_login(employee_a)

    def more():
        for n in range(12):
            _record(employee_a, unit_a, days_ago=n + 4, topics=f"Aihe {n}", kind="monthly" if n % 3 else "weekly")

    response = reads_flat(client, reverse("meetings:childrens", args=[unit_a.pk]), more, django_assert_max_num_queries)
    assert len(response.context["page"].object_list) == 13


def test_the_team_goals_page_reads_the_same_number_of_queries_whatever_the_meetings(
    client, supervisor_a, employee_a, unit_a, django_assert_max_num_queries
):
    _record(employee_a, unit_a)
    client.force_login(supervisor_a)

    def more():
        for n in range(10):
            _record(employee_a, unit_a, days_ago=n + 4, topics=f"Aihe {n}")

    reads_flat(client, reverse("feedback:unit_goals", args=[unit_a.pk]), more, django_assert_max_num_queries)
