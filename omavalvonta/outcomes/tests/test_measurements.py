"""A child's measurements: who may see and record them, the access log, the
form's refusals of bad input, goals and their follow-up, the trajectory, and
the due measurements on the home page."""

import datetime as dt
import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from omavalvonta.clients.models import Placement
from omavalvonta.core.models import AccessLogEntry
from omavalvonta.outcomes import selectors, services
from omavalvonta.outcomes.models import Goal, Measurement
from omavalvonta.outcomes.tests.helpers import form_data, record

TODAY = timezone.localdate


def _log_rows(placement, what="outcome.measurements"):
    return AccessLogEntry.objects.filter(
        what=what, target_type=ContentType.objects.get_for_model(Placement), target_id=placement.pk
    )


# --- Who sees what, and the access log ----------------------------------------------------------


def test_staff_see_their_units_child_and_another_units_child_is_404(client, make_placement, employee_a, unit_b, supervisor_b):
    own = make_placement()
    other = make_placement(unit=unit_b, keeper=supervisor_b, name="Mikael V.")
    client.force_login(employee_a)
    for name in ("outcomes:child", "outcomes:measure", "outcomes:goals_print"):
        assert client.get(reverse(name, args=[own.pk])).status_code == 200, name
        assert client.get(reverse(name, args=[other.pk])).status_code == 404, name
    theirs = record(supervisor_b, other, on=other.starts_on)
    assert client.get(reverse("outcomes:goals", args=[theirs.pk])).status_code == 404
    with pytest.raises(PermissionDenied):
        record(employee_a, other, on=other.starts_on)


def test_a_director_counting_children_sees_no_measurements(client, make_placement, regional_director_a):
    child = make_placement()
    client.force_login(regional_director_a)
    assert client.get(reverse("outcomes:child", args=[child.pk])).status_code == 403


def test_every_read_of_a_childs_measurements_leaves_an_access_log_row(client, make_placement, employee_a):
    child = make_placement()
    client.force_login(employee_a)
    client.get(reverse("outcomes:child", args=[child.pk]))
    client.get(reverse("outcomes:measure", args=[child.pk]))
    assert _log_rows(child).count() == 2
    # The child's page shows the trajectory too: its one row names the child.
    page = client.get(reverse("clients:detail", args=[child.pk])).content.decode()
    assert 'data-panel="outcomes"' in page
    assert _log_rows(child, "placement.detail").count() == 1 and _log_rows(child).count() == 2
    client.get(reverse("outcomes:goals_print", args=[child.pk]))
    assert _log_rows(child, "outcome.goals").count() == 1
    assert {r.actor_id for r in _log_rows(child)} == {employee_a.pk}


# --- Recording a measurement ---------------------------------------------------------------------


def test_a_worker_records_the_childs_and_the_workers_answers_and_agrees_goals(client, make_placement, employee_a):
    child = make_placement()
    version = selectors.current_version()
    client.force_login(employee_a)
    data = form_data(version, measured_on=TODAY().isoformat())
    low = version.items.get(domain="school_or_work")
    data[f"child_{low.pk}"], data[f"worker_{low.pk}"] = "2", "3"
    response = client.post(reverse("outcomes:measure", args=[child.pk]), data)
    measurement = Measurement.objects.get(placement=child)
    assert response.status_code == 302 and response.url == reverse("outcomes:goals", args=[measurement.pk])
    assert measurement.answers.get(item=low).child_score == 2
    assert measurement.answers.count() == 8
    page = client.get(response.url).content.decode()
    assert "School or work" in page.split("Proposed domains")[1].split("</p>")[0]
    response = client.post(
        response.url,
        {
            "goal_0_domain": str(low.pk), "goal_0_text": "Käyn koulussa joka päivä",
            "goal_1_domain": str(version.items.get(domain="relationships").pk), "goal_1_text": "Soitan mummulle",
            "goal_2_domain": "", "goal_2_text": "",
        },
    )
    assert response.status_code == 302
    assert list(Goal.objects.filter(placement=child).values_list("text", flat=True)) == [
        "Käyn koulussa joka päivä", "Soitan mummulle",
    ]
    page = client.get(reverse("outcomes:child", args=[child.pk])).content.decode()
    assert "Käyn koulussa joka päivä" in page and "<svg" in page and 'data-domain="school_or_work"' in page


