"""Forms of the placement pages: input parsing only; the rules live in `services`."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from omavalvonta.clients.models import PlacementType
from omavalvonta.core.forms import DateField, DateInput, EditVersionField, UserChoiceField


class PlacementForm(forms.Form):
    edit_version = EditVersionField()
    name = forms.CharField(
        label=_("Name used in the unit, or initials"),
        max_length=60,
        help_text=_("No personal identity code: the client information system keeps the record of care."),
    )
    birth_year = forms.IntegerField(label=_("Birth year"), min_value=1900, max_value=2100)
    placement_type = forms.ChoiceField(label=_("Type"), choices=PlacementType.choices, widget=forms.RadioSelect)
    starts_on = DateField(label=_("Placement start"), widget=DateInput())
    county = forms.ModelChoiceField(
        label=_("Placing wellbeing services county"), queryset=None, empty_label=_("Choose the county")
    )
    social_worker_name = forms.CharField(label=_("Social worker's name"), max_length=150)
    social_worker_email = forms.EmailField(label=_("Social worker's work e-mail"), max_length=254)
    social_worker_phone = forms.CharField(label=_("Social worker's phone"), max_length=40, required=False)
    client_plan_on = DateField(
        label=_("Client plan dated"),
        required=False,
        widget=DateInput(),
        help_text=_("The county social worker's plan (asiakassuunnitelma)."),
    )
    care_plan_on = DateField(
        label=_("Care-and-upbringing plan dated"),
        required=False,
        widget=DateInput(),
        help_text=_("The unit's plan for the child, which follows the client plan."),
    )

    def __init__(self, *args, counties, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].queryset = counties
        # The child's personal worker (omaohjaaja), optional: from the unit's staff.
        self.fields["personal_worker"] = UserChoiceField(
            people=people, blank_label=_("No one named"), required=False, label=_("Personal worker"),
            help_text=_("The worker reminded of the child's functional-capacity measurements."),
        )
        self.fields["birth_year"].widget.attrs.update({"inputmode": "numeric"})
        self.fields["social_worker_email"].widget.attrs.update({"autocomplete": "off"})
        self.fields["social_worker_phone"].widget.attrs.update({"inputmode": "tel", "autocomplete": "off"})
        self.fields["name"].widget.attrs.update({"autocomplete": "off"})

    # The placement's fields the form edits (the service takes them by these names).
    FIELDS = (
        "name", "birth_year", "placement_type", "starts_on", "county", "social_worker_name",
        "social_worker_email", "social_worker_phone", "client_plan_on", "care_plan_on", "personal_worker",
    )

    def service_kwargs(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self.FIELDS}

    @classmethod
    def initial_from(cls, placement) -> dict:
        """The form filled in from `placement`: a chosen county or person by id."""
        values = {name: getattr(placement, placement._meta.get_field(name).attname) for name in cls.FIELDS}
        return {"edit_version": placement.edit_version, **values, "personal_worker": values["personal_worker"] or ""}

    def conflict_value(self, name, record):
        if name == "county":
            return record.county
        if name == "personal_worker":
            return record.personal_worker
        return getattr(record, name, None)


class EndForm(forms.Form):
    ends_on = DateField(
        label=_("The placement ended on"),
        widget=DateInput(),
        help_text=_("The day the child left the unit. The record is kept; the child leaves the daily lists."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ends_on"].initial = timezone.localdate()
