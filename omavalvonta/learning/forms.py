"""Forms of the learning pages: they parse and show; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from omavalvonta.core.forms import DateField, DateInput, EditVersionField, UserChoiceField, UserMultipleChoiceField
from omavalvonta.learning.models import QUESTIONS
from omavalvonta.organisation.models import ServiceType


class ReviewForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=250)
    facilitator = forms.ChoiceField(label=_("Facilitator"))
    participants = forms.MultipleChoiceField(label=_("Participants"), required=False)
    due_date = DateField(label=_("To be completed by"), widget=DateInput())
    deviations = forms.MultipleChoiceField(
        label=_("Linked deviations"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, people, deviations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["facilitator"] = UserChoiceField(
            label=_("Facilitator"), people=people, blank_label=_("Choose the facilitator"),
            help_text=_("Leads the review and writes its answers and summary."),
        )
        self.fields["participants"] = UserMultipleChoiceField(
            label=_("Participants"), people=people, required=False, widget=forms.CheckboxSelectMultiple
        )
        self.fields["deviations"].choices = [(str(d.pk), f"{d.number} · {d.get_kind_display()}") for d in deviations]
        if not deviations:
            del self.fields["deviations"]


class AnswersForm(forms.Form):
    edit_version = EditVersionField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field, label in QUESTIONS:
            self.fields[field] = forms.CharField(
                label=label, required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
            )


class ActionForm(forms.Form):
    unit = forms.ChoiceField(label=_("Unit"))
    title = forms.CharField(label=_("What is done"), max_length=300)
    owner = forms.ChoiceField(label=_("Owner"))
    due_date = DateField(label=_("Due date"), widget=DateInput())

    def __init__(self, *args, units, people, **kwargs):
        super().__init__(*args, **kwargs)
        self._units = {str(u.pk): u for u in units}
        self.fields["unit"].choices = [(pk, u.name) for pk, u in self._units.items()]
        if len(self._units) == 1:
            self.fields["unit"].widget = forms.HiddenInput()
            self.fields["unit"].initial = next(iter(self._units))
        self.fields["owner"] = UserChoiceField(label=_("Owner"), people=people, blank_label=_("Choose the owner"))

    def clean_unit(self):
        return self._units.get(self.cleaned_data["unit"])


class CompleteForm(forms.Form):
    summary = forms.CharField(
        label=_("Learning summary"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "A short text for other units: what happened in general terms and what we learn. "
            "No names, no details that identify a child or a member of staff."
        ),
    )


class ShareForm(forms.Form):
    service_type = forms.ChoiceField(
        label=_("Share with"),
        required=False,
        choices=[("", _("Every unit")), *ServiceType.choices],
    )
