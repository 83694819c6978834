"""What the competence area holds about a person, for an access request's
compile (core.registry SUBJECT_DATA): their checks and qualifications (a
criminal-record extract only as "seen", never a copy); the reads of their
certificates are reads of their data."""

from __future__ import annotations

from django.utils.translation import gettext as _

from omavalvonta.core.lib.dates import fi_date
from omavalvonta.people.models import QualificationRecord


def subject_data(*, person) -> dict | None:
    records = list(
        QualificationRecord.objects.filter(person=person).select_related("type", "unit").order_by("done_on", "pk")
    )
    if not records:
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
    return {
        "title": _("Checks and qualifications"),
        "items": items,
        "redactions": [],
        "targets": [["people", "qualificationrecord", [r.pk for r in records]]],
    }
