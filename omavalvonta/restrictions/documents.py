"""The PDFs of the register: a signed decision or account (fi or sv, from the
frozen document row), and the documents the child's social worker downloads
with a one-time code (core.registry SOCIAL_WORKER_DOCUMENTS): the notice of
measures and the request to assess the service need."""

from __future__ import annotations

import datetime as dt

from django.utils import translation
from django.utils.translation import gettext as _

from omavalvonta.core.lib.dates import fi_date
from omavalvonta.core.pdf import render_pdf
from omavalvonta.restrictions import law, rules
from omavalvonta.restrictions.models import ChildFlag, Restriction, RestrictionDocument

LANGUAGES = ("fi", "sv")


def _when(value: str) -> str:
    if not value:
        return ""
    moment = dt.datetime.fromisoformat(value)
    return f"{fi_date(moment)} {moment.astimezone().strftime('%H:%M')}" if moment.tzinfo else fi_date(moment)


def document_pdf(document: RestrictionDocument, language: str) -> bytes:
    """The signed decision or account in `language` (fi or sv), laid out from the frozen row."""
    restriction = document.restriction
    rule = restriction.rule
    content = document.content
    with translation.override(language):
        context = {
            "document": document,
            "content": content,
            "rule": rule,
            "started": _when(content.get("started_at", "")),
            "ended": _when(content.get("ended_at", "")),
            "decision": document.kind == law.DECISION,
            "appeal_days": law.APPEAL_DAYS,
            "appeal_source": law.APPEAL_SOURCE,
            "serve_to": law.serve_to(content.get("birth_year", 0), document.signed_at.date()),
            "pdf_footer": _("Version %(version)s, signed %(date)s by %(name)s")
            % {"version": document.version, "date": fi_date(document.signed_at), "name": document.signed_by_name},
        }
        return render_pdf("restrictions/pdf/document.html", context)


def notice_document(*, delivery) -> tuple[str, bytes]:
    """SOCIAL_WORKER_DOCUMENTS: the measures a delivery tells of."""
    ids = [i for i in delivery.params.get("restrictions", []) if isinstance(i, int)]
    rows = list(
        Restriction.objects.filter(pk__in=ids, placement_id=delivery.placement_id).order_by("started_at", "id")
    )
    with translation.override("fi"):
        pdf = render_pdf(
            "restrictions/pdf/notice.html",
            {"delivery": delivery, "placement": delivery.placement, "rows": rows, "sent": fi_date(delivery.created_at)},
        )
    return f"rajoitustoimenpiteet-{delivery.pk}.pdf", pdf


def assessment_document(*, delivery) -> tuple[str, bytes]:
    """SOCIAL_WORKER_DOCUMENTS: the request to assess the child's service need."""
    flag = ChildFlag.objects.filter(pk=delivery.params.get("flag"), placement_id=delivery.placement_id).first()
    rows = list(
        Restriction.objects.filter(
            placement_id=delivery.placement_id, started_at__gte=delivery.created_at - rules.LOOK_BACK
        ).order_by("started_at", "id")
    )
    met = rules.rule(flag.rule) if flag else None
    with translation.override("fi"):
        pdf = render_pdf(
            "restrictions/pdf/assessment.html",
            {
                "delivery": delivery,
                "placement": delivery.placement,
                "rows": rows,
                "rule": met.explain() if met else "",
                "sent": fi_date(delivery.created_at),
            },
        )
    return f"palvelutarpeen-arvio-{delivery.pk}.pdf", pdf
