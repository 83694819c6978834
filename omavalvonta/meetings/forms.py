"""Forms of the meeting pages: input parsing only; the rules live in `services`."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from omavalvonta.core.forms import (
    DateField,
    DateInput,
    DateTimeField,
    DateTimeLocalInput,
    EditVersionField,
    ModelMultipleChoiceField,
    UserChoiceField,
    add_service_errors,
)
from omavalvonta.improvement.models import ActionKind
from omavalvonta.meetings.models import GROUP_KINDS, ChildrensMeetingKind, MeetingKind
from omavalvonta.organisation.unit_choice import RegionUnitChoice, RegionUnitFilter

__all__ = [
    "ActionForm",
    "AttendanceForm",
    "ChildrensMeetingForm",
    "CloseForm",
    "DecisionForm",
    "FilterForm",
    "ItemForm",
    "LogEntryForm",
    "MeetingForm",
    "add_service_errors",
]


class FilterForm(RegionUnitFilter):
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("All kinds")), *MeetingKind.choices], required=False)
    when = forms.ChoiceField(
        label=_("When"),
        choices=[("", _("All meetings")), ("upcoming", _("Upcoming and open")), ("past", _("Minutes closed"))],
        required=False,
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.offer_units(units)

    def filters(self) -> dict:
        if not self.is_bound or not self.is_valid():
            return {}
        data = self.cleaned_data
        result = self.scope_filters()
        if data.get("kind"):
            result["kind"] = data["kind"]
        if data.get("when"):
            result["when"] = data["when"]
        return result


class MeetingForm(RegionUnitChoice):
    kind = forms.ChoiceField(label=_("Kind"), choices=MeetingKind.choices, widget=forms.RadioSelect)
    title = forms.CharField(
        label=_("Title"), max_length=200, required=False, help_text=_("Left empty, e.g. “Team meeting 12/2026”.")
    )
    starts_at = DateTimeField(label=_("Starts at"), widget=DateTimeLocalInput())
    location = forms.CharField(label=_("Place"), max_length=200, required=False)
    is_online = forms.BooleanField(label=_("Online meeting"), required=False)

    def __init__(self, *args, units, group_kinds=(), region_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.order_fields(["kind", "region", "unit"])
        self.offer_units(units, region_id=region_id)
        self.fields["unit"].required = False  # group-level meetings have none (see clean)
        self.fields["unit"].help_text = _(
            "Not used for the management group or the occupational safety committee, which meet at group level."
        )
        self.fields["kind"].choices = [
            c for c in MeetingKind.choices if c[0] not in GROUP_KINDS or c[0] in group_kinds
        ]
        if not group_kinds:
            self.fields["unit"].help_text = ""

    def clean(self):
        data = super().clean()
        if data.get("kind") and data["kind"] not in GROUP_KINDS and not data.get("unit"):
            self.add_error("unit", _("Choose the unit."))
        return data


class ItemForm(forms.Form):
    title = forms.CharField(label=_("New item"), max_length=300)


class DecisionForm(forms.Form):
    decision = forms.CharField(label=_("Decision"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    edit_version = EditVersionField()


class ActionForm(forms.Form):
    title = forms.CharField(label=_("What will be done?"), max_length=300)
    due_date = DateField(label=_("Due date"), widget=DateInput())
    kind = forms.ChoiceField(label=_("Kind"), choices=ActionKind.choices, initial=ActionKind.CORRECTIVE)

    def __init__(self, *args, people, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"] = UserChoiceField(people=people, label=_("Owner"), blank_label=_("Choose a person"))
        if units is not None:
            # The management group decides for a unit it chooses.
            self.fields["unit"] = forms.ModelChoiceField(
                label=_("Unit"), queryset=units, empty_label=_("Choose the unit"),
                help_text=_("The owner must work in the chosen unit."),
            )
        self.order_fields(["unit", "title", "owner", "due_date", "kind"])


class LogEntryForm(forms.Form):
    observation = forms.CharField(label=_("What was observed"), widget=forms.Textarea(attrs={"rows": 3}))
    reaction = forms.CharField(label=_("Reaction"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    planned_correction = forms.CharField(
        label=_("Planned correction"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["unit"] = forms.ModelChoiceField(
                label=_("Unit"), queryset=units, empty_label=_("Choose the unit")
            )
            self.order_fields(["unit", "observation", "reaction", "planned_correction"])


class AttendanceForm(forms.Form):
    participants = ModelMultipleChoiceField(
        label=_("Took part"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    absentees = ModelMultipleChoiceField(
        label=_("Absent"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("Absent staff are asked to acknowledge the minutes when they are closed."),
    )
    guests = forms.CharField(label=_("Guests"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participants"].queryset = people
        self.fields["absentees"].queryset = people

    def clean(self):
        data = super().clean()
        both = set(data.get("participants") or ()) & set(data.get("absentees") or ())
        if both:
            self.add_error("absentees", _("A person cannot both take part and be absent."))
        return data


class CloseForm(forms.Form):
    contains_new_instructions = forms.BooleanField(
        label=_("The minutes contain new instructions"),
        required=False,
        help_text=_("Then all the unit's staff are asked to acknowledge them, not only the absent."),
    )



class ChildrensMeetingForm(forms.Form):
    """A children's meeting in short (meetings.childrens)."""

    held_on = DateField(label=_("Date"), widget=DateInput(), error_messages={"required": _("Give the day of the meeting.")})
    kind = forms.ChoiceField(
        label=_("Kind"), choices=ChildrensMeetingKind.choices, widget=forms.RadioSelect,
        error_messages={"required": _("Choose weekly or monthly.")},
    )
    topics = forms.CharField(
        label=_("Topics"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000,
        error_messages={"required": _("Write what was talked about.")},
        help_text=_("Shown in the unit's good-treatment plan, which is public: do not name a child."),
    )
    children_raised = forms.CharField(
        label=_("What the children raised"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=2000,
    )
    decisions = forms.CharField(
        label=_("What was decided"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=2000,
    )
    edit_version = EditVersionField()
