"""A client's complaint steers its unit's action plan (core.registry GOAL_PROMPTS,
the entry "complaint"): whoever may read the complaint may open the improvement
page; the label names the complaint's number, date and kind of complainant, never
the complainant or what the complaint says (it may name a child)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _, gettext_lazy

from omavalvonta.complaints.models import Complaint
from omavalvonta.core import registry
from omavalvonta.core.lib.dates import fi_date
from omavalvonta.organisation import access


def links(ids) -> dict:
    return {pk: reverse("complaints:detail", args=[pk]) for pk in ids}


def complaint_prompt(*, actor, ref) -> dict | None:
    complaint = Complaint.objects.select_related("unit").filter(pk=ref).first()
    if complaint is None or not access.can_on(actor, complaint, access.P_COMPLAINT_VIEW):
        return None
    label = _("Complaint %(number)s received %(date)s (%(kind)s)") % {
        "number": str(complaint),
        "date": fi_date(complaint.received_on),
        "kind": complaint.get_complainant_kind_display().lower(),
    }
    return {"record": complaint, "unit": complaint.unit, "label": label, "url": links([complaint.pk])[complaint.pk]}


def register() -> None:
    registry.register(
        registry.GOAL_PROMPTS, "complaint", complaint_prompt, links=links, label=gettext_lazy("Client's complaint")
    )
