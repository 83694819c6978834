"""The home page's own lists read as values (dashboards/selectors.py): a report
names its kind and state as the report itself does, in every language."""

import pytest
from django.utils import translation

from omavalvonta.dashboards.selectors import MyReport
from omavalvonta.deviations.models import Deviation, Kind, State


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_my_report_names_its_kind_and_state_as_the_report_does(language):
    with translation.override(language):
        for kind in Kind.values:
            for state in State.values:
                report = Deviation(kind=kind, state=state)
                row = MyReport(pk=1, kind=kind, state=state, submitted_at=None, answered_at=None, reporter_id=1)
                assert (row.get_kind_display(), row.get_state_display()) == (
                    report.get_kind_display(),
                    report.get_state_display(),
                )
