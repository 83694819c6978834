"""Findings steer the action plan (issue 21 item 5): a deviation, an audit finding,
a complaint or feedback is linked to a goal of its unit's action plan, or starts
one, and the plan's follow-up shows what prompted each goal."""

import datetime as dt
import importlib

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from omavalvonta.core import registry
from omavalvonta.core.models import AuditEvent
from omavalvonta.deviations.services import deviation_submit
from omavalvonta.improvement import services
from omavalvonta.improvement.models import Action, GoalPrompt, SourceKind
from omavalvonta.organisation.models import Role
from omavalvonta.testing.factories import deviation_kwargs, member

pytestmark = pytest.mark.usefixtures("english_texts")


@pytest.fixture
def goal(plan, supervisor_a):
    return services.plan_goal_add(actor=supervisor_a, plan=plan, area="quality", description="Lääkehoito on turvallista")


@pytest.fixture
def deviation(employee_a, supervisor_a, unit_a):
    return deviation_submit(actor=employee_a, **deviation_kwargs(unit_a, kind="medication", medication_stage="giving")).deviation


def _audit_finding(unit, actor):
    from omavalvonta.audits import services as audit_services

    audit = audit_services.audit_create(
        actor=actor, unit=unit, kind="internal", held_on=timezone.localdate() - dt.timedelta(days=3), auditor="Auli Auditoija"
    )
    return audit_services.finding_add(actor=actor, audit=audit, kind="nonconformity", text="Lääkekaappi oli auki.")


def _complaint(unit, actor):
    from omavalvonta.complaints.services import complaint_register

    return complaint_register(
        actor=actor, unit=unit, received_on=timezone.localdate(), received_via="letter", complainant_kind="guardian",
        complainant_name="Maija Muistuttaja", subject="Aino ei saanut lääkkeitään.",
    )


def _feedback(unit):
    from omavalvonta.feedback.channel import public_feedback_submit

    result = public_feedback_submit(unit=unit, message="Iltaisin on levotonta.", sender_name="Pekka")
    return result[0] if isinstance(result, tuple) else result


def page(ref):
    return f"{reverse('improvement:goal_prompt')}?lahde={ref}"


# --- The scenario: a goal started from a deviation shows it on the follow-up --------------------------------


def test_a_goal_started_from_a_deviation_shows_it_on_the_plans_follow_up(client, plan, supervisor_a, deviation):
    client.force_login(supervisor_a)
    assert client.get(reverse("deviations:detail", args=[deviation.pk])).content.decode().count("data-steer-plan") == 1
    response = client.get(page(f"deviation:{deviation.pk}"))
    assert response.status_code == 200
    assert deviation.number in response.content.decode()

    response = client.post(
        reverse("improvement:goal_prompt"),
        {
            "lahde": f"deviation:{deviation.pk}", "intent": "start", "start-plan": plan.pk, "start-area": "quality",
            "start-description": "Lääkkeet annetaan aina kaksoistarkistettuina", "start-measures": "", "start-owner": "",
            "start-indicator": "",
        },
    )
    assert response.status_code == 302
    [prompt] = GoalPrompt.objects.all()
    assert prompt.goal.plan == plan and prompt.started_goal and prompt.source_kind == SourceKind.DEVIATION
    assert response["Location"].endswith(f"#goal-{prompt.goal_id}")

    html = client.get(reverse("improvement:plan_detail", args=[plan.pk])).content.decode()
    assert "What prompted the goal" in html
    assert f"report {deviation.number}" in html
    assert reverse("deviations:detail", args=[deviation.pk]) in html
    assert AuditEvent.objects.filter(verb="action_plan.goal_prompt_added", target_id=plan.pk).exists()


def test_the_label_names_no_child_and_no_reporter(plan, supervisor_a, employee_a, deviation, goal):
    prompt = _link(supervisor_a, goal, "deviation", deviation.pk)
    assert employee_a.full_name not in prompt.label
    assert deviation.description not in prompt.label


def _link(actor, goal, kind, pk):
    entry = registry.get(registry.GOAL_PROMPTS, kind)
    found = entry.func(actor=actor, ref=pk)
    return services.goal_prompt_link(actor=actor, goal=goal, source=found["record"], source_kind=kind, label=found["label"])


