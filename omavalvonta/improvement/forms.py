"""Forms of the improvement pages. They parse input only; the rules live in
`services`, whose ValidationErrors are mapped back with `add_service_errors`."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from omavalvonta.core import rhythm
from omavalvonta.core.forms import (
    DateField,
    DateInput,
    EditVersionField,
    PeriodFilter,
    UserChoiceField,
    UserMultipleChoiceField,
)
from omavalvonta.core.widgets import QuickSelect
from omavalvonta.improvement.models import (
    ActionKind,
    ActionState,
    Effectiveness,
    GoalArea,
    GoalStatus,
    SourceKind,
)
from omavalvonta.improvement.selectors import ACTIVE
from omavalvonta.organisation.unit_choice import RegionUnitFilter

# --- Actions ---------------------------------------------------------------------------------------


class ActionCreateForm(forms.Form):
    title = forms.CharField(label=_("What will be done?"), max_length=300)
    description = forms.CharField(
        label=_("Details"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=5000
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=ActionKind.choices, widget=forms.RadioSelect, initial=ActionKind.DEVELOPMENT
    )
    source_kind = forms.ChoiceField(
        label=_("Where does it come from?"),
        choices=[(v, label) for v, label in SourceKind.choices if v != SourceKind.DEVIATION],
        initial=SourceKind.OTHER,
    )
    due_date = DateField(label=_("Due date"), widget=DateInput())
    needs_effectiveness_check = forms.BooleanField(
        label=_("Check the effectiveness before closing"),
        required=False,
        help_text=_("For fixes of serious risks: someone records whether it worked after a month."),
    )

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"] = UserChoiceField(people=people, label=_("Owner"), blank_label=_("Choose a person"))
        self.order_fields(["title", "description", "owner", "due_date", "kind", "source_kind"])


class ActionEditForm(forms.Form):
    title = forms.CharField(label=_("What will be done?"), max_length=300)
    description = forms.CharField(
        label=_("Details"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=5000
    )
    due_date = DateField(label=_("Due date"), widget=DateInput())
    edit_version = EditVersionField()

    def __init__(self, *args, people, current_owner=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = UserChoiceField(people=people, label=_("Owner"))
        field.add_person(current_owner)
        self.fields["owner"] = field
        self.order_fields(["title", "description", "owner", "due_date"])


class ActionCompleteForm(forms.Form):
    note = forms.CharField(
        label=_("What was done?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        help_text=_("A few words are enough: others read this to know the action is done."),
    )


class EffectivenessForm(forms.Form):
    result = forms.ChoiceField(label=_("Did the action work?"), choices=Effectiveness.choices, widget=forms.RadioSelect)
    evidence = forms.CharField(
        label=_("Evidence"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        help_text=_("What shows it: new reports, observations, feedback, figures."),
    )
    new_due_date = DateField(
        label=_("New due date if it did not work"),
        widget=DateInput(),
        required=False,
        help_text=_("If left empty: a month from today."),
    )


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Why is the action cancelled?"), widget=forms.Textarea(attrs={"rows": 2}), max_length=5000)


class _OwnerFilter(RegionUnitFilter):
    """A list's filter by region, unit and owner (one of `owners`), its fields
    in the order ORDER names them (those it does not name after them)."""

    ORDER = ("region", "unit", "owner")

    def __init__(self, *args, units, regions, owners=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.offer_units(units, regions=regions)
        self.fields["owner"] = UserChoiceField(
            people=owners, label=_("Owner"), blank_label=_("All owners"), required=False
        )
        self.order_fields(self.ORDER)


class ActionFilterForm(_OwnerFilter):
    state = forms.ChoiceField(
        label=_("State"),
        choices=[(ACTIVE, _("Open or awaiting check")), ("", _("All states")), *ActionState.choices],
        required=False,
    )
    source_kind = forms.ChoiceField(
        label=_("Source"), choices=[("", _("All sources")), *SourceKind.choices], required=False
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    check_due = forms.BooleanField(label=_("Effectiveness check due"), required=False)
    ORDER = ("state", "source_kind", "region", "unit", "owner", "overdue", "check_due")

    def filters(self) -> dict:
        # Unbound: the default view is the actions still needing work.
        if not self.is_bound:
            return {"state": ACTIVE}
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        filters = {}
        if "state" in data:
            filters["state"] = data["state"]
        if data.get("source_kind"):
            filters["source_kind"] = data["source_kind"]
        filters.update(self.scope_filters())
        if data.get("owner"):
            filters["owner"] = data["owner"].pk
        if data.get("overdue"):
            filters["overdue"] = True
        if data.get("check_due"):
            filters["check_due"] = True
        return filters


# --- Action plans ------------------------------------------------------------------------------------


class PlanCreateForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int)
    made_on = DateField(label=_("Made together on"), widget=DateInput(), required=False)
    other_participants = forms.CharField(
        label=_("Other participants"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("People without an account, e.g. the children's representatives."),
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        this_year = timezone.localdate().year
        self.fields["unit"] = forms.ModelChoiceField(label=_("Unit"), queryset=units, empty_label=None)
        self.fields["year"].choices = [(y, str(y)) for y in (this_year, this_year + 1, this_year - 1)]
        self.order_fields(["unit", "year", "made_on", "other_participants"])


class PlanParticipantsForm(forms.Form):
    made_on = DateField(label=_("Made together on"), widget=DateInput(), required=False)
    other_participants = forms.CharField(
        label=_("Other participants"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participants"] = UserMultipleChoiceField(
            people=people, label=_("Participants"), required=False, widget=forms.CheckboxSelectMultiple
        )
        self.order_fields(["made_on", "participants", "other_participants"])


class GoalForm(forms.Form):
    area = forms.ChoiceField(label=_("Area"), choices=GoalArea.choices)
    description = forms.CharField(label=_("Goal"), widget=forms.Textarea(attrs={"rows": 2}), max_length=5000)
    measures = forms.CharField(
        label=_("Measures"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=5000
    )
    indicator = forms.CharField(
        label=_("Indicator"),
        max_length=300,
        required=False,
        help_text=_("How you will know the goal is reached, e.g. NPS of the children at least 50."),
    )
    edit_version = EditVersionField()  # used when editing a goal; empty when adding one

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"] = UserChoiceField(
            people=people, label=_("Owner"), required=False, blank_label=_("No named owner")
        )
        self.order_fields(["area", "description", "measures", "owner", "indicator"])


class FollowUpForm(forms.Form):
    period = forms.TypedChoiceField(label=_("Period"), choices=(), coerce=int)
    status = forms.ChoiceField(label=_("Status"), choices=GoalStatus.choices, widget=forms.RadioSelect)
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=5000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The periods of the year follow the configured review months.
        self.fields["period"].choices = [(p.index, p.label) for p in rhythm.periods()]


class ActionForm(forms.Form):
    """An action decided on another record's page (a goal of the plan, a
    deviation, a complaint, an audit's finding, a risk): what is done, by whom
    (one of `people`), by when. The area's service checks the owner's unit."""

    title = forms.CharField(label=_("What will be done?"), max_length=300)
    due_date = DateField(label=_("Due date"), widget=DateInput())

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"] = UserChoiceField(
            people=people, label=_("Owner"), blank_label=_("Choose a person"), widget=QuickSelect
        )
        self.order_fields(["title", "owner", "due_date"])


# --- The self-supervision log -------------------------------------------------------------------------


class LogEntryForm(forms.Form):
    observed_on = DateField(label=_("Observed on"), widget=DateInput())
    observation = forms.CharField(
        label=_("What was observed?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        help_text=_("A deviation, a shortcoming or a risk. Do not name children."),
    )
    reaction = forms.CharField(
        label=_("How was it reacted to?"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=5000
    )
    planned_correction = forms.CharField(
        label=_("Planned correction"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=5000
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"] = forms.ModelChoiceField(label=_("Unit"), queryset=units, empty_label=None)
        self.order_fields(["unit", "observed_on", "observation", "reaction", "planned_correction"])


class FollowUpTextForm(forms.Form):
    follow_up = forms.CharField(
        label=_("Follow-up"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        help_text=_("Was the correction made, and did it help?"),
    )


class LogFilterForm(PeriodFilter, _OwnerFilter):
    date_from = DateField(label=_("Observed from"), required=False, widget=DateInput())
    date_to = DateField(label=_("Observed until"), required=False, widget=DateInput())
    no_follow_up = forms.BooleanField(label=_("Without follow-up"), required=False)

    def filters(self) -> dict:
        if not self.is_bound:
            return {}
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        filters = {}
        for name in ("date_from", "date_to"):
            if data.get(name):
                filters[name] = data[name]
        filters.update(self.scope_filters())
        if data.get("no_follow_up"):
            filters["no_follow_up"] = True
        return filters


class GoalPromptLinkForm(forms.Form):
    """Link a finding to an existing goal of its unit's action plan."""

    goal = forms.TypedChoiceField(label=_("Goal"), coerce=int, choices=())

    def __init__(self, *args, plans, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goal"].choices = [("", _("Choose a goal"))] + [
            (
                _("Action plan %(year)s") % {"year": plan.year},
                [(goal.pk, Truncator(goal.description).chars(90)) for goal in plan.goals.all()],
            )
            for plan in plans
            if plan.goals.all()
        ]


class GoalStartForm(GoalForm):
    """Start a new goal of a plan that is not yet approved from a finding."""

    plan = forms.TypedChoiceField(label=_("Action plan"), coerce=int, choices=())

    def __init__(self, *args, plans, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].choices = [
            (plan.pk, _("Action plan %(year)s") % {"year": plan.year}) for plan in plans if plan.approved_at is None
        ]
        self.order_fields(["plan", "area", "description", "measures", "owner", "indicator"])
