"""The deviations' home block written in Python (deviations/home.py)."""

from django import template

from omavalvonta.deviations.home import queue_html

register = template.Library()


@register.filter
def queue_rows(deviations):
    """`{{ b|queue_rows }}`: the home queue's reports, as its loop wrote them."""
    return queue_html(deviations)
