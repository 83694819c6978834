"""Forms of the compliance register and the partners' pages: parsing only;
the rules (a number where the kind has one, the doctor's approval, dates)
live in `document_services`."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from omavalvonta.audits.document_kinds import DocumentKind, EvidenceKind
from omavalvonta.core.forms import DateField, DateInput, EditVersionField, ModelMultipleChoiceField, UserChoiceField

ORGANISATION = "org"


class DocumentFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All kinds")), *DocumentKind.choices])
    unit = forms.ChoiceField(label=_("Unit"), required=False)
    state = forms.ChoiceField(
        label=_("Date"), required=False,
        choices=[("", _("All")), ("soon", _("Due soon or late")), ("late", _("Late"))],
    )

    def __init__(self, *args, units, organisation: bool, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("All units"))]
        if organisation:
            choices.append((ORGANISATION, _("The whole organisation")))
        self.fields["unit"].choices = choices + [(str(u.pk), u.name) for u in units]


class _DocumentFields(forms.Form):
    title = forms.CharField(
        label=_("Name"), required=False, max_length=200,
        help_text=_("Optional, e.g. “Main building” when a unit has several."),
    )
    number = forms.CharField(
        label=_("Number"), required=False, max_length=80,
        help_text=_("Registration, policy or licence number, where the kind has one."),
    )
    due_on = DateField(label=_("Valid until or next review"), widget=DateInput())

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"] = UserChoiceField(
            people=people, label=_("Owner"), blank_label=_("Choose the owner"),
            help_text=_("Reminded before the date; the unit's leaders hear if it is late."),
        )
        # The owner after the kind (the kind is chosen first on a new document).
        self.order_fields(["kind", "scope", "title", "number", "owner", "due_on"])


class DocumentCreateForm(_DocumentFields):
    kind = forms.ChoiceField(label=_("Kind"), choices=DocumentKind.choices, widget=forms.RadioSelect)


class DocumentEditForm(_DocumentFields):
    is_active = forms.BooleanField(label=_("In use"), required=False)
    edit_version = EditVersionField()

    def conflict_value(self, name, record):
        return getattr(record, name, None)


class VersionForm(forms.Form):
    dated_on = DateField(label=_("Date of the version"), widget=DateInput())
    note = forms.CharField(
        label=_("What changed"), widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("E.g. “Reviewed with the doctor; the as-needed medicines updated.”"),
    )
    approver_name = forms.CharField(label=_("Approved by"), required=False, max_length=200,
                                    help_text=_("The region's doctor who approved the plan."))
    approved_on = DateField(label=_("Approval date"), required=False, widget=DateInput())
    next_due = DateField(label=_("Next review or valid until"), widget=DateInput())
    file = forms.FileField(label=_("File (optional)"), required=False,
                           help_text=_("The signed document as PDF or an image."))

    def __init__(self, *args, needs_approval: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        # The medication plan: the region's doctor's approval is part of every version.
        self.fields["approver_name"].required = self.fields["approved_on"].required = needs_approval


class PartnerForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    business_id = forms.CharField(label=_("Business ID"), max_length=20, help_text=_("In the form 1234567-8."))
    service = forms.CharField(label=_("Service bought"), max_length=300,
                              help_text=_("E.g. night-time security, cleaning, occupational health care."))
    units = ModelMultipleChoiceField(label=_("Units using it"), queryset=None, required=False,
                                     widget=forms.CheckboxSelectMultiple)
    next_due = DateField(label=_("Evidence next due"), widget=DateInput())
    is_active = forms.BooleanField(label=_("In use"), required=False, initial=True)
    edit_version = EditVersionField()

    def __init__(self, *args, people, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = units
        self.fields["owner"] = UserChoiceField(people=people, label=_("Owner"), blank_label=_("Choose the owner"))
        self.order_fields(["name", "business_id", "service", "units", "owner", "next_due", "is_active"])

    def conflict_value(self, name, record):
        if name == "units":
            return ", ".join(u.name for u in record.units.all())
        return getattr(record, name, None)


class EvidenceForm(forms.Form):
    received_on = DateField(label=_("Received on"), widget=DateInput())
    kind = forms.ChoiceField(label=_("What was received"), choices=EvidenceKind.choices)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    next_due = DateField(label=_("Next due"), widget=DateInput())
    file = forms.FileField(label=_("File (optional)"), required=False)
