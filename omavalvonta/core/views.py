from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from omavalvonta.organisation.access import AUTHENTICATED, requires


@requires(AUTHENTICATED)
def profile(request):
    from omavalvonta.notifications.digest import DigestForm, digest_frequency, digest_preference_set

    if request.method == "POST":
        digest_form = DigestForm(request.POST)
        if digest_form.is_valid():
            digest_preference_set(actor=request.user, frequency=digest_form.cleaned_data["frequency"])
            messages.success(request, _("Your choice was saved."))
            return redirect("account_settings")
    else:
        digest_form = DigestForm(initial={"frequency": digest_frequency(user=request.user)})
    memberships = request.user.memberships.select_related("unit", "region").order_by("role")
    return render(request, "core/profile.html", {"memberships": memberships, "digest_form": digest_form})


@requires(AUTHENTICATED)
def not_available(request, *args, **kwargs):
    """A third-party page this product switches off (answers 404)."""
    raise Http404


def server_error(request):
    """The 500 page (handler500). Rendered without the request's context
    processors and from a template that extends nothing: it must not touch the
    database, which may be why we are here. It says plainly that what was sent
    was not saved; the draft kept in the browser (static/js/drafts.js) brings
    the typed text back when the person returns to the form."""
    from django.http import HttpResponseServerError
    from django.template import loader
    from django.utils.translation import get_language

    template = loader.get_template("500.html")
    body = template.render({"was_sent": request.method == "POST", "language": get_language() or "fi"})
    response = HttpResponseServerError(body)
    response["Cache-Control"] = "no-store"
    return response
