"""A table's column heads in one place: every head a `<th scope="col">`, so that
a screen reader names each cell's column."""

from django import template
from django.utils.html import format_html, format_html_join

register = template.Library()


@register.simple_tag
def column_heads(*labels):
    """`{% column_heads _("Name") _("State") %}`: the table's <thead> row."""
    cells = format_html_join("", '<th scope="col">{}</th>', ((label,) for label in labels))
    return format_html("<thead><tr>{}</tr></thead>", cells)
