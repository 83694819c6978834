"""Forms of the audit and continuity pages: parsing only; rules live in `services`."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from omavalvonta.audits.models import AnswerResult, AuditKind, FindingKind, ReadinessRole
from omavalvonta.core.forms import (
    DateField,
    DateInput,
    EditVersionField,
    ModelMultipleChoiceField,
    UserChoiceField,
    UserMultipleChoiceField,
)


class ChecklistForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    criteria_text = forms.CharField(
        label=_("Criteria"), widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("One criterion a line, in the order they are assessed."),
    )
    is_active = forms.BooleanField(label=_("In use"), required=False, initial=True)
    edit_version = EditVersionField()

    def conflict_value(self, name, record):
        if name == "criteria_text":
            return "\n".join(c.text for c in record.criteria.all() if c.position < 1000)
        return getattr(record, name, None)


class SelfAssessmentForm(forms.Form):
    held_on = DateField(label=_("Date"), widget=DateInput())
    summary = forms.CharField(label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for c in self.criteria:
            self.fields[f"c{c.pk}"] = forms.ChoiceField(label=c.text, choices=AnswerResult.choices, widget=forms.RadioSelect)
            self.fields[f"n{c.pk}"] = forms.CharField(label=_("Note"), required=False, max_length=1000)

    def criterion_rows(self):
        return [(c, self[f"c{c.pk}"], self[f"n{c.pk}"]) for c in self.criteria]

    def answers(self) -> dict:
        return {c.pk: (self.cleaned_data.get(f"c{c.pk}"), self.cleaned_data.get(f"n{c.pk}", "")) for c in self.criteria}


class AuditForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=AuditKind.choices, widget=forms.RadioSelect)
    held_on = DateField(label=_("Date"), widget=DateInput())
    auditor = forms.CharField(label=_("Auditor"), max_length=200)
    summary = forms.CharField(label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class FindingForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=FindingKind.choices)
    text = forms.CharField(label=_("Finding"), widget=forms.Textarea(attrs={"rows": 3}))


class SystemForm(forms.Form):
    name = forms.CharField(label=_("System"), max_length=200)
    position = forms.IntegerField(label=_("Criticality order"), min_value=1, max_value=99, initial=1,
                                  help_text=_("1 = the most critical."))
    owner = forms.ModelChoiceField(label=_("Owner (main user)"), queryset=None, required=False, empty_label=_("No owner named"))
    fallback = forms.CharField(label=_("Fallback procedure"), widget=forms.Textarea(attrs={"rows": 2}))
    tolerable_outage = forms.CharField(label=_("Tolerable outage"), max_length=100, help_text=_("For example “4 hours”."))

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = people


class PlanForm(forms.Form):
    threats = forms.CharField(label=_("Threats and disruptions"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    preparedness = forms.CharField(label=_("72-hour preparedness"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
                                   help_text=_("Water, food, medicines, heat and light for three days without outside help."))
    contacts = forms.CharField(label=_("Who does what in a disruption"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    edit_version = EditVersionField()


class DrillForm(forms.Form):
    held_on = DateField(label=_("Date"), widget=DateInput())
    scenario = forms.CharField(label=_("Scenario"), max_length=300)
    participants = ModelMultipleChoiceField(label=_("Participants"), queryset=None, required=False,
                                                  widget=forms.CheckboxSelectMultiple)
    lessons = forms.CharField(label=_("Lessons learned"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participants"].queryset = people


class SecurityPlanForm(forms.Form):
    """The draft of the information-security plan: one text a section (security_sections.SECTIONS)."""

    change_note = forms.CharField(
        label=_("What changed"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example: the new client-data system added; access reviews twice a year."),
    )
    edit_version = EditVersionField()

    def __init__(self, *args, sections, **kwargs):
        super().__init__(*args, **kwargs)
        for section in sections:
            self.fields[f"section_{section['key']}"] = forms.CharField(
                label=section["title"], help_text=section["help"], required=False,
                widget=forms.Textarea(attrs={"rows": 6}),
            )

    def section_fields(self):
        return [self[name] for name in self.fields if name.startswith("section_")]

    def sections(self) -> dict:
        return {name.removeprefix("section_"): value for name, value in self.cleaned_data.items()
                if name.startswith("section_")}


class SecurityPlanApproveForm(forms.Form):
    review_note = forms.CharField(
        label=_("Annual review"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What was reviewed and with whom, e.g. reviewed with the data protection officer and the "
                    "system owners 12.2.; access rights and log monitoring checked."),
    )


# --- The organisation's readiness -----------------------------------------------------------------


class ReadinessMemberForm(forms.Form):
    user = UserChoiceField(people=(), label=_("Person"), blank_label=_("Choose a person"))
    group_role = forms.ChoiceField(label=_("Role in the group"), choices=ReadinessRole.choices, initial=ReadinessRole.MEMBER)
    duties = forms.CharField(label=_("Responsibilities"), required=False, max_length=300,
                             help_text=_("For example: calls the units' supervisors; keeps the contact list."))

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"] = UserChoiceField(people=people, label=_("Person"), blank_label=_("Choose a person"))


class ReadinessMemberChangeForm(forms.Form):
    group_role = forms.ChoiceField(label=_("Role in the group"), choices=ReadinessRole.choices)
    duties = forms.CharField(label=_("Responsibilities"), required=False, max_length=300)
    edit_version = EditVersionField()


class ReadinessExerciseForm(forms.Form):
    held_on = DateField(label=_("Date"), widget=DateInput())
    scenario = forms.CharField(label=_("Scenario"), max_length=300,
                               help_text=_("For example: a long power cut in winter; a fire at night in one unit."))
    participants = UserMultipleChoiceField(people=(), label=_("Participants"), widget=forms.CheckboxSelectMultiple)
    went_well = forms.CharField(label=_("What worked"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    to_improve = forms.CharField(label=_("What to improve"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participants"] = UserMultipleChoiceField(
            people=people, label=_("Participants"), widget=forms.CheckboxSelectMultiple,
            error_messages={"required": _("Choose who took part.")},
        )


class CrisisPlanForm(SecurityPlanForm):
    """The draft of the crisis-communication plan: one text a section (readiness.CRISIS_SECTIONS)."""

    change_note = forms.CharField(
        label=_("What changed"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example: the new spokesperson named; the message templates updated."),
    )


class CrisisPlanApproveForm(forms.Form):
    review_note = forms.CharField(
        label=_("Yearly review"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What was reviewed and with whom, e.g. reviewed with the readiness group after the exercise."),
    )
