"""The improvement pages through the test client: who sees what (404 outside the
actor's units, 403 inside them without the right, the owner always sees their own
action), the forms round trip, and list pages whose query count stays flat."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from omavalvonta.deviations import services as deviation_services
from omavalvonta.improvement import services
from omavalvonta.improvement.models import Action, ActionPlan, ActionState, LogEntry
from omavalvonta.improvement.tests.helpers import in_days, new_action
from omavalvonta.organisation.models import Role
from omavalvonta.testing.factories import deviation_kwargs, member
from omavalvonta.testing.queries import reads_flat

HELSINKI = ZoneInfo("Europe/Helsinki")


pytestmark = pytest.mark.usefixtures("english_pages")


def html(response):
    return response.content.decode()


@pytest.fixture
def action(supervisor_a, employee_a, unit_a):
    return new_action(supervisor_a, unit_a, employee_a)


# --- Access ---------------------------------------------------------------------------------------------------


def test_owner_sees_own_action(client, action, employee_a):
    client.force_login(employee_a)
    response = client.get(reverse("improvement:action_detail", args=[action.pk]))
    assert response.status_code == 200
    assert "Mark as done" in html(response)
    assert "Cancel the action" not in html(response)


def test_owner_without_unit_rights_still_sees_own_action(client, supervisor_a, unit_a):
    # A handler from elsewhere (say, the DPO) can own an action decided on a report.
    dpo = member(Role.DATA_PROTECTION_OFFICER)
    deviation = deviation_services.deviation_submit(actor=supervisor_a, **deviation_kwargs(unit_a)).deviation
    action = services.action_create(
        actor=supervisor_a, unit=unit_a, owner=dpo, title="Lokitus", due_date=in_days(3), source=deviation, check_access=False
    )
    client.force_login(dpo)
    assert client.get(reverse("improvement:action_detail", args=[action.pk])).status_code == 200
    assert "Lokitus" in html(client.get(reverse("improvement:my_actions")))


def test_colleague_in_the_unit_sees_the_action_but_cannot_complete_it(client, action, colleague_a):
    client.force_login(colleague_a)
    response = client.get(reverse("improvement:action_detail", args=[action.pk]))
    assert response.status_code == 200
    assert "Mark as done" not in html(response)
    response = client.post(reverse("improvement:action_complete", args=[action.pk]), {"complete-note": "Tehty"})
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.state == ActionState.OPEN


def test_other_unit_supervisor_gets_404(client, action, supervisor_b):
    client.force_login(supervisor_b)
    assert client.get(reverse("improvement:action_detail", args=[action.pk])).status_code == 404
    assert client.post(reverse("improvement:action_cancel", args=[action.pk]), {"cancel-reason": "x"}).status_code == 404


def test_unknown_action_is_404(client, supervisor_a):
    client.force_login(supervisor_a)
    assert client.get(reverse("improvement:action_detail", args=[999999])).status_code == 404


@pytest.mark.parametrize("name", ["action_create", "plan_create", "log_create"])
def test_employee_gets_403_on_manage_pages(client, employee_a, name):
    client.force_login(employee_a)
    assert client.get(reverse(f"improvement:{name}")).status_code == 403


def test_employee_gets_403_when_posting_a_managers_step_in_own_unit(client, action, employee_a):
    client.force_login(employee_a)
    assert client.post(reverse("improvement:action_cancel", args=[action.pk]), {"cancel-reason": "x"}).status_code == 403


def test_employee_gets_403_on_the_log(client, employee_a):
    client.force_login(employee_a)
    assert client.get(reverse("improvement:log")).status_code == 403


def test_administrator_without_action_rights_gets_403_on_the_list(client, organisation):
    admin = member(Role.ADMINISTRATOR)
    client.force_login(admin)
    assert client.get(reverse("improvement:action_list")).status_code == 403
    assert client.get(reverse("improvement:my_actions")).status_code == 200


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("improvement:my_actions"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_list_shows_only_the_actors_units(client, action, supervisor_b, unit_b):
    other = new_action(supervisor_b, unit_b, supervisor_b, title="Muualla")
    client.force_login(supervisor_b)
    page = html(client.get(reverse("improvement:action_list")))
    assert "Muualla" in page and "Lääkekaapin avaimet" not in page
    assert client.get(reverse("improvement:action_detail", args=[other.pk])).status_code == 200


def test_regional_director_sees_the_regions_actions(client, action, regional_director_a, supervisor_b, unit_b):
    new_action(supervisor_b, unit_b, supervisor_b, title="Muualla")
    client.force_login(regional_director_a)
    page = html(client.get(reverse("improvement:action_list")))
    assert "Lääkekaapin avaimet" in page and "Muualla" not in page


# --- My actions and the list --------------------------------------------------------------------------------------


def test_my_actions_highlights_overdue_and_lists_awaiting_checks(client, supervisor_a, employee_a, unit_a):
    with time_machine.travel(dt.datetime(2026, 3, 2, 10, 0, tzinfo=HELSINKI), tick=False):
        late = new_action(supervisor_a, unit_a, employee_a, title="Myöhässä", due_date=dt.date(2026, 3, 5))
        checked = new_action(
            supervisor_a, unit_a, employee_a, title="Tarkistettava", due_date=dt.date(2026, 3, 20), needs_effectiveness_check=True
        )
        services.action_complete(actor=employee_a, action=checked, note="Tehty")
    with time_machine.travel(dt.datetime(2026, 3, 10, 10, 0, tzinfo=HELSINKI), tick=False):
        client.force_login(employee_a)
        response = client.get(reverse("improvement:my_actions"))
    page = html(response)
    assert [a.pk for a in response.context["open_actions"]] == [late.pk]
    assert [a.pk for a in response.context["awaiting"]] == [checked.pk]
    assert "card--danger" in page and "Overdue" in page
    assert "waiting for the effectiveness check" in page


def test_list_filters_by_state_source_and_overdue(client, supervisor_a, employee_a, unit_a):
    with time_machine.travel(dt.datetime(2026, 3, 2, 10, 0, tzinfo=HELSINKI), tick=False):
        new_action(supervisor_a, unit_a, employee_a, title="Auditoinnista", source_kind="audit", due_date=dt.date(2026, 3, 3))
        new_action(supervisor_a, unit_a, employee_a, title="Palautteesta", source_kind="feedback", due_date=dt.date(2026, 4, 3))
    with time_machine.travel(dt.datetime(2026, 3, 10, 10, 0, tzinfo=HELSINKI), tick=False):
        client.force_login(supervisor_a)
        url = reverse("improvement:action_list")
        assert "Palautteesta" not in html(client.get(url, {"source_kind": "audit", "state": "active"}))
        page = html(client.get(url, {"overdue": "on", "state": "active"}))
        assert "Auditoinnista" in page and "Palautteesta" not in page
        assert "No actions match" in html(client.get(url, {"state": "done"}))


def test_action_list_query_count_stays_flat(client, supervisor_a, employee_a, colleague_a, unit_a, django_assert_max_num_queries):
    for _ in range(3):
        new_action(supervisor_a, unit_a, employee_a)
    client.force_login(supervisor_a)

    def more():
        for i in range(22):
            new_action(supervisor_a, unit_a, colleague_a if i % 2 else employee_a)

    response = reads_flat(client, reverse("improvement:action_list"), more, django_assert_max_num_queries)
    assert len(response.context["page"].object_list) == 20


def test_my_actions_query_count_stays_flat(client, supervisor_a, employee_a, unit_a, django_assert_max_num_queries):
    for _ in range(2):
        new_action(supervisor_a, unit_a, employee_a)
    client.force_login(employee_a)

    def more():
        for _ in range(15):
            services.action_complete(actor=employee_a, action=new_action(supervisor_a, unit_a, employee_a), note="x")
            new_action(supervisor_a, unit_a, employee_a)

    reads_flat(client, reverse("improvement:my_actions"), more, django_assert_max_num_queries)


def test_log_query_count_stays_flat(client, supervisor_a, unit_a, django_assert_max_num_queries):
    for _ in range(3):
        services.log_entry_create(actor=supervisor_a, unit=unit_a, observation="Havainto")
    client.force_login(supervisor_a)

    def more():
        for _ in range(22):
            services.log_entry_create(actor=supervisor_a, unit=unit_a, observation="Havainto")

    response = reads_flat(client, reverse("improvement:log"), more, django_assert_max_num_queries)
    assert len(response.context["page"].object_list) == 20


def test_plan_pages_query_count_stays_flat(client, supervisor_a, employee_a, unit_a, django_assert_max_num_queries):
    plan = services.action_plan_create(actor=supervisor_a, unit=unit_a, year=timezone.localdate().year)
    goal = services.plan_goal_add(actor=supervisor_a, plan=plan, area="quality", description="Tavoite")
    client.force_login(supervisor_a)

    def more():
        for i in range(6):
            g = services.plan_goal_add(actor=supervisor_a, plan=plan, area="quality", description=f"Tavoite {i}", owner=employee_a)
            services.goal_follow_up_record(actor=supervisor_a, goal=g, period=1, status="on_track")
            new_action(supervisor_a, unit_a, employee_a, plan_goal=g)
        new_action(supervisor_a, unit_a, employee_a, plan_goal=goal)

    reads_flat(client, reverse("improvement:plan_detail", args=[plan.pk]), more, django_assert_max_num_queries)


# --- Forms round trip ---------------------------------------------------------------------------------------------


def test_supervisor_creates_an_action_on_the_page(client, supervisor_a, employee_a, unit_a):
    client.force_login(supervisor_a)
    response = client.post(
        reverse("improvement:action_create"),
        {
            "unit": unit_a.pk,
            "title": "Perehdytyskansion päivitys",
            "description": "",
            "owner": employee_a.pk,
            "due_date": in_days(14).isoformat(),
            "kind": "development",
            "source_kind": "audit",
        },
    )
    action = Action.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("improvement:action_detail", args=[action.pk])
    assert (action.owner, action.source_kind, action.kind) == (employee_a, "audit", "development")


def test_create_page_shows_errors_next_to_the_fields(client, supervisor_a, unit_a):
    client.force_login(supervisor_a)
    response = client.post(reverse("improvement:action_create"), {"unit": unit_a.pk, "title": "", "kind": "development"})
    assert response.status_code == 200
    assert "Please check the following" in html(response)
    assert not Action.objects.exists()


def test_create_page_offers_only_the_units_people(client, supervisor_a, employee_a, supervisor_b, unit_a):
    client.force_login(supervisor_a)
    page = html(client.get(reverse("improvement:action_create")))
    assert employee_a.full_name in page and supervisor_b.full_name not in page


def test_owner_completes_on_the_page(client, action, employee_a):
    client.force_login(employee_a)
    response = client.post(reverse("improvement:action_complete", args=[action.pk]), {"complete-note": "Avaimet siirretty"})
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.state == ActionState.DONE


def test_completing_without_a_note_shows_the_error(client, action, employee_a):
    client.force_login(employee_a)
    response = client.post(reverse("improvement:action_complete", args=[action.pk]), {"complete-note": ""})
    assert response.status_code == 400
    assert "The change was not saved" in html(response)


def test_effectiveness_check_on_the_page_reopens_on_no(client, supervisor_a, employee_a, unit_a):
    with time_machine.travel(dt.datetime(2026, 3, 2, 10, 0, tzinfo=HELSINKI), tick=False):
        action = new_action(supervisor_a, unit_a, employee_a, due_date=dt.date(2026, 3, 9), needs_effectiveness_check=True)
        services.action_complete(actor=employee_a, action=action, note="Tehty")
    client.force_login(supervisor_a)
    with time_machine.travel(dt.datetime(2026, 3, 10, 10, 0, tzinfo=HELSINKI), tick=False):
        page = html(client.get(reverse("improvement:action_detail", args=[action.pk])))
        assert "The check can be recorded from 1.4.2026 on." in page
    with time_machine.travel(dt.datetime(2026, 4, 2, 10, 0, tzinfo=HELSINKI), tick=False):
        response = client.post(
            reverse("improvement:action_effectiveness", args=[action.pk]),
            {"effectiveness-result": "no", "effectiveness-evidence": "Uusia ilmoituksia", "effectiveness-new_due_date": "2026-04-30"},
        )
        assert response.status_code == 302
        page = html(client.get(reverse("improvement:action_detail", args=[action.pk])))
    action.refresh_from_db()
    assert (action.state, action.due_date) == (ActionState.OPEN, dt.date(2026, 4, 30))
    assert "Reopened: the action did not work" in page
    assert "Effectiveness checked: No, it did not work" in page


def test_action_from_a_deviation_links_back_to_the_report(client, supervisor_a, employee_a, unit_a):
    deviation = deviation_services.deviation_submit(actor=employee_a, **deviation_kwargs(unit_a)).deviation
    action = deviation_services.deviation_add_action(
        actor=supervisor_a, deviation=deviation, title="Korjaus", owner=employee_a, due_date=in_days(5)
    )
    client.force_login(supervisor_a)
    assert reverse("deviations:detail", args=[deviation.pk]) in html(client.get(reverse("improvement:action_detail", args=[action.pk])))
    # The employee owner is not offered a link to a report they may not read.
    client.force_login(employee_a)
    assert reverse("deviations:detail", args=[deviation.pk]) not in html(
        client.get(reverse("improvement:action_detail", args=[action.pk]))
    )


def test_edit_and_cancel_on_the_page(client, action, supervisor_a, colleague_a):
    client.force_login(supervisor_a)
    response = client.post(
        reverse("improvement:action_edit", args=[action.pk]),
        {"edit-title": "Uusi", "edit-description": "", "edit-owner": colleague_a.pk, "edit-due_date": in_days(30).isoformat()},
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.title, action.owner) == ("Uusi", colleague_a)
    client.post(reverse("improvement:action_cancel", args=[action.pk]), {"cancel-reason": "Päällekkäinen"})
    action.refresh_from_db()
    assert action.state == ActionState.CANCELLED
    assert "Päällekkäinen" in html(client.get(reverse("improvement:action_detail", args=[action.pk])))


# --- Plans and the log --------------------------------------------------------------------------------------------


def test_plan_round_trip(client, supervisor_a, employee_a, unit_a):
    client.force_login(supervisor_a)
    year = timezone.localdate().year
    response = client.post(reverse("improvement:plan_create"), {"unit": unit_a.pk, "year": year, "other_participants": ""})
    plan = ActionPlan.objects.get()
    assert response.status_code == 302
    url = reverse("improvement:plan_detail", args=[plan.pk])
    client.post(
        reverse("improvement:plan_goal_add", args=[plan.pk]),
        {
            "goal-area": "client_experience",
            "goal-description": "Lasten NPS nousee",
            "goal-owner": employee_a.pk,
            "goal-indicator": "NPS 50",
        },
    )
    goal = plan.goals.get()
    response = client.post(
        reverse("improvement:goal_follow_up", args=[plan.pk, goal.pk]),
        {f"follow_up-{goal.pk}-period": 1, f"follow_up-{goal.pk}-status": "on_track", f"follow_up-{goal.pk}-note": "Hyvä alku"},
    )
    assert response.status_code == 302
    client.post(
        reverse("improvement:goal_action_add", args=[plan.pk, goal.pk]),
        {
            f"goal_action-{goal.pk}-title": "Palautekierros",
            f"goal_action-{goal.pk}-owner": employee_a.pk,
            f"goal_action-{goal.pk}-due_date": in_days(20).isoformat(),
        },
    )
    client.post(
        reverse("improvement:plan_participants", args=[plan.pk]),
        {"participants-participants": [employee_a.pk, supervisor_a.pk], "participants-other_participants": "Nuoret"},
    )
    page = html(client.get(url))
    assert "Lasten NPS nousee" in page and "On track" in page and "Palautekierros" in page and "Nuoret" in page
    assert goal.actions.get().kind == "development"
    # An employee of the unit reads the plan but gets no forms.
    client.force_login(employee_a)
    page = html(client.get(url))
    assert "Lasten NPS nousee" in page and "Add a goal" not in page


def test_plan_of_another_unit_is_404_and_the_follow_up_of_a_foreign_goal_too(client, supervisor_a, supervisor_b, unit_a, unit_b):
    plan = services.action_plan_create(actor=supervisor_a, unit=unit_a, year=timezone.localdate().year)
    other = services.action_plan_create(actor=supervisor_b, unit=unit_b, year=timezone.localdate().year)
    other_goal = services.plan_goal_add(actor=supervisor_b, plan=other, area="quality", description="x")
    client.force_login(supervisor_b)
    assert client.get(reverse("improvement:plan_detail", args=[plan.pk])).status_code == 404
    client.force_login(supervisor_a)
    response = client.post(
        reverse("improvement:goal_follow_up", args=[plan.pk, other_goal.pk]),
        {f"follow_up-{other_goal.pk}-period": 1, f"follow_up-{other_goal.pk}-status": "done"},
    )
    assert response.status_code == 404


def test_plan_list_shows_the_units_plans(client, supervisor_a, employee_a, supervisor_b, unit_a, unit_b):
    services.action_plan_create(actor=supervisor_a, unit=unit_a, year=timezone.localdate().year)
    services.action_plan_create(actor=supervisor_b, unit=unit_b, year=timezone.localdate().year)
    client.force_login(employee_a)
    page = html(client.get(reverse("improvement:plan_list")))
    assert unit_a.name in page and unit_b.name not in page


def test_log_round_trip_and_print_button(client, supervisor_a, unit_a):
    client.force_login(supervisor_a)
    response = client.post(
        reverse("improvement:log_create"),
        {
            "unit": unit_a.pk,
            "observed_on": timezone.localdate().isoformat(),
            "observation": "Ovi jäi auki",
            "reaction": "",
            "planned_correction": "Ovipumppu",
        },
    )
    entry = LogEntry.objects.get()
    assert response.status_code == 302
    page = html(client.get(reverse("improvement:log")))
    assert "Ovi jäi auki" in page and "data-print" in page and "No follow-up yet" in page
    response = client.post(reverse("improvement:log_follow_up", args=[entry.pk]), {"follow_up": "Pumppu vaihdettu"})
    assert response.status_code == 302
    assert "Pumppu vaihdettu" in html(client.get(reverse("improvement:log_detail", args=[entry.pk])))


def test_log_filters_by_unit_and_period(client, quality_director, supervisor_a, supervisor_b, unit_a, unit_b):
    services.log_entry_create(actor=supervisor_a, unit=unit_a, observation="Koivussa", observed_on=dt.date(2026, 1, 10))
    services.log_entry_create(actor=supervisor_b, unit=unit_b, observation="Männyssä", observed_on=dt.date(2026, 2, 10))
    client.force_login(quality_director)
    url = reverse("improvement:log")
    page = html(client.get(url, {"unit": unit_a.pk}))
    assert "Koivussa" in page and "Männyssä" not in page
    page = html(client.get(url, {"date_from": "2026-02-01", "date_to": "2026-02-28"}))
    assert "Männyssä" in page and "Koivussa" not in page


def test_log_entry_of_another_unit_is_404_and_readers_get_no_form(client, supervisor_a, supervisor_b, unit_a):
    entry = services.log_entry_create(actor=supervisor_a, unit=unit_a, observation="Havainto")
    client.force_login(supervisor_b)
    assert client.get(reverse("improvement:log_detail", args=[entry.pk])).status_code == 404
    reader = member(Role.REHABILITATION_DIRECTOR)
    client.force_login(reader)
    response = client.get(reverse("improvement:log_detail", args=[entry.pk]))
    assert response.status_code == 200 and "Record the follow-up" not in html(response)
    assert client.post(reverse("improvement:log_follow_up", args=[entry.pk]), {"follow_up": "x"}).status_code == 403