def test_an_audit_finding_a_complaint_and_feedback_steer_an_approved_plans_goal(
    client, plan, goal, supervisor_a, responsible_a, unit_a
):
    services.action_plan_approve(actor=responsible_a, plan=plan)
    finding = _audit_finding(unit_a, supervisor_a)
    complaint = _complaint(unit_a, supervisor_a)
    feedback = _feedback(unit_a)
    client.force_login(supervisor_a)
    for ref in (f"audit:{finding.pk}", f"complaint:{complaint.pk}", f"feedback:{feedback.pk}"):
        response = client.post(reverse("improvement:goal_prompt"), {"lahde": ref, "intent": "link", "link-goal": goal.pk})
        assert response.status_code == 302, ref

    assert sorted(GoalPrompt.objects.values_list("source_kind", flat=True)) == ["audit", "complaint", "feedback"]
    html = client.get(reverse("improvement:plan_detail", args=[plan.pk])).content.decode()
    assert f"#finding-{finding.pk}" in html
    assert reverse("complaints:detail", args=[complaint.pk]) in html
    assert reverse("feedback:public_detail", args=[feedback.pk]) in html
    # The complainant's and sender's names stay on their own pages.
    assert "Maija Muistuttaja" not in html and "Pekka" not in html
    # The record's page knows where it steers.
    assert "Already steers" in client.get(page(f"audit:{finding.pk}")).content.decode()


def test_the_area_pages_offer_the_link_only_to_those_who_manage_the_plan(client, supervisor_a, unit_a, deviation):
    finding = _audit_finding(unit_a, supervisor_a)
    complaint = _complaint(unit_a, supervisor_a)
    feedback = _feedback(unit_a)
    urls = [
        reverse("audits:audit", args=[finding.audit_id]),
        reverse("complaints:detail", args=[complaint.pk]),
        reverse("feedback:public_detail", args=[feedback.pk]),
        reverse("deviations:detail", args=[deviation.pk]),
    ]
    client.force_login(supervisor_a)
    for url in urls:
        assert "data-steer-plan" in client.get(url).content.decode(), url
    director = member(Role.REHABILITATION_DIRECTOR)  # reads the reports, manages no plan
    client.force_login(director)
    assert "data-steer-plan" not in client.get(urls[3]).content.decode()


# --- Refusals ---------------------------------------------------------------------------------------------


def test_linking_another_units_record_is_refused(goal, supervisor_b, unit_b, region_a, unit_a):
    other = deviation_submit(actor=supervisor_b, **deviation_kwargs(unit_b)).deviation
    director = member(Role.QUALITY_DIRECTOR)  # sees both units and manages both plans
    with pytest.raises(ValidationError) as error:
        _link(director, goal, "deviation", other.pk)
    assert "another unit" in str(error.value)
    assert not GoalPrompt.objects.exists()


def test_another_units_record_is_not_found_on_the_page(client, supervisor_a, supervisor_b, unit_b, plan):
    other = deviation_submit(actor=supervisor_b, **deviation_kwargs(unit_b)).deviation
    client.force_login(supervisor_a)
    assert client.get(page(f"deviation:{other.pk}")).status_code == 404
    response = client.post(
        reverse("improvement:goal_prompt"),
        {"lahde": f"deviation:{other.pk}", "intent": "start", "start-plan": plan.pk, "start-area": "quality",
         "start-description": "Ei saa onnistua"},
    )
    assert response.status_code == 404
    assert plan.goals.count() == 0


def test_staff_without_the_plan_right_get_403(client, employee_a, deviation):
    client.force_login(employee_a)
    assert client.get(page(f"deviation:{deviation.pk}")).status_code == 403


def test_a_reader_who_may_not_manage_the_units_plan_gets_403(client, deviation, unit_a):
    reader = member(Role.MANAGEMENT_GROUP)  # reads every report, manages no plan
    client.force_login(reader)
    assert client.get(page(f"deviation:{deviation.pk}")).status_code == 403


def test_the_service_refuses_an_actor_without_action_manage(goal, deviation, employee_a):
    with pytest.raises(PermissionDenied):
        services.goal_prompt_link(
            actor=employee_a, goal=goal, source=deviation, source_kind="deviation", label="Poikkeama"
        )


def test_a_kind_limited_reader_cannot_open_another_kinds_record(deviation, organisation):
    hr = member(Role.HR_DIRECTOR)
    assert registry.get(registry.GOAL_PROMPTS, "deviation").func(actor=hr, ref=deviation.pk) is None


@pytest.mark.parametrize("ref", ["", "deviation", "deviation:x", "deviation:-1", "gossip:1", "deviation:999999"])
def test_a_bad_reference_is_404(client, supervisor_a, ref):
    client.force_login(supervisor_a)
    assert client.get(page(ref)).status_code == 404


