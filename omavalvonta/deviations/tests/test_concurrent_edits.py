"""Two handlers on the same report at once: the later save is refused with both
versions shown, and nothing is lost from the record, the audit or the form."""

import pytest
from django.urls import reverse
from django.utils import timezone

from omavalvonta.core.models import AuditEvent
from omavalvonta.deviations import services
from omavalvonta.deviations.models import Deviation
from omavalvonta.testing.concurrency import race

pytestmark = pytest.mark.django_db


@pytest.fixture
def deviation(employee_a, unit_a):
    return services.deviation_submit(
        actor=employee_a,
        unit=unit_a,
        report=services.ReportInput(
            kind="quality",
            occurred_at=timezone.now(),
            description="Iltalääkkeet jäivät antamatta.",
        ),
    ).deviation


def test_a_second_classification_from_a_form_opened_at_the_same_time_is_refused(
    deviation, supervisor_a, responsible_a
):
    url = reverse("deviations:classify", args=[deviation.pk])
    detail = reverse("deviations:detail", args=[deviation.pk])
    first = {"classify-consequence": "2", "classify-likelihood": "3", "classify-analysis": "Lista puuttui vuorosta."}
    second = {"classify-consequence": "1", "classify-likelihood": "2", "classify-analysis": "Perehdytys oli kesken."}

    result = race(
        first_user=supervisor_a, second_user=responsible_a, url=url, form_url=detail,
        first_data=first, second_data=second, version_field="classify-edit_version",
    )

    page = result.refused_page
    assert "Lista puuttui vuorosta." in page and "Perehdytys oli kesken." in page
    assert supervisor_a.full_name in page  # who saved meanwhile
    # Both analyses are in the audit trail; the record holds the deliberate second save.
    assert AuditEvent.objects.filter(verb="deviation.classified", target_id=deviation.pk).count() == 2
    assert Deviation.objects.get(pk=deviation.pk).analysis == "Perehdytys oli kesken."


def test_the_refused_classification_leaves_the_first_one_in_place(deviation, supervisor_a, responsible_a, client):
    opened = deviation.edit_version
    services.deviation_classify(actor=supervisor_a, deviation=deviation, consequence=2, likelihood=3, analysis="Eka.",
                                expected_version=opened)
    client.force_login(responsible_a)

    response = client.post(
        reverse("deviations:classify", args=[deviation.pk]),
        {"classify-consequence": "1", "classify-likelihood": "2", "classify-analysis": "Toka.",
         "classify-edit_version": opened},
    )

    assert response.status_code == 200
    stored = Deviation.objects.get(pk=deviation.pk)
    assert (stored.analysis, stored.consequence) == ("Eka.", 2)
    assert AuditEvent.objects.filter(verb="deviation.classified").count() == 1


def test_a_second_answer_from_a_form_opened_at_the_same_time_is_refused(deviation, supervisor_a, responsible_a):
    url = reverse("deviations:answer", args=[deviation.pk])
    detail = reverse("deviations:detail", args=[deviation.pk])

    result = race(
        first_user=supervisor_a, second_user=responsible_a, url=url, form_url=detail,
        first_data={"answer-answer": "Kiitos, asia käsitellään tiimissä."},
        second_data={"answer-answer": "Kiitos ilmoituksesta, lista otetaan käyttöön."},
        version_field="answer-edit_version",
    )

    assert "Kiitos, asia käsitellään tiimissä." in result.refused_page
    assert Deviation.objects.get(pk=deviation.pk).answer == "Kiitos ilmoituksesta, lista otetaan käyttöön."


def test_a_handler_change_moves_the_version_on(deviation, supervisor_a, responsible_a):
    before = deviation.edit_version
    services.deviation_assign(actor=supervisor_a, deviation=deviation, handler=responsible_a)
    assert Deviation.objects.get(pk=deviation.pk).edit_version == before + 1
