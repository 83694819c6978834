"""Forms of organisation administration. They parse and check what a clerk typed;
the business rules (duplicates, which role needs which scope) live in
`services.py`, whose `ValidationError`s are keyed by these forms' field names."""

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from omavalvonta.organisation import selectors
from omavalvonta.organisation.models import Region, Role, ServiceType, Unit, WellbeingCounty

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
    name = forms.CharField(
        label=_("Name"), max_length=150, error_messages={"required": _("Enter the unit's name.")}
    )
    service_type = forms.ChoiceField(
        label=_("Service type"), choices=ServiceType.choices, widget=forms.RadioSelect,
        error_messages={"required": _("Choose the service type.")},
    )
    region = forms.ModelChoiceField(
        label=_("Region"), queryset=Region.objects.none(), empty_label=_("Choose…"),
        error_messages={"required": _("Choose the region.")},
    )
    counties = forms.ModelMultipleChoiceField(
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


class CountyForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=200, error_messages={"required": _("Enter the county's name.")}
    )
    notification_email = forms.EmailField(
        label=_("Address for critical notifications"),
        help_text=_("The county's registry address where statutory notifications of shortcomings are sent."),
    )
    lead_official_name = forms.CharField(label=_("Lead social-care official"), max_length=150)
    lead_official_email = forms.EmailField(label=_("Lead official's e-mail"))
    lead_official_phone = forms.CharField(
        label=_("Lead official's phone"), max_length=40, required=False, widget=forms.TextInput(attrs={"type": "tel"})
    )

    @staticmethod
    def initial_for(county: WellbeingCounty) -> dict:
        return {name: getattr(county, name) for name in CountyForm.base_fields}


class RegionForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=100, error_messages={"required": _("Enter the region's name.")}
    )


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


class PersonEditForm(forms.Form):
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

    @staticmethod
    def initial_for(person) -> dict:
        return {name: getattr(person, name) for name in PersonEditForm.base_fields}


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
