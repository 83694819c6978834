"""Forms of the risk pages: input parsing only; the rules live in `services`."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from omavalvonta.core.forms import DateField, DateInput, EditVersionField, ModelMultipleChoiceField
from omavalvonta.core.widgets import QuickSelect
from omavalvonta.organisation.risk import Consequence, Likelihood
from omavalvonta.organisation.unit_choice import RegionUnitFilter
from omavalvonta.risks.models import RiskCategory


class RiskForm(forms.Form):
    edit_version = EditVersionField()
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=None, empty_label=_("Choose the unit"))
    category = forms.ChoiceField(label=_("Category"), choices=RiskCategory.choices)
    title = forms.CharField(label=_("Risk"), max_length=200, help_text=_("What could happen, in a few words."))
    description = forms.CharField(label=_("Description"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))
    likelihood = forms.TypedChoiceField(label=_("Likelihood"), coerce=int, choices=Likelihood.choices, widget=forms.RadioSelect)
    consequence = forms.TypedChoiceField(label=_("Consequence"), coerce=int, choices=Consequence.choices, widget=forms.RadioSelect)
    controls = forms.CharField(
        label=_("Existing controls"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What already reduces the risk: instructions, training, equipment."),
    )
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=None, required=False, empty_label=_("No owner named"))
    next_review = DateField(label=_("Next review"), required=False, widget=DateInput())
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args, units, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["owner"].queryset = people


class FilterForm(RegionUnitFilter):
    # QuickSelect: Django's select markup without a template per option.
    category = forms.ChoiceField(
        label=_("Category"), choices=[("", _("All categories")), *RiskCategory.choices], required=False, widget=QuickSelect
    )
    active = forms.ChoiceField(
        label=_("Show"), choices=[("", _("Active risks")), ("all", _("Also retired"))], required=False, widget=QuickSelect
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.offer_units(units)

    def filters(self) -> dict:
        if not self.is_bound or not self.is_valid():
            return {}
        data = self.cleaned_data
        return {**self.scope_filters(), **{k: data[k] for k in ("category", "active") if data.get(k)}}


class AssessmentForm(forms.Form):
    held_on = DateField(label=_("Date"), widget=DateInput())
    participants = ModelMultipleChoiceField(
        label=_("Participants"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    other_participants = forms.CharField(label=_("Other participants"), max_length=300, required=False)
    risks = ModelMultipleChoiceField(
        label=_("Risks reviewed"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    next_review = DateField(
        label=_("Next review of the reviewed risks"), required=False, widget=DateInput()
    )
    summary = forms.CharField(label=_("Summary"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, people, risks, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participants"].queryset = people
        self.fields["risks"].queryset = risks


class LinkForm(forms.Form):
    risk = forms.ModelChoiceField(label=_("Known risk"), queryset=None, empty_label=_("Choose the risk"))

    def __init__(self, *args, risks, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["risk"].queryset = risks
