"""One recording, not two: a deviation report that says a restraint was used
leads to the register, and a measure names its report by number."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from omavalvonta.deviations.services import deviation_submit
from omavalvonta.testing.factories import deviation_kwargs

pytestmark = pytest.mark.django_db


def _report(actor, unit, child=None, **overrides):
    kwargs = deviation_kwargs(
        unit, kind="threat_or_violence", violence_target="child", restraint_used=True,
        children=[child.pk] if child else (), **overrides,
    )
    return deviation_submit(actor=actor, **kwargs).deviation


def test_a_report_with_a_restraint_offers_the_register_then_shows_the_record(client, supervisor_a, child_a, record):
    deviation = _report(supervisor_a, child_a.unit, child_a)
    client.force_login(supervisor_a)
    url = reverse("deviations:detail", args=[deviation.pk])
    link = reverse("restrictions:new", args=[child_a.pk]) + f"?deviation={deviation.pk}"
    assert link in client.get(url).content.decode()
    # The link fills in the report's number.
    form = client.get(link).context["form"]
    assert form.initial["deviation_id"] == deviation.pk and form.initial["measure"] == "restraint"
    restriction = record(supervisor_a, child_a, deviation_id=deviation.pk)
    page = client.get(url).content.decode()
    assert reverse("restrictions:detail", args=[restriction.pk]) in page and link not in page


def test_a_report_number_of_another_unit_is_refused(supervisor_a, supervisor_b, unit_b, child_a, record):
    elsewhere = _report(supervisor_b, unit_b)
    with pytest.raises(ValidationError) as excinfo:
        record(supervisor_a, child_a, deviation_id=elsewhere.pk)
    assert excinfo.value.message_dict["deviation_id"] == [
        "Give the number of a deviation report of this unit, or leave it empty."
    ]


def test_the_panel_is_not_shown_without_the_register(client, quality_director, supervisor_a, child_a):
    deviation = _report(supervisor_a, child_a.unit, child_a)
    client.force_login(quality_director)
    page = client.get(reverse("deviations:detail", args=[deviation.pk])).content.decode()
    assert reverse("restrictions:new", args=[child_a.pk]) not in page
