"""Shared steps of the outcomes tests: a measurement's form data and a
recorded measurement."""

from omavalvonta.outcomes import selectors, services
from omavalvonta.outcomes.defaults import ensure_default_instrument


def form_data(version, *, child=5, worker=6, **extra) -> dict:
    """The measurement form filled in: every item scored by the child and the worker."""
    data = {"measured_on": extra.pop("measured_on", ""), "status": extra.pop("status", "done"), "reason": ""}
    for item in version.items.all():
        data[f"child_{item.pk}"] = "" if child is None else str(child)
        data[f"worker_{item.pk}"] = "" if worker is None else str(worker)
    data.update(extra)
    return data


def record(actor, placement, *, on, scores=None, follow_ups=None):
    """A done measurement; `scores`: domain -> (child, worker), 5/6 for the rest."""
    ensure_default_instrument()
    version = selectors.current_version()
    scores = scores or {}
    return services.measurement_record(
        actor=actor,
        placement=placement,
        version=version,
        measured_on=on,
        status="done",
        answers={i.pk: scores.get(i.domain, (5, 6)) for i in version.items.all()},
        follow_ups=follow_ups or {},
    )
