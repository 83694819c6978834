"""A button's POST that calls one service and says how it went (a version
published, a draft discarded, a run approved, a plan removed), for views whose
form has no page of its own to show again; a form page uses
`core.forms.form_page` / `posted_step` instead."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect

from omavalvonta.core.forms import form_step


def call_service(request, perform, *, success) -> bool:
    """`perform()`; refused, its ValidationError's messages as one error
    message; through, the message `success` (a callable is given what `perform`
    returned and says the text, or none). True when it went through: where to
    go next is the caller's (`posted_button`: back to one page either way)."""
    try:
        result = perform()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return False
    _tell(request, success(result) if callable(success) else success)
    return True


def posted_button(request, perform, *, success, back):
    """`call_service`, then back to the URL `back` whichever way it went."""
    call_service(request, perform, success=success)
    return redirect(back)


def _tell(request, text) -> None:
    if text:
        messages.success(request, text)


def call_form_service(request, form, perform, *, success) -> bool:
    """The same for a small form posted from another page (a note, a reason):
    `core.forms.form_step` with `perform(cleaned_data)`; refused, the form's
    errors (the service's among them) as one error message."""
    done, result = form_step(form, perform)
    if done:
        _tell(request, success(result) if callable(success) else success)
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return done
