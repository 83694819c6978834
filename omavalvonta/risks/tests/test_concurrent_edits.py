"""Two people editing the same risk at once: the later save is refused with
both versions shown and the typed values kept."""

import pytest
from django.urls import reverse

from omavalvonta.risks import services
from omavalvonta.risks.models import Risk
from omavalvonta.testing.concurrency import race

pytestmark = pytest.mark.django_db


def test_a_second_edit_of_a_risk_opened_at_the_same_time_is_refused(supervisor_a, responsible_a, unit_a):
    risk = services.risk_create(actor=supervisor_a, unit=unit_a, category="client_safety", title="Karkaaminen yöllä",
                                likelihood=3, consequence=3, controls="Yövalvonta")
    common = {"unit": unit_a.pk, "category": "client_safety", "title": "Karkaaminen yöllä", "is_active": "on"}

    result = race(
        first_user=supervisor_a, second_user=responsible_a, url=reverse("risks:edit", args=[risk.pk]),
        first_data={**common, "likelihood": "4", "consequence": "3", "controls": "Yövalvonta ja ovihälyttimet"},
        second_data={**common, "likelihood": "2", "consequence": "3", "controls": "Kameravalvonta pihalla"},
    )

    assert "Yövalvonta ja ovihälyttimet" in result.refused_page
    stored = Risk.objects.get(pk=risk.pk)
    assert (stored.likelihood, stored.controls) == (2, "Kameravalvonta pihalla")
