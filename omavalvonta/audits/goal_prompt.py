"""An audit finding steers its unit's action plan (core.registry GOAL_PROMPTS, the
entry "audit"): whoever may read the unit's audits may open the improvement page;
the label names the audit, its date and the finding's kind and opening words."""

from __future__ import annotations

from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _, gettext_lazy

from omavalvonta.audits.models import Finding
from omavalvonta.core import registry
from omavalvonta.core.lib.dates import fi_date
from omavalvonta.organisation import access


def finding_url(finding_id, audit_id) -> str:
    return f"{reverse('audits:audit', args=[audit_id])}#finding-{finding_id}"


def finding_links(ids) -> dict:
    """The findings on their audits' pages (one query)."""
    return {pk: finding_url(pk, audit_id) for pk, audit_id in Finding.objects.filter(pk__in=ids).values_list("pk", "audit_id")}


def finding_prompt(*, actor, ref) -> dict | None:
    finding = Finding.objects.select_related("unit", "audit").filter(pk=ref).first()
    if finding is None or not access.can(actor, access.P_RISK_VIEW, finding.unit):
        return None
    label = _("%(audit)s %(date)s: %(kind)s, %(text)s") % {
        "audit": finding.audit.get_kind_display(),
        "date": fi_date(finding.audit.held_on),
        "kind": finding.get_kind_display().lower(),
        "text": Truncator(finding.text).chars(120),
    }
    return {
        "record": finding,
        "unit": finding.unit,
        "label": label,
        "url": finding_url(finding.pk, finding.audit_id),
    }


def register() -> None:
    registry.register(
        registry.GOAL_PROMPTS, "audit", finding_prompt, links=finding_links, label=gettext_lazy("Audit finding")
    )
