"""Who was informed: the handler adds and removes rows on the report page."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from omavalvonta.core.forms import picked
from omavalvonta.deviations import selectors, services
from omavalvonta.deviations.views.detail import _handle, _handling_forms, _render_detail
from omavalvonta.organisation.access import AUTHENTICATED, P_DEVIATION_HANDLE, requires


@requires(AUTHENTICATED)
@require_POST
def deviation_informed_add(request, pk):
    return _handle(
        request, pk, "informed",
        lambda deviation, data: services.informed_record_add(
            actor=request.user, deviation=deviation, **picked(data, "party", "informed_on", "informed_by", "note")
        ),
        _("Who was informed was recorded."), anchor="informed-title", failed_status=400,
    )


@requires(AUTHENTICATED)
@require_POST
def deviation_informed_remove(request, pk, record_id):
    deviation = selectors.deviation_get(actor=request.user, pk=pk, perm=P_DEVIATION_HANDLE, request=request)
    try:
        services.informed_record_remove(actor=request.user, deviation=deviation, record_id=record_id)
    except ValidationError as error:
        forms = _handling_forms(deviation, actor=request.user)
        forms["informed_errors"] = error.messages
        return _render_detail(request, deviation, forms=forms, status=400)
    messages.success(request, _("The row was removed."))
    return redirect(reverse("deviations:detail", args=[deviation.pk]) + "#informed-title")
