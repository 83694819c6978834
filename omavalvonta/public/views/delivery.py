"""The download page of a document sent to a child's social worker (clients'
SocialWorkerDelivery): the link came in one e-mail, the one-time code in
another. The page shows nothing before the right code; attempts are slowed per
browser session and address, wrong codes lock the link, every attempt is logged
(clients.services.delivery_open)."""

from __future__ import annotations

import time

from django import forms
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from omavalvonta.clients import services as clients_services
from omavalvonta.organisation.access import public_view
from omavalvonta.public.ratelimit import RateLimit, client_address, wait_message

DELIVERY_LIMIT = RateLimit("delivery", window_seconds=10 * 60, per_session=10, per_address=30)


class DeliveryCodeForm(forms.Form):
    code = forms.CharField(
        label=_("One-time code"),
        max_length=32,
        help_text=_("The code came in a separate e-mail."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}),
    )


@public_view
def delivery(request, token):
    """Ask for the one-time code; the right code downloads the document (PDF)."""
    known = clients_services.delivery_for_token(token) is not None
    status = 200 if known else 404
    wait_seconds = 0
    form = DeliveryCodeForm(request.POST or None)
    if request.method == "POST" and known:
        now = time.time()
        wait_seconds = DELIVERY_LIMIT.wait_seconds(request, now)
        if wait_seconds:
            status = 429
        elif form.is_valid():
            DELIVERY_LIMIT.record(request, now)
            try:
                filename, content = clients_services.delivery_open(
                    token=token, code=form.cleaned_data["code"], address=client_address(request)
                )
            except clients_services.DeliveryRefused as refused:
                form.add_error("code", str(refused))
            else:
                response = HttpResponse(content, content_type="application/pdf")
                response["Content-Disposition"] = f'attachment; filename="{filename}"'
                return response
    return render(
        request,
        "public/delivery.html",
        {"form": form, "known": known, "wait_message": wait_message(wait_seconds)},
        status=status,
    )
