"""Small form helpers every area uses: forms parse input, services decide."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import models
from django.shortcuts import redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from omavalvonta.core.concurrency import EditConflict
from omavalvonta.core.lib import bounds


class DateInput(forms.DateInput):
    """The browser's own date picker; the value in ISO format, as it expects."""

    input_type = "date"

    def __init__(self, attrs=None, **kwargs):
        kwargs.setdefault("format", "%Y-%m-%d")
        super().__init__(attrs=attrs, **kwargs)


class DateTimeLocalInput(forms.DateTimeInput):
    """The browser's own date-and-time picker (local time, to the minute)."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


class EditVersionField(forms.IntegerField):
    """The hidden field of an edit form that carries the record's edit_version as
    it was when the form was opened (see core/concurrency.py). Give it as
    `initial={"edit_version": record.edit_version, ...}` and pass
    `form.cleaned_data["edit_version"]` to the service as `expected_version`;
    0 says the form was opened before the record existed (a record made by
    someone else meanwhile is then a conflict too). A browser draft keeps it
    with the text (static/js/drafts.js)."""

    widget = forms.HiddenInput(attrs={"data-draft-field": ""})

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("min_value", 0)
        super().__init__(**kwargs)


def add_service_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError next to the fields it names; the rest on top.
    The form is shown again with everything the user typed. An EditConflict also
    puts the stored values beside the typed ones (`form.edit_conflict`, shown by
    components/edit_conflict.html) and moves the hidden version on, so that
    saving again replaces the other version knowingly."""
    if isinstance(error, EditConflict):
        form.add_error(None, error.messages[0])
        form.edit_conflict = edit_conflict_view(form, error)
        data = form.data.copy()
        data[form.add_prefix("edit_version")] = str(error.current.edit_version)
        form.data = data
        return
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            target = name if name in form.fields else None
            for e in errors:
                form.add_error(target, e)
    else:
        form.add_error(None, error)


def form_step(form, perform) -> tuple[bool, object]:
    """One step posted from a record's page: validate `form` and run
    `perform(cleaned_data)` (a service call). (True, what it returned) when the
    step went through; (False, None) when the form or the service refused it: the
    service's ValidationError is on the form (add_service_errors), so the page
    shows again with everything typed. The caller decides what a stale page (a
    step no longer open to the actor) means for its record."""
    if not form.is_valid():
        return False, None
    try:
        return True, perform(form.cleaned_data)
    except ValidationError as error:
        add_service_errors(form, error)
        return False, None


def posted_step(request, form, perform, *, success, back, again, record=None):
    """The whole round of one step posted from a record's page: `form_step`;
    through, the message `success` (a callable is given what `perform` returned
    and says the text, or none) and back to the URL `back` (a callable is given
    what `perform` returned and says it); refused, `record`
    read again (a step may have moved it) and the page again as `again()`
    renders it, with everything typed. A step no longer open to the actor is the
    caller's to answer, before this."""
    done, result = form_step(form, perform)
    if done:
        text = success(result) if callable(success) else success
        if text:
            messages.success(request, text)
        return redirect(back(result) if callable(back) else back)
    if record is not None:
        record.refresh_from_db()
    return again()


def form_page(request, form_class, perform, *, template, success, back, context=None, initial=None, form_kwargs=None):
    """A page with one form that records something (a training, a measurement, a
    placement's end): shown, `form_class` with its `initial` in `template`, with
    `context`; posted, `posted_step` with `perform(form)` (the service call, given
    the valid bound form), `success` and `back` (a URL, or a callable given what
    `perform` returned), and the page again with everything typed when refused.
    `form_kwargs` go to the form both times; `initial` may be a callable, for
    initial values that cost a query only when the form is shown."""
    kwargs = form_kwargs or {}

    def page(form):
        return render(request, template, {"form": form, **(context or {})})

    if request.method != "POST":
        return page(form_class(initial=initial() if callable(initial) else initial, **kwargs))
    form = form_class(request.POST, request.FILES, **kwargs)
    return posted_step(request, form, lambda _data: perform(form), success=success, back=back, again=lambda: page(form))


def picked(data, *names) -> dict:
    """The named values of a form's cleaned data, to pass on to a service by
    name: `services.x(actor=actor, **picked(data, "title", "due_date"))`."""
    return {name: data[name] for name in names}


