"""Forms of the handler's later steps on the report page: who was informed, and
the answers to the programme's three handling questions. They parse only; the
rules live in services/informed.py and services/decisions.py."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from omavalvonta.core.forms import DateField, DateInput
from omavalvonta.deviations.models import InformedParty


class InformedForm(forms.Form):
    party = forms.ChoiceField(label=_("Who was informed?"), choices=[("", _("Choose")), *InformedParty.choices])
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
