"""Forms of organisation administration. They parse and check what a clerk typed; the business
rules (duplicates, which role needs which scope, a risk matrix that never decreases) live in
`services.py`, whose `ValidationError`s are keyed by these forms' field names."""

from django import forms
from django.core.validators import RegexValidator
from django.utils.functional import lazy
from django.utils.translation import gettext, gettext_lazy as _

from omavalvonta.core.forms import EditVersionField, ModelMultipleChoiceField
from omavalvonta.organisation import risk, selectors, sso
from omavalvonta.organisation.models import (
    Organisation,
    Region,
    Role,
    ServiceType,
    Unit,
    WellbeingCounty,
    default_risk_matrix,
)
from omavalvonta.organisation.risk import Consequence, Likelihood, RiskLevel
from omavalvonta.organisation.services import SETTING_LIMITS, risk_matrix_cell_key, validate_business_id

ACTIVE_CHOICES = [("", _("All")), ("yes", _("Active")), ("no", _("Inactive"))]

SCOPE_ORGANISATION = "organisation"
SCOPE_REGION = "region"
SCOPE_UNIT = "unit"
SCOPE_CHOICES = [
    (SCOPE_ORGANISATION, _("Whole organisation")),
    (SCOPE_REGION, _("One region")),
    (SCOPE_UNIT, _("One unit")),
]

postal_code_validator = RegexValidator(r"^\d{5}$", _("A postal code has five digits, for example 33100."))


class RecordForm(forms.Form):
    """The form of one administration record: `initial_for(record)` opens it with each
    field's value read from the record's attribute of the same name."""

    @classmethod
    def initial_for(cls, record) -> dict:
        return {name: getattr(record, name) for name in cls.base_fields}


def name_field(required_message, *, max_length: int = 200, help_text=""):
    """A record's name: "Name", required with `required_message`."""
    return forms.CharField(
        label=_("Name"), max_length=max_length, error_messages={"required": required_message}, help_text=help_text
    )


class UnitChoiceField(forms.ChoiceField):
    """A unit select grouped by region (one query), cleaned to a Unit or None."""

    def __init__(self, *, only_active=False, **kwargs):
        self.only_active = only_active
        super().__init__(**kwargs)

    def load(self, empty_label):
        units = selectors.unit_choices()
        if self.only_active:
            units = units.filter(is_active=True)
        groups: dict[str, list] = {}
        for unit in units:
            label = unit.name if unit.is_active else _("%(name)s (inactive)") % {"name": unit.name}
            groups.setdefault(unit.region.name, []).append((str(unit.pk), label))
        self.choices = [("", empty_label), *sorted(groups.items(), key=lambda item: item[0])]

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        try:
            return Unit.objects.select_related("region").get(pk=value)
        except (Unit.DoesNotExist, ValueError):
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice",
                                        params={"value": value}) from None


def role_choices(empty_label):
    return [("", empty_label), *Role.choices]


# --- The organisation: settings, risk matrix, supervisory authorities ------------------------


def _range_message(low: int, high: int) -> str:
    return gettext("Enter a whole number from %(low)s to %(high)s.") % {"low": low, "high": high}


def _days_field(name: str, label, help_text) -> forms.IntegerField:
    low, high = SETTING_LIMITS[name]
    # Lazy: formatted in the language of the request that shows it, not at import.
    message = lazy(_range_message, str)(low, high)
    return forms.IntegerField(
        label=label,
        min_value=low,
        max_value=high,
        initial=Organisation._meta.get_field(name).get_default(),
        help_text=help_text,
        error_messages={"required": message, "invalid": message, "min_value": message, "max_value": message},
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )


