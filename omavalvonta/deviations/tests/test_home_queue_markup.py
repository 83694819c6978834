"""The home page's queue written in Python (deviations/home.py queue_html):
the markup its template loop wrote with deviations/_badges.html, character for
character, every value escaped."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from omavalvonta.deviations.home import QueueRow, queue_html
from omavalvonta.deviations.models import Deviation, Kind, RiskLevel, State
from omavalvonta.organisation.models import Unit

# The loop deviations/_home_queue.html had before its rows were written in Python.
_LOOP = Template(
    """{% for d in b %}
    <li><a href="{% url 'deviations:detail' d.pk %}">
      <span class="list-cards__title">{{ d.get_kind_display }}</span>
      <span class="list-cards__meta">
        <span>{{ d.number }}</span><span>{{ d.unit }}</span>
        {% include "deviations/_badges.html" %}
      </span></a></li>
    {% endfor %}"""
)


def _reports() -> list[Deviation]:
    today = timezone.localdate()
    unit = Unit(pk=3, name='Koti <A> & "B"')
    reports = []
    combos = itertools.product(
        [Kind.GRIEVANCE, Kind.QUALITY],
        [None, timezone.now()],  # notification due
        [False, True],  # critical
        [*State.values],
        ["", *RiskLevel.values],
    )
    for n, (kind, due_at, critical, state, risk) in enumerate(combos):
        reports.append(
            Deviation(
                pk=n + 1, unit=unit, number=f"P2026-<{n}>", kind=kind, state=state, is_critical=critical,
                risk_level=risk, notification_due_at=due_at, notification_done_at=due_at if n % 3 == 0 else None,
                due_date=today - dt.timedelta(days=n % 2 * 2 - 1),  # past and future in turn
            )
        )
    return reports


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_the_queue_writes_what_its_template_loop_wrote(language):
    reports = _reports()
    with translation.override(language):
        written = _LOOP.render(Context({"b": reports}))
        assert queue_html(reports) == written
        # What the home page reads of them (deviations/home.py).
        rows = [QueueRow(*(getattr(d, field) for field in QueueRow._fields[:-1]), d.unit.name) for d in reports]
        assert queue_html(rows) == written


def test_the_queue_escapes_every_value_and_shows_the_badges():
    written = queue_html(_reports())
    assert "P2026-&lt;0&gt;" in written and "Koti &lt;A&gt; &amp; &quot;B&quot;" in written
    assert "<A>" not in written and "P2026-<" not in written
    for badge in ("grievance", "serious", "critical", "overdue", "submitted", "closed", "high"):
        assert f'class="badge badge--{badge}"' in written


def test_an_empty_queue_writes_nothing():
    assert queue_html([]) == ""
