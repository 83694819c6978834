"""Feedback sent to a unit through the public channel steers its action plan
(core.registry GOAL_PROMPTS, the entry "feedback"): whoever may read the unit's
feedback may open the improvement page; the label names the feedback's date only
(never the sender or the message's words). Feedback to the whole organisation
(no unit) belongs to no unit's plan."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _, gettext_lazy

from omavalvonta.core import registry
from omavalvonta.core.lib.dates import fi_date
from omavalvonta.feedback.models import PublicFeedback
from omavalvonta.organisation import access


def links(ids) -> dict:
    return {pk: reverse("feedback:public_detail", args=[pk]) for pk in ids}


def feedback_prompt(*, actor, ref) -> dict | None:
    feedback = PublicFeedback.objects.select_related("unit").filter(pk=ref, unit__isnull=False).first()
    if feedback is None or not access.can_on(actor, feedback, access.P_FEEDBACK_VIEW):
        return None
    label = _("Feedback received %(date)s") % {"date": fi_date(feedback.created_at)}
    return {"record": feedback, "unit": feedback.unit, "label": label, "url": links([feedback.pk])[feedback.pk]}


def register() -> None:
    registry.register(
        registry.GOAL_PROMPTS, "feedback", feedback_prompt, links=links, label=gettext_lazy("Client feedback")
    )
