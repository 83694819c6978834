"""Reads of who was informed of a report's event (services/informed.py writes).
The report page reads them in one query, whatever their number; the caller has
read the report through `selectors.deviation_get` (kernel and access log)."""

from __future__ import annotations

from omavalvonta.deviations.models import Deviation, InformedRecord


def informed_records(*, deviation: Deviation) -> list[InformedRecord]:
    return list(InformedRecord.objects.filter(deviation=deviation).order_by("informed_on", "id"))
