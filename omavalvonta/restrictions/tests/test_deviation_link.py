"""One recording, not two: a deviation report that says a restraint was used
leads to the register, and a measure names its report by number."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from omavalvonta.core.models import AuditEvent
from omavalvonta.deviations.models import Deviation
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


# --- A measure that went wrong opens a deviation report (core.registry REPORT_ORIGINS) ---------


def _new_from(restriction):
    return reverse("deviations:new") + f"?alkupera=restriction:{restriction.pk}"


def _post_data(form, **overrides):
    """The report form as the browser sends it: its initial values and the text typed."""
    data = {
        name: value
        for name, value in {**form.initial, **{k: form[k].value() for k in ("unit", "origin")}}.items()
        if value not in (None, False, "")
    }
    data["occurred_at"] = form.initial["occurred_at"].strftime("%Y-%m-%dT%H:%M")
    data.update({"description": "Kiinnipidossa lapsen ranne kipeytyi.", "location": "Olohuone", "violence_target": "child"})
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_a_measure_opens_a_report_filled_in_from_it_and_both_are_linked(client, supervisor_a, child_a, record):
    restriction = record(supervisor_a, child_a, injuries="Ranne kipeytyi.")
    client.force_login(supervisor_a)
    detail = reverse("restrictions:detail", args=[restriction.pk])
    assert _new_from(restriction) in client.get(detail).content.decode()

    response = client.get(_new_from(restriction))
    form = response.context["form"]
    assert form.initial["kind"] == "threat_or_violence"
    assert form.initial["restraint_used"] is True and form.initial["injury"] is True
    assert form.initial["children"] == [str(child_a.pk)]
    assert form.initial["origin"] == f"restriction:{restriction.pk}"
    page = response.content.decode()
    assert "This report is made from a record" in page and "Aino" not in page.split("This report is made", 1)[1][:200]

    response = client.post(reverse("deviations:new"), _post_data(form))
    assert response.status_code == 302, response.context["form"].errors
    restriction.refresh_from_db()
    deviation = Deviation.objects.get(pk=restriction.deviation_id)
    assert deviation.unit == child_a.unit and deviation.restraint_used and deviation.injury
    assert AuditEvent.objects.filter(verb="restriction.deviation_linked", target_id=restriction.pk).count() == 1
    # One event, one report: the measure's page links to it and offers no second one.
    page = client.get(detail).content.decode()
    assert reverse("deviations:detail", args=[deviation.pk]) in page and _new_from(restriction) not in page
    assert (
        reverse("restrictions:detail", args=[restriction.pk])
        in client.get(reverse("deviations:detail", args=[deviation.pk])).content.decode()
    )


def test_a_contact_restriction_starts_a_client_rights_report(client, supervisor_a, child_a, record):
    restriction = record(
        supervisor_a,
        child_a,
        measure="confiscation",
        ended_at=None,
        details="Puhelin otettiin talteen.",
    )
    client.force_login(supervisor_a)
    form = client.get(_new_from(restriction)).context["form"]
    assert form.initial["kind"] == "client_rights" and "restraint_used" not in form.initial


def test_a_report_from_a_measure_cannot_be_anonymous_and_keeps_what_was_typed(client, supervisor_a, child_a, record):
    restriction = record(supervisor_a, child_a)
    client.force_login(supervisor_a)
    form = client.get(_new_from(restriction)).context["form"]
    response = client.post(reverse("deviations:new"), _post_data(form, anonymous="on"))
    assert response.status_code == 200
    assert response.context["form"].errors["anonymous"] == ["A report started from a record names its author: it cannot be anonymous."]
    assert "Kiinnipidossa lapsen ranne kipeytyi." in response.content.decode()
    restriction.refresh_from_db()
    assert restriction.deviation_id is None and not Deviation.objects.exists()


def test_a_measure_with_its_report_refuses_a_second_one(client, supervisor_a, child_a, record):
    restriction = record(supervisor_a, child_a)
    client.force_login(supervisor_a)
    form = client.get(_new_from(restriction)).context["form"]
    assert client.post(reverse("deviations:new"), _post_data(form)).status_code == 302
    # The same form sent again (another tab): refused on top of the form, nothing stored twice.
    response = client.post(reverse("deviations:new"), _post_data(form, description="Toinen kerta."))
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "The record this report was started from cannot be linked to it. Start the report again from the record."
    ]
    assert Deviation.objects.count() == 1


@pytest.mark.parametrize("origin", ["restriction:abc", "nothing:1", "restriction:", "restriction:999999"])
def test_an_unknown_origin_gives_the_usual_form_with_a_warning(client, supervisor_a, origin):
    client.force_login(supervisor_a)
    response = client.get(reverse("deviations:new") + f"?alkupera={origin}", follow=True)
    assert response.status_code == 200
    assert response.context["form"].initial.get("origin") is None
    assert "The record to start the report from was not found." in response.content.decode()


def test_another_units_measure_cannot_start_or_be_linked_to_a_report(client, supervisor_a, supervisor_b, child_a, unit_b, record):
    restriction = record(supervisor_a, child_a)
    client.force_login(supervisor_b)
    response = client.get(_new_from(restriction))
    assert response.context["form"].initial.get("origin") is None
    # Posted by hand into their own unit: refused, nothing stored, the measure untouched.
    kwargs = deviation_kwargs(unit_b, origin=f"restriction:{restriction.pk}")
    with pytest.raises(ValidationError):
        deviation_submit(actor=supervisor_b, **kwargs)
    restriction.refresh_from_db()
    assert restriction.deviation_id is None and not Deviation.objects.exists()
