"""Pagination for long lists: the page's ids come from a query without joins (an
index walk on the sort key), then only those rows are loaded with their related
objects. Sorting half a million joined rows to show twenty was the slow part.
Both are one statement where the list's order can be repeated on the page's rows
(`WHERE id IN (the page's ids ... LIMIT 20)`, planned as the same walk)."""

from django.core.paginator import Page, Paginator
from django.utils.functional import cached_property

# A long list is counted this far and then says "more than": the filters narrow it.
LIST_COUNT_LIMIT = 10_000


class CappedPaginator(Paginator):
    """A Paginator whose count may come from a function and stop at a limit.
    `count`: a function giving the number of rows when the list's own count()
    is slow (access.count_for_actor) or would count past the limit.
    `count_limit`: the count stops there (`count` is told the same limit); the
    pages go as far as the limit and `count_capped` says there are more."""

    def __init__(self, object_list, per_page, *, count=None, count_limit=None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self._count = count
        self.count_limit = count_limit

    def _full_count(self) -> int:
        return self.object_list.count()

    @cached_property
    def count(self):
        count = self._count() if self._count is not None else self._full_count()
        return count if self.count_limit is None else min(count, self.count_limit)

    @property
    def count_capped(self) -> bool:
        return self.count_limit is not None and self.count >= self.count_limit


class IdPaginator(CappedPaginator):
    """A Paginator over `object_list` (a queryset) that loads each page in two
    queries: the page's primary keys in order, then those rows with
    `select_related(*related)`. The page keeps the queryset's order."""

    def __init__(self, object_list, per_page, *, related=(), only=None, ids_from=None, **kwargs):
        # The joins of `object_list` (select_related) are left out where they
        # would cost: its count, and the page's ids (values_list drops them).
        super().__init__(object_list, per_page, **kwargs)
        self.related = related
        # `only`: the fields the page shows (QuerySet.only), when it needs few of many.
        self.only = only
        # The same rows in the same order, written to be planned as an index walk
        # (access.scope_q's `walk`): used for the page's ids, not for the count.
        self.ids_from = object_list if ids_from is None else ids_from

    def _full_count(self) -> int:
        return self.object_list.select_related(None).count()

    def _plain_order(self) -> list[str] | None:
        """The list's order when it can be repeated on the page's rows alone: model
        fields ending with the primary key (so that no two rows tie); else None."""
        query = self.object_list.query
        order = list(query.order_by)
        if not order or query.annotations or query.extra_order_by or not all(isinstance(o, str) for o in order):
            return None
        names = {f.name for f in self.object_list.model._meta.concrete_fields} | {"pk"}
        if not all(o.lstrip("-") in names for o in order):
            return None
        return order if order[-1].lstrip("-") in {"pk", self.object_list.model._meta.pk.name} else None

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        ids = self.ids_from.values_list("pk", flat=True)[bottom:top]
        rows = self.object_list.model._default_manager.select_related(*self.related)
        if self.only is not None:
            rows = rows.only(*self.only)
        order = self._plain_order()
        if order is not None:
            return Page(list(rows.filter(pk__in=ids).order_by(*order)), number, self)
        ids = list(ids)
        found = rows.in_bulk(ids)
        return Page([found[pk] for pk in ids if pk in found], number, self)
