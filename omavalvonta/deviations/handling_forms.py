"""Forms of the handler's later steps on the report page: who was informed, and
the answers to the programme's three handling questions. They parse only; the
rules live in services/informed.py and services/decisions.py."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from omavalvonta.core.forms import DateField, DateInput, EditVersionField, UserChoiceField
from omavalvonta.core.widgets import QuickSelect
from omavalvonta.deviations.models import InformedParty, InstructionFollowed


class InformedForm(forms.Form):
    party = forms.ChoiceField(
        label=_("Who was informed?"), choices=[("", _("Choose")), *InformedParty.choices], widget=QuickSelect
    )
    informed_on = DateField(label=_("When?"), widget=DateInput())
    informed_by = forms.CharField(
        label=_("Who informed them?"),
        max_length=200,
        help_text=_("For example the nurse on call, or the name of the one who called the police."),
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["informed_on"].initial = timezone.localdate()
        if actor is not None:
            self.fields["informed_by"].initial = actor.full_name
        self.fields["informed_by"].widget.attrs["autocomplete"] = "off"
        self.fields["note"].widget.attrs["autocomplete"] = "off"


YES_NO = [("yes", _("Yes")), ("no", _("No"))]


def _yes_no(value) -> bool | None:
    return {"yes": True, "no": False}.get(value)


class DecisionsForm(forms.Form):
    """The three handling questions, and the proposal when the instruction must change."""

    instruction_followed = forms.ChoiceField(
        label=_("Was the instruction followed?"),
        choices=InstructionFollowed.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Answer: was the instruction followed?")},
    )
    must_change = forms.TypedChoiceField(
        label=_("Must the instruction change?"),
        choices=YES_NO,
        coerce=_yes_no,
        widget=forms.RadioSelect,
        error_messages={"required": _("Answer: must the instruction change?")},
    )
    outside_needed = forms.TypedChoiceField(
        label=_("Is an outside party needed?"),
        choices=YES_NO,
        coerce=_yes_no,
        widget=forms.RadioSelect,
        error_messages={"required": _("Answer: is an outside party needed?")},
    )
    outside_party = forms.CharField(
        label=_("Which outside party?"),
        max_length=200,
        required=False,
        help_text=_("For example occupational health care, the police or the child's social worker."),
    )
    instruction = forms.CharField(
        label=_("Which instruction must change?"),
        max_length=300,
        required=False,
        help_text=_("Only when the instruction must change: its name, or where it is kept."),
    )
    proposal = forms.CharField(
        label=_("How should it change?"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    edit_version = EditVersionField()

    def __init__(self, *args, candidates=(), deviation=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible"] = UserChoiceField(
            people=candidates,
            label=_("Who decides the change?"),
            blank_label=_("Choose a person"),
            required=False,
            help_text=_("The person responsible for the instruction in the group's administration."),
            widget=QuickSelect,
        )
        self.order_fields(
            ["instruction_followed", "must_change", "outside_needed", "outside_party", "instruction", "proposal"]
        )
        if deviation is not None and not self.is_bound:
            yes_no = {True: "yes", False: "no"}
            self.initial.update(
                {
                    "instruction_followed": deviation.instruction_followed,
                    "must_change": yes_no.get(deviation.instruction_must_change),
                    "outside_needed": yes_no.get(deviation.outside_party_needed),
                    "outside_party": deviation.outside_party,
                    "edit_version": deviation.edit_version,
                }
            )


class ProposalDecisionForm(forms.Form):
    accepted = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("yes", _("Accept: the instruction will change")), ("no", _("Reject: the instruction stays"))],
        coerce=_yes_no,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether the proposal is accepted or rejected.")},
    )
    note = forms.CharField(
        label=_("Decision note"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What will be done and by when, or why the instruction stays."),
    )
    decided_on = DateField(label=_("Date of the decision"), widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decided_on"].initial = timezone.localdate()
