"""Addresses of many records of one kind on a page, reversed once."""

from __future__ import annotations

from collections.abc import Callable

from django.urls import reverse

# A number no record has: the address is reversed with it, then cut there.
_MARK = 987654321


def pk_link(name: str) -> Callable[[int], str]:
    """`lambda pk: reverse(name, args=[pk])` that reverses once: a page of
    twenty search hits reversed each address (a tenth of the page's work)."""
    url = reverse(name, args=[_MARK])
    head, found, tail = url.partition(str(_MARK))
    assert found and str(_MARK) not in tail, url
    return lambda pk: f"{head}{int(pk)}{tail}"
