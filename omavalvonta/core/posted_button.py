"""A button posted from a record's page without a form (approve, remove,
publish): the service called, its answer told as a message, back to the page.
The steps with a form are core.forms.posted_step's."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect


def posted_button(request, perform, *, success, back):
    """`perform()` (the service call); through, the message `success` (a callable
    is given what `perform` returned and says the text, or none); refused, the
    service's messages as one error. Back to the URL `back` either way."""
    try:
        result = perform()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        text = success(result) if callable(success) else success
        if text:
            messages.success(request, text)
    return redirect(back)
