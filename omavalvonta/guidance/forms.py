"""Forms of the guidance pages. They parse input only; the rules live in
`services`, whose ValidationErrors are put back on the form with
`add_service_errors`."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from omavalvonta.core.forms import (
    DateField,
    DateInput,
    EditVersionField,
    ModelMultipleChoiceField,
    MultipleFileField,
    UserChoiceField,
)
from omavalvonta.guidance.models import Kind, State
from omavalvonta.organisation.models import Authority, WellbeingCounty
from omavalvonta.organisation.unit_choice import RegionUnitFilter


def _sender_choices():
    authorities = [(f"a{a.pk}", a.name) for a in Authority.objects.order_by("name")]
    counties = [(f"c{c.pk}", c.name) for c in WellbeingCounty.objects.order_by("name")]
    return [
        ("", _("Choose the sender")),
        (_("Supervisory authorities"), authorities),
        (_("Wellbeing services counties"), counties),
    ]


CHECKBOX_UNITS_MAX = 12


class RegisterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices, widget=forms.RadioSelect)
    sender = forms.ChoiceField(label=_("Sender"))
    sender_reference = forms.CharField(
        label=_("Sender's reference or diary number"), max_length=100, required=False
    )
    received_on = DateField(label=_("Received on"), widget=DateInput())
    title = forms.CharField(label=_("Title"), max_length=250)
    content = forms.CharField(
        label=_("Content"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What the sender asks or decides, in short. Attach the letter itself below."),
    )
    deadline = DateField(
        label=_("Deadline"),
        widget=DateInput(),
        required=False,
        help_text=_("Required for a request for explanation."),
    )
    units = ModelMultipleChoiceField(
        label=_("Units concerned"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    applies_to_all_units = forms.BooleanField(
        label=_("Affects all units"),
        required=False,
        help_text=_("Also when the letter was addressed to one unit only."),
    )
    assignee = UserChoiceField(sort=False, label=_("Responsible for the response"), people=(), required=False)
    attachments = MultipleFileField(
        label=_("Attachments"),
        required=False,
        help_text=_("The letter or decision: PDF or images, at most 5 files."),
    )

    def __init__(self, *args, units, people, **kwargs):
        kwargs.setdefault("initial", {"received_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.fields["sender"].choices = _sender_choices()
        self.fields["units"].queryset = units
        # A handful of units: tappable checkboxes. A director's dozens: a list box.
        self.units_as_checkboxes = units.count() <= CHECKBOX_UNITS_MAX
        if not self.units_as_checkboxes:
            self.fields["units"].widget = forms.SelectMultiple(attrs={"size": 8})
            self.fields["units"].widget.choices = self.fields["units"].choices
            self.fields["units"].help_text = _("Hold Ctrl (or Cmd) to choose several.")
        self.fields["assignee"] = UserChoiceField(sort=False, 
            label=_("Responsible for the response"),
            people=people,
            blank_label=_("Name later"),
            required=False,
            help_text=_("Usually the responsible person of the unit."),
        )

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        sender = data["sender"]
        authority = county = None
        if sender.startswith("a"):
            authority = Authority.objects.filter(pk=sender[1:]).first()
        elif sender.startswith("c"):
            county = WellbeingCounty.objects.filter(pk=sender[1:]).first()
        return {
            "kind": data["kind"],
            "authority": authority,
            "county": county,
            "sender_reference": data["sender_reference"],
            "received_on": data["received_on"],
            "title": data["title"],
            "content": data["content"],
            "deadline": data["deadline"],
            "units": list(data["units"]),
            "applies_to_all_units": data["applies_to_all_units"],
            "assignee": data["assignee"],
            "attachments": data["attachments"],
        }


class FilterForm(RegionUnitFilter):
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    state = forms.ChoiceField(label=_("State"), required=False)
    overdue = forms.BooleanField(label=_("Deadline passed"), required=False)
    mine = forms.BooleanField(label=_("Mine to prepare"), required=False)

    # The filter bar's order (components/filters.html).
    field_order = ["kind", "state", "region", "unit"]

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("All kinds")), *Kind.choices]
        self.fields["state"].choices = [("", _("All states")), ("open", _("Not closed")), *State.choices]
        self.offer_units(units)

    def filters(self) -> dict:
        if not self.is_bound or not self.is_valid():
            return {}
        data = self.cleaned_data
        return {**self.scope_filters(), **{k: data[k] for k in ("kind", "state", "overdue", "mine") if data.get(k)}}


class ResponseForm(forms.Form):
    response = forms.CharField(
        label=_("Response"),
        widget=forms.Textarea(attrs={"rows": 10}),
        required=False,
        help_text=_("The text that will be sent to the sender. Save a draft as often as you like."),
    )
    edit_version = EditVersionField()


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve the response")), ("return", _("Return for changes"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Required when you return the response."),
    )
    response_date = DateField(
        label=_("Response date"),
        widget=DateInput(),
        required=False,
        help_text=_("When the response is sent to the sender; today if left empty."),
    )


class AssignForm(forms.Form):
    def __init__(self, *args, people, current=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"] = UserChoiceField(sort=False, 
            label=_("Responsible for the response"),
            people=people,
            blank_label=_("Choose the person"),
            initial=str(current.pk) if current else None,
        )


class ActionForm(forms.Form):
    title = forms.CharField(label=_("What is done"), max_length=300)
    due_date = DateField(label=_("Due date"), widget=DateInput())

    def __init__(self, *args, units, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"] = forms.ModelChoiceField(label=_("Unit"), queryset=units, empty_label=None)
        self.fields["owner"] = UserChoiceField(sort=False, label=_("Owner"), people=people, blank_label=_("Choose the owner"))
        self.order_fields(["title", "unit", "owner", "due_date"])


class InstructionsForm(forms.Form):
    instructions = forms.CharField(
        label=_("Instructions to staff"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What changes in everyday work. Everyone in the units concerned is asked to acknowledge it."),
    )
