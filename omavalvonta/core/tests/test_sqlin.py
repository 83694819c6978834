"""core.lib.sqlin.AnyOf: the rows of Django's IN, the ids one parameter on PostgreSQL."""

import pytest
from django.db import connection
from django.db.models import F

from omavalvonta.core.lib.sqlin import AnyOf
from omavalvonta.organisation.models import Unit
from omavalvonta.testing.factories import UnitFactory

pytestmark = pytest.mark.django_db


def test_any_of_finds_and_excludes_the_rows_in_of_finds():
    units = [UnitFactory() for _ in range(4)]
    ids = [units[0].pk, units[2].pk]
    assert set(Unit.objects.filter(pk__any_of=ids)) == set(Unit.objects.filter(pk__in=ids))
    assert set(Unit.objects.exclude(pk__any_of=ids)) == set(Unit.objects.exclude(pk__in=ids))
    assert set(Unit.objects.filter(AnyOf(F("pk"), ids))) == set(Unit.objects.filter(pk__in=ids))
    assert not Unit.objects.filter(pk__any_of=[]).exists()
    assert Unit.objects.exclude(pk__any_of=[]).count() == Unit.objects.count()


def test_any_of_is_one_array_parameter_on_postgresql():
    ids = [3, 1, 2]
    sql, params = Unit.objects.filter(region_id__any_of=ids).query.sql_with_params()
    if connection.vendor == "postgresql":
        assert '"region_id" = ANY(%s::bigint[])' in sql and ids in params
    else:
        assert sql.count("%s") == len(ids) and list(params) == ids
