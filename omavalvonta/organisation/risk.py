"""The risk matrix: the consequence and likelihood scales, the risk levels and
the lookup. Organisation-wide configuration (Organisation.risk_matrix), used by
deviation classification and, later, the risk register: one scale everywhere."""

from django.db import models
from django.utils.translation import gettext_lazy as _, pgettext_lazy

from omavalvonta.organisation.models import DEFAULT_RISK_MATRIX


class Consequence(models.IntegerChoices):
    NONE = 0, pgettext_lazy("consequence", "None")
    MILD = 1, _("Mild")
    MODERATE = 2, pgettext_lazy("consequence", "Moderate")
    SERIOUS = 3, _("Serious")
    VERY_SERIOUS = 4, _("Very serious")


class Likelihood(models.IntegerChoices):
    VERY_UNLIKELY = 1, _("1 – Very unlikely")
    UNLIKELY = 2, _("2 – Unlikely")
    POSSIBLE = 3, _("3 – Possible")
    LIKELY = 4, _("4 – Likely")
    VERY_LIKELY = 5, _("5 – Very likely")


class RiskLevel(models.TextChoices):
    LOW = "low", _("Low")
    MODERATE = "moderate", pgettext_lazy("risk", "Moderate")
    HIGH = "high", _("High")
    VERY_HIGH = "very_high", _("Very high")


CONSEQUENCE_RANGE = range(0, 5)  # none .. very serious
LIKELIHOOD_RANGE = range(1, 6)  # 1 .. 5


def risk_matrix_is_valid(matrix) -> bool:
    """5 rows (consequence 0..4) of 5 cells (likelihood 1..5), each a RiskLevel."""
    levels = set(RiskLevel.values)
    return (
        isinstance(matrix, list)
        and len(matrix) == len(CONSEQUENCE_RANGE)
        and all(
            isinstance(row, list) and len(row) == len(LIKELIHOOD_RANGE) and all(cell in levels for cell in row)
            for row in matrix
        )
    )


def risk_matrix_or_default(matrix) -> list:
    """`matrix` when it is valid, else the default one: a malformed organisation
    matrix must not stop a handler from classifying a report."""
    return matrix if risk_matrix_is_valid(matrix) else DEFAULT_RISK_MATRIX


def risk_level_for(matrix, consequence: int, likelihood: int) -> str:
    """The RiskLevel value for a classification (on the default matrix when the
    organisation's is malformed, `risk_matrix_or_default`)."""
    if isinstance(consequence, bool) or consequence not in CONSEQUENCE_RANGE:
        raise ValueError(f"consequence must be 0..4, got {consequence!r}")
    if isinstance(likelihood, bool) or likelihood not in LIKELIHOOD_RANGE:
        raise ValueError(f"likelihood must be 1..5, got {likelihood!r}")
    return risk_matrix_or_default(matrix)[consequence][likelihood - 1]
