"""core.widgets write the same markup as Django's widget templates."""

import pytest
from django import forms

from omavalvonta.core.widgets import QuickSelect

CHOICES = [("", "Valitse"), (1, "Anna & Bertta"), (2, 'Cecilia "C"')]
GROUPED = [("", "Valitse"), ("Yksikkö A", [(1, "Anna"), (2, "Bertta")]), ("Yksikkö B", [(3, "Cecilia")])]


@pytest.mark.parametrize(
    "choices, value, attrs",
    [
        (CHOICES, None, {}),
        (CHOICES, 2, {"required": True, "aria-invalid": "true", "id": "id_x", "disabled": False}),
        (GROUPED, 3, {"class": "a<b"}),
        ([], None, {}),
    ],
)
def test_quick_select_writes_djangos_select(choices, value, attrs):
    quick = QuickSelect(choices=choices).render("handler", value, attrs=attrs)
    django_s = forms.Select(choices=choices).render("handler", value, attrs=attrs)
    assert str(quick) == str(django_s)
