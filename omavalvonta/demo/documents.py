"""The demo's compliance register (issue 21 items 6 and 8): each unit's
medication plan (approved by the region's doctor), rescue plan and evacuation
safety report, the organisation's Soteri registration, liability insurance and
a contractor's-liability report, and two purchased-service partners. Some are
due soon and the demo unit's medication plan is late, so that the register
and the quality calendar show them."""

from __future__ import annotations

import datetime as dt

from omavalvonta.audits import document_services as documents
from omavalvonta.audits.document_kinds import DocumentKind, EvidenceKind
from omavalvonta.audits.models import DocumentVersion, TrackedDocument
from omavalvonta.core.lib.dates import add_months
from omavalvonta.organisation.models import Membership, Role

DOCTORS = ("LL Anna Lindqvist", "LL Pekka Hämäläinen", "LL Maria Korhonen")


def _leader(unit):
    for role in (Role.SUPERVISOR, Role.RESPONSIBLE_PERSON):
        m = (
            Membership.objects.filter(role=role, unit=unit, user__is_active=True)
            .select_related("user").order_by("user__full_name", "user_id").first()
        )
        if m:
            return m.user
    return None


def _document(director, today, *, kind, unit, owner, dated_on, next_due, note, number="", approver=""):
    doc = documents.document_create(
        actor=director, kind=kind, unit=unit, owner=owner, due_on=next_due, number=number,
    )
    if next_due > today:
        documents.version_record(
            actor=director, document=doc, dated_on=dated_on, note=note, next_due=next_due,
            approver_name=approver, approved_on=dated_on if approver else None,
        )
    else:
        # History: the last version was recorded back then and its date has passed since.
        version = DocumentVersion.objects.create(
            document=doc, dated_on=dated_on, note=note, approver_name=approver,
            approved_on=dated_on if approver else None, next_due=next_due, created_by=director,
        )
        TrackedDocument.objects.filter(pk=doc.pk).update(current=version)
    return doc


def build(director, units, demo_unit, today) -> dict:
    """A few documents per unit and the organisation's own; two partners."""
    made = 0
    for i, unit in enumerate(units):
        owner = _leader(unit) or director
        late = unit is demo_unit
        # The medication plan: yearly, approved by the region's doctor; the demo unit's is late.
        dated = today - dt.timedelta(days=370 if late else 100 + 40 * (i % 5))
        _document(
            director, today, kind=DocumentKind.MEDICATION_PLAN, unit=unit, owner=owner, dated_on=dated,
            next_due=today - dt.timedelta(days=5) if late else add_months(dated, 12),
            approver=DOCTORS[i % len(DOCTORS)],
            note="Lääkehoitosuunnitelma tarkistettu yksikön lääkärin kanssa; lääkeluvat ja kaksoistarkastus päivitetty.",
        )
        # The rescue plan: one due within the month.
        dated = today - dt.timedelta(days=345 if i % 3 == 0 else 200)
        _document(
            director, today, kind=DocumentKind.FIRE_RESCUE_PLAN, unit=unit, owner=owner, dated_on=dated,
            next_due=add_months(dated, 12), note="Pelastussuunnitelma päivitetty, poistumisharjoitus pidetty.",
        )
        if i < 3:
            dated = today - dt.timedelta(days=500)
            _document(
                director, today, kind=DocumentKind.EVACUATION_REPORT, unit=unit, owner=owner, dated_on=dated,
                next_due=add_months(dated, 36), note="Poistumisturvallisuusselvitys toimitettu pelastusviranomaiselle.",
            )
        made += 2 + (1 if i < 3 else 0)
    # The organisation's own.
    _document(
        director, today, kind=DocumentKind.SOTERI_REGISTRATION, unit=None, owner=director,
        dated_on=today - dt.timedelta(days=120), next_due=add_months(today - dt.timedelta(days=120), 12),
        number="1.2.246.10.28541327.10.0", note="Yksiköiden tiedot tarkistettu Soterissa.",
    )
    _document(
        director, today, kind=DocumentKind.LIABILITY_INSURANCE, unit=None, owner=director,
        dated_on=today - dt.timedelta(days=340), next_due=today + dt.timedelta(days=25),
        number="VA-2026-118204", note="Vastuuvakuutus uusittu vakuutuskaudelle.",
    )
    _document(
        director, today, kind=DocumentKind.CONTRACTOR_LIABILITY, unit=None, owner=director,
        dated_on=today - dt.timedelta(days=60), next_due=add_months(today - dt.timedelta(days=60), 12),
        number="2872345-4", note="Siivouspalvelun tilaajavastuuselvitykset (Luotettava Kumppani -raportti).",
    )
    made += 3
    # Purchased-service partners: one with the evidence due soon.
    active = list(units)
    security = documents.partner_save(
        actor=director, name="Turvapalvelu Vahti Oy", business_id="2872345-4", service="Yövartiointi ja hälytyskäynnit",
        units=active[:3], owner=director, next_due=today + dt.timedelta(days=20),
    )
    documents.partner_evidence_record(
        actor=director, partner=security, received_on=today - dt.timedelta(days=345),
        kind=EvidenceKind.SELF_SUPERVISION_PLAN, note="Omavalvontasuunnitelma 2026 saatu.",
        next_due=today + dt.timedelta(days=20),
    )
    health = documents.partner_save(
        actor=director, name="Työterveys Kunto Oy", business_id="0737546-2", service="Työterveyshuolto",
        units=active, owner=director, next_due=today + dt.timedelta(days=200),
    )
    documents.partner_evidence_record(
        actor=director, partner=health, received_on=today - dt.timedelta(days=160), kind=EvidenceKind.AUDIT_REPORT,
        note="Ulkoisen auditoinnin raportti; ei poikkeamia.", next_due=today + dt.timedelta(days=200),
    )
    return {"documents": made, "partners": 2}
