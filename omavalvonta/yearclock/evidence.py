"""Records that can fulfil a duty: a registry of evidence sources.

A source names a model and offers, for one unit and actor, the records the actor
may read there (through that app's own selectors), each with a label and its
address. Completing a duty with a record stores a generic link (content type,
id, address, label), so any app can be a source without the calendar importing
its models. The app that owns the records registers its source in the
EVIDENCE_SOURCES slot of core.registry from its AppConfig.ready (actions,
meeting minutes, approved plan versions, audits), named by its model label:

    registry.register(registry.EVIDENCE_SOURCES, "improvement.action", candidates,
                      order=20, group_label=_("Actions"))

`candidates(actor, unit)` returns (object, label, url) for the records the actor
may read in the unit, newest first, at most registry.EVIDENCE_LIMIT."""

from __future__ import annotations

from dataclasses import dataclass

from omavalvonta.core import registry
from omavalvonta.core.lib import bounds


@dataclass(frozen=True)
class EvidenceRecord:
    key: str  # "<app_label>.<model>:<pk>"
    label: str
    url: str
    obj: object


def sources() -> list[registry.Entry]:
    """The registered sources: name "<app_label>.<model>", details group_label."""
    return registry.entries(registry.EVIDENCE_SOURCES)


def candidates_for(*, actor, unit) -> list[tuple[object, list[EvidenceRecord]]]:
    """(group label, records) per source, sources without records left out."""
    groups = []
    for source in sources():
        records = [
            EvidenceRecord(key=f"{source.name}:{obj.pk}", label=label, url=url, obj=obj)
            for obj, label, url in source.func(actor, unit)
        ]
        if records:
            groups.append((source.group_label, records))
    return groups


def find(*, actor, unit, key: str) -> EvidenceRecord | None:
    """The candidate `key` names, when the actor may use it in this unit."""
    model_label, _sep, pk = (key or "").partition(":")
    source = registry.get(registry.EVIDENCE_SOURCES, model_label)
    if source is None or bounds.parse_int(pk) is None:
        return None
    for obj, label, url in source.func(actor, unit):
        if str(obj.pk) == pk:
            return EvidenceRecord(key=key, label=label, url=url, obj=obj)
    return None
