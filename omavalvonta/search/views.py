from django.shortcuts import render
from django.utils.translation import gettext as _

from omavalvonta.organisation.access import P_SEARCH_USE, P_THEMES_VIEW, has_perm_anywhere, requires
from omavalvonta.search import selectors
from omavalvonta.search.forms import SearchForm, ThemeScopeForm
from omavalvonta.search.query import search_query


@requires(P_SEARCH_USE)
def search(request):
    """Search deviations, actions, minutes and guidance within the searcher's
    scope. Each area's provider reads through the access kernel and writes the
    access-log row of what it returned."""
    areas = selectors.search_areas()
    form = SearchForm(request.GET or None, areas=areas)
    results, query, error = [], None, ""
    if form.is_bound:
        if form.is_valid():
            query = search_query(form.cleaned_data["q"], request=request)
            if form.cleaned_data["q"] and query.is_empty:
                error = _("Search with words of at least three letters.")
            else:
                results = selectors.search_run(actor=request.user, query=query, area=form.cleaned_data["alue"] or None)
        else:
            # A too long text or an unknown area: say so, keep what was typed.
            error = _("Check the search: the words are at most %(max)d characters.") % {
                "max": form.fields["q"].max_length
            } if "q" in form.errors else ""
    return render(request, "search/search.html", {
        "form": form, "query": query, "results": results, "error": error,
        "total": sum(len(r.hits) for r in results), "per_area": selectors.PER_AREA,
        "perms_themes": has_perm_anywhere(request.user, P_THEMES_VIEW),
    })


@requires(P_THEMES_VIEW)
def themes(request):
    """The themes across units of the newest computed run for a scope the
    viewer may see (computed by the job, never here)."""
    scopes = selectors.theme_scopes(actor=request.user)
    form = ThemeScopeForm(request.GET or None, scopes=scopes)
    chosen = scopes[0][0] if scopes else ""
    if form.is_bound and form.is_valid():
        chosen = form.cleaned_data["alue"] or chosen
    region_id = int(chosen) if chosen else None
    if not form.is_bound:
        form = ThemeScopeForm(initial={"alue": chosen}, scopes=scopes)
    run, rows = selectors.theme_page(region_id=region_id, scopes=scopes)
    return render(request, "search/themes.html", {"form": form, "run": run, "rows": rows, "has_scopes": bool(scopes)})