class OrganisationSettingsForm(RecordForm):
    edit_version = EditVersionField()
    name = name_field(
        _("Enter the organisation's name."),
        help_text=_("The provider's official name. It is written in the statutory notifications to counties."),
    )
    business_id = forms.CharField(
        label=_("Business ID"),
        max_length=9,
        required=False,
        validators=[validate_business_id],
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "placeholder": "1234567-8"}),
        help_text=_("The Finnish business ID (Y-tunnus) in the form 1234567-8. Its check digit is verified."),
    )
    address = forms.CharField(
        label=_("Address"), max_length=200, required=False,
        help_text=_("The postal address of the head office, e.g. Esimerkkikatu 1, 33100 Tampere."),
    )
    handling_start_working_days = _days_field(
        "handling_start_working_days",
        _("Handling must start within (working days)"),
        _(
            "If the handler has not started handling a report within this many working days of its "
            "submission, the report escalates to the handler's own manager. Weekends and public "
            "holidays are not counted. From 1 to 30."
        ),
    )
    handling_target_days = _days_field(
        "handling_target_days",
        _("Handling target (days)"),
        _(
            "A report's due date: this many calendar days after it was submitted. Reports past their "
            "due date are highlighted as overdue in the lists. From 1 to 365."
        ),
    )
    correction_due_days = _days_field(
        "correction_due_days",
        _("Correction deadline after a county notification (days)"),
        _(
            "When a critical shortcoming is notified to the purchasing county, it must be corrected within "
            "this many days. If it is not, the system offers escalation to the supervisory authority. "
            "From 1 to 90."
        ),
    )
    password_sign_in = sso.PasswordSignInField()  # the sign-in page's password form (organisation/sso.py)


class RiskMatrixForm(forms.Form):
    """One select per cell: rows are the consequence (none .. very serious),
    columns the likelihood of recurrence (1 .. 5). Fields `cell_<c>_<l>`."""

    @staticmethod
    def columns() -> list[dict]:
        """The likelihood headers: the number, and the words of its label (shown
        one per line, so that the columns stay as narrow as their selects)."""
        columns = []
        for value, label in Likelihood.choices:
            text = str(label)
            prefix = f"{value} – "
            words = (text[len(prefix):] if text.startswith(prefix) else text).split()
            columns.append({"value": value, "label": text, "words": words})
        return columns

    def __init__(self, *args, matrix=None, **kwargs):
        super().__init__(*args, **kwargs)
        # A malformed stored matrix is shown as the default, as classification reads it.
        if not risk.risk_matrix_is_valid(matrix):
            matrix = default_risk_matrix()
        consequences = dict(Consequence.choices)
        for c in Consequence.values:
            for li in Likelihood.values:
                self.fields[risk_matrix_cell_key(c, li)] = forms.ChoiceField(
                    label=_("Consequence “%(consequence)s”, likelihood %(likelihood)s")
                    % {"consequence": consequences[c], "likelihood": li},
                    choices=RiskLevel.choices,
                    initial=matrix[c][li - 1],
                    error_messages={"required": _("Choose a level."), "invalid_choice": _("Choose a level.")},
                )

    def rows(self) -> list[dict]:
        """The table to render: each consequence with its cells, each cell with
        its bound field and the level it shows now (what was typed, if any)."""
        rows = []
        for c, label in Consequence.choices:
            cells = []
            for li in Likelihood.values:
                bound = self[risk_matrix_cell_key(c, li)]
                level = bound.value()
                level = level if level in RiskLevel.values else ""
                attrs = bound.field.widget.attrs
                attrs["class"] = f"badge badge--{level}" if level else "badge"
                attrs["data-risk-cell"] = ""
                attrs["aria-label"] = bound.label
                if bound.errors:
                    attrs["aria-invalid"] = "true"
                cells.append({"field": bound, "level": level, "likelihood": li})
            rows.append({"consequence": c, "label": label, "cells": cells})
        return rows

    def cell_errors(self) -> list[str]:
        """Every message about a single cell, in the table's order."""
        return [
            message
            for c in Consequence.values
            for li in Likelihood.values
            for message in self.errors.get(risk_matrix_cell_key(c, li), [])
        ]

    def matrix(self) -> list[list[str]]:
        data = self.cleaned_data
        return [[data[risk_matrix_cell_key(c, li)] for li in Likelihood.values] for c in Consequence.values]


class AuthorityForm(RecordForm):
    edit_version = EditVersionField()
    name = name_field(
        _("Enter the authority's name."),
        help_text=_("For example Lupa- ja valvontavirasto (the national licensing and supervisory agency)."),
    )
    email = forms.EmailField(
        label=_("Notification e-mail address"),
        error_messages={
            "required": _("Enter the authority's e-mail address for notifications."),
            "invalid": _("Enter a valid e-mail address, for example kirjaamo@example.fi."),
        },
        help_text=_("The authority's registry address where escalations are sent."),
    )
    is_default = forms.BooleanField(
        label=_("Default recipient of escalations"),
        required=False,
        help_text=_(
            "When a shortcoming notified to a county has not been corrected by its due date, the escalation "
            "goes to this authority. Only one authority is the default: choosing this one clears the others."
        ),
    )


