"""The organisation-wide duty sources' facts, read in one statement on the
calendar's "this month" (yearclock/facts.py)."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from omavalvonta.core import registry
from omavalvonta.organisation.models import Unit
from omavalvonta.yearclock import duties, facts

TODAY = dt.date(2026, 3, 2)


def _organisation_sources():
    return [e for e in registry.entries(registry.DUTY_SOURCES) if e.details.get("organisation")]


def test_every_organisation_source_declares_its_facts_reading_nothing(db):
    sources = _organisation_sources()
    assert sources
    for entry in sources:
        assert callable(entry.details.get("facts")) and callable(entry.details.get("duties_from")), entry.name
        with CaptureQueriesContext(connection) as reads:
            made = entry.details["facts"](today=TODAY)
        # Kept compiled per day: the SQL depends on the day alone.
        assert not reads.captured_queries, entry.name
        assert made and all(hasattr(queryset, "query") for queryset in made.values()), entry.name


def test_the_facts_in_one_statement_are_each_sources_own(db, unit_a):
    sources = _organisation_sources()
    together = facts.first_values(
        {(e.name, name): queryset for e in sources for name, queryset in e.details["facts"](today=TODAY).items()}
    )
    for entry in sources:
        own = {name: value for (source, name), value in together.items() if source == entry.name}
        one_by_one = {name: next(iter(q[:1]), None) for name, q in entry.details["facts"](today=TODAY).items()}
        assert own == one_by_one
        assert entry.details["duties_from"](today=TODAY, facts=own) == entry.func(today=TODAY, unit_ids=None)


def test_first_values_converts_as_the_queryset_would(db, unit_a):
    created = Unit.objects.filter(pk=unit_a.pk).values_list("created_at", flat=True)
    found = facts.first_values({
        "name": Unit.objects.filter(pk=unit_a.pk).values_list("name", flat=True),
        "created": created,
        "none": Unit.objects.filter(pk=-1).values_list("created_at", flat=True),
        "empty": Unit.objects.filter(pk__in=[]).values_list("pk", flat=True),
    })
    assert found == {"name": unit_a.name, "created": created.first(), "none": None, "empty": None}
    assert isinstance(found["created"], dt.datetime) and timezone.is_aware(found["created"])


def test_this_months_organisation_duties_read_their_facts_in_one_statement(db, quality_director):
    duties.organisation_duties(actor=quality_director, today=TODAY)  # the statement compiled once a day
    with CaptureQueriesContext(connection) as reads:
        assert duties.organisation_duties(actor=quality_director, today=TODAY) == []
    assert len(reads.captured_queries) == 1


def test_the_statement_is_kept_only_when_its_build_reads_nothing(db, unit_a):
    built = []

    def quiet():
        built.append("quiet")
        return {"name": Unit.objects.filter(pk=unit_a.pk).values_list("name", flat=True)}

    def reading():
        built.append("reading")
        Unit.objects.count()
        return quiet()

    for _ in range(2):
        assert facts.kept_first_values(("test.quiet", unit_a.pk), quiet) == {"name": unit_a.name}
        assert facts.kept_first_values(("test.reading", unit_a.pk), reading) == {"name": unit_a.name}
    assert built.count("reading") == 2 and built.count("quiet") == 3  # once kept, twice from `reading`
