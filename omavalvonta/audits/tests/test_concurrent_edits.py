"""Two people editing a unit's continuity plan or a checklist at once: the later
save is refused with both versions shown and the typed text kept."""

import pytest
from django.urls import reverse

from omavalvonta.audits import services
from omavalvonta.audits.models import Checklist, ContinuityPlan
from omavalvonta.organisation.models import Role
from omavalvonta.testing.concurrency import race
from omavalvonta.testing.factories import member

pytestmark = pytest.mark.django_db


def test_two_people_writing_the_first_continuity_plan_at_once_do_not_overwrite_each_other(
    supervisor_a, responsible_a, unit_a
):
    result = race(
        first_user=supervisor_a, second_user=responsible_a, url=reverse("audits:continuity", args=[unit_a.pk]),
        first_data={"form": "plan", "p-threats": "Sähkökatko, vesivahinko", "p-preparedness": "Vettä 3 päiväksi"},
        second_data={"form": "plan", "p-threats": "Tietoliikennekatko", "p-preparedness": "Paperilomakkeet"},
        version_field="p-edit_version",
    )

    assert "Sähkökatko, vesivahinko" in result.refused_page
    assert ContinuityPlan.objects.get(unit=unit_a).threats == "Tietoliikennekatko"


def test_a_second_edit_of_a_checklist_opened_at_the_same_time_is_refused(quality_director):
    other = member(Role.QUALITY_DIRECTOR, full_name="Olli Toinen", email="olli@omavalvonta.example")
    checklist = services.checklist_save(actor=quality_director, title="Lääkehoito", criteria_text="Kaappi lukittu")

    result = race(
        first_user=quality_director, second_user=other, url=reverse("audits:checklist_edit", args=[checklist.pk]),
        first_data={"title": "Lääkehoito", "criteria_text": "Kaappi lukittu\nAvainloki ajan tasalla", "is_active": "on"},
        second_data={"title": "Lääkehoidon tarkistus", "criteria_text": "Kaappi lukittu\nLämpötila seurattu",
                     "is_active": "on"},
    )

    assert "Avainloki ajan tasalla" in result.refused_page
    assert Checklist.objects.get(pk=checklist.pk).title == "Lääkehoidon tarkistus"
