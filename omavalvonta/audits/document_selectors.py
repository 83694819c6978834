"""Reads of tracked documents (the compliance register) and purchased-service
partners. Unit-scoped reads start from the kernel: a unit's documents need
document.view in the unit; organisation-level documents and the partners'
register need it organisation-wide (a unit's leaders see the partners their
units use). The calendar's duties (core.registry DUTY_SOURCES) and the
self-supervision plan's fact (PLAN_FACTS "documents") are read here too."""

from __future__ import annotations

import datetime as dt
from functools import reduce
from operator import or_

from django.db.models import Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from omavalvonta.audits.document_kinds import (
    KINDS,
    PARTNER_REMIND_DAYS,
    DateMeaning,
    DocumentKind,
    rule_of,
)
from omavalvonta.audits.models import (
    DocumentVersion,
    PartnerEvidence,
    SecurityPlanState,
    SecurityPlanVersion,
    ServicePartner,
    TrackedDocument,
)
from omavalvonta.core import registry
from omavalvonta.organisation import access, access_people

P_VIEW, P_MANAGE = access.P_DOCUMENT_VIEW, access.P_DOCUMENT_MANAGE
STATE_LATE, STATE_SOON, STATE_OK = "late", "soon", "ok"


def state_of(*, kind: str, due_on: dt.date, today: dt.date) -> str:
    """late: past its date; soon: within the kind's reminder days; else ok."""
    if due_on < today:
        return STATE_LATE
    if (due_on - today).days <= rule_of(kind).remind_days:
        return STATE_SOON
    return STATE_OK


def _soon_q(today: dt.date) -> Q:
    """Documents whose date falls within their kind's reminder window (or is past)."""
    return reduce(or_, (Q(kind=k, due_on__lte=today + dt.timedelta(days=r.remind_days)) for k, r in KINDS.items()))


def units_for(*, actor, perm: str = P_VIEW):
    return access.units_for(actor, perm).order_by("name")


def documents(*, actor, today: dt.date, kind: str = "", unit_id=None, state: str = "", organisation_only=False):
    """The active documents `actor` may read, soonest date first, filtered by kind,
    unit (or the organisation's own: `organisation_only`) and state (late / soon)."""
    qs = (
        TrackedDocument.objects.for_actor(actor, P_VIEW)
        .filter(is_active=True)
        .select_related("unit", "owner", "current")
    )
    if kind:
        qs = qs.filter(kind=kind)
    if organisation_only:
        qs = qs.filter(unit__isnull=True)
    elif unit_id:
        qs = qs.filter(unit_id=unit_id)
    if state == STATE_LATE:
        qs = qs.filter(due_on__lt=today)
    elif state == STATE_SOON:
        qs = qs.filter(_soon_q(today), due_on__gte=today)
    return qs.order_by("due_on", "id")


def annotate_rows(docs, *, today: dt.date) -> list[dict]:
    """The register's rows: the document, its state and what its date means."""
    return [
        {"doc": d, "state": state_of(kind=d.kind, due_on=d.due_on, today=today),
         "date_label": DateMeaning(rule_of(d.kind).date_meaning).label}
        for d in docs
    ]


def document_get(*, actor, pk, perm: str = P_VIEW) -> TrackedDocument:
    return access.access_object(
        TrackedDocument.objects.select_related("owner", "current", "created_by"), actor, pk, perm
    )


def document_versions(*, document: TrackedDocument) -> list[DocumentVersion]:
    """All versions of a document the caller was granted, newest first."""
    return list(DocumentVersion.objects.filter(document=document).select_related("created_by"))