class PeriodFilter:
    """A filter form's period, its fields `date_from` and `date_to`: one that
    ends before it starts is an error on its end. Put before the form's class."""

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("The end of the period is before its start."))
        return data


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
_MISSING = object()


def _conflict_row(form, name, field, current) -> dict | None:
    """One field's stored value next to the person's own (None: not shown)."""
    if name == "edit_version" or isinstance(field.widget, forms.HiddenInput):
        return None
    if hasattr(form, "conflict_value"):
        theirs = form.conflict_value(name, current)
        if theirs is None:
            return None
    else:
        theirs = getattr(current, name, _MISSING)
    if theirs is _MISSING:
        return None
    yours = form.cleaned_data[name] if name in getattr(form, "cleaned_data", {}) else form[name].value()
    theirs_text, yours_text = _display(field, theirs), _display(field, yours)
    return {"label": field.label, "theirs": theirs_text, "yours": yours_text, "differs": theirs_text != yours_text}


def edit_conflict_view(form, conflict: EditConflict) -> dict:
    """What components/edit_conflict.html shows: who saved and when, and for each
    field of the form the stored value next to the person's own. A form names a
    field's stored value differently with a method `conflict_value(name, record)`
    (return None to leave the field out), and adds rows of its own (a formset's
    summary) with `conflict_extra_rows(record)` -> [(label, theirs, yours)]."""
    rows = [row for name, field in form.fields.items() if (row := _conflict_row(form, name, field, conflict.current))]
    if hasattr(form, "conflict_extra_rows"):
        for label, theirs_text, yours_text in form.conflict_extra_rows(conflict.current):
            rows.append({"label": label, "theirs": theirs_text, "yours": yours_text, "differs": theirs_text != yours_text})
    return {
        "by": getattr(conflict.changed_by, "full_name", "") or str(conflict.changed_by or ""),
        "at": timezone.localtime(conflict.changed_at) if conflict.changed_at else None,
        "rows": [row for row in rows if row["differs"]],
    }


def _display(field, value) -> str:
    """A value as the person reads it: choice labels, names, dates, yes/no."""
    if isinstance(value, models.Manager):
        value = list(value.all())
    if isinstance(value, (list, tuple, set, models.QuerySet)):
        return ", ".join(_display(field, v) for v in value) or "–"
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, models.Model):
        return getattr(value, "full_name", "") or str(value)
    if isinstance(value, dt.datetime):
        return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if isinstance(value, dt.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    return _choice_label(field, value)


def _choice_label(field, value) -> str:
    """A choice field's label of `value` (option groups too), else the value itself."""
    choices = getattr(field, "choices", None)
    if choices is None or isinstance(field, forms.ModelChoiceField):
        return str(value)
    labels = {}
    for key, label in choices:
        if isinstance(label, (list, tuple)):  # option groups
            labels.update({str(k): v for k, v in label})
        else:
            labels[str(key)] = label
    return str(labels.get(str(value), value))


# --- Choosing people and files ----------------------------------------------------------------


class UserChoiceField(forms.ChoiceField):
    """A choice of people from any iterable of users (a queryset or a list);
    cleans to the User object. Offered by name (`sort=False`: in the given order)."""

    def __init__(self, *, people, blank_label=None, sort: bool = True, **kwargs):
        self._people = {}
        for person in people:
            self._people.setdefault(str(person.pk), person)
        choices = [(pk, str(p)) for pk, p in self._people.items()]
        if sort:
            choices.sort(key=lambda c: c[1].casefold())
        if blank_label is not None:
            choices = [("", blank_label), *choices]
        super().__init__(choices=choices, **kwargs)

    def add_person(self, person):
        """Offer someone who is no longer a candidate (a current handler)."""
        if person is not None and str(person.pk) not in self._people:
            self._people[str(person.pk)] = person
            self.choices = [*self.choices, (str(person.pk), str(person))]

    def clean(self, value):
        value = super().clean(value)
        return self._people.get(value) if value else None


class UserMultipleChoiceField(forms.MultipleChoiceField):
    """Several people from any iterable of users, by name; cleans to the Users."""

    def __init__(self, *, people, **kwargs):
        self._people = {str(p.pk): p for p in people}
        choices = sorted(((pk, str(p)) for pk, p in self._people.items()), key=lambda c: c[1].casefold())
        super().__init__(choices=choices, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        return [self._people[v] for v in value if v in self._people]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input; the service checks their type and size."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []
