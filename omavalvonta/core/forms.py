"""Small form helpers every area uses: forms parse input, services decide."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError


class DateInput(forms.DateInput):
    """The browser's own date picker; the value in ISO format, as it expects."""

    input_type = "date"

    def __init__(self, attrs=None, **kwargs):
        kwargs.setdefault("format", "%Y-%m-%d")
        super().__init__(attrs=attrs, **kwargs)


def add_service_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError next to the fields it names; the rest on top.
    The form is shown again with everything the user typed."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            target = name if name in form.fields else None
            for e in errors:
                form.add_error(target, e)
    else:
        form.add_error(None, error)
