"""Pagination for long lists: the page's ids come from a query without joins (an
index walk on the sort key), then only those rows are loaded with their related
objects. Sorting half a million joined rows to show twenty was the slow part."""

from django.core.paginator import Page, Paginator
from django.utils.functional import cached_property


class IdPaginator(Paginator):
    """A Paginator over `object_list` (a queryset) that loads each page in two
    queries: the page's primary keys in order, then those rows with
    `select_related(*related)`. The page keeps the queryset's order."""

    def __init__(self, object_list, per_page, *, related=(), ids_from=None, count=None, count_limit=None, **kwargs):
        super().__init__(object_list.select_related(None), per_page, **kwargs)
        self.related = related
        # `count`: a function giving the number of rows when the list's own
        # count() is slow (access.count_for_actor). `count_limit`: the count
        # stops there (`count` is told the same limit); the pages go as far as
        # the limit and `count_capped` says there are more.
        self._count = count
        self.count_limit = count_limit
        # The same rows in the same order, written to be planned as an index walk
        # (access.scope_q's `walk`): used for the page's ids, not for the count.
        self.ids_from = object_list if ids_from is None else ids_from

    @cached_property
    def count(self):
        count = self._count() if self._count is not None else Paginator.count.func(self)
        return count if self.count_limit is None else min(count, self.count_limit)

    @property
    def count_capped(self) -> bool:
        return self.count_limit is not None and self.count >= self.count_limit

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        ids = list(self.ids_from.values_list("pk", flat=True)[bottom:top])
        rows = self.object_list.model._default_manager.select_related(*self.related).in_bulk(ids)
        return Page([rows[pk] for pk in ids if pk in rows], number, self)
