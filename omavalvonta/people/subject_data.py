"""What the competence area holds about a person, for an access request's
compile (core.registry SUBJECT_DATA): their checks and qualifications (a
criminal-record extract only as "seen", never a copy); the reads of their
certificates are reads of their data. Their orientations (as the newcomer:
the card, the mentor, the dates, the items and their own evaluation; the
other evaluators' texts are theirs and are left out) are part of it too."""

from __future__ import annotations

from django.utils.translation import gettext as _

from omavalvonta.core.lib.dates import fi_date
from omavalvonta.people.models import Orientation, QualificationRecord


def _orientation_items(orientations, person) -> list[dict]:
    items = []
    for o in orientations:
        done = sum(1 for i in o.items.all() if i.done)
        fields = [
            [_("Unit"), o.unit.name], [_("Orientation card"), str(o.card)], [_("Main mentor"), o.mentor.full_name],
            [_("Start date"), fi_date(o.started_on)], [_("Progress"), f"{done} / {len(o.items.all())}"],
            [_("State"), str(o.get_state_display())],
        ]
        fields += [[_("Evaluation"), f"{e.score} / 5: {e.text}"] for e in o.evaluations.all() if e.author_id == person.pk]
        items.append({"title": _("Orientation"), "fields": fields})
    return items


def subject_data(*, person) -> dict | None:
    records = list(
        QualificationRecord.objects.filter(person=person).select_related("type", "unit").order_by("done_on", "pk")
    )
    orientations = list(
        Orientation.objects.filter(newcomer=person).select_related("unit", "card", "mentor")
        .prefetch_related("items__card_item", "evaluations").order_by("started_on", "pk")
    )
    if not records and not orientations:
        return None
    items = []
    for r in records:
        fields = [[_("Unit"), r.unit.name], [_("Date"), fi_date(r.done_on)]]
        if r.valid_until:
            fields.append([_("Valid until"), fi_date(r.valid_until)])
        fields += [[label, value] for label, value in (
            (_("Registration number"), r.registration_number), (_("Provider"), r.provider), (_("Note"), r.note),
        ) if value]
        fields.append([_("Certificate"), _("kept") if r.certificate else _("none")])
        items.append({"title": str(r.type.label), "fields": fields})
    items += _orientation_items(orientations, person)
    return {
        "title": _("Checks and qualifications"),
        "items": items,
        "redactions": [],
        "targets": [
            ["people", "qualificationrecord", [r.pk for r in records]],
            ["people", "orientation", [o.pk for o in orientations]],
        ],
    }


# --- Rectification and erasure (core.registry SUBJECT_ACTIONS) ---------------------------

def _text_labels() -> dict:
    return {"registration_number": _("Registration number"), "provider": _("Provider"), "scope": _("Scope"),
            "note": _("Note")}


def subject_items(*, person) -> list:
    from omavalvonta.core.registry import SubjectItem
    from omavalvonta.people.services import SUBJECT_TEXT_FIELDS, qualification_keep_reason

    records = QualificationRecord.objects.filter(person=person).select_related("type", "unit", "person")
    items = []
    labels = _text_labels()
    for r in records.order_by("done_on", "pk"):
        name = f"{r.type.label} {fi_date(r.done_on)}"
        keep = str(qualification_keep_reason(r))
        items.append(SubjectItem(key=f"{r.pk}:record", title=name, value=_("The whole record, %(unit)s") % {
            "unit": r.unit.name}, erase=not keep, keep=keep))
        items += [
            SubjectItem(key=f"{r.pk}:{f}", title=f"{name}: {labels[f]}", value=getattr(r, f) or "–",
                        erase=True, rectify=True)
            for f in SUBJECT_TEXT_FIELDS if getattr(r, f) or f != "registration_number"
        ]
    return items


def subject_apply(*, actor, person, key, action, value) -> None:
    from django.core.exceptions import ValidationError

    from omavalvonta.people.services import qualification_subject_apply

    pk, _sep, field = key.partition(":")
    record = QualificationRecord.objects.filter(pk=int(pk), person=person).first() if pk.isdigit() else None
    if record is None:
        raise ValidationError(_("The record is no longer there."))
    qualification_subject_apply(actor=actor, record=record, field=field, action=action, value=value)
