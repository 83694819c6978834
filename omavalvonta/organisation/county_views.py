"""Administration of the purchasing counties' access to their own view
(CountyAccess, /hallinta/hyvinvointialueiden-kayttajat/) and of the open API's
tokens (ApiToken, /hallinta/api-avaimet/). Every view needs `organisation.admin`."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _, gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from omavalvonta.core.accesslog import logs_read
from omavalvonta.organisation import selectors, services
from omavalvonta.organisation.models import WellbeingCounty
from omavalvonta.organisation.views import _bound, _page, _save, admin_required

# --- Counties' people and the API's tokens --------------------------------------------------


class CountyAccessForm(forms.Form):
    person = forms.ModelChoiceField(
        label=gettext_lazy("Person"),
        queryset=None,
        help_text=gettext_lazy("Add the person first without a role (People). A county's person has no role at the provider."),
        error_messages={"required": gettext_lazy("Choose the person."), "invalid_choice": gettext_lazy("Choose the person from the list.")},
    )
    county = forms.ModelChoiceField(
        label=gettext_lazy("Wellbeing services county"),
        queryset=WellbeingCounty.objects.order_by("name", "pk"),
        error_messages={"required": gettext_lazy("Choose the county."), "invalid_choice": gettext_lazy("Choose the county from the list.")},
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        self.fields["person"].label_from_instance = lambda p: f"{p.full_name} ({p.email})"


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=100,
        help_text=gettext_lazy("Who uses the token and for what, e.g. “Pirkanmaa: supervision reports”."),
        error_messages={"required": gettext_lazy("Name the token (who uses it and for what).")},
    )
    county = forms.ModelChoiceField(
        label=gettext_lazy("Wellbeing services county"),
        queryset=WellbeingCounty.objects.order_by("name", "pk"),
        required=False,
        empty_label=gettext_lazy("None: a public integration (public data only)"),
        error_messages={"invalid_choice": gettext_lazy("Choose the county from the list.")},
    )


# --- Counties' people (the county's own view) and the open API's tokens ------------------

_TOKEN_SESSION_KEY = "organisation:new-api-token"


@logs_read("county_access.list")
@admin_required
@require_http_methods(["GET", "POST"])
def county_access_list(request):
    """Who of the purchasing counties may sign in to their county's view:
    grant (a person added without a role) and revoke."""
    people = selectors.county_access_candidates(actor=request.user)
    form = CountyAccessForm(request.POST if request.method == "POST" else None, people=people)
    if request.method == "POST":
        grant = _save(
            form,
            lambda data: services.county_access_grant(actor=request.user, person=data["person"], county=data["county"]),
        )
        if grant:
            messages.success(
                request,
                _("%(name)s may now sign in to the view of %(county)s (with a second factor).")
                % {"name": grant.user.full_name, "county": grant.county.name},
            )
            return redirect("organisation:county_access_list")
    return render(
        request,
        "organisation/county_access_list.html",
        {"accesses": _page(request, selectors.county_access_list(actor=request.user)), "form": form},
    )


@admin_required
@require_POST
def county_access_revoke(request, pk):
    grant = selectors.county_access_get(actor=request.user, pk=pk)
    services.county_access_revoke(actor=request.user, grant=grant)
    messages.success(
        request,
        _("The access of %(name)s to %(county)s was revoked.") % {"name": grant.user.full_name, "county": grant.county.name},
    )
    return redirect("organisation:county_access_list")


@admin_required
@require_http_methods(["GET", "POST"])
def api_token_list(request):
    """The open API's tokens: make one (shown once), revoke one."""
    form = _bound(request, ApiTokenForm)
    if request.method == "POST":
        result = _save(
            form, lambda data: services.api_token_create(actor=request.user, name=data["name"], county=data["county"])
        )
        if result:
            token, raw = result
            request.session[_TOKEN_SESSION_KEY] = {"token": token.pk, "raw": raw}
            messages.success(request, _("The token “%(name)s” was made.") % {"name": token.name})
            return redirect("organisation:api_token_list")
    new_token = request.session.pop(_TOKEN_SESSION_KEY, None)
    return render(
        request,
        "organisation/api_token_list.html",
        {"tokens": _page(request, selectors.api_token_list(actor=request.user)), "form": form, "new_token": new_token},
    )


@admin_required
@require_POST
def api_token_revoke(request, pk):
    token = selectors.api_token_get(actor=request.user, pk=pk)
    services.api_token_revoke(actor=request.user, token=token)
    messages.success(request, _("The token “%(name)s” was revoked.") % {"name": token.name})
    return redirect("organisation:api_token_list")
