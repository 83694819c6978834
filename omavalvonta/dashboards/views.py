from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from omavalvonta.dashboards.context_processors import badge_querysets
from omavalvonta.dashboards.forms import TimelineFilterForm
from omavalvonta.dashboards.selectors import home_summary
from omavalvonta.dashboards.timeline import timeline_areas, timeline_items, timeline_rows, unit_timeline as unit_timeline_page
from omavalvonta.notifications.digest import DigestForm, digest_frequency, digest_preference_set
from omavalvonta.organisation import access, access_county, access_people
from omavalvonta.organisation.access import AUTHENTICATED, P_UNIT_VIEW, requires


@requires(AUTHENTICATED)
def home(request):
    if access_county.is_county_person(request.user):
        # A purchasing county's person has no unit here: their county's own view is their home.
        return redirect("county:home")
    # The menu's badges are counted with the page's own figures; the menu
    # (context_processors.navigation) reads them from the request.
    summary = home_summary(actor=request.user, badges=badge_querysets)
    request.badge_counts = summary.pop("badge_counts")
    return render(request, "dashboards/home.html", summary)


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


@requires(P_UNIT_VIEW)
def unit_timeline(request, unit_id):
    """What happened in one unit, newest first, across areas (dashboards/timeline.py).
    Titles name kinds, numbers and counts, never a child or a reporter."""
    unit = access.access_unit(request.user, unit_id, P_UNIT_VIEW)
    areas = timeline_areas()
    form = TimelineFilterForm(request.GET or None, areas=areas)
    page, filtered = None, False
    if form.is_bound and form.is_valid():
        after, before = form.window()
        area = form.cleaned_data.get("area")
        page = unit_timeline_page(actor=request.user, unit=unit, areas={area} if area else None, after=after, before=before)
        filtered = bool(area or form.cleaned_data.get("date_from") or form.cleaned_data.get("date_to"))
    elif not form.is_bound:
        page = unit_timeline_page(actor=request.user, unit=unit)
    older = None
    if page and page.next_before:
        query = request.GET.copy()
        query["before"] = page.next_before.isoformat()
        older = query.urlencode()
    rows = timeline_rows(page.entries, areas) if page else []
    return render(
        request,
        "dashboards/unit_timeline.html",
        {"unit": unit, "form": form, "page": page, "older": older, "filtered": filtered, "rows": rows,
         "items": timeline_items(rows),
         "paged": bool(form.is_bound and form.is_valid() and form.cleaned_data.get("before"))},
    )