# --- Units, counties, regions ------------------------------------------------------------


class UnitFilterForm(forms.Form):
    region = forms.ModelChoiceField(
        label=_("Region"), queryset=Region.objects.none(), required=False, empty_label=_("All regions")
    )
    service_type = forms.ChoiceField(
        label=_("Service type"), choices=[("", _("All service types")), *ServiceType.choices], required=False
    )
    active = forms.ChoiceField(label=_("Active"), choices=ACTIVE_CHOICES, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = selectors.region_choices()


class UnitForm(forms.Form):
    edit_version = EditVersionField()
    name = name_field(_("Enter the unit's name."), max_length=150)
    service_type = forms.ChoiceField(
        label=_("Service type"), choices=ServiceType.choices, widget=forms.RadioSelect,
        error_messages={"required": _("Choose the service type.")},
    )
    region = forms.ModelChoiceField(
        label=_("Region"), queryset=Region.objects.none(), empty_label=_("Choose…"),
        error_messages={"required": _("Choose the region.")},
    )
    counties = ModelMultipleChoiceField(
        label=_("Purchasing wellbeing services counties"),
        queryset=WellbeingCounty.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The counties that buy this unit's services. They receive the statutory notifications."),
    )
    places = forms.IntegerField(
        label=_("Places"), required=False, min_value=0, max_value=999,
        help_text=_("Number of client places; leave empty for open care and aftercare teams."),
    )
    street_address = forms.CharField(label=_("Street address"), max_length=200, required=False)
    postal_code = forms.CharField(
        label=_("Postal code"), max_length=5, required=False, validators=[postal_code_validator],
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    city = forms.CharField(label=_("City"), max_length=100, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False, widget=forms.TextInput(attrs={"type": "tel"}))
    public_slug = forms.CharField(
        label=_("Public address"),
        max_length=80,
        required=False,
        help_text=_(
            "The last part of the unit's public web address, e.g. lastenkoti-koivu. "
            "Leave empty to make one from the name."
        ),
    )
    is_active = forms.BooleanField(
        label=_("Active"), required=False, initial=True,
        help_text=_("An inactive unit cannot be chosen for new reports or roles."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = selectors.region_choices()
        self.fields["counties"].queryset = selectors.county_choices()

    @staticmethod
    def initial_for(unit: Unit) -> dict:
        return {
            "edit_version": unit.edit_version,
            "name": unit.name,
            "service_type": unit.service_type,
            "region": unit.region_id,
            "counties": [c.pk for c in unit.counties.all()],
            "places": unit.places,
            "street_address": unit.street_address,
            "postal_code": unit.postal_code,
            "city": unit.city,
            "email": unit.email,
            "phone": unit.phone,
            "public_slug": unit.public_slug,
            "is_active": unit.is_active,
        }


class CountyForm(RecordForm):
    edit_version = EditVersionField()
    name = name_field(_("Enter the county's name."))
    notification_email = forms.EmailField(
        label=_("Address for critical notifications"),
        help_text=_("The county's registry address where statutory notifications of shortcomings are sent."),
    )
    lead_official_name = forms.CharField(label=_("Lead social-care official"), max_length=150)
    lead_official_email = forms.EmailField(label=_("Lead official's e-mail"))
    lead_official_phone = forms.CharField(
        label=_("Lead official's phone"), max_length=40, required=False, widget=forms.TextInput(attrs={"type": "tel"})
    )


class RegionForm(RecordForm):
    edit_version = EditVersionField()
    name = name_field(_("Enter the region's name."), max_length=100)


# --- People and memberships ------------------------------------------------------------------


class PersonFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"), required=False, max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Name or e-mail")}),
    )
    unit = UnitChoiceField(label=_("Unit"), required=False)
    role = forms.ChoiceField(label=_("Role"), required=False)
    active = forms.ChoiceField(label=_("Active"), choices=ACTIVE_CHOICES, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].load(_("All units"))
        self.fields["role"].choices = [*role_choices(_("All roles")), (selectors.NO_ROLE, _("No role"))]


