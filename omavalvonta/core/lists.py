"""The shape the areas' filtered list pages share: a filter form, one page of the
rows it chooses, and the page's own things beside them."""

from django.core.paginator import Paginator
from django.shortcuts import render

PAGE_SIZE = 20


def filtered_list(request, template, form, rows, *, per_page=PAGE_SIZE, status=200, **context):
    """Render `template` with `form` (a filter form whose `filters()` gives the
    chosen filters), `page` (the ?page= page of `rows(filters)`, a selector's
    rows), `filtered` (whether any filter was chosen) and `context`."""
    filters = form.filters()
    page = Paginator(rows(filters), per_page).get_page(request.GET.get("page"))
    return render(request, template, {"form": form, "page": page, "filtered": bool(filters), **context}, status=status)
