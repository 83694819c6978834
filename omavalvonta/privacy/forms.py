from django import forms
from django.utils.translation import gettext_lazy as _

from omavalvonta.core.forms import DateField, DateInput, EditVersionField, PeriodFilter
from omavalvonta.privacy.labels import WHAT_LABELS
from omavalvonta.privacy.models import IdentityMethod, ItemAction, RefusalReason, RequestKind, RequestStatus
from omavalvonta.privacy.rules import FLAGS
from omavalvonta.privacy.services import NOTE_MAX, RECORD_ID_MAX


class LogFilterForm(PeriodFilter, forms.Form):
    reader = forms.CharField(label=_("Reader (name or e-mail)"), required=False, max_length=100)
    unit = forms.CharField(label=_("Unit"), required=False, max_length=100)
    what = forms.ChoiceField(label=_("What was read"), required=False)
    date_from = DateField(label=_("From"), required=False, widget=DateInput())
    date_to = DateField(label=_("Until"), required=False, widget=DateInput())
    flag = forms.ChoiceField(label=_("Reads to show"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["what"].choices = [("", _("Everything")), *sorted(WHAT_LABELS.items(), key=lambda kv: str(kv[1]))]
        self.fields["flag"].choices = [
            ("", _("All reads")),
            ("unreviewed", _("Flagged, not reviewed")),
            ("any", _("Flagged")),
            *FLAGS.items(),
        ]

    def filters(self) -> dict:
        """The selector's filters from the valid inputs (an invalid one is shown
        as an error and ignored)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {k: data[k] for k in ("reader", "unit", "what", "date_from", "date_to", "flag") if data.get(k)}


class ReviewForm(forms.Form):
    note = forms.CharField(
        label=_("Review note"), required=False, max_length=NOTE_MAX, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What you checked and concluded, e.g. 'a task in the unit: covering a shift'."),
    )


# --- Data-subject requests ---------------------------------------------------------------



class RequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type of request"), choices=RequestKind.choices, widget=forms.RadioSelect)
    received_on = DateField(label=_("Received"), widget=DateInput())
    person_email = forms.EmailField(
        label=_("Person in the product (work e-mail)"), required=False, max_length=254,
        help_text=_("A member of staff or another person who signs in here."),
    )
    outside_name = forms.CharField(
        label=_("Or an outside person's name"), required=False, max_length=150,
        help_text=_("A child's parent, a former employee or someone else not in the product."),
    )
    identity_method = forms.ChoiceField(
        label=_("How the identity was verified"), choices=[("", "—"), *IdentityMethod.choices],
        help_text=_("Record only how; never keep a copy of an identity document."),
    )
    identity_note = forms.CharField(label=_("In short"), required=False, max_length=300)
    details = forms.CharField(
        label=_("What the person asks"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean(self):
        from omavalvonta.privacy.services import person_by_email

        data = super().clean()
        email = data.get("person_email")
        data["person"] = None
        if email:
            data["person"] = person_by_email(email)
            if data["person"] is None:
                self.add_error("person_email", _("Nobody in the product has this e-mail address."))
        return data


class ExtendForm(forms.Form):
    months = forms.TypedChoiceField(
        label=_("Extend by"), coerce=int,
        choices=[(1, _("one month")), (2, _("two months"))],
    )
    notice_on = DateField(label=_("The person was told on"), widget=DateInput())
    reasons = forms.CharField(
        label=_("Reasons told to the person"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example the complexity or the number of requests (GDPR art. 12(3))."),
    )


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("New status"),
        choices=[(s.value, s.label) for s in RequestStatus if s != RequestStatus.RECEIVED],
        widget=forms.RadioSelect,
    )
    answered_on = DateField(label=_("Answered or refused on"), required=False, widget=DateInput())
    refusal_reason = forms.ChoiceField(
        label=_("Legal reason for refusal"), required=False, choices=[("", "—"), *RefusalReason.choices]
    )
    refusal_note = forms.CharField(label=_("Refusal note"), required=False, max_length=500)


class CompilationReviewForm(forms.Form):
    review_note = forms.CharField(label=_("Review note"), required=False, max_length=500)


class SubjectItemForm(forms.Form):
    """The decision on one item of a rectification or erasure request."""

    area = forms.CharField(widget=forms.HiddenInput, max_length=60)
    key = forms.CharField(widget=forms.HiddenInput, max_length=80)
    action = forms.ChoiceField(label=_("Decision"), choices=ItemAction.choices, widget=forms.RadioSelect)
    value = forms.CharField(label=_("Corrected value"), required=False, max_length=500)
    refusal_reason = forms.ChoiceField(
        label=_("Legal reason for refusal"), required=False, choices=[("", "—"), *RefusalReason.choices]
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=500)


# --- Retention ---------------------------------------------------------------------------


class RetentionRuleForm(forms.Form):
    months = forms.IntegerField(label=_("Retention period in months"), min_value=1, max_value=1200)
    basis = forms.CharField(
        label=_("Basis of the change"), max_length=500,
        help_text=_("A law, a decision of the provider: it is kept with the period."),
    )


class LegalHoldForm(forms.Form):
    record_type = forms.ChoiceField(label=_("Record type"))
    record_id = forms.IntegerField(
        label=_("Identifier"), min_value=1, max_value=RECORD_ID_MAX,
        help_text=_("The record's number in the product; a hold on a deviation report covers its attachments."),
    )
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, record_types=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["record_type"].choices = [("", _("Choose…")), *record_types]


class LegalHoldLiftForm(forms.Form):
    lift_reason = forms.CharField(label=_("Why the hold is lifted"), max_length=500)


class PrivacyNoticeForm(forms.Form):
    text_fi = forms.CharField(label=_("Text in Finnish"), required=False, widget=forms.Textarea(attrs={"rows": 14}))
    text_sv = forms.CharField(label=_("Text in Swedish"), required=False, widget=forms.Textarea(attrs={"rows": 14}))
    change_summary = forms.CharField(
        label=_("What changed"), required=False, max_length=300,
        help_text=_("Shown with the version on the public page; needed from the second version on."),
    )
    edit_version = EditVersionField()
