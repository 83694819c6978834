"""Small form helpers every area uses: forms parse input, services decide."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from omavalvonta.core.lib import bounds


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


def _date_range_message() -> str:
    return _("Enter a date between %(earliest)s and %(latest)s.") % {
        "earliest": f"{bounds.EARLIEST.day}.{bounds.EARLIEST.month}.{bounds.EARLIEST.year}",
        "latest": f"{bounds.LATEST.day}.{bounds.LATEST.month}.{bounds.LATEST.year}",
    }


class DateField(forms.DateField):
    """A date within the range the product accepts (core.lib.dates): a year 1 or
    9999 typed by mistake or on purpose is a form error, not an overflow later."""

    def validate(self, value):
        super().validate(value)
        if value is not None and not bounds.in_range(value):
            raise ValidationError(_date_range_message(), code="date_range")


class DateTimeField(forms.DateTimeField):
    """A date and time within the range the product accepts (see DateField)."""

    def validate(self, value):
        super().validate(value)
        if value is not None and not bounds.in_range(value):
            raise ValidationError(_date_range_message(), code="date_range")


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's field, refusing ids that are not integers a database can hold
    (a huge number or non-ASCII digits) as an invalid choice, before they reach
    the query (where `id IN (...)` would overflow)."""

    def _check_values(self, value):
        key = self.to_field_name or "pk"
        field = self.queryset.model._meta.get_field(key) if key != "pk" else self.queryset.model._meta.pk
        if field.get_internal_type() in ("AutoField", "BigAutoField", "IntegerField", "BigIntegerField"):
            for item in value:
                if bounds.parse_int(str(item)) is None:
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": item}
                    )
        return super()._check_values(value)
