"""Pages of the children in care: the overview of units (counts), a unit's
children, a child's page, and the add, edit and end forms.

Pages declare client.count, client.view or client.manage; a unit or a placement
is fetched through the kernel (404 outside the actor's units, 403 inside them
without the right). A child's page and the unit's list write an access-log row."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from omavalvonta.clients import selectors, services
from omavalvonta.clients.forms import EndForm, PlacementForm
from omavalvonta.core import registry
from omavalvonta.core.accesslog import logs_read
from omavalvonta.core.forms import form_page
from omavalvonta.organisation import access
from omavalvonta.organisation.access import P_CLIENT_COUNT, P_CLIENT_MANAGE, P_CLIENT_VIEW, requires
from omavalvonta.organisation.models import WellbeingCounty
from omavalvonta.organisation.overview import pick_region


@requires(P_CLIENT_COUNT)
def overview(request):
    """The units the actor may count, with their current children by type; many
    units: their regions first. One unit whose children the actor sees: straight
    to its list."""
    actor = request.user
    regions = selectors.region_overview(actor=actor)
    region, regions_first = pick_region(regions, request.GET.get("alue"))
    total = sum(r["total"] for r in regions)
    if regions_first:
        return render(request, "clients/overview.html", {"regions": regions, "total": total})
    rows = selectors.unit_overview(actor=actor, region_id=region["region"].pk if region else None)
    if region is None and len(rows) == 1 and rows[0]["can_view"]:
        return redirect("clients:unit", unit_id=rows[0]["unit"].pk)
    if region is not None:
        total = region["total"]
    return render(request, "clients/overview.html", {"rows": rows, "region": region, "total": total})


@logs_read("placement.list")
@requires(P_CLIENT_VIEW)
def unit_children(request, unit_id):
    actor = request.user
    unit = access.access_unit(actor, unit_id, P_CLIENT_VIEW)
    ended = request.GET.get("ended") == "1"
    return render(
        request,
        "clients/unit.html",
        {
            "unit": unit,
            "placements": selectors.unit_children(actor=actor, unit=unit, ended=ended),
            "ended": ended,
            "ended_count": None if ended else selectors.unit_ended_count(unit=unit),
            "can_manage": access.can(actor, P_CLIENT_MANAGE, unit),
            "many_units": access.units_for(actor, P_CLIENT_COUNT)[:2].count() > 1,
            "today": timezone.localdate(),
        },
    )


@requires(P_CLIENT_VIEW)
def placement_detail(request, pk):
    actor = request.user
    placement = selectors.placement_get(actor=actor, pk=pk, request=request)
    return render(
        request,
        "clients/detail.html",
        {
            "placement": placement,
            "current": placement.ends_on is None or placement.ends_on > timezone.localdate(),
            "can_manage": access.can(actor, P_CLIENT_MANAGE, placement.unit),
            "panels": _child_panels(actor=actor, placement=placement, request=request),
        },
    )


def _child_panels(*, actor, placement, request) -> list[dict]:
    """What other areas show on the child's page (core.registry CHILD_PANELS)."""
    panels = []
    for entry in registry.entries(registry.CHILD_PANELS):
        panel = entry.func(actor=actor, placement=placement, request=request)
        if panel:
            panels.append(panel)
    return panels


def _counties():
    return WellbeingCounty.objects.order_by("name", "pk")


@requires(P_CLIENT_MANAGE)
def placement_create(request, unit_id):
    actor = request.user
    unit = access.access_unit(actor, unit_id, P_CLIENT_MANAGE)
    return form_page(
        request, PlacementForm,
        lambda form: services.placement_create(actor=actor, unit=unit, **form.service_kwargs()),
        template="clients/form.html", context={"unit": unit, "placement": None},
        form_kwargs={"counties": _counties(), "people": selectors.personal_worker_choices(unit)},
        initial=lambda: _new_initial(unit), success=_("The placement was recorded."),
        back=lambda placement: reverse("clients:detail", kwargs={"pk": placement.pk}),
    )


def _new_initial(unit) -> dict:
    """A new placement's form: the type follows the unit's service, the county
    is chosen for the user when the unit has one purchaser, the start is today."""
    initial = {"edit_version": 0, "starts_on": timezone.localdate(), "placement_type": unit.service_type}
    purchasers = list(unit.counties.values_list("pk", flat=True)[:2])
    if len(purchasers) == 1:
        initial["county"] = purchasers[0]
    return initial


def _workers(placement) -> list:
    """The unit's staff, and the current personal worker even when no longer one of them."""
    people = list(selectors.personal_worker_choices(placement.unit))
    if placement.personal_worker is not None and placement.personal_worker not in people:
        people.append(placement.personal_worker)
    return people


@requires(P_CLIENT_MANAGE)
def placement_edit(request, pk):
    actor = request.user
    placement = selectors.placement_get(actor=actor, pk=pk, perm=P_CLIENT_MANAGE, request=request)
    return form_page(
        request, PlacementForm,
        lambda form: services.placement_update(
            actor=actor, placement=placement, expected_version=form.cleaned_data.get("edit_version"),
            **form.service_kwargs(),
        ),
        template="clients/form.html", context={"unit": placement.unit, "placement": placement},
        form_kwargs={"counties": _counties(), "people": _workers(placement)},
        initial=lambda: PlacementForm.initial_from(placement), success=_("The placement was saved."),
        back=reverse("clients:detail", kwargs={"pk": placement.pk}),
    )


@requires(P_CLIENT_MANAGE)
def placement_end(request, pk):
    actor = request.user
    placement = selectors.placement_get(actor=actor, pk=pk, perm=P_CLIENT_MANAGE, request=request)
    if placement.ends_on is not None:
        messages.info(request, _("This placement has already ended."))
        return redirect("clients:detail", pk=placement.pk)
    return form_page(
        request, EndForm,
        lambda form: services.placement_end(actor=actor, placement=placement, ends_on=form.cleaned_data["ends_on"]),
        template="clients/end.html", context={"placement": placement},
        success=_("The placement was ended. The record is kept."),
        back=reverse("clients:unit", kwargs={"unit_id": placement.unit_id}),
    )
