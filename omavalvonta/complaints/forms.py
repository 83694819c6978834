"""Forms of the complaint pages. They parse input; the rules live in
`services`, whose errors come back on the form (add_service_errors)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from omavalvonta.complaints.models import (
    ANSWER_DAYS_MAX,
    ANSWER_DAYS_MIN,
    ANSWER_MAX,
    CONTACT_MAX,
    NAME_MAX,
    SUBJECT_MAX,
    ComplainantKind,
    ReceivedVia,
    State,
)
from omavalvonta.core.forms import DateField, DateInput, UserChoiceField
from omavalvonta.organisation.unit_choice import RegionUnitChoice, RegionUnitFilter


class FilterForm(RegionUnitFilter):
    state = forms.ChoiceField(label=_("State"), required=False)
    late = forms.BooleanField(label=_("Answer late"), required=False)
    mine = forms.BooleanField(label=_("I handle"), required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [("", _("All states")), ("open", _("Not answered")), *State.choices]
        self.offer_units(units)

    def filters(self) -> dict:
        if not self.is_bound or not self.is_valid():
            return {}
        data = self.cleaned_data
        return {**self.scope_filters(), **{k: data[k] for k in ("state", "late", "mine") if data.get(k)}}


# The staff's form (a complaint received by letter, e-mail or in person): the public website has its own.
STAFF_CHANNELS = [c for c in ReceivedVia.choices if c[0] != ReceivedVia.PUBLIC_SITE]


class ComplaintForm(RegionUnitChoice):
    received_on = DateField(label=_("Received on"), widget=DateInput())
    received_via = forms.ChoiceField(label=_("Received as"), choices=STAFF_CHANNELS, widget=forms.RadioSelect)
    complainant_kind = forms.ChoiceField(
        label=_("Who made the complaint"), choices=ComplainantKind.choices, widget=forms.RadioSelect
    )
    complainant_name = forms.CharField(
        label=_("The complainant's name"), max_length=NAME_MAX,
        help_text=_("Personal data: shown on the complaint's page only, never in e-mails or lists."),
    )
    complainant_contact = forms.CharField(
        label=_("Where the written answer is sent"), max_length=CONTACT_MAX, required=False,
        help_text=_("An address, e-mail or phone number; empty when the answer is handed over in person."),
    )
    subject = forms.CharField(
        label=_("What the complaint is about"), max_length=SUBJECT_MAX, widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("In short. Keep the letter itself in the client's documents."),
    )
    handle_myself = forms.BooleanField(label=_("I handle this complaint myself"), required=False, initial=True)

    def __init__(self, *args, units, region_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.order_fields(["region", "unit"])
        self.offer_units(units, region_id=region_id)


class AssignForm(forms.Form):
    def __init__(self, *args, people, current=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handler"] = UserChoiceField(
            label=_("Handler"), people=people, blank_label=_("Choose the handler"), sort=False,
            initial=str(current.pk) if current else "",
        )


class AnswerForm(forms.Form):
    answered_on = DateField(label=_("Date of the written answer"), widget=DateInput())
    answer_summary = forms.CharField(
        label=_("The gist of the answer"), max_length=ANSWER_MAX, widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What was found and what will be done. The answer itself is kept in the client's documents."),
    )


class SettingsForm(forms.Form):
    answer_days = forms.IntegerField(
        label=_("Days to answer"), min_value=ANSWER_DAYS_MIN, max_value=ANSWER_DAYS_MAX,
        help_text=_(
            "The law asks for a written, reasoned answer within a reasonable time (Social Welfare Client Act "
            "812/2000, section 23). The due date of each complaint is fixed when it is received."
        ),
    )
