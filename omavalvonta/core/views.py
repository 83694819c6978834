from django.shortcuts import render

from omavalvonta.organisation.access import AUTHENTICATED, requires


@requires(AUTHENTICATED)
def profile(request):
    memberships = request.user.memberships.select_related("unit", "region").order_by("role")
    return render(request, "core/profile.html", {"memberships": memberships})
