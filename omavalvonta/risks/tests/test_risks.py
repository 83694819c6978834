"""The risk register: the same matrix as deviations, assessment sessions with
actions, deviations tied to risks both ways, and the pages' access."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from omavalvonta.deviations.services import deviation_submit
from omavalvonta.improvement.models import Action
from omavalvonta.organisation.risk import risk_level_for
from omavalvonta.risks import services
from omavalvonta.risks.models import Risk, RiskDeviationLink
from omavalvonta.testing.factories import deviation_kwargs

pytestmark = pytest.mark.django_db


def make_risk(actor, unit, **overrides):
    data = {
        "category": "client_safety",
        "title": "Karkaaminen yöllä",
        "likelihood": 3,
        "consequence": 3,
        "controls": "Yövalvonta, ovihälyttimet",
    }
    data.update(overrides)
    return services.risk_create(actor=actor, unit=unit, **data)


def test_the_level_comes_from_the_organisations_matrix(supervisor_a, unit_a, organisation):
    organisation.risk_matrix[3][2] = "very_high"
    organisation.save()
    unit_a.region.organisation.refresh_from_db()
    risk = make_risk(supervisor_a, unit_a)
    assert risk.level == "very_high" == risk_level_for(organisation.risk_matrix, 3, 3)


def test_changing_the_scores_looks_the_level_up_again(supervisor_a, unit_a):
    risk = make_risk(supervisor_a, unit_a, likelihood=1, consequence=1)
    assert risk.level == "low"
    services.risk_update(actor=supervisor_a, risk=risk, category="client_safety", title=risk.title, likelihood=5, consequence=4)
    assert risk.level == "very_high"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [({"title": " "}, "title"), ({"category": "x"}, "category"), ({"likelihood": 6}, "likelihood"),
     ({"consequence": 9}, "consequence"), ({"likelihood": True}, "likelihood"),
     ({"next_review": dt.date(2000, 1, 1)}, "next_review")],
)
def test_bad_risk_input_is_refused(supervisor_a, unit_a, overrides, field):
    with pytest.raises(ValidationError) as exc:
        make_risk(supervisor_a, unit_a, **overrides)
    assert field in exc.value.error_dict
    assert not Risk.objects.exists()


def test_the_owner_must_be_of_the_unit(supervisor_a, supervisor_b, unit_a):
    with pytest.raises(ValidationError):
        make_risk(supervisor_a, unit_a, owner=supervisor_b)


def test_an_employee_and_another_units_supervisor_cannot_add_risks(employee_a, supervisor_b, unit_a):
    for actor in (employee_a, supervisor_b):
        with pytest.raises(PermissionDenied):
            make_risk(actor, unit_a)


def test_an_assessment_records_the_reviewed_risks_and_its_actions(supervisor_a, employee_a, unit_a):
    risk = make_risk(supervisor_a, unit_a)
    a = services.risk_assessment_create(
        actor=supervisor_a, unit=unit_a, held_on=dt.date.today(), participants=[supervisor_a, employee_a],
        risks=[risk], next_review=dt.date.today() + dt.timedelta(days=365),
    )
    risk.refresh_from_db()
    assert risk.next_review == dt.date.today() + dt.timedelta(days=365)
    action = services.risk_assessment_action_create(
        actor=supervisor_a, assessment=a, title="Ovihälytinten testaus kuukausittain", owner=supervisor_a,
        due_date=dt.date.today() + dt.timedelta(days=30),
    )
    assert action.source_id == a.pk and action.source_kind == "risk"
    assert Action.objects.count() == 1


def test_an_assessment_needs_participants_and_a_past_date(supervisor_a, unit_a, supervisor_b, unit_b):
    other_risk = make_risk(supervisor_b, unit_b)
    with pytest.raises(ValidationError) as exc:
        services.risk_assessment_create(
            actor=supervisor_a, unit=unit_a, held_on=dt.date.today() + dt.timedelta(days=3), risks=[other_risk]
        )
    assert {"held_on", "participants", "risks"} <= set(exc.value.error_dict)


def test_a_deviation_tied_to_a_risk_shows_on_both_pages(client, supervisor_a, colleague_a, unit_a):
    risk = make_risk(supervisor_a, unit_a)
    deviation = deviation_submit(actor=colleague_a, **deviation_kwargs(unit_a)).deviation
    client.force_login(supervisor_a)
    response = client.post(reverse("risks:deviation_link", args=[deviation.pk]), {"risk": risk.pk})
    assert response.status_code == 302
    assert RiskDeviationLink.objects.filter(risk=risk, deviation=deviation).exists()
    assert risk.title in client.get(reverse("deviations:detail", args=[deviation.pk])).content.decode()
    assert deviation.number in client.get(reverse("risks:detail", args=[risk.pk])).content.decode()
    link = RiskDeviationLink.objects.get()
    client.post(reverse("risks:deviation_unlink", args=[link.pk]))
    assert not RiskDeviationLink.objects.exists()


def test_a_risk_of_another_unit_cannot_be_tied(client, supervisor_a, supervisor_b, colleague_a, unit_a, unit_b, quality_director):
    other = make_risk(supervisor_b, unit_b)
    deviation = deviation_submit(actor=colleague_a, **deviation_kwargs(unit_a)).deviation
    client.force_login(supervisor_a)
    client.post(reverse("risks:deviation_link", args=[deviation.pk]), {"risk": other.pk})
    assert not RiskDeviationLink.objects.exists()
    with pytest.raises(ValidationError):
        services.risk_link_deviation(actor=quality_director, risk=other, deviation=deviation)
    client.force_login(supervisor_b)
    assert client.post(reverse("risks:deviation_link", args=[deviation.pk]), {"risk": other.pk}).status_code == 404


def test_another_units_supervisor_gets_404_and_an_employee_reads_but_cannot_edit(client, supervisor_a, supervisor_b, employee_a, unit_a):
    risk = make_risk(supervisor_a, unit_a)
    client.force_login(supervisor_b)
    assert client.get(reverse("risks:detail", args=[risk.pk])).status_code == 404
    assert client.get(reverse("risks:edit", args=[risk.pk])).status_code == 404
    client.force_login(employee_a)
    assert client.get(reverse("risks:detail", args=[risk.pk])).status_code == 200
    assert client.get(reverse("risks:edit", args=[risk.pk])).status_code == 403


def test_adding_a_risk_on_the_page_and_bad_input_keeps_it(client, supervisor_a, unit_a):
    client.force_login(supervisor_a)
    url = reverse("risks:create")
    response = client.post(url, {"unit": unit_a.pk, "category": "premises", "title": "Liukas piha", "likelihood": "9"})
    assert response.status_code == 200 and 'value="Liukas piha"' in response.content.decode()
    response = client.post(url, {"unit": unit_a.pk, "category": "premises", "title": "Liukas piha",
                                 "likelihood": "4", "consequence": "2", "controls": "Hiekoitus"})
    assert response.status_code == 302
    assert Risk.objects.get().level == risk_level_for(None, 2, 4)


def test_an_assessment_on_the_page_then_an_action(client, supervisor_a, employee_a, unit_a):
    risk = make_risk(supervisor_a, unit_a)
    client.force_login(supervisor_a)
    response = client.post(reverse("risks:assessment_create"), {
        "unit": unit_a.pk, "held_on": dt.date.today().isoformat(), "participants": [supervisor_a.pk, employee_a.pk],
        "risks": [risk.pk], "summary": "Käytiin läpi karkaamisriskit.",
    })
    assert response.status_code == 302
    url = response.url
    response = client.post(url, {"title": "", "owner": supervisor_a.pk, "due_date": "x"})
    assert response.status_code == 200
    response = client.post(url, {"title": "Yökierrosten kirjaus", "owner": supervisor_a.pk,
                                 "due_date": (dt.date.today() + dt.timedelta(days=14)).isoformat()})
    assert response.status_code == 302
    assert "Yökierrosten kirjaus" in client.get(url).content.decode()


def test_register_query_count_does_not_grow_with_risks(client, supervisor_a, unit_a):
    client.force_login(supervisor_a)
    make_risk(supervisor_a, unit_a, title="Yksi")

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("risks:list")).status_code == 200
        return len(ctx.captured_queries)

    few = count()
    for i in range(8):
        make_risk(supervisor_a, unit_a, title=f"Riski {i}", owner=supervisor_a)
    assert count() <= few


def test_the_owner_is_reminded_of_a_review_once(supervisor_a, unit_a, time_machine):
    from omavalvonta.notifications.models import Notification
    from omavalvonta.risks.jobs import risk_reviews_remind

    time_machine.move_to(dt.datetime(2026, 3, 2, 8, tzinfo=dt.UTC), tick=False)
    make_risk(supervisor_a, unit_a, owner=supervisor_a, next_review=dt.date(2026, 3, 20))
    assert risk_reviews_remind() == 0  # 18 days ahead
    time_machine.move_to(dt.datetime(2026, 3, 6, 8, tzinfo=dt.UTC), tick=False)
    assert risk_reviews_remind() == 1
    assert risk_reviews_remind() == 0
    note = Notification.objects.get(kind="risk.review_due")
    assert note.recipient == supervisor_a and "20.3.2026" in note.subject
