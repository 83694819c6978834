"""The risk register's matrix (selectors.risk_matrix_counts): the organisation's
levels, checked once, the default ones when its matrix is malformed."""

import pytest

from omavalvonta.organisation.models import DEFAULT_RISK_MATRIX
from omavalvonta.risks import selectors, services

pytestmark = pytest.mark.django_db


def _levels(rows):
    return [[cell["level"] for cell in row["cells"]] for row in rows]


def test_the_matrix_counts_the_risks_in_their_cells_with_the_organisations_levels(supervisor_a, unit_a, organisation):
    organisation.risk_matrix[3][2] = "very_high"
    organisation.save()
    services.risk_create(
        actor=supervisor_a, unit=unit_a, category="client_safety", title="Karkaaminen", likelihood=3, consequence=3
    )
    rows = selectors.risk_matrix_counts(actor=supervisor_a)
    assert _levels(rows) == organisation.risk_matrix[::-1]  # the most serious consequence first
    assert [cell["likelihood"] for cell in rows[0]["cells"]] == [1, 2, 3, 4, 5]
    counted = [(4 - i, cell["likelihood"]) for i, row in enumerate(rows) for cell in row["cells"] if cell["count"]]
    assert counted == [(3, 3)] and rows[1]["cells"][2]["count"] == 1


def test_a_malformed_matrix_shows_the_default_levels(supervisor_a, organisation):
    organisation.risk_matrix = [["low"] * 5] * 4  # a row short
    organisation.save()
    assert _levels(selectors.risk_matrix_counts(actor=supervisor_a)) == DEFAULT_RISK_MATRIX[::-1]
