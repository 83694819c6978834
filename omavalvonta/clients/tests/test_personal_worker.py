"""A child's personal worker (omaohjaaja): optional, chosen from the staff who
see the unit's children; someone else is refused with a message and nothing
typed is lost."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from omavalvonta.clients import services
from omavalvonta.clients.models import Placement
from omavalvonta.testing.factories import placement_kwargs

pytestmark = pytest.mark.django_db


def test_a_member_of_the_unit_can_be_named_and_an_outsider_cannot(supervisor_a, employee_a, supervisor_b, unit_a, county):
    placement = services.placement_create(
        actor=supervisor_a, unit=unit_a, **placement_kwargs(county=county, personal_worker=employee_a)
    )
    assert placement.personal_worker == employee_a
    with pytest.raises(ValidationError) as error:
        services.placement_create(actor=supervisor_a, unit=unit_a, **placement_kwargs(county=county, personal_worker=supervisor_b))
    assert "personal_worker" in error.value.message_dict


def test_the_form_offers_the_units_staff_and_keeps_the_rest_on_a_bad_choice(client, supervisor_a, employee_a, supervisor_b, unit_a, county):
    client.force_login(supervisor_a)
    url = reverse("clients:create", args=[unit_a.pk])
    page = client.get(url).content.decode()
    assert employee_a.full_name in page and supervisor_b.full_name not in page
    data = {
        "edit_version": "0", "name": "Aino K.", "birth_year": str(placement_kwargs()["birth_year"]),
        "placement_type": "substitute_care", "starts_on": placement_kwargs()["starts_on"].isoformat(),
        "county": str(county.pk), "social_worker_name": "Sanna S", "social_worker_email": "sanna@hva.example",
        "personal_worker": str(supervisor_b.pk),
    }
    answer = client.post(url, data)
    assert answer.status_code == 200 and "Sanna S" in answer.content.decode()
    assert not Placement.objects.exists()
    data["personal_worker"] = str(employee_a.pk)
    answer = client.post(url, data)
    placement = Placement.objects.get()
    assert answer.status_code == 302 and placement.personal_worker == employee_a
    detail = client.get(reverse("clients:detail", args=[placement.pk])).content.decode()
    assert employee_a.full_name in detail
