"""The rows of a list page (templates/components/list_page.html)."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def list_rows(context):
    """`{% list_rows as items %}`: the view's `rows` when it gives them (a page's rows with what
    the view added to them, or a list that is not paginated), else its paginator's `page`."""
    rows = context.get("rows")
    return context.get("page") if rows is None else rows
