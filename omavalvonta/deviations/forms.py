"""Forms of the deviation pages. They parse and check input only; every business
rule lives in `services`, whose ValidationErrors are mapped back onto these forms
with `add_service_errors`."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from omavalvonta.core.forms import (
    DateField,
    DateInput,
    DateTimeField,
    DateTimeLocalInput,
    EditVersionField,
    MultipleFileField,
    MultipleFileInput,
    PeriodFilter,
    UserChoiceField,
)
from omavalvonta.core.widgets import QuickSelect
from omavalvonta.deviations.models import (
    Consequence,
    Kind,
    Likelihood,
    MedicationStage,
    RiskLevel,
    State,
    ViolenceTarget,
)
from omavalvonta.deviations.services.report_input import ReportInput
from omavalvonta.organisation.models import Unit
from omavalvonta.organisation.unit_choice import RegionUnitFilter

# Which type-specific inputs belong to which report type. The form shows each
# section only for its types (app.js); the view passes a section's values to the
# service only for those types, so a section filled in before switching the type
# never leaks into the report.
KIND_SECTIONS = {
    "medication": (Kind.MEDICATION,),
    "violence": (Kind.THREAT_OR_VIOLENCE,),
    "data": (Kind.DATA_PROTECTION,),
}
SECTION_FIELDS = {
    "medication": ("medication_stage", "medication_substance", "medication_harm"),
    "violence": ("violence_target", "injury", "restraint_used"),
    "data": ("data_concerned", "personal_data_breach"),
}

# One line under each type on the report form: enough to choose in a hurry.
KIND_HINTS = {
    Kind.QUALITY: _("Agreed ways of working were not followed."),
    Kind.THREAT_OR_VIOLENCE: _("A threat, a dangerous situation or violence."),
    Kind.NEAR_MISS: _("Something almost caused harm."),
    Kind.MEDICATION: _("An error or a near miss with medicines."),
    Kind.DATA_PROTECTION: _("Personal data went astray or a system was misused."),
    Kind.HARASSMENT: _("Inappropriate treatment or harassment of anyone."),
    Kind.CLIENT_RIGHTS: _("A client's rights were violated, or a restrictive measure went wrong."),
    Kind.GRIEVANCE: _("A shortcoming or a clear threat of one in a client's care."),
}


# --- Reporting -------------------------------------------------------------------------


class ReportForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type"), choices=Kind.choices, widget=forms.RadioSelect)
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=None, empty_label=_("Choose the unit"))
    occurred_at = DateTimeField(label=_("When did it happen?"), widget=DateTimeLocalInput())
    location = forms.CharField(
        label=_("Where?"), max_length=200, required=False, help_text=_("For example the living room or the yard.")
    )
    description = forms.CharField(
        label=_("What happened?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Describe the events briefly. Names of children are not needed."),
    )
    immediate_actions = forms.CharField(
        label=_("What was done right away?"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    affected_child = forms.BooleanField(label=_("A child or young person"), required=False)
    affected_staff = forms.BooleanField(label=_("Staff"), required=False)
    affected_other = forms.BooleanField(label=_("Someone else"), required=False)

    medication_stage = forms.ChoiceField(
        label=_("Stage of the medication process"),
        choices=MedicationStage.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    medication_substance = forms.CharField(label=_("Medicine or substance"), max_length=200, required=False)
    medication_harm = forms.BooleanField(label=_("The child was harmed or needed medical care"), required=False)
    violence_target = forms.ChoiceField(
        label=_("Directed at"), choices=ViolenceTarget.choices, widget=forms.RadioSelect, required=False
    )
    injury = forms.BooleanField(label=_("Someone was injured"), required=False)
    restraint_used = forms.BooleanField(label=_("Physical restraint was used"), required=False)
    data_concerned = forms.CharField(
        label=_("What data and which system?"),
        max_length=300,
        required=False,
        help_text=_("For example: a care report sent by e-mail to the wrong address."),
    )
    personal_data_breach = forms.BooleanField(
        label=_("Personal data may have reached someone not entitled to it"), required=False
    )

    # Signs of a serious event (law.SERIOUS_EVENT_CRITERIA), asked of every type.
    child_missing = forms.BooleanField(label=_("A child or young person is missing"), required=False)
    reported_serious = forms.BooleanField(
        label=_("This seriously endangered a client's safety, or still does"),
        required=False,
        help_text=_("The responsible person is alerted at once and the county and the supervisory authority are notified the same day."),
    )

    improvement_proposal = forms.CharField(
        label=_("Proposal for improvement"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    attachments = MultipleFileField(
        label=_("Attachments"),
        required=False,
        help_text=_("Photos or PDF files, at most 5."),
        widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/heic,image/webp,application/pdf"}),
    )
    anonymous = forms.BooleanField(label=_("Report anonymously"), required=False)
    # The idempotency key the offline queue gives each post (static/js/offline-queue.js);
    # the service checks its form and accepts each key once. Kept in the draft, so a
    # report sent again from a restored draft is the same report.
    # Another area's record the report is started from ("name:id", REPORT_ORIGINS).
    origin = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput())
    submission_key = forms.CharField(
        required=False, max_length=64, widget=forms.HiddenInput(attrs={"data-draft-field": ""})
    )

    def __init__(self, *args, units, initial_unit=None, child_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        units = list(units)
        self.units = units
        # The children the reporter may name, per unit ({unit id: [(id, label)]}):
        # optional, and left out of the form when there are none.
        offered = [(unit, choices) for unit in units for choices in [(child_choices or {}).get(unit.pk)] if choices]
        if offered:
            several = len(units) > 1
            self.fields["children"] = forms.MultipleChoiceField(
                label=_("Which child or children does it concern?"),
                required=False,
                widget=forms.CheckboxSelectMultiple,
                choices=[
                    (str(pk), f"{label} · {unit.name}" if several else label)
                    for unit, choices in offered
                    for pk, label in choices
                ],
                help_text=_(
                    "Optional. The statutory notifications then go to the child's own placing county and "
                    "social worker, and to no other county."
                ),
            )
        self.fields["unit"].queryset = self._unit_queryset(units)
        self.fixed_unit = units[0] if len(units) == 1 else None
        if self.fixed_unit is not None:
            # Only one unit to report in: nothing to choose.
            self.fields["unit"].widget = forms.HiddenInput()
            self.fields["unit"].initial = self.fixed_unit.pk
        elif initial_unit is not None:
            self.fields["unit"].initial = initial_unit.pk
        self.fields["occurred_at"].initial = timezone.localtime().replace(second=0, microsecond=0)
        for name in ("description", "immediate_actions", "improvement_proposal"):
            self.fields[name].widget.attrs.setdefault("autocomplete", "off")

    @staticmethod
    def _unit_queryset(units):
        # Validation against the units already fetched, without another query per
        # submit: the queryset only needs to contain them.
        return Unit.objects.filter(pk__in=[u.pk for u in units])

    def kind_choices(self):
        """(bound radio, hint) pairs for the radio cards."""
        return [(radio, KIND_HINTS.get(radio.data["value"], "")) for radio in self["kind"]]

    def service_kwargs(self) -> dict:
        """Keyword arguments for services.deviation_submit from the cleaned data."""
        data = self.cleaned_data
        kind = data["kind"]
        report = {
            "kind": kind,
            "occurred_at": data["occurred_at"],
            "location": data["location"],
            "description": data["description"],
            "immediate_actions": data["immediate_actions"],
            "affected_child": data["affected_child"],
            "affected_staff": data["affected_staff"],
            "affected_other": data["affected_other"],
            "improvement_proposal": data["improvement_proposal"],
            "anonymous": data["anonymous"],
            "attachments": data["attachments"],
            "child_missing": data["child_missing"],
            "reported_serious": data["reported_serious"],
            "children": data.get("children", []),
        }
        for section, kinds in KIND_SECTIONS.items():
            if kind in kinds:
                for name in SECTION_FIELDS[section]:
                    report[name] = data[name]
        return {
            "unit": data["unit"],
            "report": ReportInput(**report),
            "submission_key": data["submission_key"],
            "origin": data["origin"],
        }

    def prefill_from(self, origin: str, prefill: dict) -> None:
        """Start the form from another area's record (selectors.report_origin)."""
        self.initial.update(
            {
                "origin": origin,
                "unit": prefill["unit"].pk,
                "kind": prefill["kind"],
                "occurred_at": timezone.localtime(prefill["occurred_at"]).replace(second=0, microsecond=0),
                "affected_child": bool(prefill["children"]),
                **prefill.get("fields", {}),
            }
        )
        if "children" in self.fields:
            offered = {value for value, _label in self.fields["children"].choices}
            self.initial["children"] = [str(pk) for pk in prefill["children"] if str(pk) in offered]


