"""Input parsing of the competence pages; the rules live in `services`."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from omavalvonta.core.forms import DateField, MultipleFileField, UserChoiceField
from omavalvonta.people.models import OrientationRole, OrientationTheme, QualificationKind, RegistrationResult

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RecordForm(forms.Form):
    """The fields a record of `qtype` holds: a registration check its number and
    result, a medication permit its scope and end; only a type that takes a
    certificate gets a file input (never the criminal-record check)."""

    done_on = DateField(label=_("Date"), widget=DATE_WIDGET)
    registration_number = forms.CharField(label=_("Registration number"), max_length=40, required=False)
    result = forms.ChoiceField(
        label=_("What did the register show?"), choices=RegistrationResult.choices, widget=forms.RadioSelect,
        required=False,
    )
    scope = forms.CharField(label=_("What the permit covers"), max_length=300, required=False)
    valid_until = DateField(label=_("Valid until"), widget=DATE_WIDGET, required=False)
    provider = forms.CharField(label=_("Provider of the training"), max_length=150, required=False)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)
    certificate = MultipleFileField(label=_("Certificate (image or PDF)"), required=False)

    def __init__(self, *args, qtype, **kwargs):
        super().__init__(*args, **kwargs)
        self.qtype = qtype
        kind = qtype.kind
        labels = {
            QualificationKind.REGISTRATION: _("Date checked in Julki-Terhikki / Julki-Suosikki"),
            QualificationKind.CRIMINAL_RECORD: _("Date of the extract that was seen"),
            QualificationKind.MEDICATION_PERMIT: _("Date granted"),
        }
        self.fields["done_on"].label = labels.get(kind, _("Date completed"))
        if kind != QualificationKind.REGISTRATION:
            del self.fields["registration_number"], self.fields["result"]
        else:
            for name, message in (
                ("registration_number", _("Give the registration number from the register.")),
                ("result", _("Choose what the register showed.")),
            ):
                self.fields[name].required = True
                self.fields[name].error_messages["required"] = message
        if kind != QualificationKind.MEDICATION_PERMIT:
            del self.fields["scope"]
        else:
            self.fields["scope"].required = True
            self.fields["scope"].error_messages["required"] = _("Describe what the permit covers.")
        if kind in (QualificationKind.REGISTRATION, QualificationKind.CRIMINAL_RECORD):
            del self.fields["provider"]
        if kind == QualificationKind.CRIMINAL_RECORD:
            self.fields["note"].help_text = _("Do not write down anything the extract says.")
        if kind == QualificationKind.CRIMINAL_RECORD or not qtype.refresh_months and kind != QualificationKind.MEDICATION_PERMIT:
            del self.fields["valid_until"]
        elif qtype.refresh_months:
            self.fields["valid_until"].help_text = _("Leave empty: %(months)s months from the date.") % {
                "months": qtype.refresh_months
            }
        if not qtype.takes_file:
            del self.fields["certificate"]

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        kwargs = {"done_on": data.get("done_on"), "note": data.get("note", "")}
        for name in ("registration_number", "result", "scope", "provider", "valid_until"):
            if name in self.fields:
                kwargs[name] = data.get(name) or ("" if name != "valid_until" else None)
        return kwargs


class RequirementForm(forms.Form):
    medication_permits = forms.IntegerField(label=_("Valid medication permits needed"), min_value=0, max_value=200)
    first_aid = forms.IntegerField(label=_("Valid first-aid certificates needed"), min_value=0, max_value=200)


# --- Orientation --------------------------------------------------------------------------------------


class OrientationStartForm(forms.Form):
    """Starting a newcomer's orientation: the people are the unit's staff."""

    newcomer = UserChoiceField(people=[], label=_("Newcomer"), blank_label="—")
    role = forms.ChoiceField(label=_("Orientation card (role)"), choices=OrientationRole.choices)
    mentor = UserChoiceField(people=[], label=_("Main mentor"), blank_label="—")
    started_on = DateField(label=_("Start date"), widget=DATE_WIDGET)

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("newcomer", "mentor"):
            self.fields[name] = UserChoiceField(people=staff, label=self.fields[name].label, blank_label="—")
        self.fields["newcomer"].error_messages["required"] = _("Choose the newcomer.")
        self.fields["newcomer"].error_messages["invalid_choice"] = _("Choose a member of the unit's staff as the newcomer.")
        self.fields["mentor"].error_messages["required"] = _("Choose the main mentor.")
        self.fields["mentor"].error_messages["invalid_choice"] = _("The mentor must be a member of the unit's staff.")
        self.fields["started_on"].error_messages["required"] = _("Give the start date.")


class EvaluationForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("Score"), coerce=int, choices=[(n, str(n)) for n in range(1, 6)], widget=forms.RadioSelect,
        error_messages={"required": _("Give a score from 1 to 5."), "invalid_choice": _("Give a score from 1 to 5.")},
    )
    text = forms.CharField(
        label=_("How did the orientation go?"), max_length=1000, widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Write a few words of how the orientation went.")},
    )


class EvaluationActionForm(forms.Form):
    title = forms.CharField(label=_("What will be done"), max_length=300)
    owner = UserChoiceField(people=[], label=_("Owner"))
    due_date = DateField(label=_("Due date"), widget=DATE_WIDGET)

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"] = UserChoiceField(people=staff, label=_("Owner"))


class CardItemForm(forms.Form):
    theme = forms.ChoiceField(label=_("Theme"), choices=OrientationTheme.choices)
    text = forms.CharField(
        label=_("Item (Finnish)"), max_length=300, error_messages={"required": _("Write the item in Finnish.")}
    )
    text_sv = forms.CharField(label=_("Item (Swedish)"), max_length=300, required=False)
    text_en = forms.CharField(label=_("Item (English)"), max_length=300, required=False)
    target_day = forms.IntegerField(
        label=_("Target day (days from the start: 0 first shift, 7 first week, 30 first month)"), min_value=0,
        max_value=365,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        message = _("Give the target day as days from the start, 0 to %(max)s.") % {"max": 365}
        for key in ("required", "invalid", "min_value", "max_value"):
            self.fields["target_day"].error_messages[key] = message
    needs_ack = forms.BooleanField(label=_("The newcomer acknowledges reading it"), required=False)


class OrientationStepForm(forms.Form):
    """One step on an orientation's checklist: tick an item, take the tick back, or acknowledge reading it."""

    item = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    step = forms.ChoiceField(
        choices=[(step, step) for step in ("tick", "untick", "ack")],
        widget=forms.HiddenInput,
    )


# --- Training, development discussions, the recruitment plan ------------------------------------------


class TrainingForm(forms.Form):
    course = forms.CharField(label=_("Course"), max_length=200, error_messages={"required": _("Give the name of the course.")})
    done_on = DateField(label=_("Date"), widget=DATE_WIDGET, error_messages={"required": _("Give the date.")})
    hours = forms.DecimalField(
        label=_("Hours"), min_value=0.1, max_value=999.9, decimal_places=1, localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    provider = forms.CharField(label=_("Provider"), max_length=150, required=False)
    certificate = MultipleFileField(label=_("Certificate (image or PDF)"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        message = _("Give the hours as a number from 0.1 to 999.9.")
        for key in ("required", "invalid", "min_value", "max_value", "max_decimal_places", "max_digits"):
            self.fields["hours"].error_messages[key] = message


class DiscussionForm(forms.Form):
    held_on = DateField(label=_("Date held"), widget=DATE_WIDGET, error_messages={"required": _("Give the date.")})


class RecruitmentPlanForm(forms.Form):
    text = forms.CharField(
        label=_("The competence the unit's children need"), max_length=4000,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": _("Write the competence the unit's children need.")},
    )