def test_linking_twice_is_refused_with_a_message(client, supervisor_a, goal, deviation):
    client.force_login(supervisor_a)
    data = {"lahde": f"deviation:{deviation.pk}", "intent": "link", "link-goal": goal.pk}
    assert client.post(reverse("improvement:goal_prompt"), data).status_code == 302
    response = client.post(reverse("improvement:goal_prompt"), data)
    assert response.status_code == 400
    assert "already linked" in response.content.decode()
    assert GoalPrompt.objects.count() == 1


def test_no_goal_chosen_is_a_400_with_a_message(client, supervisor_a, goal, deviation):
    client.force_login(supervisor_a)
    response = client.post(reverse("improvement:goal_prompt"), {"lahde": f"deviation:{deviation.pk}", "intent": "link"})
    assert response.status_code == 400
    assert "This field is required" in response.content.decode()


def test_a_goal_of_another_units_plan_cannot_be_chosen(client, supervisor_a, supervisor_b, unit_b, deviation):
    other_plan = services.action_plan_create(actor=supervisor_b, unit=unit_b, year=timezone.localdate().year)
    other_goal = services.plan_goal_add(actor=supervisor_b, plan=other_plan, area="quality", description="B:n tavoite")
    client.force_login(supervisor_a)
    response = client.post(
        reverse("improvement:goal_prompt"), {"lahde": f"deviation:{deviation.pk}", "intent": "link", "link-goal": other_goal.pk}
    )
    assert response.status_code == 400
    assert not GoalPrompt.objects.exists()


