"""A region's unit ids as the access kernel writes them into SQL (with
organisation/access.py): one value for Django and one array literal for
PostgreSQL, so that a regional director's every scoped query does not walk the
region's hundred ids several times over.

Written as a list, each id was resolved and checked one by one while Django
built the filter, hashed one by one when the kernel compared its filter with
"everything" (`Q() == q`), and dumped one by one by the database client for each
statement: some 1,200 Python calls of a regional director's list page of 48,000.
`UnitIds` hashes and compares as one tuple and Django's filter building leaves
it alone (it is neither a list nor iterable); `InUnitIds` writes it as the same
`value = ANY('{1,2,...}'::bigint[])` core.lib.sqlin.AnyOf writes, the literal
made once per grant (a request), and as Django's `IN (...)` elsewhere."""

from __future__ import annotations

from django.db import models
from django.db.models import Lookup
from django.db.models.lookups import In


class UnitIds:
    """The ids of a region's units, in order: hashed and compared as one tuple,
    not iterable (Django's filter building walks an iterable value id by id)."""

    __slots__ = ("ids", "literal")

    def __init__(self, ids):
        self.ids = tuple(ids)
        # PostgreSQL's array literal of the ids, as its client would write the list.
        self.literal = "{" + ",".join(map(str, self.ids)) + "}"

    def __eq__(self, other):
        return isinstance(other, UnitIds) and self.ids == other.ids

    def __hash__(self):
        return hash(self.ids)

    def __len__(self):
        return len(self.ids)

    def __repr__(self):
        return f"UnitIds({list(self.ids)!r})"


@models.ForeignKey.register_lookup
@models.IntegerField.register_lookup
class InUnitIds(Lookup):
    """`value IN (ids)` of a region's units (`unit_id__in_unit_ids=UnitIds(...)`):
    on PostgreSQL `value = ANY('{...}'::bigint[])`, the array one parameter
    (the same statement as core.lib.sqlin.AnyOf's); elsewhere Django's own IN,
    nothing matching an empty list (as there)."""

    lookup_name = "in_unit_ids"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        return In(self.lhs, list(self.rhs.ids)).as_sql(compiler, connection)

    def as_postgresql(self, compiler, connection):
        lhs_sql, lhs_params = self.process_lhs(compiler, connection)
        array_type = self.lhs.output_field.cast_db_type(connection)
        return f"{lhs_sql} = ANY(%s::{array_type}[])", (*lhs_params, self.rhs.literal)