def version_get(*, actor, pk) -> DocumentVersion:
    """A version's file, through its document (404 outside the actor's units)."""
    try:
        version = DocumentVersion.objects.only("pk", "document_id").get(pk=int(pk))
    except (DocumentVersion.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None
    document = document_get(actor=actor, pk=version.document_id)
    version = DocumentVersion.objects.get(pk=version.pk)
    version.document = document
    return version


def may_manage(actor, document: TrackedDocument) -> bool:
    return access.can_on(actor, document, P_MANAGE)


def may_manage_organisation(actor) -> bool:
    return access.has_perm_organisation_wide(actor, P_MANAGE)


def manageable_units(*, actor):
    return access.units_for(actor, P_MANAGE).order_by("name")


def owner_choices(*, unit=None):
    """Who may own a document: those who may keep it (the unit's leaders and the
    directors above; for the organisation's, the organisation-wide keepers)."""
    if unit is not None:
        return access_people.people_with(P_MANAGE, unit).order_by("full_name", "pk")
    return access_people.people_holding(access.roles_with(P_MANAGE), organisation_wide=True).order_by("full_name", "pk")


def kind_rules() -> list[dict]:
    """The kinds as data, for the form's help and the register's legend."""
    return [
        {"kind": k, "label": DocumentKind(k).label, "source": r.source, "unit_scope": r.unit_scope,
         "has_number": r.has_number, "needs_approval": r.needs_approval, "review_months": r.review_months,
         "date_label": DateMeaning(r.date_meaning).label}
        for k, r in KINDS.items()
    ]


# --- Purchased-service partners ------------------------------------------------------------------


def partners(*, actor):
    """The active partners `actor` may read: all of them organisation-wide, else
    those used by one of the actor's units."""
    qs = ServicePartner.objects.filter(is_active=True).select_related("owner").prefetch_related("units")
    if not access.has_perm_organisation_wide(actor, P_VIEW):
        qs = qs.filter(units__in=access.units_for(actor, P_VIEW)).distinct()
    return qs.order_by("next_due", "name", "id")


def partner_get(*, actor, pk) -> ServicePartner:
    try:
        return partners(actor=actor).get(pk=int(pk))
    except (ServicePartner.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


def partner_evidence(*, partner: ServicePartner) -> list[PartnerEvidence]:
    return list(PartnerEvidence.objects.filter(partner=partner).select_related("created_by"))


def evidence_get(*, actor, pk) -> PartnerEvidence:
    try:
        evidence = PartnerEvidence.objects.get(pk=int(pk))
    except (PartnerEvidence.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None
    evidence.partner = partner_get(actor=actor, pk=evidence.partner_id)
    return evidence


def partner_state(partner: ServicePartner, *, today: dt.date) -> str:
    if partner.next_due < today:
        return STATE_LATE
    return STATE_SOON if (partner.next_due - today).days <= PARTNER_REMIND_DAYS else STATE_OK


# --- The quality calendar (core.registry DUTY_SOURCES) -------------------------------------------


def _document_title(kind: str, title: str) -> str:
    label = str(DocumentKind(kind).label)
    meaning = rule_of(kind).date_meaning
    text = _("%(document)s: review") if meaning == DateMeaning.NEXT_REVIEW else _("%(document)s: renew")
    return text % {"document": f"{label} ({title})" if title else label}


def _document_duties(qs, *, today: dt.date) -> list[registry.Duty]:
    rows = qs.filter(is_active=True).filter(_soon_q(today)).order_by("due_on", "id").values_list(
        "pk", "kind", "title", "unit_id", "due_on", "owner_id"
    )
    return [
        registry.Duty(
            key=f"audits.document:{pk}:{due.isoformat()}", unit_id=unit_id, title=_document_title(kind, title),
            due_on=due, late=due < today, link=reverse("audits:document", args=[pk]), owner_id=owner_id,
        )
        for pk, kind, title, unit_id, due, owner_id in rows
    ]


def document_duties(*, today, unit_ids=None) -> list[registry.Duty]:
    """A unit's documents within their kind's reminder days or late, one duty per
    document and date (a new version moves the date: a new duty), reminded to
    the owner and escalated to the unit's leaders once late. One query."""
    return _document_duties(_unit_documents(unit_ids), today=today)


def _unit_documents(unit_ids):
    qs = TrackedDocument.objects.filter(unit__isnull=False, unit__is_active=True)
    if unit_ids is not None:
        qs = qs.filter(unit_id__any_of=list(unit_ids))
    return qs


def document_duty_counts(*, today, unit_ids=None):
    """core.registry DUTY_SOURCES `counts`: document_duties counted per unit in
    the database (unit_id, due, late, oldest)."""
    duties = _unit_documents(unit_ids).filter(is_active=True).filter(_soon_q(today))
    return registry.duty_counts(duties, due_field="due_on", today=today)


def organisation_document_duties(*, today, unit_ids=None) -> list[registry.Duty]:
    """The organisation's own documents (Soteri, insurance, contractor's
    liability...): reminded to the owner, escalated to the quality director
    (organisation-wide duties; called with unit_ids=None only)."""
    if unit_ids is not None:
        return []
    return _document_duties(TrackedDocument.objects.filter(unit__isnull=True), today=today)


def organisation_document_duty_facts(*, today) -> dict:
    """DUTY_SOURCES `facts` (yearclock/facts.py): the soonest date of the
    organisation's documents within their reminder days or late (None: none is)."""
    soon = TrackedDocument.objects.filter(unit__isnull=True, is_active=True).filter(_soon_q(today))
    return {"first": soon.order_by("due_on").values_list("due_on", flat=True)[:1]}


def organisation_document_duties_from(*, today, facts) -> list[registry.Duty]:
    """DUTY_SOURCES `duties_from`: the documents' duties read only when one is due."""
    return [] if facts["first"] is None else organisation_document_duties(today=today)


def partner_duties(*, today, unit_ids=None) -> list[registry.Duty]:
    """A partner's self-supervision evidence due within PARTNER_REMIND_DAYS or
    late: reminded to the partner's owner, escalated above (organisation-wide)."""
    if unit_ids is not None:
        return []
    rows = _partners_due(today).order_by("next_due", "id").values_list("pk", "name", "next_due", "owner_id")
    return [
        registry.Duty(
            key=f"audits.partner:{pk}:{due.isoformat()}", unit_id=None,
            title=_("Self-supervision evidence from %(partner)s") % {"partner": name},
            due_on=due, late=due < today, link=reverse("audits:partner", args=[pk]), owner_id=owner_id,
        )
        for pk, name, due, owner_id in rows
    ]


def _partners_due(today: dt.date):
    return ServicePartner.objects.filter(is_active=True, next_due__lte=today + dt.timedelta(days=PARTNER_REMIND_DAYS))


def partner_duty_facts(*, today) -> dict:
    """DUTY_SOURCES `facts`: the soonest date of the partners' evidence due (None: none is)."""
    return {"first": _partners_due(today).order_by("next_due").values_list("next_due", flat=True)[:1]}


def partner_duties_from(*, today, facts) -> list[registry.Duty]:
    """DUTY_SOURCES `duties_from`: the partners' duties read only when one is due."""
    return [] if facts["first"] is None else partner_duties(today=today)


# --- The self-supervision plan (core.registry PLAN_FACTS "documents") -----------------------------


def plan_documents_fact(*, unit, actor) -> dict:
    """The current versions of the unit's tracked documents and of the
    organisation's that cover it, and the information-security plan's approved
    version: kind, version date, approval date, next date and the page (no
    owners' or approvers' names: the unit's plan is public). Two queries."""
    if not access.can(actor, access.P_UNIT_VIEW, unit):
        return {"hidden": True}
    docs = (
        TrackedDocument.objects.filter(Q(unit=unit) | Q(unit__isnull=True), is_active=True)
        .select_related("current")
        .order_by("unit_id", "kind", "id")
    )
    rows = []
    for d in sorted(docs, key=lambda d: (list(KINDS).index(d.kind), d.unit_id is None, d.pk)):
        version = d.current
        rows.append({
            "kind": str(d.get_kind_display()), "title": d.title, "organisation": d.unit_id is None,
            "version_date": version.dated_on.isoformat() if version else "",
            "approved_on": version.approved_on.isoformat() if version and version.approved_on else "",
            "due_on": d.due_on.isoformat(), "date_label": str(DateMeaning(rule_of(d.kind).date_meaning).label),
            "url": reverse("audits:document", args=[d.pk]),
        })
    security = SecurityPlanVersion.objects.filter(state=SecurityPlanState.APPROVED).order_by("-number").first()
    return {
        "documents": rows,
        "security_plan": {
            "number": security.number, "approved_on": timezone.localdate(security.approved_at).isoformat(),
            "url": reverse("audits:security_plan_version", args=[security.pk]),
        } if security else None,
    }
