from django import forms
from django.utils.translation import gettext_lazy as _

from omavalvonta.core.forms import DateField, DateInput
from omavalvonta.privacy.rules import FLAGS
from omavalvonta.privacy.services import NOTE_MAX

# What a log row says was read: the codes the areas write (`what`), in words.
WHAT_LABELS = {
    "deviation.detail": _("A deviation report's page"),
    "deviation.reporter": _("A protected reporter's identity"),
    "deviation.attachment": _("A deviation report's attachment"),
    "deviation.list": _("The deviation list"),
    "deviation.export": _("A deviation export"),
    "action.detail": _("A corrective action"),
    "action.list": _("The action list"),
    "action.export": _("An action export"),
    "log.detail": _("A self-supervision log entry"),
    "log.list": _("The self-supervision log"),
    "meeting.minutes": _("Meeting minutes"),
    "guidance.letter": _("An authority's letter"),
    "guidance.list": _("The guidance register"),
    "guidance.attachment": _("An authority's attachment"),
    "feedback.free_texts": _("Feedback in the clients' own words"),
    "feedback.sender": _("A feedback sender's contact details"),
    "obligation.evidence": _("Evidence of a calendar duty"),
    "risk.detail": _("A risk"),
    "risk.list": _("The risk register"),
    "risk.assessment": _("A risk assessment"),
    "risk.assessment_list": _("The risk assessments"),
    "notification.inbox": _("Notifications"),
    "person.detail": _("A person's page"),
    "person.list": _("The people list"),
    "access_log.review": _("The access log"),
    "placement.detail": _("A child's placement"),
    "placement.list": _("A unit's children"),
}


class LogFilterForm(forms.Form):
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

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("The end of the period is before its start."))
        return data

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
