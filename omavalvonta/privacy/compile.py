"""The compile of an access request (GDPR art. 15): what the product holds
about one person, gathered from the areas through core.registry SUBJECT_DATA
(privacy imports no area), and who has read that data, from the access log
("who has seen my data"). Plain JSON, stored with the request
(SubjectCompilation) and shown, printed and downloaded from it."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils.translation import gettext as _

from omavalvonta.core import registry
from omavalvonta.core.models import AccessLogEntry
from omavalvonta.privacy.labels import WHAT_LABELS

# The newest reads shown; an older history is asked from the log review.
SEEN_LIMIT = 2000


def _what_label(what: str) -> str:
    return str(WHAT_LABELS.get(what, what))


def seen_by(person, targets) -> list[dict]:
    """The reads of `person`'s data by others: of their own person record and of
    the records the areas named (`targets`: [app_label, model_name, ids])."""
    condition = Q(target_type=ContentType.objects.get_for_model(person), target_id=person.pk)
    for app_label, model_name, ids in targets:
        if ids:
            ctype = ContentType.objects.get_by_natural_key(app_label, model_name)
            condition |= Q(target_type=ctype, target_id__in=list(ids))
    rows = (
        AccessLogEntry.objects.filter(condition)
        .exclude(actor_id=person.pk)
        .select_related("actor", "unit")
        .order_by("-at", "-id")[:SEEN_LIMIT]
    )
    return [
        {
            "at": row.at.isoformat(),
            "reader": row.reader_name,
            "what": _what_label(row.what),
            "right": row.right,
            "unit": row.unit.name if row.unit_id else "",
            "record": f"{row.target_type.model} #{row.target_id}" if row.target_type_id else "",
        }
        for row in rows
    ]


def compile_person(person) -> dict:
    """{"sections": [...], "redactions": [...], "seen": [...]} for `person`."""
    sections, redactions, targets = [], [], []
    for entry in registry.entries(registry.SUBJECT_DATA):
        part = entry.func(person=person)
        if not part:
            continue
        title = str(part["title"])
        sections.append({"key": entry.name, "title": title, "items": part.get("items", [])})
        redactions += [{**r, "section": title} for r in part.get("redactions", ())]
        targets += part.get("targets", ())
    if not sections:
        sections.append({"key": "none", "title": _("Nothing is held"), "items": []})
    return {"sections": sections, "redactions": redactions, "seen": seen_by(person, targets)}
