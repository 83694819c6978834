"""What one person may do and see on one report's page, decided in one place
from the access kernel (the page's template and its views read these answers
instead of asking the kernel piece by piece)."""

from __future__ import annotations

from dataclasses import dataclass

from omavalvonta.deviations.models import Kind
from omavalvonta.organisation import access
from omavalvonta.organisation.access import (
    P_DEVIATION_CLOSE_UNCORRECTED,
    P_DEVIATION_HANDLE,
    P_DEVIATION_NOTIFY,
    P_DEVIATION_ROUTING,
    P_DEVIATION_VIEW,
)
from omavalvonta.organisation.models import Role


@dataclass(frozen=True)
class Capabilities:
    can_handle: bool
    can_notify: bool
    is_own: bool
    # Someone who sees the report by their role (not only as its reporter) sees
    # the handling details too; the reporter sees what they wrote and the answer.
    sees_handling: bool
    # The named reporter answers in the product; an anonymous one with the code.
    reporter_can_write: bool
    can_route: bool
    sees_gdpr_clock: bool
    may_close_uncorrected: bool

    @property
    def sees_thread(self) -> bool:
        return self.sees_handling or self.is_own


def deviation_capabilities(*, actor, deviation) -> Capabilities:
    can_handle = access.can_on(actor, deviation, P_DEVIATION_HANDLE)
    is_own = deviation.reporter_id is not None and deviation.reporter_id == actor.pk
    sees_handling = (
        can_handle
        or deviation.handler_id == actor.pk
        or access.can(actor, P_DEVIATION_VIEW, deviation.unit, kind=deviation.kind)
    )
    breach_open = deviation.kind == Kind.DATA_PROTECTION and deviation.personal_data_breach and deviation.is_open
    return Capabilities(
        can_handle=can_handle,
        can_notify=access.can_on(actor, deviation, P_DEVIATION_NOTIFY),
        is_own=is_own,
        sees_handling=sees_handling,
        reporter_can_write=is_own and not deviation.is_anonymous and deviation.is_open,
        can_route=access.can(actor, P_DEVIATION_ROUTING, deviation.unit),
        sees_gdpr_clock=bool(breach_open and (can_handle or access.has_role(actor, Role.DATA_PROTECTION_OFFICER))),
        may_close_uncorrected=access.can(actor, P_DEVIATION_CLOSE_UNCORRECTED, deviation.unit),
    )
