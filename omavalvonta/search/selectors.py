"""Reads of the search area: the search across the areas' providers
(core.registry SEARCH_SOURCES, each reading through the access kernel) and the
themes across units, scoped by the kernel (themes.view over the region, or
over the whole organisation for the organisation's themes)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import NoReverseMatch, reverse

from omavalvonta.core import registry
from omavalvonta.core.lib.choices import label_of
from omavalvonta.deviations.search import deviation_ids_visible, kind_label
from omavalvonta.organisation import access
from omavalvonta.organisation.models import Region, Unit
from omavalvonta.search.models import Theme, ThemeRun, Trend

# Results per area on the page.
PER_AREA = 20


@dataclass
class AreaResults:
    name: str
    label: str
    hits: list


def search_areas() -> list[tuple[str, str]]:
    """(name, label) of the areas that can be searched, in the registry's order."""
    return [(e.name, e.label) for e in registry.entries(registry.SEARCH_SOURCES)]


def search_run(*, actor, query, area: str | None = None, limit: int = PER_AREA) -> list[AreaResults]:
    """Each area's results for `query` within what `actor` may see (the
    providers read through the kernel and log their reads), in the registry's
    order; with `area`, that area's only. Empty areas are left out."""
    if not access.has_perm_anywhere(actor, access.P_SEARCH_USE) or query.is_empty:
        return []
    results = []
    for entry in registry.entries(registry.SEARCH_SOURCES):
        if area and entry.name != area:
            continue
        hits = entry.func(actor=actor, query=query, limit=limit)
        if hits:
            results.append(AreaResults(entry.name, entry.label, list(hits)[:limit]))
    return results


# --- Themes ------------------------------------------------------------------------------


def theme_scopes(*, actor) -> list[tuple[str, str]]:
    """The scopes whose themes `actor` may see: ("", the organisation) for
    themes.view organisation-wide, then ("<region id>", name) for each region
    where it covers a unit."""
    from django.utils.translation import gettext as _

    scopes = []
    if access.has_perm_organisation_wide(actor, access.P_THEMES_VIEW):
        scopes.append(("", _("The whole organisation")))
        regions = Region.objects.order_by("name", "pk")
    else:
        region_ids = access.units_for(actor, access.P_THEMES_VIEW).values("region_id")
        regions = Region.objects.filter(pk__in=region_ids).order_by("name", "pk")
    scopes += [(str(r.pk), r.name) for r in regions]
    return scopes


def _may_see_scope(actor, region_id: int | None) -> bool:
    if access.has_perm_organisation_wide(actor, access.P_THEMES_VIEW):
        return True
    if region_id is None:
        return False
    return access.units_for(actor, access.P_THEMES_VIEW).filter(region_id=region_id).exists()


def theme_run_latest(*, actor, region_id: int | None) -> ThemeRun | None:
    """The newest run of a scope `actor` may see (None: none yet, or not theirs)."""
    if not _may_see_scope(actor, region_id):
        return None
    return ThemeRun.objects.filter(region_id=region_id).order_by("-computed_at", "-id").first()


def theme_page(*, region_id: int | None, scopes) -> tuple[ThemeRun | None, list[ThemeRow]]:
    """The themes page's run and rows: the newest run of the scope with its
    themes in one query (the run joined to each theme; a run without themes is
    read alone), then the units' names. `scopes`: `theme_scopes(actor=...)`,
    the kernel's answer of what the viewer may see (a scope not among them:
    nothing, as `theme_run_latest` would say)."""
    if (str(region_id) if region_id is not None else "") not in {key for key, _label in scopes}:
        return None, []
    newest = ThemeRun.objects.filter(region_id=region_id).order_by("-computed_at", "-id").values("pk")[:1]
    found = list(
        Theme.objects.filter(run_id__in=newest).select_related("run")
        # The report ids (thousands in a large theme) are the learning review's, not the page's.
        .defer("deviation_ids").order_by("order", "id")
    )
    if found:
        return found[0].run, _theme_rows(found)
    return ThemeRun.objects.filter(pk__in=newest).first(), []


# Unit names shown per theme (the rest counted): a theme of the whole
# organisation may span hundreds of units.
UNITS_SHOWN = 8