# --- Lists -----------------------------------------------------------------------------


class _FixedChoiceField(forms.ChoiceField):
    """A ChoiceField whose options are the same for every form: a form's copy of
    the field shares them instead of deep-copying every (value, label) pair (a
    form copies its fields on every request). The options are only ever
    replaced, never changed in place."""

    def __deepcopy__(self, memo):
        result = forms.Field.__deepcopy__(self, memo)
        result._choices = self._choices
        return result


class FilterForm(PeriodFilter, RegionUnitFilter):
    kind = _FixedChoiceField(label=_("Type"), choices=[("", _("All types")), *Kind.choices], required=False)
    state = _FixedChoiceField(
        label=_("State"),
        choices=[("", _("All states")), ("open", _("All open")), *State.choices],
        required=False,
    )
    risk_level = _FixedChoiceField(
        label=_("Risk level"), choices=[("", _("All risk levels")), *RiskLevel.choices], required=False
    )
    date_from = DateField(label=_("Submitted from"), required=False, widget=DateInput())
    date_to = DateField(label=_("Submitted until"), required=False, widget=DateInput())
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    team_meeting = forms.BooleanField(label=_("For the team meeting"), required=False)
    mine = forms.BooleanField(label=_("Assigned to me"), required=False)

    # The filter bar's order (components/filters.html).
    field_order = ["kind", "state", "risk_level", "region", "unit", "date_from", "date_to"]

    def __init__(self, *args, units, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.offer_units(units)
        self.actor = actor

    def filters(self) -> dict:
        """The selector's filters from the valid inputs; an invalid input is ignored
        (and shown as an error) rather than emptying the list."""
        if not self.is_bound:
            return {}
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        filters = {}
        for name in ("kind", "state", "risk_level", "date_from", "date_to"):
            if data.get(name):
                filters[name] = data[name]
        filters.update(self.scope_filters())
        if data.get("overdue"):
            filters["overdue"] = True
        if data.get("team_meeting"):
            filters["team_meeting"] = True
        if data.get("mine") and self.actor is not None:
            filters["handler"] = self.actor.pk
        return filters


# --- Handling ----------------------------------------------------------------------------


class AssignForm(forms.Form):
    def __init__(self, *args, candidates, current=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handler"] = UserChoiceField(
            people=candidates, label=_("Handler"), blank_label=_("Choose a person"), widget=QuickSelect
        )
        self.fields["handler"].add_person(current)
        if current is not None:
            self.fields["handler"].initial = str(current.pk)


class ClassifyForm(forms.Form):
    consequence = forms.TypedChoiceField(
        label=_("Consequence"), choices=Consequence.choices, coerce=int, widget=forms.RadioSelect
    )
    likelihood = forms.TypedChoiceField(
        label=_("Likelihood of recurrence"),
        choices=[("", _("Choose")), *Likelihood.choices],
        coerce=int,
        widget=QuickSelect,
    )
    is_critical = forms.BooleanField(
        label=_("Critical: the county must be notified"),
        required=False,
        help_text=_("Serious and very serious consequences are always critical."),
    )
    contributing_factors = forms.CharField(
        label=_("Contributing factors"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    analysis = forms.CharField(label=_("Analysis"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    for_team_meeting = forms.BooleanField(label=_("Handle in the next team meeting"), required=False)
    edit_version = EditVersionField()

    @classmethod
    def initial_for(cls, deviation) -> dict:
        return {
            "consequence": deviation.consequence,
            "likelihood": deviation.likelihood,
            "is_critical": deviation.is_critical,
            "contributing_factors": deviation.contributing_factors,
            "analysis": deviation.analysis,
            "for_team_meeting": deviation.for_team_meeting,
            "edit_version": deviation.edit_version,
        }


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Answer to the reporter"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Tell what was found and what will be done. The reporter sees this text."),
    )
    edit_version = EditVersionField()


class CloseForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the report closed before the shortcoming is corrected?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Only for a § 29 grievance whose corrective actions are still open. The responsible person records why."),
    )


class MessageForm(forms.Form):
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 4}))


