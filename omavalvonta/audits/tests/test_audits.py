"""Self-assessments against checklists, audits with findings and their actions,
continuity (systems, plan, drills), and their pages' access."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from omavalvonta.audits import services
from omavalvonta.audits.models import Answer, Audit, Checklist, ContinuityPlan, CriticalSystem, Drill, SelfAssessment
from omavalvonta.improvement.models import Action
from omavalvonta.yearclock import evidence

pytestmark = pytest.mark.django_db

TODAY = dt.date.today()


@pytest.fixture
def checklist(quality_director):
    return services.checklist_save(
        actor=quality_director, title="Laatujärjestelmän vaatimukset",
        criteria_text="Omavalvontasuunnitelma on ajan tasalla\nHenkilöstö on perehdytetty\n\nPoikkeamat käsitellään tiimissä",
    )


def test_the_quality_director_writes_criteria_one_a_line(checklist):
    assert [c.text for c in checklist.criteria.all()] == [
        "Omavalvontasuunnitelma on ajan tasalla", "Henkilöstö on perehdytetty", "Poikkeamat käsitellään tiimissä",
    ]


def test_only_the_quality_director_edits_checklists(supervisor_a, unit_a):
    with pytest.raises(PermissionDenied):
        services.checklist_save(actor=supervisor_a, title="X", criteria_text="a")


def test_a_checklist_needs_a_title_and_criteria(quality_director):
    with pytest.raises(ValidationError) as exc:
        services.checklist_save(actor=quality_director, title=" ", criteria_text="\n \n")
    assert {"title", "criteria_text"} <= set(exc.value.error_dict)


def test_answered_criteria_survive_an_edit(checklist, quality_director, supervisor_a, unit_a):
    c1, c2, c3 = checklist.criteria.all()
    services.self_assessment_create(actor=supervisor_a, unit=unit_a, checklist=checklist, held_on=TODAY,
                                    answers={c1.pk: ("met", ""), c2.pk: ("not_met", "Kaksi uutta ilman korttia"), c3.pk: ("na", "")})
    services.checklist_save(actor=quality_director, checklist=checklist, title=checklist.title, criteria_text="Uusi kriteeri")
    assert Answer.objects.count() == 3
    assert [c.text for c in checklist.criteria.all() if c.position < 1000] == ["Uusi kriteeri"]


def test_a_self_assessment_must_answer_every_criterion(checklist, supervisor_a, unit_a):
    c1, *_rest = checklist.criteria.all()
    with pytest.raises(ValidationError):
        services.self_assessment_create(actor=supervisor_a, unit=unit_a, checklist=checklist, held_on=TODAY,
                                        answers={c1.pk: ("met", "")})
    assert not SelfAssessment.objects.exists()


def test_a_self_assessment_on_the_page_and_an_action_for_an_unmet_criterion(client, checklist, supervisor_a, unit_a):
    c1, c2, c3 = checklist.criteria.all()
    client.force_login(supervisor_a)
    url = reverse("audits:self_assessment_create") + f"?unit={unit_a.pk}&checklist={checklist.pk}"
    assert client.get(url).status_code == 200
    data = {"unit": unit_a.pk, "checklist": checklist.pk, "held_on": TODAY.isoformat(),
            f"c{c1.pk}": "met", f"c{c2.pk}": "not_met", f"n{c2.pk}": "Perehdytyskortit puuttuvat"}
    response = client.post(url, data)
    assert response.status_code == 200  # c3 unanswered: the form comes back with what was typed
    assert "Perehdytyskortit puuttuvat" in response.content.decode()
    response = client.post(url, {**data, f"c{c3.pk}": "partly"})
    assert response.status_code == 302
    detail = response.url
    answer = Answer.objects.get(criterion=c2)
    response = client.post(
        detail,
        {
            "answer": answer.pk,
            f"a{answer.pk}-title": "Perehdytyskortit kaikille",
            f"a{answer.pk}-owner": supervisor_a.pk,
            f"a{answer.pk}-due_date": (TODAY + dt.timedelta(days=14)).isoformat(),
        },
    )
    assert response.status_code == 302
    action = Action.objects.get()
    assert action.source_kind == "audit" and action.source_id == SelfAssessment.objects.get().pk


def test_an_audit_with_a_finding_that_creates_an_action(client, supervisor_a, unit_a):
    client.force_login(supervisor_a)
    response = client.post(reverse("audits:audit_create"), {"unit": unit_a.pk, "kind": "external",
                           "held_on": TODAY.isoformat(), "auditor": "Sertifiointi Oy"})
    assert response.status_code == 302
    audit = Audit.objects.get()
    response = client.post(response.url, {"f-kind": "nonconformity", "f-text": ""})
    assert response.status_code == 200  # an empty finding is refused
    client.post(reverse("audits:audit", args=[audit.pk]), {"f-kind": "nonconformity", "f-text": "Lääkekaapin lämpötilaa ei seurata."})
    finding = audit.findings.get()
    client.post(reverse("audits:audit", args=[audit.pk]), {
        "finding": finding.pk, f"a{finding.pk}-title": "Lämpötilaseuranta lääkekaappiin",
        f"a{finding.pk}-owner": supervisor_a.pk, f"a{finding.pk}-due_date": (TODAY + dt.timedelta(days=7)).isoformat()})
    action = Action.objects.get()
    assert action.source_id == finding.pk
    assert action.title in client.get(reverse("audits:audit", args=[audit.pk])).content.decode()


def test_an_audit_in_the_future_or_without_an_auditor_is_refused(supervisor_a, unit_a):
    with pytest.raises(ValidationError) as exc:
        services.audit_create(actor=supervisor_a, unit=unit_a, kind="internal", held_on=TODAY + dt.timedelta(days=1), auditor="")
    assert {"held_on", "auditor"} <= set(exc.value.error_dict)


def test_continuity_page_systems_plan_and_drills(client, supervisor_a, employee_a, unit_a):
    client.force_login(supervisor_a)
    url = reverse("audits:continuity", args=[unit_a.pk])
    client.post(url, {"form": "system", "s-name": "Asiakastietojärjestelmä", "s-position": "1", "s-owner": supervisor_a.pk,
                      "s-fallback": "Paperilomakkeet, kirjaukset jälkikäteen", "s-tolerable_outage": "8 tuntia"})
    client.post(url, {"form": "system", "s-name": "Puhelinvaihde", "s-position": "x", "s-fallback": "", "s-tolerable_outage": ""})
    client.post(
        url, {"form": "plan", "p-threats": "Sähkökatko, vesivahinko", "p-preparedness": "Vettä ja ruokaa 3 päiväksi", "p-contacts": ""}
    )
    client.post(url, {"form": "drill", "d-held_on": TODAY.isoformat(), "d-scenario": "Sähkökatko yöllä",
                      "d-participants": [employee_a.pk], "d-lessons": "Taskulamput lisää"})
    assert CriticalSystem.objects.count() == 1
    assert ContinuityPlan.objects.get().threats == "Sähkökatko, vesivahinko"
    assert Drill.objects.get().participants.get() == employee_a
    # Staff read it; they cannot change it.
    client.force_login(employee_a)
    page = client.get(url)
    assert page.status_code == 200 and "Asiakastietojärjestelmä" in page.content.decode()
    assert client.post(url, {"form": "plan", "p-threats": "x"}).status_code == 403


def test_other_units_pages_are_404(client, supervisor_a, supervisor_b, unit_a, checklist):
    audit = services.audit_create(actor=supervisor_a, unit=unit_a, kind="internal", held_on=TODAY, auditor="Laatutiimi")
    client.force_login(supervisor_b)
    assert client.get(reverse("audits:audit", args=[audit.pk])).status_code == 404
    assert client.get(reverse("audits:continuity", args=[unit_a.pk])).status_code == 404


def test_audits_and_drills_are_evidence_for_the_quality_calendar(supervisor_a, unit_a):
    audit = services.audit_create(actor=supervisor_a, unit=unit_a, kind="internal", held_on=TODAY, auditor="Laatutiimi")
    drill = services.drill_record(actor=supervisor_a, unit=unit_a, held_on=TODAY, scenario="Poistumisharjoitus")
    keys = {r.key for _label, records in evidence.candidates_for(actor=supervisor_a, unit=unit_a) for r in records}
    assert {f"audits.audit:{audit.pk}", f"audits.drill:{drill.pk}"} <= keys


def test_checklist_pages(client, quality_director, supervisor_a, checklist):
    client.force_login(supervisor_a)
    assert client.get(reverse("audits:checklists")).status_code == 403
    client.force_login(quality_director)
    assert client.get(reverse("audits:checklists")).status_code == 200
    response = client.post(reverse("audits:checklist_edit", args=[checklist.pk]), {"title": "", "criteria_text": "a"})
    assert response.status_code == 200
    assert Checklist.objects.get().title == "Laatujärjestelmän vaatimukset"


def test_index_and_continuity_query_counts_do_not_grow(client, supervisor_a, employee_a, unit_a, checklist):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(supervisor_a)

    def count(url):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    index, cont = reverse("audits:index"), reverse("audits:continuity", args=[unit_a.pk])
    services.audit_create(actor=supervisor_a, unit=unit_a, kind="internal", held_on=TODAY, auditor="A")
    services.drill_record(actor=supervisor_a, unit=unit_a, held_on=TODAY, scenario="S", participants=[employee_a])
    services.critical_system_save(actor=supervisor_a, unit=unit_a, name="X", position=1, owner=supervisor_a,
                                  fallback="f", tolerable_outage="1 h")
    few = (count(index), count(cont))
    for i in range(5):
        services.audit_create(actor=supervisor_a, unit=unit_a, kind="external", held_on=TODAY, auditor=f"A{i}")
        services.drill_record(actor=supervisor_a, unit=unit_a, held_on=TODAY, scenario=f"S{i}", participants=[employee_a, supervisor_a])
        services.critical_system_save(actor=supervisor_a, unit=unit_a, name=f"X{i}", position=2, owner=supervisor_a,
                                      fallback="f", tolerable_outage="1 h")
    assert count(index) <= few[0]
    assert count(cont) <= few[1]
