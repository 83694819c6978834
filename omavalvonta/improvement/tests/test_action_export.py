"""The actions list: the owner filter and the CSV export of the filtered actions."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from omavalvonta.improvement import selectors, services

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_texts")]


def make(actor, unit, owner, title, days=10):
    return services.action_create(
        actor=actor, unit=unit, title=title, owner=owner, due_date=timezone.localdate() + dt.timedelta(days=days)
    )


@pytest.fixture
def actions(supervisor_a, employee_a, supervisor_b, unit_a, unit_b):
    return {
        "mine": make(supervisor_a, unit_a, employee_a, "Perehdytys päivitetään"),
        "chief": make(supervisor_a, unit_a, supervisor_a, "=HYPERLINK(\"x\")"),
        "other_unit": make(supervisor_b, unit_b, supervisor_b, "Männyn toimenpide"),
    }


def export(client):
    response = client.get(reverse("improvement:action_export"), {"state": "active"})
    body = b"".join(response.streaming_content).decode("utf-8")
    return response, body


def test_export_contains_only_what_the_actor_may_see(client, actions, supervisor_a):
    client.force_login(supervisor_a)
    response, body = export(client)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    assert body.startswith("\ufeff")
    lines = body.lstrip("\ufeff").strip().splitlines()
    assert lines[0] == "Unit;Action;Owner;Due date;State;Source;Completed;Effectiveness"
    assert len(lines) == 3
    assert "Perehdytys päivitetään" in body
    assert "Männyn" not in body
    # Formula cells are neutralised.
    assert ';"\'=HYPERLINK' in body


def test_export_follows_the_filters_owner_included(client, actions, supervisor_a, employee_a):
    client.force_login(supervisor_a)
    response = client.get(reverse("improvement:action_export"), {"state": "active", "owner": employee_a.pk})
    body = b"".join(response.streaming_content).decode("utf-8")
    rows = body.lstrip("\ufeff").strip().splitlines()[1:]
    assert rows == [
        f"Lastenkoti Koivu;Perehdytys päivitetään;{employee_a.full_name};"
        f"{actions['mine'].due_date:%d.%m.%Y};Open;Other;;"
    ]


def test_export_rows_need_action_view(employee_a, actions):
    # An employee has action.view in their unit; someone with no unit rights has none.
    from omavalvonta.organisation.models import Role
    from omavalvonta.testing.factories import member

    admin = member(Role.ADMINISTRATOR, full_name="Aki Admin", email="aki@x.example")
    with pytest.raises(PermissionDenied):
        selectors.action_export_rows(actor=admin)


def test_owner_filter_offers_only_owners_of_visible_actions(client, actions, supervisor_a, employee_a, supervisor_b):
    client.force_login(supervisor_a)
    response = client.get(reverse("improvement:action_list"))
    owner_field = response.context["form"]["owner"]
    offered = {value for value, _label in owner_field.field.choices if value}
    assert offered == {str(employee_a.pk), str(supervisor_a.pk)}

    response = client.get(reverse("improvement:action_list"), {"state": "active", "owner": employee_a.pk})
    assert [a.pk for a in response.context["page"]] == [actions["mine"].pk]
    assert reverse("improvement:action_export") in response.content.decode()