def test_a_goal_without_a_description_keeps_the_typed_text(client, supervisor_a, plan, deviation):
    client.force_login(supervisor_a)
    response = client.post(
        reverse("improvement:goal_prompt"),
        {"lahde": f"deviation:{deviation.pk}", "intent": "start", "start-plan": plan.pk, "start-area": "quality",
         "start-description": "", "start-measures": "Kaksoistarkistus joka ilta"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Kaksoistarkistus joka ilta" in html
    assert plan.goals.count() == 0 and not GoalPrompt.objects.exists()


def test_an_approved_plan_takes_no_new_goal(client, supervisor_a, responsible_a, plan, goal, deviation):
    services.action_plan_approve(actor=responsible_a, plan=plan)
    with pytest.raises(ValidationError):
        services.plan_goal_start_from(
            actor=supervisor_a, plan=plan, source=deviation, source_kind="deviation", label="P", area="quality",
            description="Uusi",
        )
    assert not GoalPrompt.objects.exists() and plan.goals.count() == 1
    client.force_login(supervisor_a)
    html = client.get(page(f"deviation:{deviation.pk}")).content.decode()
    assert "The unit's action plans are approved" in html


def test_a_unit_without_a_plan_is_told_to_start_one(client, supervisor_a, deviation):
    client.force_login(supervisor_a)
    html = client.get(page(f"deviation:{deviation.pk}")).content.decode()
    assert "no action plan for this year" in html
    assert reverse("improvement:plan_create") in html


def test_a_destroyed_record_leaves_its_label_without_a_link(client, supervisor_a, plan, goal, deviation):
    prompt = _link(supervisor_a, goal, "deviation", deviation.pk)
    for entry in registry.entries(registry.RECORD_DESTROYED):
        entry.func(model_label="deviations.deviation", ids=[deviation.pk])
    prompt.refresh_from_db()
    assert prompt.source_id is None and prompt.label
    client.force_login(supervisor_a)
    html = client.get(reverse("improvement:plan_detail", args=[plan.pk])).content.decode()
    assert prompt.label in html
    assert reverse("deviations:detail", args=[deviation.pk]) not in html


def test_removing_a_prompt_keeps_the_goal(supervisor_a, goal, deviation):
    prompt = _link(supervisor_a, goal, "deviation", deviation.pk)
    services.goal_prompt_remove(actor=supervisor_a, prompt=prompt)
    assert not GoalPrompt.objects.exists()
    goal.refresh_from_db()


def test_the_plan_page_removes_a_link_for_those_who_keep_the_plan(client, supervisor_a, employee_a, goal, plan,
                                                                   deviation, unit_b):
    prompt = _link(supervisor_a, goal, "deviation", deviation.pk)
    url = reverse("improvement:goal_prompt_remove", args=[prompt.pk])
    client.force_login(employee_a)
    assert url not in client.get(reverse("improvement:plan_detail", args=[plan.pk])).content.decode()
    assert client.post(url).status_code == 403  # reads the plan, does not keep it
    client.force_login(member(Role.SUPERVISOR, unit=unit_b))
    assert client.post(url).status_code == 404  # another unit's
    client.force_login(supervisor_a)
    assert client.get(url).status_code == 405
    page_html = client.get(reverse("improvement:plan_detail", args=[plan.pk])).content.decode()
    assert f'action="{url}"' in page_html and "Remove the link" in page_html
    response = client.post(url)
    assert response.status_code == 302 and response["Location"].endswith(f"#goal-{goal.pk}")
    assert not GoalPrompt.objects.exists()
    assert AuditEvent.objects.filter(verb="action_plan.goal_prompt_removed").count() == 1
    goal.refresh_from_db()  # the goal stays
    assert client.post(url).status_code == 404  # already gone


# --- The complaint is its own kind of source ----------------------------------------------------------------


def test_a_complaints_action_is_of_the_kind_complaint(supervisor_a, employee_a, unit_a):
    from omavalvonta.complaints.services import complaint_action_create

    complaint = _complaint(unit_a, supervisor_a)
    action = complaint_action_create(
        actor=supervisor_a, complaint=complaint, title="Ohje iltalääkkeistä", owner=employee_a,
        due_date=timezone.localdate() + dt.timedelta(days=14),
    )
    assert action.source_kind == SourceKind.COMPLAINT


def test_the_data_migration_moves_complaints_actions_from_feedback(supervisor_a, employee_a, unit_a):
    from omavalvonta.complaints.services import complaint_action_create

    complaint = _complaint(unit_a, supervisor_a)
    action = complaint_action_create(
        actor=supervisor_a, complaint=complaint, title="Ohje", owner=employee_a,
        due_date=timezone.localdate() + dt.timedelta(days=14),
    )
    plain = services.action_create(
        actor=supervisor_a, unit=unit_a, title="Palautteesta", owner=employee_a,
        due_date=timezone.localdate() + dt.timedelta(days=14), source_kind="feedback",
    )
    Action.objects.filter(pk=action.pk).update(source_kind="feedback")  # as recorded before
    migration = importlib.import_module("omavalvonta.improvement.migrations.0008_goal_prompts_and_complaint_source")
    migration.complaints_are_their_own_source(django_apps, None)
    assert Action.objects.get(pk=action.pk).source_kind == "complaint"
    assert Action.objects.get(pk=plain.pk).source_kind == "feedback"


# --- Queries ------------------------------------------------------------------------------------------------


def test_the_plan_page_does_not_grow_with_prompts(client, supervisor_a, plan, unit_a, employee_a, django_assert_max_num_queries):
    first = services.plan_goal_add(actor=supervisor_a, plan=plan, area="quality", description="Eka")
    _link(supervisor_a, first, "deviation", deviation_submit(actor=employee_a, **deviation_kwargs(unit_a)).deviation.pk)
    _link(supervisor_a, first, "audit", _audit_finding(unit_a, supervisor_a).pk)
    client.force_login(supervisor_a)
    url = reverse("improvement:plan_detail", args=[plan.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for i in range(4):
        goal = services.plan_goal_add(actor=supervisor_a, plan=plan, area="quality", description=f"Tavoite {i}")
        _link(supervisor_a, goal, "deviation", deviation_submit(actor=employee_a, **deviation_kwargs(unit_a)).deviation.pk)
        _link(supervisor_a, goal, "audit", _audit_finding(unit_a, supervisor_a).pk)
        _link(supervisor_a, goal, "complaint", _complaint(unit_a, supervisor_a).pk)
    with django_assert_max_num_queries(len(few) + 1):
        # + 1: the complaints' kind appears (one lookup of its links at most: none for complaints).
        assert client.get(url).status_code == 200


def test_the_link_page_reads_a_fixed_number_of_queries(client, supervisor_a, plan, deviation, django_assert_max_num_queries):
    client.force_login(supervisor_a)
    client.get(page(f"deviation:{deviation.pk}"))
    with CaptureQueriesContext(connection) as few:
        client.get(page(f"deviation:{deviation.pk}"))
    for i in range(5):
        services.plan_goal_add(actor=supervisor_a, plan=plan, area="quality", description=f"Tavoite {i}")
    with django_assert_max_num_queries(len(few)):
        assert client.get(page(f"deviation:{deviation.pk}")).status_code == 200
