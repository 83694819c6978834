"""The record form of a restrictive measure: input parsing only; the law's
rules live in `services` and `law`."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from omavalvonta.core.forms import DateField, DateInput, DateTimeField, DateTimeLocalInput
from omavalvonta.restrictions import law
from omavalvonta.restrictions.models import DeliveryTo, RecordKind

YES_NO = [("yes", _("Yes")), ("no", _("No"))]
TEXT_FIELDS = ("details", "reason", "milder_means", "child_view", "child_not_heard_reason", "injuries")


def _area(rows=3):
    return forms.Textarea(attrs={"rows": rows, "autocomplete": "off"})


class RestrictionForm(forms.Form):
    measure = forms.ChoiceField(label=_("Which measure?"), choices=(), widget=forms.RadioSelect)
    record_kind = forms.ChoiceField(
        label=_("What do you record?"), choices=RecordKind.choices, widget=forms.RadioSelect,
        help_text=_("Only the person the law lets decide a measure records a decision. Others record an account."),
    )
    started_at = DateTimeField(label=_("Started"), widget=DateTimeLocalInput())
    ended_at = DateTimeField(
        label=_("Ended"), widget=DateTimeLocalInput(), required=False,
        help_text=_("Leave empty while the measure is still in force."),
    )
    details = forms.CharField(label=_("What was done?"), widget=_area(), required=False)
    reason = forms.CharField(
        label=_("Why was it necessary? What would have happened otherwise?"), widget=_area(), required=False
    )
    milder_means = forms.CharField(
        label=_("Which milder means were tried first?"), widget=_area(), required=False,
        help_text=_("For example talking, calming down together, giving time and space."),
    )
    conditions_confirmed = forms.BooleanField(
        label=_("The measure was proportionate, the mildest that sufficed, respected the child's dignity and was not "
                "a punishment."),
        required=False,
    )
    decided_by_name = forms.CharField(
        label=_("Who decided?"), max_length=150, required=False,
        help_text=_("For an account of a decision: the name and title of the person who decided."),
    )
    carried_out_by = forms.CharField(label=_("Who carried it out?"), max_length=300, required=False)
    child_heard = forms.ChoiceField(
        label=_("Was the child heard?"), choices=YES_NO, widget=forms.RadioSelect, required=False
    )
    child_view = forms.CharField(label=_("The child's view"), widget=_area(), required=False)
    child_not_heard_reason = forms.CharField(
        label=_("Why could the child not be heard?"), widget=_area(2), required=False
    )
    injuries = forms.CharField(
        label=_("Injuries, if any"), widget=_area(2), required=False, help_text=_("To the child or to others.")
    )
    deviation_id = forms.IntegerField(
        label=_("Related deviation report number"), required=False, min_value=1, max_value=2**53,
        help_text=_("If something went wrong and a deviation was reported."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measure"].choices = law.choices()
        self.fields["deviation_id"].widget.attrs.update({"inputmode": "numeric"})
        if not self.is_bound:
            self.fields["started_at"].initial = timezone.localtime().replace(second=0, microsecond=0)

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        heard = data.get("child_heard")
        return {
            "measure": data.get("measure"),
            "record_kind": data.get("record_kind"),
            "started_at": data.get("started_at"),
            "ended_at": data.get("ended_at"),
            "conditions_confirmed": bool(data.get("conditions_confirmed")),
            "decided_by_name": data.get("decided_by_name"),
            "carried_out_by": data.get("carried_out_by"),
            "child_heard": {"yes": True, "no": False}.get(heard),
            "deviation_id": data.get("deviation_id"),
            **{name: data.get(name) for name in TEXT_FIELDS},
        }


class DebriefForm(forms.Form):
    debrief_at = DateTimeField(label=_("When was the debrief held?"), widget=DateTimeLocalInput())
    debrief_notes = forms.CharField(
        label=_("What was talked about with the child?"), widget=_area(4), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.fields["debrief_at"].initial = timezone.localtime().replace(second=0, microsecond=0)


class DocumentForm(forms.Form):
    reasoning = forms.CharField(label=_("Reasoning"), widget=_area(6), required=False)
    correction_reason = forms.CharField(
        label=_("Why is a corrected version needed?"), widget=_area(3), required=False,
        help_text=_("The signed version stays readable; this one replaces it."),
    )


class HandoverForm(forms.Form):
    to = forms.ChoiceField(label=_("Given to"), choices=DeliveryTo.choices, widget=forms.RadioSelect)
    given_on = DateField(label=_("Given on"), widget=DateInput())
    how = forms.CharField(label=_("How?"), max_length=200, required=False, help_text=_("In person, by post..."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.fields["given_on"].initial = timezone.localdate()


class FlagForm(forms.Form):
    handling = forms.CharField(label=_("How was the situation handled?"), widget=_area(3), required=False)


class GoalForm(forms.Form):
    per_month = forms.IntegerField(label=_("At most this many measures a month"), min_value=0, max_value=10000)
    starts_on = DateField(label=_("From"), widget=DateInput())
    note = forms.CharField(label=_("How we get there"), max_length=300, required=False)
