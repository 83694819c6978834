from django.http import Http404
from django.shortcuts import render

from omavalvonta.organisation.access import AUTHENTICATED, requires


@requires(AUTHENTICATED)
def profile(request):
    memberships = request.user.memberships.select_related("unit", "region").order_by("role")
    return render(request, "core/profile.html", {"memberships": memberships})


@requires(AUTHENTICATED)
def not_available(request, *args, **kwargs):
    """A third-party page this product switches off (answers 404)."""
    raise Http404
