"""Organisation settings, the risk matrix and supervisory authorities in the
administration: who may enter, what is refused and why, and the audit trail."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from omavalvonta.deviations import services as deviation_services
from omavalvonta.organisation import services
from omavalvonta.organisation.models import DEFAULT_RISK_MATRIX, Authority, Organisation
from omavalvonta.organisation.tests.helpers import audit
from omavalvonta.testing.factories import AuthorityFactory, deviation_kwargs

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, administrator):
    client.force_login(administrator)
    return client


def settings_data(**overrides):
    data = {
        "name": "Testikonserni Oy",
        "business_id": "1234567-1",
        "address": "Esimerkkikatu 1, 33100 Tampere",
        "handling_start_working_days": "3",
        "handling_target_days": "30",
        "correction_due_days": "14",
    }
    data.update(overrides)
    return data


def matrix_data(matrix):
    return {f"cell_{c}_{li}": matrix[c][li - 1] for c in range(5) for li in range(1, 6)}


def copy(matrix):
    return [row[:] for row in matrix]


def page_urls(authority):
    return [
        reverse("organisation:settings"),
        reverse("organisation:risk_matrix"),
        reverse("organisation:authority_list"),
        reverse("organisation:authority_create"),
        reverse("organisation:authority_edit", args=[authority.pk]),
    ]


# --- Who may enter ---------------------------------------------------------------------------------


def test_the_pages_open_for_an_administrator(admin_client, authority):
    for url in page_urls(authority):
        assert admin_client.get(url).status_code == 200, url


@pytest.mark.parametrize("who", ["quality_director", "supervisor_a", "employee_a"])
def test_other_roles_get_403(client, authority, who, request):
    client.force_login(request.getfixturevalue(who))
    for url in page_urls(authority):
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("organisation:settings"), settings_data(name="Kaapattu")).status_code == 403
    assert client.post(reverse("organisation:risk_matrix"), {"restore": "1"}).status_code == 403
    assert not Organisation.objects.filter(name="Kaapattu").exists()


def test_the_services_refuse_a_non_administrator(quality_director, organisation, authority):
    with pytest.raises(PermissionDenied):
        services.organisation_settings_update(actor=quality_director, organisation=organisation, name="X")
    with pytest.raises(PermissionDenied):
        services.risk_matrix_update(actor=quality_director, organisation=organisation, matrix=copy(DEFAULT_RISK_MATRIX))
    with pytest.raises(PermissionDenied):
        services.authority_create(actor=quality_director, name="Valvira", email="kirjaamo@valvira.example")
    with pytest.raises(PermissionDenied):
        services.authority_update(actor=quality_director, authority=authority, is_default=False)


def test_admin_home_links_the_three_pages(admin_client):
    html = admin_client.get(reverse("organisation:admin_home")).content.decode()
    for name in ("settings", "risk_matrix", "authority_list"):
        assert reverse(f"organisation:{name}") in html


# --- Settings ------------------------------------------------------------------------------------------


def test_settings_are_saved_and_audited_with_the_old_and_new_values(admin_client, administrator, organisation):
    response = admin_client.post(
        reverse("organisation:settings"),
        settings_data(name="Uusi Nimi Oy", handling_start_working_days="5", correction_due_days="21"),
    )
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.name == "Uusi Nimi Oy"
    assert organisation.business_id == "1234567-1"
    assert (organisation.handling_start_working_days, organisation.handling_target_days) == (5, 30)
    assert organisation.correction_due_days == 21
    event = audit("organisation.updated", organisation).get()
    assert event.actor == administrator
    assert set(event.data["changed"]) == {
        "name", "business_id", "address", "handling_start_working_days", "correction_due_days"
    }
    assert event.data["old"]["handling_start_working_days"] == 3
    assert event.data["new"]["handling_start_working_days"] == 5


def test_the_settings_page_creates_the_organisation_when_there_is_none(client, db):
    from omavalvonta.organisation.models import Role
    from omavalvonta.testing.factories import member

    admin = member(Role.ADMINISTRATOR, full_name="Ensi Asentaja", email="ensi@omavalvonta.example")
    assert not Organisation.objects.exists()
    client.force_login(admin)
    page = client.get(reverse("organisation:settings")).content.decode()
    assert "Saving this form creates it" in page
    assert 'value="3"' in page  # the model's default deadline is offered

    response = client.post(reverse("organisation:settings"), settings_data(name="Perustettu Oy"))

    assert response.status_code == 302
    organisation = Organisation.objects.get()
    assert organisation.name == "Perustettu Oy"
    assert organisation.risk_matrix == DEFAULT_RISK_MATRIX
    assert audit("organisation.created", organisation).get().actor == admin


@pytest.mark.parametrize("business_id", ["1234567-1", "0112038-9", "2617416-4", ""])
def test_valid_business_ids_are_accepted(admin_client, organisation, business_id):
    response = admin_client.post(reverse("organisation:settings"), settings_data(business_id=business_id))
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.business_id == business_id


@pytest.mark.parametrize(
    ("business_id", "message"),
    [
        ("1234567-8", "The check digit of the business ID does not match."),
        ("1234568-1", "The check digit of the business ID does not match."),
        ("1234567", "Enter the business ID in the form 1234567-8"),
        ("12345671", "Enter the business ID in the form 1234567-8"),
        ("123456-7", "Enter the business ID in the form 1234567-8"),
        ("١٢٣٤٥٦٧-١", "Enter the business ID in the form 1234567-8"),  # other scripts' digits
    ],
)
def test_a_bad_business_id_is_refused_with_a_message_and_the_typed_values_stay(
    admin_client, organisation, business_id, message
):
    response = admin_client.post(
        reverse("organisation:settings"), settings_data(name="Kirjoitettu Oy", business_id=business_id)
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert 'value="Kirjoitettu Oy"' in html
    assert "field--error" in html
    organisation.refresh_from_db()
    assert organisation.name == "Testikonserni Oy"


def test_remainder_one_never_makes_a_valid_business_id():
    # The first seven digits whose weighted sum leaves 1: no check digit can make them valid.
    digits = next(
        f"{n:07d}" for n in range(10**7) if sum(int(d) * w for d, w in zip(f"{n:07d}", (7, 9, 10, 5, 8, 4, 2), strict=True)) % 11 == 1
    )
    assert not any(services.business_id_is_valid(f"{digits}-{check}") for check in range(10))


def test_remainder_zero_gives_check_digit_zero():
    assert services.business_id_is_valid("0000000-0")
    assert not services.business_id_is_valid("0000000-1")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("handling_start_working_days", "0"),
        ("handling_start_working_days", "31"),
        ("handling_target_days", "366"),
        ("correction_due_days", "91"),
        ("correction_due_days", "abc"),
        ("handling_target_days", ""),
    ],
)
def test_deadlines_outside_their_range_are_refused(admin_client, organisation, field, value):
    response = admin_client.post(reverse("organisation:settings"), settings_data(**{field: value}))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert "Enter a whole number from 1 to" in response.content.decode()


def test_the_service_checks_the_ranges_too(administrator, organisation):
    with pytest.raises(ValidationError) as exc:
        services.organisation_settings_update(actor=administrator, organisation=organisation, handling_target_days=0)
    assert "handling_target_days" in exc.value.message_dict


def test_the_new_handling_deadline_applies_to_new_reports(administrator, organisation, employee_a, unit_a):
    services.organisation_settings_update(actor=administrator, organisation=organisation, handling_target_days=10)
    result = deviation_services.deviation_submit(actor=employee_a, **deviation_kwargs(unit_a))
    deviation = result.deviation
    assert (deviation.due_date - deviation.submitted_at.date()).days in (10, 11)  # across midnight UTC/Helsinki


# --- Risk matrix ---------------------------------------------------------------------------------------


def test_the_matrix_page_shows_a_select_per_cell_coloured_by_its_level(admin_client, organisation):
    html = admin_client.get(reverse("organisation:risk_matrix")).content.decode()
    assert html.count('data-risk-cell=""') == 25
    assert 'class="badge badge--very_high"' in html
    assert "Very serious" in html
    assert "Changes apply to classifications made from now on." in html


def test_a_saved_matrix_is_used_when_a_report_is_classified(
    admin_client, administrator, organisation, employee_a, supervisor_a, unit_a
):
    matrix = copy(DEFAULT_RISK_MATRIX)
    assert matrix[1][1] == "low"
    # Mild consequence, likelihood 2 and everything right and below it: at least high.
    for c in range(1, 5):
        for li in range(2, 6):
            matrix[c][li - 1] = "very_high" if matrix[c][li - 1] == "very_high" else "high"

    response = admin_client.post(reverse("organisation:risk_matrix"), matrix_data(matrix))

    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.risk_matrix == matrix
    event = audit("organisation.risk_matrix_updated", organisation).get()
    assert event.actor == administrator
    assert event.data["old"] == DEFAULT_RISK_MATRIX
    assert event.data["new"] == matrix

    report = deviation_services.deviation_submit(actor=employee_a, **deviation_kwargs(unit_a)).deviation
    deviation_services.deviation_classify(actor=supervisor_a, deviation=report, consequence=1, likelihood=2)
    report.refresh_from_db()
    assert report.risk_level == "high"


def test_a_decreasing_matrix_is_refused_naming_the_cells_and_keeping_what_was_typed(admin_client, organisation):
    matrix = copy(DEFAULT_RISK_MATRIX)
    matrix[4][4] = "low"  # very serious, likelihood 5: lower than its neighbours
    matrix[0][0] = "moderate"  # none, likelihood 1: higher than the cell to its right

    response = admin_client.post(reverse("organisation:risk_matrix"), matrix_data(matrix))

    assert response.status_code == 200
    html = response.content.decode()
    assert "The risk level must never decrease when the consequence or the likelihood grows." in html
    assert (
        "Consequence “Very serious”, likelihood 5: “Low” is lower than “Very high” for the milder consequence “Serious”."
    ) in html
    assert "Consequence “Very serious”, likelihood 5: “Low” is lower than “Very high” at the smaller likelihood 4." in html
    assert "Consequence “None”, likelihood 2: “Low” is lower than “Moderate” at the smaller likelihood 1." in html
    assert "Consequence “Mild”, likelihood 1: “Low” is lower than “Moderate” for the milder consequence “None”." in html
    errors = response.context["form"].errors
    assert {"cell_4_5", "cell_0_2", "cell_1_1"} <= set(errors)
    assert "cell_3_3" not in errors
    # What was typed stays, coloured by the typed level, and the offending cells are marked.
    cell = html.split('<select name="cell_4_5"')[1].split("</select>")[0]
    assert 'class="badge badge--low"' in cell
    assert 'aria-invalid="true"' in cell
    assert '<option value="low" selected>' in cell
    assert html.count('<td class="field--error">') == 3
    first = html.split('<select name="cell_0_1"')[1].split("</select>")[0]
    assert '<option value="moderate" selected>' in first and 'class="badge badge--moderate"' in first
    organisation.refresh_from_db()
    assert organisation.risk_matrix == DEFAULT_RISK_MATRIX
    assert not audit("organisation.risk_matrix_updated").exists()


def test_the_monotonic_rule_is_the_services(administrator, organisation):
    matrix = copy(DEFAULT_RISK_MATRIX)
    matrix[2][2] = "low"
    with pytest.raises(ValidationError) as exc:
        services.risk_matrix_update(actor=administrator, organisation=organisation, matrix=matrix)
    assert "cell_2_3" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.risk_matrix_update(actor=administrator, organisation=organisation, matrix=[["low"] * 5] * 4)
    with pytest.raises(ValidationError):
        services.risk_matrix_update(
            actor=administrator, organisation=organisation, matrix=[["low"] * 4 + ["extreme"]] * 5
        )


def test_a_flat_matrix_is_allowed(administrator, organisation):
    services.risk_matrix_update(actor=administrator, organisation=organisation, matrix=[["moderate"] * 5] * 5)
    organisation.refresh_from_db()
    assert organisation.risk_matrix == [["moderate"] * 5] * 5


def test_an_unknown_level_in_a_cell_is_refused(admin_client, organisation):
    data = matrix_data(DEFAULT_RISK_MATRIX)
    data["cell_2_2"] = "extreme"
    response = admin_client.post(reverse("organisation:risk_matrix"), data)
    assert response.status_code == 200
    assert "cell_2_2" in response.context["form"].errors
    organisation.refresh_from_db()
    assert organisation.risk_matrix == DEFAULT_RISK_MATRIX


def test_restore_the_default(admin_client, administrator, organisation):
    services.risk_matrix_update(actor=administrator, organisation=organisation, matrix=[["high"] * 5] * 5)

    # The selects sent with the button (even a decreasing matrix) are ignored.
    data = {**matrix_data([["very_high"] + ["low"] * 4] * 5), "restore": "1"}
    response = admin_client.post(reverse("organisation:risk_matrix"), data)

    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.risk_matrix == DEFAULT_RISK_MATRIX
    event = audit("organisation.risk_matrix_updated", organisation).latest("id")
    assert event.data["old"] == [["high"] * 5] * 5
    assert event.data["new"] == DEFAULT_RISK_MATRIX
    assert event.data["is_default"] is True


def test_saving_an_unchanged_matrix_writes_no_event(admin_client, organisation):
    admin_client.post(reverse("organisation:risk_matrix"), matrix_data(DEFAULT_RISK_MATRIX))
    assert not audit("organisation.risk_matrix_updated").exists()


def test_without_an_organisation_the_matrix_page_points_to_the_settings(client, db):
    from omavalvonta.organisation.models import Role
    from omavalvonta.testing.factories import member

    client.force_login(member(Role.ADMINISTRATOR, full_name="Ensi Asentaja", email="ensi@omavalvonta.example"))
    html = client.get(reverse("organisation:risk_matrix")).content.decode()
    assert reverse("organisation:settings") in html
    assert "data-risk-cell" not in html


# --- Supervisory authorities ---------------------------------------------------------------------------------


def authority_data(**overrides):
    data = {"name": "Valvira", "email": "Kirjaamo@Valvira.example", "is_default": ""}
    data.update(overrides)
    return {k: v for k, v in data.items() if v != ""}


def test_the_first_authority_becomes_the_default(admin_client, administrator):
    response = admin_client.post(reverse("organisation:authority_create"), authority_data())
    assert response.status_code == 302
    authority = Authority.objects.get()
    assert authority.is_default
    assert authority.email == "kirjaamo@valvira.example"
    event = audit("authority.created", authority).get()
    assert event.actor == administrator
    assert event.data["is_default"] is True


def test_making_an_authority_the_default_clears_the_others(admin_client, administrator, authority):
    response = admin_client.post(reverse("organisation:authority_create"), authority_data(is_default="on"))
    assert response.status_code == 302
    valvira = Authority.objects.get(name="Valvira")
    assert list(Authority.objects.filter(is_default=True)) == [valvira]
    assert audit("authority.created", valvira).get().data["cleared_default"] == [authority.pk]

    # And back again through the edit page.
    response = admin_client.post(
        reverse("organisation:authority_edit", args=[authority.pk]),
        authority_data(name=authority.name, email=authority.email, is_default="on"),
    )
    assert response.status_code == 302
    assert list(Authority.objects.filter(is_default=True)) == [authority]
    event = audit("authority.updated", authority).get()
    assert event.data["changed"] == ["is_default"]
    assert event.data["cleared_default"] == [valvira.pk]


def test_an_authority_added_without_the_tick_leaves_the_default_alone(admin_client, authority):
    admin_client.post(reverse("organisation:authority_create"), authority_data())
    assert list(Authority.objects.filter(is_default=True)) == [authority]


def test_the_default_cannot_simply_be_unticked(admin_client, authority):
    response = admin_client.post(
        reverse("organisation:authority_edit", args=[authority.pk]),
        authority_data(name="Uusi nimi", email=authority.email),
    )
    assert response.status_code == 200
    assert "Escalations need one default recipient." in response.content.decode()
    assert 'value="Uusi nimi"' in response.content.decode()
    authority.refresh_from_db()
    assert authority.is_default and authority.name != "Uusi nimi"


def test_several_legacy_defaults_become_one(administrator):
    first = AuthorityFactory(name="A", is_default=True)
    second = AuthorityFactory(name="B", is_default=True)
    services.authority_update(actor=administrator, authority=second, email="uusi@b.example")
    assert list(Authority.objects.filter(is_default=True)) == [second]
    assert audit("authority.updated", second).get().data["cleared_default"] == [first.pk]


def test_authority_required_fields_and_a_duplicate_name_are_explained(admin_client, authority):
    response = admin_client.post(reverse("organisation:authority_create"), {"name": "", "email": "ei-osoite"})
    errors = response.context["form"].errors
    assert {"name", "email"} <= set(errors)
    assert "Enter the authority&#x27;s name." in response.content.decode()

    response = admin_client.post(
        reverse("organisation:authority_create"), authority_data(name=authority.name.upper())
    )
    assert "A supervisory authority with this name already exists." in response.content.decode()
    assert Authority.objects.count() == 1


def test_the_authority_list_shows_the_default_first(admin_client, authority):
    AuthorityFactory(name="Aaa-virasto", is_default=False)
    page = admin_client.get(reverse("organisation:authority_list"))
    assert [a.name for a in page.context["rows"]] == [authority.name, "Aaa-virasto"]
    assert "Default recipient" in page.content.decode()


def test_the_default_authority_receives_the_escalation(administrator, authority):
    from omavalvonta.organisation.selectors import authority_default

    valvira = services.authority_create(
        actor=administrator, name="Valvira", email="kirjaamo@valvira.example", is_default=True
    )
    assert authority_default(actor=administrator) == valvira


def test_range_messages_are_translated_when_shown_not_at_import(organisation):
    from django.utils import translation

    from omavalvonta.organisation.forms import OrganisationSettingsForm

    def message(language):
        with translation.override(language):
            form = OrganisationSettingsForm(data=settings_data(correction_due_days="120"))
            return form.errors["correction_due_days"][0]

    assert message("en") == "Enter a whole number from 1 to 90."
    assert message("fi") != message("en")
    assert message("sv") not in (message("en"), message("fi"))
