"""Per-unit routing: who handles which type of report."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from omavalvonta.core.forms import add_service_errors
from omavalvonta.deviations import selectors, services
from omavalvonta.deviations.forms import RoutingForm
from omavalvonta.deviations.models import Kind
from omavalvonta.organisation import access
from omavalvonta.organisation.access import (
    P_DEVIATION_ROUTING,
    P_UNIT_VIEW,
    requires,
)

# --- Routing ---------------------------------------------------------------------------------


@requires(P_UNIT_VIEW)
def handler_routing(request, unit_id):
    # Declared with unit.view, not deviation.routing: someone outside the unit
    # gets 404 (the unit does not exist for them) rather than a 403 that confirms it.
    actor = request.user
    unit = access.access_unit(actor, unit_id, P_DEVIATION_ROUTING)
    # Kind-limited roles (the DPO, say) are offered only for their own types.
    candidates_by_kind = {kind: list(selectors.handler_candidates(unit=unit, kind=kind)) for kind in Kind.values}
    current = selectors.handler_assignments_for(unit=unit)
    form = RoutingForm(request.POST or None, candidates_by_kind=candidates_by_kind, current=current)
    if request.method == "POST" and form.is_valid():
        changes = list(form.changes())
        try:
            with transaction.atomic():
                for kind, handler in changes:
                    services.handler_assignment_set(actor=actor, unit=unit, kind=kind, handler=handler)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if changes:
                messages.success(request, _("The handlers were saved."))
            else:
                messages.info(request, _("Nothing was changed."))
            return redirect(reverse("deviations:routing", args=[unit.pk]))
    return render(request, "deviations/routing.html", {"unit": unit, "form": form})