def test_bad_input_gives_clear_messages_and_keeps_what_was_typed(client, make_placement, employee_a):
    child = make_placement()
    version = selectors.current_version()
    first = version.items.first()
    client.force_login(employee_a)
    data = form_data(version, worker=None, measured_on=(TODAY() + dt.timedelta(days=3)).isoformat())
    data[f"child_{first.pk}"] = "11"  # not on the scale (a tampered form)
    data["reason"] = "Lapsi halusi vastata itse"
    response = client.post(reverse("outcomes:measure", args=[child.pk]), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Lapsi halusi vastata itse" in page
    assert "Select a valid choice" in page or "Choose a number" in page
    # The scale with the bad value is marked invalid for a screen reader; the others are not.
    assert re.search(rf'name="child_{first.pk}" value="0" id="id_child_{first.pk}_0" aria-invalid="true">', page)
    assert 'aria-invalid="true"' not in page.split(f'name="worker_{first.pk}"')[1].split("</fieldset>")[0]
    # The form's own checks passed for a good score: the service's messages show.
    data[f"child_{first.pk}"] = "4"
    page = client.post(reverse("outcomes:measure", args=[child.pk]), data).content.decode()
    assert "The date cannot be in the future." in page
    assert "the worker" in page.lower()
    # The chosen score stays chosen.
    assert re.search(rf'name="child_{first.pk}" value="4"[^>]*checked', page)
    assert not Measurement.objects.exists()


def test_the_messages_are_in_finnish_for_a_finnish_user(client, make_placement, employee_a):
    from django.utils import translation

    child = make_placement()
    client.force_login(employee_a)
    with translation.override("fi"):
        page = client.post(
            reverse("outcomes:measure", args=[child.pk]),
            {"measured_on": TODAY().isoformat(), "status": "declined", "reason": ""},
            HTTP_ACCEPT_LANGUAGE="fi",
        ).content.decode()
    assert "Kerro, miksi mittausta ei voitu tehdä." in page


def test_declined_needs_a_reason_and_counts_as_handled(make_placement, employee_a):
    child = make_placement(starts_on=TODAY() - dt.timedelta(days=10))
    version = selectors.current_version()
    with pytest.raises(ValidationError) as error:
        services.measurement_record(
            actor=employee_a, placement=child, version=version, measured_on=TODAY(), status="declined", reason=" "
        )
    assert "reason" in error.value.message_dict
    services.measurement_record(
        actor=employee_a, placement=child, version=version, measured_on=TODAY(), status="declined",
        reason="Ei halunnut tänään",
    )
    assert selectors.measurement_home_items(actor=employee_a, today=TODAY()) is None


def test_goals_are_one_to_three_and_followed_up_at_the_next_measurement(make_placement, employee_a):
    child = make_placement(starts_on=TODAY() - dt.timedelta(days=120))
    first = record(employee_a, child, on=TODAY() - dt.timedelta(days=100))
    item = first.version.items.first()
    with pytest.raises(ValidationError, match="at least one goal"):
        services.goals_agree(actor=employee_a, measurement=first, goals=[(None, "")])
    with pytest.raises(ValidationError, match="At most 3 goals"):
        services.goals_agree(actor=employee_a, measurement=first, goals=[(item.pk, f"Tavoite {n}") for n in range(4)])
    goal = services.goals_agree(actor=employee_a, measurement=first, goals=[(item.pk, "Herään itse kello seitsemän")])[0]
    with pytest.raises(ValidationError) as error:
        record(employee_a, child, on=TODAY())
    assert f"followup_{goal.pk}" in error.value.message_dict
    second = record(employee_a, child, on=TODAY(), follow_ups={goal.pk: "progressing"})
    goal.refresh_from_db()
    assert goal.follow_up == "progressing" and goal.followed_up_in == second


def test_an_ended_placement_takes_no_measurement(client, make_placement, employee_a):
    child = make_placement(starts_on=TODAY() - dt.timedelta(days=200))
    Placement.objects.filter(pk=child.pk).update(ends_on=TODAY() - dt.timedelta(days=1))
    child.refresh_from_db()
    with pytest.raises(ValidationError, match="ended"):
        record(employee_a, child, on=TODAY() - dt.timedelta(days=3))
    client.force_login(employee_a)
    assert client.get(reverse("outcomes:measure", args=[child.pk])).status_code == 302


# --- The trajectory ------------------------------------------------------------------------------


def test_the_trajectory_plots_each_domain_for_the_child_and_the_worker(make_placement, employee_a):
    child = make_placement(starts_on=TODAY() - dt.timedelta(days=200))
    record(employee_a, child, on=TODAY() - dt.timedelta(days=190), scores={"safety": (3, 4)})
    record(employee_a, child, on=TODAY() - dt.timedelta(days=95), scores={"safety": (None, 7)})
    charts = {c.domain: c for c in selectors.trajectory(selectors.measurements_of(child))}
    assert len(charts) == 8
    safety = charts["safety"]
    assert safety.summary_child == "3" and safety.summary_worker == "4 → 7"
    assert len(safety.child_points.split()) == 1 and len(safety.worker_points.split()) == 2


# --- The home page -------------------------------------------------------------------------------


def test_due_and_late_measurements_are_on_the_workers_and_supervisors_home(
    client, make_placement, employee_a, supervisor_a, supervisor_b, unit_b
):
    late = make_placement(name="Late L.", starts_on=TODAY() - dt.timedelta(days=40))
    due = make_placement(name="Due D.", starts_on=TODAY() - dt.timedelta(days=3))
    done = make_placement(name="Done D.", starts_on=TODAY() - dt.timedelta(days=3))
    record(employee_a, done, on=TODAY())
    make_placement(unit=unit_b, keeper=supervisor_b, name="Other O.", starts_on=TODAY() - dt.timedelta(days=3))
    for user in (employee_a, supervisor_a):
        client.force_login(user)
        page = client.get(reverse("home")).content.decode()
        block = page.split('data-block="measurements"')[1].split("</section>")[0]
        assert "Late L." in block and "Due D." in block
        assert "Done D." not in block and "Other O." not in block
        assert block.index("Late L.") < block.index("Due D.")
        assert "1 measurement is late." in block
        assert reverse("outcomes:child", args=[late.pk]) in block and reverse("outcomes:child", args=[due.pk]) in block


def test_home_query_count_does_not_grow_with_children(client, make_placement, employee_a, django_assert_max_num_queries):
    def count():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("home")).status_code == 200
        return len(ctx.captured_queries)

    make_placement(name="A. A.", starts_on=TODAY() - dt.timedelta(days=40))
    client.force_login(employee_a)
    count()  # warm the caches
    few = count()
    for n in range(6):
        child = make_placement(name=f"Lapsi {n}", starts_on=TODAY() - dt.timedelta(days=40 + n * 30))
        if n % 2:
            record(employee_a, child, on=TODAY() - dt.timedelta(days=5))
    assert count() == few