class ReopenForm(forms.Form):
    reason = forms.CharField(label=_("Why is the report reopened?"), widget=forms.Textarea(attrs={"rows": 3}))


class DisclosureForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you need to know who reported?"),
        help_text=_("For example: to hear the reporter as a witness before deciding the corrective actions."),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class NotificationForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=250)
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 14}))


class StatutoryNotificationForm(NotificationForm):
    """The notification to the counties the handler chooses (and, for a § 28
    event, the supervisory authority). The placing counties and social workers
    of the children the report names are proposed; with no child named, no
    county is chosen for the handler unless the unit has only one."""

    def __init__(
        self, *args, counties, proposed_county_ids=(), social_workers=(), authority=None, authority_done=False, **kwargs
    ):
        super().__init__(*args, **kwargs)
        counties = list(counties)
        self._counties = {str(c.pk): c for c in counties}
        self.fields["counties"] = forms.MultipleChoiceField(
            label=_("Counties to notify"),
            choices=[(str(c.pk), c.name) for c in counties],
            widget=forms.CheckboxSelectMultiple,
            required=False,
            help_text=_("Choose the county that placed the child. A county with no part in the case must not be told of it."),
        )
        if proposed_county_ids:
            self.fields["counties"].initial = [str(pk) for pk in proposed_county_ids if str(pk) in self._counties]
            self.fields["counties"].help_text = _(
                "Proposed: the placing county of each child the report names. A county with no part in the case "
                "must not be told of it."
            )
        elif len(counties) == 1 and not self.is_bound:
            self.fields["counties"].initial = [str(counties[0].pk)]
        if social_workers:
            self.fields["social_workers"] = forms.MultipleChoiceField(
                label=_("Responsible social workers"),
                choices=[(key, f"{name}: {email}") for key, name, email in social_workers],
                widget=forms.CheckboxSelectMultiple,
                required=False,
                initial=[key for key, _name, _email in social_workers],
                help_text=_("The social worker of each child the report names."),
            )
        self.authority = authority
        if authority is not None:
            self.fields["notify_authority"] = forms.BooleanField(
                label=_("The supervisory authority: %(name)s") % {"name": authority.name},
                required=False,
                initial=not authority_done,
                help_text=_("A serious event is notified to the supervisory authority too (Sote-valvontalaki § 28)."),
            )
        self.order_fields(["counties", "social_workers", "notify_authority", "subject", "body"])

    def chosen_counties(self):
        return [self._counties[pk] for pk in self.cleaned_data.get("counties", []) if pk in self._counties]


class RoutingForm(forms.Form):
    """One handler per report type in a unit; blank = the unit's supervisor."""

    def __init__(self, *args, candidates_by_kind: dict, current: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.current = current
        for value, label in Kind.choices:
            field = UserChoiceField(
                people=candidates_by_kind.get(value, ()),
                label=label,
                required=False,
                blank_label=_("The unit's supervisor (default)"),
            )
            handler = current.get(value)
            field.add_person(handler)
            field.initial = str(handler.pk) if handler else ""
            self.fields[f"kind_{value}"] = field

    def changes(self):
        """(kind, handler or None) for each type whose handler changed."""
        for value, _label in Kind.choices:
            new = self.cleaned_data.get(f"kind_{value}")
            old = self.current.get(value)
            if (new.pk if new else None) != (old.pk if old else None):
                yield value, new
