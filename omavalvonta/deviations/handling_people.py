"""The people a report's handling panel offers (its forms' choices of people)."""

from __future__ import annotations

from functools import cached_property

from omavalvonta.deviations.models import Deviation
from omavalvonta.organisation import access, access_people


class HandlingPeople:
    """The people the handling panel offers, read in one query when first asked
    (access_people.PeopleCovering) instead of one per choice: `handlers` is
    `handler_candidates` for the report's kind, `owners` of a corrective action
    `action_owner_candidates`, `responsible` for an instruction
    `proposals.responsible_candidates`. With `to_offer` (forms shown, none
    posted) each person is read as their id and name only
    (access_people.NamesCovering), not as a whole User."""

    def __init__(self, *, deviation: Deviation, to_offer: bool = False):
        covering = access_people.NamesCovering if to_offer else access_people.PeopleCovering
        self._people = covering(deviation.unit)
        self._kind = deviation.kind

    @cached_property
    def handlers(self) -> list:
        return self._people.with_perm(access.P_DEVIATION_HANDLE, kind=self._kind)

    @cached_property
    def owners(self) -> list:
        return [*self.handlers, *self._people.in_unit()]

    @cached_property
    def responsible(self) -> list:
        return self._people.with_perm(access.P_INSTRUCTION_DECIDE)
