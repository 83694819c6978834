"""The label of a stored choice value, read many times on a page."""

from __future__ import annotations


def label_of(choices, value):
    """The label of `value` in the `TextChoices`/`IntegerChoices` class `choices`,
    or `value` itself when the class no longer has it (an old record). Cheaper
    than `value in choices.values`, which builds the list of every choice."""
    try:
        return choices(value).label
    except ValueError:
        return value