def test_the_goals_page_refuses_bad_input_and_keeps_what_was_typed(client, make_placement, employee_a):
    child = make_placement()
    measurement = record(employee_a, child, on=child.starts_on)
    url = reverse("outcomes:goals", args=[measurement.pk])
    client.force_login(employee_a)
    response = client.post(url, {"goal_0_domain": "", "goal_0_text": "", "goal_1_domain": "", "goal_1_text": ""})
    assert response.status_code == 200 and "Write at least one goal." in response.content.decode()
    typed = "Harjoittelen " + "pitkää tavoitetta " * 10
    response = client.post(url, {"goal_0_domain": "999999", "goal_0_text": typed})
    page = response.content.decode()
    assert response.status_code == 200 and typed.strip() in page
    response = client.post(url, {"goal_0_domain": "", "goal_0_text": "Syön aamupalan"})
    assert "Choose the domain of the goal." in response.content.decode()
    assert not Goal.objects.exists()


def test_the_units_meeting_agenda_counts_the_measurements_due_without_names(make_placement, employee_a, supervisor_a, unit_a):
    from omavalvonta.meetings.tests.helpers import team_meeting

    make_placement(name="Late L.", starts_on=TODAY() - dt.timedelta(days=40))
    make_placement(name="Due D.", starts_on=TODAY() - dt.timedelta(days=3))
    done = make_placement(name="Done D.", starts_on=TODAY() - dt.timedelta(days=3))
    record(employee_a, done, on=TODAY())
    meeting = team_meeting(supervisor_a, unit_a)
    [item] = [i for i in meeting.items.all() if "Functional-capacity" in i.title]
    assert item.title == "Functional-capacity measurements: 2 children due"
    assert item.note == "1 of them late"
    assert "Late L." not in item.title + item.note


