from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    """Search across the areas (each area registers what it finds in
    core.registry SEARCH_SOURCES) and the themes across units (a daily job
    groups the deviations of a period by kind and by what their texts say)."""

    name = "omavalvonta.search"
    label = "search"
    verbose_name = _("Search and themes")

    def ready(self):
        from omavalvonta.core import jobs, registry
        from omavalvonta.search import selectors, services

        # Hourly check; computes once a day (the first run after midnight).
        jobs.register("search.themes", services.themes_job, every_seconds=3600)
        # A learning review opened from a theme (learning reads the slot).
        registry.register(registry.LEARNING_ORIGINS, "theme", selectors.theme_learning_origin)
