"""The response rate: one rule for every figure that shows one.

A rate is the answers of a respondent group against the places the rounds of the
period offered: a unit's places once for each of its rounds in the period (a unit
with no round in a quarter offers nothing that quarter). The same rule serves the
unit's and a scope's results, the team goals, the home page's open rounds and the
group's follow-up report.

Answers are anonymous by design (see `models`): nothing ties two answers to one
person, so distinct respondents cannot be counted. A group can also be larger than
the places (two parents per child). When a group has more answers than places,
the rate is shown as 100 % and marked `over`, and the pages say why, rather than
printing "138 %".
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class ResponseRate:
    answers: int
    places: int | None  # places offered in the period; None or 0: no base

    @property
    def percent(self) -> int | None:
        if not self.places:
            return None
        return min(100, round(100 * self.answers / self.places))

    @property
    def over(self) -> bool:
        """More answers than places: the percentage is capped at 100."""
        return bool(self.places) and self.answers > self.places

    def __str__(self) -> str:
        percent = self.percent
        if percent is None:
            return "–"
        return f"{percent} %*" if self.over else f"{percent} %"
