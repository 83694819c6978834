"""Forms of the quality calendar: input parsing only; the rules live in `services`."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from omavalvonta.core.forms import EditVersionField, ModelMultipleChoiceField
from omavalvonta.core.widgets import QuickSelect
from omavalvonta.organisation.models import ServiceType
from omavalvonta.organisation.unit_choice import NameChoiceField, RegionUnitFilter
from omavalvonta.yearclock.models import INTERVAL_CHOICES, ObligationKind, OwnerRole, Recurrence, UnitScope


def month_choices():
    return [(m, date_format(dt.date(2000, m, 1), "F").capitalize()) for m in range(1, 13)]


class TemplateForm(forms.Form):
    edit_version = EditVersionField()
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=ObligationKind.choices)
    description = forms.CharField(
        label=_("What is done"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    recurrence = forms.ChoiceField(label=_("How often"), choices=Recurrence.choices, widget=forms.RadioSelect)
    start_month = forms.TypedChoiceField(
        label=_("Month (the first month when every few months)"), coerce=int, choices=(), required=False
    )
    interval_months = forms.TypedChoiceField(
        label=_("Interval"), coerce=int, choices=INTERVAL_CHOICES, required=False
    )
    months = forms.TypedMultipleChoiceField(
        label=_("Months"), coerce=int, choices=(), required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("When the duty recurs in chosen months."),
    )
    owner_role = forms.ChoiceField(label=_("Owner in each unit"), choices=OwnerRole.choices)
    remind_days_before = forms.IntegerField(
        label=_("Reminder (days before the due date)"), min_value=0, max_value=90, initial=14
    )
    unit_scope = forms.ChoiceField(label=_("Applies to"), choices=UnitScope.choices, widget=forms.RadioSelect)
    service_types = forms.MultipleChoiceField(
        label=_("Service types"), choices=ServiceType.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    units = ModelMultipleChoiceField(
        label=_("Units"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    is_active = forms.BooleanField(label=_("In use"), required=False, initial=True)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = units
        self.fields["start_month"].choices = month_choices()
        self.fields["months"].choices = month_choices()

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["expected_version"] = data.pop("edit_version", None)
        data["start_month"] = data.get("start_month") or 1
        data["interval_months"] = data.get("interval_months") or 12
        data["units"] = list(data.get("units") or [])
        return data


def template_initial(template) -> dict:
    return {
        "title": template.title,
        "kind": template.kind,
        "description": template.description,
        "recurrence": template.recurrence,
        "start_month": template.start_month,
        # A yearly template keeps 12, which is no choice: offer three months if it changes.
        "interval_months": template.interval_months if template.interval_months in dict(INTERVAL_CHOICES) else 3,
        "months": template.months,
        "owner_role": template.owner_role,
        "remind_days_before": template.remind_days_before,
        "unit_scope": template.unit_scope,
        "service_types": template.service_types,
        "units": list(template.units.all()),
        "is_active": template.is_active,
        "edit_version": template.edit_version,
    }


class CompleteForm(forms.Form):
    evidence = forms.ChoiceField(
        label=_("The record that shows it was done"), required=False,
        help_text=_("For example an approved plan version, an action or meeting minutes of this unit."),
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What was done, when and by whom."),
    )
    file = forms.FileField(
        label=_("File"), required=False, help_text=_("An image or a PDF file, for example signed minutes.")
    )

    def __init__(self, *args, evidence_groups, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("No record"))]
        for group_label, records in evidence_groups:
            choices.append((str(group_label), [(r.key, r.label) for r in records]))
        self.fields["evidence"].choices = choices


class CalendarFilterForm(RegionUnitFilter):
    """The year wheel shows one unit: its choice has no "all units"."""

    # Its options read as (id, name) and written in Python (a region has a hundred units).
    unit = NameChoiceField(label=_("Unit"), queryset=None, required=False, empty_label=None)
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, choices=(), required=False, widget=QuickSelect)

    def __init__(self, *args, units, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.offer_units(units)
        self.fields["year"].choices = [(y, y) for y in years]


class ListFilterForm(RegionUnitFilter):
    state = forms.ChoiceField(
        label=_("State"),
        choices=[("", _("All")), ("open", _("Open")), ("late", _("Late")), ("done", _("Done"))],
        required=False, widget=QuickSelect,
    )
    year = forms.TypedChoiceField(
        label=_("Year"), coerce=int, choices=(), required=False, empty_value=None, widget=QuickSelect
    )

    def __init__(self, *args, units, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.offer_units(units)
        self.fields["year"].choices = [("", _("All years"))] + [(y, y) for y in years]

    def filters(self) -> dict:
        if not self.is_bound or not self.is_valid():
            return {}
        data = self.cleaned_data
        result = self.scope_filters()
        if data.get("state"):
            result["state"] = data["state"]
        if data.get("year"):
            result["year"] = data["year"]
        return result