@dataclass
class ThemeRow:
    """A theme as the page shows it: the texts of its counts and trend made
    here once (ngettext), not by a template tag per theme; its title, unit
    names and terms as the template prints them (a term's word and its
    localised weight by name: `term.1` in a template asked `dir()` of each list)."""

    theme: Theme
    kind_label: str
    units: list
    review_url: str | None
    more_units: int = 0
    reports_text: str = ""
    units_text: str = ""
    trend_text: str = ""
    more_units_text: str = ""
    title: str = ""
    unit_names: str = ""
    terms: list = field(default_factory=list)

    @property
    def stands_out(self) -> bool:
        return self.theme.trend in ("new", "up")


def learning_review_url(theme_id: int) -> str | None:
    """The learning area's new review from this theme, when that area is installed."""
    try:
        return reverse("learning:review_new") + f"?alkupera=theme:{theme_id}"
    except NoReverseMatch:
        return None


def theme_rows(*, run: ThemeRun | None) -> list[ThemeRow]:
    """The run's themes with their units' names (two queries whatever the count)."""
    if run is None:
        return []
    # The report ids (thousands in a large theme) are the learning review's, not the page's.
    return _theme_rows(list(run.themes.defer("deviation_ids").order_by("order", "id")))


def _theme_rows(found: list[Theme]) -> list[ThemeRow]:
    """`found` with their units' names (one query) and texts."""
    from django.utils.formats import localize
    from django.utils.translation import gettext, ngettext

    unit_ids = {pk for t in found for pk in t.unit_ids[:UNITS_SHOWN]}
    names = dict(Unit.objects.filter(pk__in=unit_ids).values_list("pk", "name")) if unit_ids else {}
    weight = gettext("weight")
    kinds: dict[str, str] = {}
    review_base = learning_review_url(0)
    review_base = review_base[: -len("0")] if review_base else None
    rows = []
    for t in found:
        more = max(0, len(t.unit_ids) - UNITS_SHOWN)
        trend = str(label_of(Trend, t.trend))  # `t.get_trend_display()` without its per-call table
        if t.trend != "new":
            trend += " (" + gettext("before: %(previous)s") % {"previous": t.previous_count} + ")"
        label = kinds.get(t.kind) or kinds.setdefault(t.kind, str(kind_label(t.kind)))
        units = sorted(names[pk] for pk in t.unit_ids[:UNITS_SHOWN] if pk in names)
        rows.append(ThemeRow(
            theme=t,
            kind_label=label,
            units=units,
            title=f"{label}: {', '.join(t.top_words)}",
            unit_names=", ".join(units),
            terms=[{"word": term[1], "weight": f"{weight} {localize(term[2])}"} for term in t.terms],
            review_url=f"{review_base}{t.pk}" if review_base else None,
            more_units=more,
            reports_text=ngettext("%(counter)s report", "%(counter)s reports", t.count) % {"counter": t.count},
            units_text=ngettext("%(counter)s unit", "%(counter)s units", t.units_affected) % {
                "counter": t.units_affected},
            trend_text=trend,
            more_units_text=ngettext("and %(counter)s other", "and %(counter)s others", more) % {"counter": more}
            if more else "",
        ))
    return rows


def theme_learning_origin(*, actor, ref) -> dict | None:
    """core.registry LEARNING_ORIGINS "theme": a learning review opened from
    theme `ref`, for someone who may see its scope's themes; the reports it
    starts with are those the actor may see."""
    try:
        # The id, or the whole "theme:<id>" the form carries.
        theme = Theme.objects.select_related("run").get(pk=int(str(ref).rpartition(":")[2]))
    except (Theme.DoesNotExist, ValueError, TypeError):
        return None
    if not _may_see_scope(actor, theme.run.region_id):
        return None
    from django.utils.translation import gettext as _

    return {
        "title": _("Theme: %(terms)s (%(kind)s)") % {"terms": ", ".join(theme.top_words[:3]), "kind": kind_label(theme.kind)},
        "deviation_ids": deviation_ids_visible(actor=actor, ids=theme.deviation_ids),
        "units": list(Unit.objects.filter(pk__in=theme.unit_ids).order_by("name", "pk")),
    }
