"""A table's column heads in one place: every head a `<th scope="col">`, so that
a screen reader names each cell's column."""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

register = template.Library()

_NUMBERS = mark_safe(' class="num"')  # noqa: S308 - a constant


@register.simple_tag
def column_heads(*labels, num=""):
    """`{% column_heads _("Name") _("State") _("Units") num="3" %}`: the table's <thead> row;
    `num`, the places (from 1) of the columns of numbers, whose heads are `class="num"` as
    their cells."""
    numbers = {int(place) for place in num.split()}
    cells = format_html_join(
        "",
        '<th scope="col"{}>{}</th>',
        ((_NUMBERS if place in numbers else "", label) for place, label in enumerate(labels, 1)),
    )
    return format_html("<thead><tr>{}</tr></thead>", cells)
