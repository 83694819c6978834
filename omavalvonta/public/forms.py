"""The public channel's form: feedback and a notice (feedback's own form) and,
as its own kind, the client's formal complaint (muistutus, Sosiaalihuollon
asiakaslaki 812/2000 § 23), which becomes a complaint of the chosen unit."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from omavalvonta.complaints.models import ComplainantKind
from omavalvonta.feedback.forms import PublicMessageForm

COMPLAINT = "complaint"


class PublicChannelForm(PublicMessageForm):
    """A complaint is answered in writing: it names its unit, who makes it, a
    name and where the answer goes. Feedback and notices stay as they were."""

    complainant_kind = forms.ChoiceField(
        label=_("For a complaint: who are you?"),
        choices=[("", _("Choose")), *ComplainantKind.choices],
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [
            *self.fields["kind"].choices,
            (COMPLAINT, _("Complaint (muistutus) about how a child or young person was treated")),
        ]

    def clean(self):
        data = super().clean()
        if data.get("kind") != COMPLAINT:
            return data
        if not data.get("unit"):
            self.add_error("unit", _("Choose the unit the complaint concerns."))
        if not data.get("complainant_kind"):
            self.add_error("complainant_kind", _("Choose who makes the complaint."))
        if not (data.get("sender_name") or "").strip():
            self.add_error("sender_name", _("A complaint is answered in writing: write your name."))
        if not (data.get("sender_contact") or "").strip():
            self.add_error(
                "sender_contact",
                _("A complaint is answered in writing: write an address, e-mail or phone number for the answer."),
            )
        return data
