"""A step posted by a button alone (close, approve, remove): no form to show
again, only a message and the way back. For a step with a form, see
core/forms.py `posted_step`."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect


def button_step(request, perform, *, success, back):
    """Run `perform()` (the service call). Through, the message `success`;
    refused (ValidationError), the service's reasons as one error message.
    Either way back to the URL `back`."""
    try:
        perform()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, success)
    return redirect(back)
