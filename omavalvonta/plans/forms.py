from django import forms
from django.utils.translation import gettext_lazy as _

from omavalvonta.core.forms import DateField, DateInput, EditVersionField
from omavalvonta.plans.models import PlanKind


class OverviewFilterForm(forms.Form):
    review = forms.ChoiceField(
        label=_("Review"),
        required=False,
        choices=[("", _("All plans")), ("due", _("Due or overdue")), ("overdue", _("Overdue")),
                 ("none", _("Not approved yet"))],
    )
    region = forms.ModelChoiceField(label=_("Region"), queryset=None, required=False, empty_label=_("All regions"))

    def __init__(self, *args, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions

    def filters(self) -> dict:
        if not self.is_bound or not self.is_valid():
            return {}
        data = self.cleaned_data
        return {"review": data.get("review") or "", "region": data["region"].pk if data.get("region") else ""}


class SectionForm(forms.Form):
    text = forms.CharField(label=_("Text"), required=False, widget=forms.Textarea(attrs={"rows": 14}))
    edit_version = EditVersionField()


class DetailsForm(forms.Form):
    change_summary = forms.CharField(
        label=_("Summary of changes"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What changed compared with the previous version."),
    )
    children_participation = forms.CharField(
        label=_("How and when the children took part"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For example: house meeting 12.3., each child's own discussion with their named worker."),
    )
    child_friendly_text = forms.CharField(
        label=_("Child-friendly version"), required=False, widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("The plan in plain language, addressed to the children."),
    )
    edit_version = EditVersionField()

    def __init__(self, *args, good_treatment: bool, **kwargs):
        super().__init__(*args, **kwargs)
        # How the children took part is asked of both plans (issue 21 item 10);
        # the child-friendly version only of the good-treatment plan.
        if not good_treatment:
            del self.fields["child_friendly_text"]


class ApproveForm(forms.Form):
    change_summary = forms.CharField(
        label=_("Summary of changes"), widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown with the version on the public page."),
    )


class ReviewForm(forms.Form):
    note = forms.CharField(
        label=_("What was reviewed"), widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: reviewed in the team meeting 4.5.; no changes needed."),
    )


class CompareForm(forms.Form):
    a = forms.TypedChoiceField(label=_("Version"), coerce=int)
    b = forms.TypedChoiceField(label=_("Compared with"), coerce=int)

    def __init__(self, *args, numbers, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(n, str(n)) for n in numbers]
        self.fields["a"].choices = choices
        self.fields["b"].choices = choices


def compare_chosen(request, versions: dict) -> tuple[CompareForm, object, object]:
    """The comparison form over `versions` ({number: version}, at least two) and the
    chosen pair (left, right), or (form, None, None) when the choice is invalid.
    Without a choice: the previous version against the newest."""
    numbers = sorted(versions, reverse=True)
    data = request.GET if "a" in request.GET else {"a": numbers[1], "b": numbers[0]}
    form = CompareForm(data, numbers=numbers)
    if not form.is_valid():
        return form, None, None
    return form, versions[form.cleaned_data["a"]], versions[form.cleaned_data["b"]]


class TemplateSectionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Plan"), choices=PlanKind.choices, widget=forms.HiddenInput)
    edit_version = EditVersionField()
    number = forms.CharField(label=_("Number"), max_length=10, required=False)
    title = forms.CharField(label=_("Heading"), max_length=200)
    guidance = forms.CharField(label=_("Guidance for the writer"), required=False, widget=forms.Textarea(attrs={"rows": 5}))
    order = forms.IntegerField(label=_("Order"), min_value=0, max_value=32000)
    required = forms.BooleanField(label=_("Required (a unit cannot drop it)"), required=False)
    is_active = forms.BooleanField(label=_("In use"), required=False)


class ProgrammeForm(forms.Form):
    text = forms.CharField(label=_("Programme"), widget=forms.Textarea(attrs={"rows": 20}))
    change_summary = forms.CharField(label=_("Summary of changes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    edit_version = EditVersionField()


class ProgrammeReviewForm(forms.Form):
    note = forms.CharField(
        label=_("What was reviewed, and with whom"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Recorded as a new version with the same text, marked reviewed without changes."),
    )


class ReportCreateForm(forms.Form):
    period_start = DateField(label=_("Period start"), widget=DateInput())
    period_end = DateField(label=_("Period end"), widget=DateInput())

    def clean(self):
        data = super().clean()
        if data.get("period_start") and data.get("period_end") and data["period_end"] < data["period_start"]:
            self.add_error("period_end", _("The period cannot end before it starts."))
        return data


class FindingsForm(forms.Form):
    findings = forms.CharField(label=_("Findings of the management group"), required=False, widget=forms.Textarea(attrs={"rows": 6}))
    measures = forms.CharField(label=_("Measures decided"), required=False, widget=forms.Textarea(attrs={"rows": 6}))