def test_the_childs_page_query_count_does_not_grow_with_measurements(client, make_placement, employee_a):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    child = make_placement(starts_on=TODAY() - dt.timedelta(days=800))
    client.force_login(employee_a)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("outcomes:child", args=[child.pk])).status_code == 200
        return len(ctx.captured_queries)

    first = record(employee_a, child, on=child.starts_on)
    goal = services.goals_agree(actor=employee_a, measurement=first, goals=[(first.version.items.first().pk, "Herään itse")])[0]
    count()
    few = count()
    assert few <= 9  # the measurements with their answers in one query, the goals in one (10 before)
    for n in range(1, 6):
        m = record(employee_a, child, on=child.starts_on + dt.timedelta(days=91 * n), follow_ups={goal.pk: "progressing"})
        goal = services.goals_agree(actor=employee_a, measurement=m, goals=[(m.version.items.last().pk, f"Tavoite {n}")])[0]
    assert count() == few


def test_a_child_answers_the_items_written_for_their_age(client, make_placement, employee_a, rehab_director):
    version = selectors.current_version()
    draft = services.version_draft_create(actor=rehab_director, version=version)
    teen = draft.items.get(domain="independence")
    fields = {f: getattr(teen, f) for f in ("domain_fi", "child_fi", "worker_fi")}
    services.item_update(actor=rehab_director, item=teen, age_min=13, age_max=25, **fields)
    services.version_publish(actor=rehab_director, version=draft)
    child = make_placement(birth_year=TODAY().year - 9)
    client.force_login(employee_a)
    page = client.get(reverse("outcomes:measure", args=[child.pk])).content.decode()
    assert 'data-domain="safety"' in page and 'data-domain="independence"' not in page
    data = form_data(draft, measured_on=TODAY().isoformat())
    data = {k: v for k, v in data.items() if not k.endswith(f"_{teen.pk}")}
    response = client.post(reverse("outcomes:measure", args=[child.pk]), data)
    assert response.status_code == 302
    assert Measurement.objects.get().answers.count() == 7


def test_goals_are_agreed_after_the_latest_measurement_only(client, make_placement, employee_a):
    child = make_placement(starts_on=TODAY() - dt.timedelta(days=120))
    old = record(employee_a, child, on=TODAY() - dt.timedelta(days=100))
    record(employee_a, child, on=TODAY())
    item = old.version.items.first()
    with pytest.raises(ValidationError, match="latest measurement"):
        services.goals_agree(actor=employee_a, measurement=old, goals=[(item.pk, "Myöhässä sovittu")])
    client.force_login(employee_a)
    assert client.get(reverse("outcomes:goals", args=[old.pk])).status_code == 302


# --- The form's buttons written in Python write what Django's templates write --------------------


@pytest.mark.parametrize("data", [None, {}, {"pick": "b&\"<"}, {"pick": "zz"}])
def test_the_quick_radio_buttons_are_djangos_buttons(data):
    """core.widgets.QuickRadioSelect writes each button itself (the measurement form's
    status and follow-ups): the same HTML as RadioSelect's templates, checked,
    required, invalid or with characters to escape."""
    from django import forms

    from omavalvonta.core.widgets import QuickRadioSelect

    choices = [("a", "Yksi"), ('b&"<', "Kaksi <b>"), ("", "Ei mitään")]

    def page(widget):
        class Form(forms.Form):
            pick = forms.ChoiceField(label="Valinta", choices=choices, widget=widget)
            maybe = forms.ChoiceField(label="Ehkä", choices=choices, widget=widget, required=False)

        form = Form(data) if data is not None else Form(initial={"maybe": "a"})
        if data is not None:
            form.is_valid()
        return [[(str(radio.tag()), radio.id_for_label, str(radio.choice_label)) for radio in form[name]] for name in ("pick", "maybe")]

    quick, django_s = page(QuickRadioSelect), page(forms.RadioSelect)
    assert quick == django_s
    assert any("checked" in tag for field in quick for tag, _id, _label in field) or data == {}
