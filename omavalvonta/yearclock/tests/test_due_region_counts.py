"""The calendar's "this month" for one region (?alue=) counts the other areas'
duties of the region's units in the database: one statement for every source,
kept compiled per day with the units' ids filled in (yearclock/counted.py), in
as many queries whatever the number of units and duties; and the contributed
cards are written in Python with the markup of the template's loop."""

import datetime as dt

import pytest
from django.db import connection
from django.db.models import Count, F, Min, Value
from django.db.models.functions import TruncDate
from django.template import engines
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from omavalvonta.core.lib import kept
from omavalvonta.organisation.models import Role, Unit
from omavalvonta.testing.factories import UnitFactory, member
from omavalvonta.testing.queries import reads_flat
from omavalvonta.yearclock import counted
from omavalvonta.yearclock.templatetags.yearclock_tags import contributed_cards

pytestmark = pytest.mark.django_db


def test_a_regions_page_reads_flat_whatever_its_units_and_duties(
    client, make_placement, quality_director, unit_a, unit_b, django_assert_max_num_queries
):
    client.force_login(quality_director)
    url = reverse("yearclock:due") + f"?alue={unit_a.region_id}"
    made = []

    def make_more():
        for n in range(6):
            unit = UnitFactory(region=unit_a.region, name=f"Lisäkoti {n}")
            # A child placed 200 days ago, never measured: a late measurement.
            make_placement(unit=unit, keeper=member(Role.SUPERVISOR, unit=unit), name=f"Lapsi {n}")
            made.append(unit.pk)

    response = reads_flat(client, url, make_more, django_assert_max_num_queries)
    rows = response.context["contributed"]
    measured = {r["unit_id"] for r in rows if r["label"] == str(rows[0]["label"]) and r["unit_id"] in made}
    assert set(made) <= {r["unit_id"] for r in rows} and measured
    assert all(r["unit"] and (r["due"] or r["late"]) and r["oldest"] for r in rows)
    assert unit_b.pk not in {r["unit_id"] for r in rows}


def test_the_statement_is_learnt_once_and_the_ids_filled_in(unit_a, unit_b):
    from omavalvonta.core import registry
    from omavalvonta.yearclock import duties

    counted.forget_kept()
    today = dt.date(2026, 3, 2)
    entries = [e for e in registry.entries(registry.DUTY_SOURCES) if e.details.get("counts")]

    def build(ids):
        return {e.name: e.details["counts"](today=today, unit_ids=ids) for e in entries}

    key = ("test", today)
    first = counted.kept_counts(key, build, [unit_a.pk, unit_b.pk])
    with CaptureQueriesContext(connection) as read:
        again = counted.kept_counts(key, build, [unit_b.pk, unit_a.pk])
        other = counted.kept_counts(key, build, [unit_a.pk, 10**9])
    assert len(read) == 2  # the kept statement, nothing built or learnt again
    assert first == again == counted.counted_in_database(build([unit_a.pk, unit_b.pk]))
    assert other == counted.counted_in_database(build([unit_a.pk, 10**9]))
    # Three units are counted as four (the last one again): the same counts.
    three = [unit_a.pk, 10**9, unit_b.pk]
    assert counted.kept_counts(key, build, three) == counted.counted_in_database(build(three))
    assert counted.kept_key(key, 4) in kept._shapes
    assert duties  # the page's module reads the same way (duties_of_units)


def _counts(units):
    return units.values(unit_id=F("pk")).annotate(due=Count("pk"), late=Value(0), oldest=Min(TruncDate("created_at")))


def test_a_source_that_reads_or_uses_the_ids_otherwise_is_built_every_time(unit_a, unit_b):
    counted.forget_kept()
    ids = [unit_a.pk, unit_b.pk]

    def reads(unit_ids):
        Unit.objects.count()
        return {"reads": _counts(Unit.objects.filter(pk__in=unit_ids))}

    def chooses(unit_ids):
        # A value made from the ids: it cannot be filled in.
        return {"chooses": _counts(Unit.objects.filter(pk__gte=min(unit_ids)))}

    for name, build in (("reads", reads), ("chooses", chooses)):
        assert counted.kept_counts((name,), build, ids) == counted.counted_in_database(build(ids))
        assert kept._shapes[counted.kept_key((name,), 2)] == counted._UNKEPT
        assert counted.kept_counts((name,), build, [unit_b.pk, unit_b.pk + 1]) == counted.counted_in_database(
            build([unit_b.pk, unit_b.pk + 1])
        )


# The loop yearclock/due.html drew the contributed cards with before yearclock_tags.contributed_cards.
_LOOP = """{% load i18n %}
  {% for row in contributed %}
  <li class="card{% if row.late %} card--danger{% endif %}">{% if row.link %}<a href="{{ row.link }}">{% else %}<div>{% endif %}
    <span class="list-cards__title">{{ row.label }}</span>
    <span class="list-cards__meta"><span>{{ row.unit }}</span><span>{{ row.counts }}</span>
      <span>{% translate "Oldest due" %} <time datetime="{{ row.oldest|date:'Y-m-d' }}">{{ row.oldest|date:"j.n.Y" }}</time></span></span>
  {% if row.link %}</a>{% else %}</div>{% endif %}</li>
  {% endfor %}
"""


def test_the_contributed_cards_are_the_loops_markup():
    rows = [
        {"label": "Mittaukset & <b>", "unit": 'Koti "A"', "link": "/a/?unit=1&state=open", "due": 2, "late": 1,
         "oldest": dt.date(2026, 3, 5), "counts": "2 due, 1 late"},
        {"label": "Perehdytys", "unit": "Koti B", "link": "", "due": 1, "late": 0,
         "oldest": dt.date(2026, 11, 30), "counts": "1 due"},
    ]
    loop = engines["django"].from_string(_LOOP)
    for language in ("fi", "sv", "en"):
        with translation.override(language):
            expected = loop.render({"contributed": rows})
            assert "\n  " + str(contributed_cards(rows)) + "\n" == expected
