"""The HR director (henkilöstöjohtaja): the provider's programme names them among the
group's directors who support a unit's handling of deviations. They are told of and
read the reports that concern the staff (harassment, threat or violence) within
their scope, and no other kind."""

import pytest
from django.urls import reverse

from omavalvonta.deviations import selectors, services
from omavalvonta.deviations.services.reporting import SPECIALISTS_TOLD
from omavalvonta.notifications.models import Notification
from omavalvonta.organisation import access
from omavalvonta.organisation.models import Role
from omavalvonta.testing.factories import deviation_kwargs, member


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


def submit(actor, unit, **overrides):
    return services.deviation_submit(actor=actor, **deviation_kwargs(unit, **overrides)).deviation


def told(user):
    return list(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def test_the_programme_table_names_the_hr_director_for_harassment_and_staff_safety():
    assert Role.HR_DIRECTOR in SPECIALISTS_TOLD["harassment"]
    assert Role.HR_DIRECTOR in SPECIALISTS_TOLD["threat_or_violence"]
    assert Role.SAFETY_MANAGER in SPECIALISTS_TOLD["threat_or_violence"]
    assert access.ROLE_KIND_LIMITS[Role.HR_DIRECTOR]["deviation"] == {"harassment", "threat_or_violence"}


def test_a_harassment_report_reaches_the_hr_director_and_not_the_safety_manager(
    employee_a, supervisor_a, hr_director, safety_manager, unit_a
):
    submit(employee_a, unit_a, kind="harassment")

    assert told(hr_director) == ["deviation.harassment"]
    assert told(safety_manager) == []
    [n] = Notification.objects.filter(recipient=hr_director)
    assert "harassment" in n.body.lower()
    # Never the reporter's name: the e-mail leaves the product.
    assert employee_a.full_name not in n.body


def test_a_violence_report_reaches_both_the_safety_manager_and_the_hr_director(
    employee_a, supervisor_a, hr_director, safety_manager, unit_a
):
    submit(employee_a, unit_a, kind="threat_or_violence", violence_target="staff")

    assert told(hr_director) == ["deviation.threat_or_violence"]
    assert told(safety_manager) == ["deviation.threat_or_violence"]


def test_other_kinds_do_not_reach_the_hr_director(employee_a, supervisor_a, hr_director, unit_a):
    submit(employee_a, unit_a, kind="quality")
    submit(employee_a, unit_a, kind="medication", medication_stage="giving")
    submit(employee_a, unit_a, kind="data_protection")

    assert told(hr_director) == []


def test_only_hr_directors_whose_scope_covers_the_unit_are_told(employee_a, supervisor_a, unit_a, unit_b, region_a):
    regional = member(Role.HR_DIRECTOR, region=region_a)
    elsewhere = member(Role.HR_DIRECTOR, unit=unit_b)

    submit(employee_a, unit_a, kind="harassment")

    assert told(regional) == ["deviation.harassment"]
    assert told(elsewhere) == []


def test_an_organisation_wide_hr_director_is_told_once_and_is_not_the_handler(employee_a, supervisor_a, unit_a):
    director = member(Role.HR_DIRECTOR)
    deviation = submit(employee_a, unit_a, kind="harassment")
    assert told(director) == ["deviation.harassment"]
    assert deviation.handler_id == supervisor_a.pk


def test_the_hr_director_sees_harassment_in_scope_and_not_a_medication_report(
    client, employee_a, supervisor_a, hr_director, unit_a
):
    harassment = submit(employee_a, unit_a, kind="harassment")
    violence = submit(employee_a, unit_a, kind="threat_or_violence", violence_target="staff")
    medication = submit(employee_a, unit_a, kind="medication", medication_stage="giving")
    quality = submit(employee_a, unit_a)

    listed = set(selectors.deviation_list(actor=hr_director).values_list("pk", flat=True))
    assert listed == {harassment.pk, violence.pk}

    client.force_login(hr_director)
    assert client.get(reverse("deviations:detail", args=[harassment.pk])).status_code == 200
    assert client.get(reverse("deviations:detail", args=[medication.pk])).status_code == 403
    assert client.get(reverse("deviations:detail", args=[quality.pk])).status_code == 403
    page = client.get(reverse("deviations:list")).content.decode()
    assert harassment.number in page and violence.number in page
    assert medication.number not in page and quality.number not in page


def test_an_hr_director_of_another_region_does_not_see_the_report(client, employee_a, supervisor_a, unit_a, unit_b):
    harassment = submit(employee_a, unit_a, kind="harassment")
    elsewhere = member(Role.HR_DIRECTOR, region=unit_b.region)

    client.force_login(elsewhere)
    assert client.get(reverse("deviations:detail", args=[harassment.pk])).status_code == 404
    assert not selectors.deviation_list(actor=elsewhere).exists()


def test_the_hr_director_never_sees_who_reported_a_protected_report(hr_director, employee_a, unit_a):
    harassment = submit(employee_a, unit_a, kind="harassment")
    assert not access.can_on(hr_director, harassment, access.P_DEVIATION_VIEW_REPORTER)
    assert not access.can_on(hr_director, harassment, access.P_DEVIATION_HANDLE)


def test_the_hr_director_reads_the_competence_figures_but_no_names(client, hr_director, unit_a):
    client.force_login(hr_director)
    assert client.get(reverse("people:overview")).status_code == 200
    assert client.get(reverse("people:unit", args=[unit_a.pk])).status_code == 403
    assert access.can(hr_director, access.P_COMPETENCE_COUNT, unit_a)
    assert not access.can(hr_director, access.P_COMPETENCE_VIEW, unit_a)


def test_the_hr_directors_export_holds_their_kinds_only(hr_director, employee_a, supervisor_a, unit_a):
    harassment = submit(employee_a, unit_a, kind="harassment")
    quality = submit(employee_a, unit_a)
    numbers = {row[0] for row in list(selectors.deviation_export_rows(actor=hr_director))[1:]}
    assert harassment.number in numbers and quality.number not in numbers