class ScopeMixin:
    """Role + scope (whole organisation / one region / one unit). The radio says
    which; when it is not chosen, the chosen unit or region decides."""

    def _add_scope_fields(self, *, required_role: bool):
        self.fields["role"] = forms.ChoiceField(
            label=_("Role"),
            choices=role_choices(_("Choose…") if required_role else _("No role yet")),
            required=required_role,
        )
        self.fields["scope"] = forms.ChoiceField(
            label=_("Where the role applies"), choices=SCOPE_CHOICES, required=False, widget=forms.RadioSelect,
            help_text=_(
                "Employees, supervisors and responsible persons work in one unit; a regional director leads "
                "one region; group roles usually cover the whole organisation."
            ),
        )
        self.fields["region"] = forms.ModelChoiceField(
            label=_("Region"), queryset=selectors.region_choices(), required=False, empty_label=_("Choose…")
        )
        self.fields["unit"] = UnitChoiceField(label=_("Unit"), required=False, only_active=True)
        self.fields["unit"].load(_("Choose…"))

    def clean_scope_fields(self, cleaned):
        scope = cleaned.get("scope") or ""
        unit, region = cleaned.get("unit"), cleaned.get("region")
        if not cleaned.get("role"):
            cleaned["unit"] = cleaned["region"] = None
            return cleaned
        if not scope:
            scope = SCOPE_UNIT if unit else SCOPE_REGION if region else SCOPE_ORGANISATION
        if scope == SCOPE_UNIT:
            if unit is None and "unit" not in self.errors:
                self.add_error("unit", _("Choose the unit."))
            cleaned["region"] = None
        elif scope == SCOPE_REGION:
            if region is None and "region" not in self.errors:
                self.add_error("region", _("Choose the region."))
            cleaned["unit"] = None
        else:
            cleaned["unit"] = cleaned["region"] = None
        cleaned["scope"] = scope
        return cleaned


PERSON_NAME_MESSAGES = {"required": _("Enter the person's name.")}
PERSON_EMAIL_MESSAGES = {
    "required": _("Enter the person's e-mail address."),
    "invalid": _("Enter a valid e-mail address, for example etunimi.sukunimi@example.fi."),
}


class PersonCreateForm(ScopeMixin, forms.Form):
    full_name = forms.CharField(
        label=_("Name"), max_length=150, error_messages=PERSON_NAME_MESSAGES,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    email = forms.EmailField(
        label=_("E-mail address"), help_text=_("The person signs in with this address."),
        error_messages=PERSON_EMAIL_MESSAGES,
    )
    title = forms.CharField(label=_("Job title"), max_length=100, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False, widget=forms.TextInput(attrs={"type": "tel"}))
    password = forms.CharField(
        label=_("Initial password"),
        required=False,
        strip=False,
        widget=forms.TextInput(attrs={"autocomplete": "new-password", "spellcheck": "false"}),
        help_text=_(
            "Leave empty to generate one; it is shown once after saving. "
            "At least 10 characters, not a common word or only numbers."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._add_scope_fields(required_role=False)

    def clean(self):
        return self.clean_scope_fields(super().clean())

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "full_name": data["full_name"],
            "email": data["email"],
            "title": data["title"],
            "phone": data["phone"],
            "password": data["password"] or None,
            "role": data.get("role") or None,
            "unit": data.get("unit"),
            "region": data.get("region"),
        }


class PersonEditForm(RecordForm):
    full_name = forms.CharField(label=_("Name"), max_length=150, error_messages=PERSON_NAME_MESSAGES)
    email = forms.EmailField(
        label=_("E-mail address"), help_text=_("The person signs in with this address."),
        error_messages=PERSON_EMAIL_MESSAGES,
    )
    title = forms.CharField(label=_("Job title"), max_length=100, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False, widget=forms.TextInput(attrs={"type": "tel"}))
    is_active = forms.BooleanField(
        label=_("Active"), required=False,
        help_text=_("Remove the tick when the person leaves: they can no longer sign in. Their reports stay."),
    )


class MembershipForm(ScopeMixin, forms.Form):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "membership")
        super().__init__(*args, **kwargs)
        self._add_scope_fields(required_role=True)

    def clean(self):
        return self.clean_scope_fields(super().clean())


class PasswordSetForm(forms.Form):
    password = forms.CharField(
        label=_("New password"),
        required=False,
        strip=False,
        widget=forms.TextInput(attrs={"autocomplete": "new-password", "spellcheck": "false"}),
        help_text=_("Leave empty to generate one; it is shown once after saving."),
    )
