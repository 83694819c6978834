"""A deviation report steers its unit's action plan (core.registry GOAL_PROMPTS,
the entry "deviation"): whoever may read the report's handling (the kernel, kind
limits and the named handler included) may open the improvement page that links
it to a goal or starts one from it; the label names the report's number and type,
never a child or the reporter."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _, gettext_lazy

from omavalvonta.core import registry
from omavalvonta.deviations.models import Deviation
from omavalvonta.organisation import access


def link(pk) -> str:
    return reverse("deviations:detail", args=[pk])


def links(ids) -> dict:
    return {pk: link(pk) for pk in ids}


def deviation_prompt(*, actor, ref) -> dict | None:
    deviation = Deviation.objects.select_related("unit").filter(pk=ref).first()
    if deviation is None or not (
        access.can_on(actor, deviation, access.P_DEVIATION_VIEW) or access.can_on(actor, deviation, access.P_DEVIATION_HANDLE)
    ):
        return None
    return {
        "record": deviation,
        "unit": deviation.unit,
        "label": _("%(kind)s, report %(number)s") % {"kind": deviation.get_kind_display(), "number": deviation.number},
        "url": link(deviation.pk),
    }


def may_steer(*, actor, deviation) -> bool:
    """Does the report's page offer "steer the action plan" to `actor`?"""
    return access.can(actor, access.P_ACTION_MANAGE, deviation.unit)


def register() -> None:
    registry.register(
        registry.GOAL_PROMPTS, "deviation", deviation_prompt, links=links, label=gettext_lazy("Deviation report")
    )
