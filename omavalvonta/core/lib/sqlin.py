"""`value IN (...)` that PostgreSQL is given in one piece: a subquery an index on
`value` can still serve (the access kernel's compact region scope, issue 19) and a
long list of ids as one array parameter."""

from django.db import models
from django.db.models import Expression, Lookup, Subquery
from django.db.models.lookups import In


class InArrayOf(Expression):
    """`value IN (subquery)`, written `value = ANY(ARRAY(subquery))` on
    PostgreSQL: the subquery runs once before the rows (an InitPlan) and its
    array is a parameter, so an index on `value` can serve it as it serves a
    list of ids. (`value IN (subquery)` inside the OR of the object rules left
    PostgreSQL a hashed filter only: a rare word's reports in a region walked
    in 40 ms instead of 5.)"""

    conditional = True

    def __init__(self, value, subquery: Subquery):
        super().__init__(output_field=models.BooleanField())
        self.value, self.subquery = value, subquery

    def get_source_expressions(self):
        return [self.value, self.subquery]

    def set_source_expressions(self, exprs):
        self.value, self.subquery = exprs

    def as_sql(self, compiler, connection):
        value_sql, value_params = compiler.compile(self.value)
        sub_sql, sub_params = compiler.compile(self.subquery)
        return f"{value_sql} IN {sub_sql}", (*value_params, *sub_params)

    def as_postgresql(self, compiler, connection):
        value_sql, value_params = compiler.compile(self.value)
        sub_sql, sub_params = compiler.compile(self.subquery)
        return f"{value_sql} = ANY(ARRAY{sub_sql})", (*value_params, *sub_params)


@models.ForeignKey.register_lookup
@models.IntegerField.register_lookup
class AnyOf(Lookup):
    """`value IN (ids)` for a long list of ids (`unit_id__any_of=[...]`): on
    PostgreSQL `value = ANY(%s::bigint[])`, the list one parameter, so a
    region's hundred units are not a hundred parameters for Django to prepare
    and the driver to write into each statement (the same rows and plan: the
    database reads `IN (...)` as `= ANY(...)`). Elsewhere Django's own IN."""

    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        return In(self.lhs, self.rhs).as_sql(compiler, connection)

    def as_postgresql(self, compiler, connection):
        lhs_sql, lhs_params = self.process_lhs(compiler, connection)
        array_type = self.lhs.output_field.cast_db_type(connection)
        return f"{lhs_sql} = ANY(%s::{array_type}[])", (*lhs_params, list(self.rhs))
