from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CountyConfig(AppConfig):
    """The purchasing wellbeing services county's own view (/hyvinvointialue/)
    and the read-only open API (/api/v1/), both scoped to one county by the
    access kernel (organisation.access_county). The areas contribute through
    core.registry (COUNTY_PLACEMENTS, COUNTY_NOTIFICATIONS, COUNTY_SECTIONS);
    no area imports this app."""

    name = "omavalvonta.county"
    label = "county"
    verbose_name = _("Wellbeing services county")

    def ready(self):
        from omavalvonta.core import jobs
        from omavalvonta.county import figures

        # The areas' figures for a county's units are kept per run of this job (county.figures).
        jobs.register("county.figures", figures.refresh, every_seconds=figures.REFRESH_SECONDS)
