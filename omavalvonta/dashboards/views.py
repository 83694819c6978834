from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from omavalvonta.dashboards.selectors import home_summary
from omavalvonta.notifications.digest import DigestForm, digest_frequency, digest_preference_set
from omavalvonta.organisation import access_people
from omavalvonta.organisation.access import AUTHENTICATED, requires


@requires(AUTHENTICATED)
def home(request):
    return render(request, "dashboards/home.html", home_summary(actor=request.user))


@requires(AUTHENTICATED)
def profile(request):
    if request.method == "POST":
        digest_form = DigestForm(request.POST)
        if digest_form.is_valid():
            digest_preference_set(actor=request.user, frequency=digest_form.cleaned_data["frequency"])
            messages.success(request, _("Your choice was saved."))
            return redirect("account_settings")
    else:
        digest_form = DigestForm(initial={"frequency": digest_frequency(user=request.user)})
    memberships = access_people.memberships_of(user=request.user).select_related("unit", "region").order_by("role")
    return render(request, "dashboards/profile.html", {"memberships": memberships, "digest_form": digest_form})


@requires(AUTHENTICATED)
def not_available(request, *args, **kwargs):
    """A third-party page this product switches off (answers 404)."""
    raise Http404
