"""Two administrators editing the same organisation record at once (the
organisation's settings, an authority, a unit, a county, a region): the later
save is refused with both versions shown and the typed values kept."""

import pytest
from django.db import models
from django.urls import reverse

from omavalvonta.organisation.forms import AuthorityForm, CountyForm, OrganisationSettingsForm, UnitForm
from omavalvonta.organisation.models import Role
from omavalvonta.testing.concurrency import race
from omavalvonta.testing.factories import member

pytestmark = pytest.mark.django_db


def as_post(initial: dict) -> dict:
    """A form's initial values as a browser would post them."""
    data = {}
    for name, value in initial.items():
        if name == "edit_version" or value is None:
            continue
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        elif isinstance(value, models.Model):
            data[name] = str(value.pk)
        elif isinstance(value, (list, tuple)):
            data[name] = [str(getattr(v, "pk", v)) for v in value]
        else:
            data[name] = str(value)
    return data


@pytest.fixture
def other_admin(organisation):
    return member(Role.ADMINISTRATOR, full_name="Outi Toinen", email="outi.admin@omavalvonta.example")


CASES = {
    "settings": (lambda **f: f["organisation"], lambda o: reverse("organisation:settings"),
                 OrganisationSettingsForm.initial_for, "address"),
    "authority": (lambda **f: f["authority"], lambda o: reverse("organisation:authority_edit", args=[o.pk]),
                  AuthorityForm.initial_for, "name"),
    "unit": (lambda **f: f["unit_a"], lambda o: reverse("organisation:unit_edit", args=[o.pk]),
             UnitForm.initial_for, "street_address"),
    "county": (lambda **f: f["county"], lambda o: reverse("organisation:county_edit", args=[o.pk]),
               CountyForm.initial_for, "lead_official_name"),
    "region": (lambda **f: f["region_a"], lambda o: reverse("organisation:region_edit", args=[o.pk]),
               lambda r: {"name": r.name}, "name"),
}


@pytest.mark.parametrize("case", CASES)
def test_a_second_edit_from_a_form_opened_at_the_same_time_is_refused(
    case, administrator, other_admin, organisation, authority, unit_a, county, region_a
):
    get, url_for, initial_for, field = CASES[case]
    record = get(organisation=organisation, authority=authority, unit_a=unit_a, county=county, region_a=region_a)
    data = as_post(initial_for(record))

    result = race(
        first_user=administrator, second_user=other_admin, url=url_for(record),
        first_data={**data, field: "Ensimmäisen muutos 1"}, second_data={**data, field: "Toisen muutos 2"},
    )

    assert "Ensimmäisen muutos 1" in result.refused_page
    assert administrator.full_name in result.refused_page
    stored = type(record).objects.get(pk=record.pk)
    assert getattr(stored, field) == "Toisen muutos 2"
