from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    """Read-only aggregates across areas: the home page, later charts and exports."""

    name = "omavalvonta.dashboards"
    label = "dashboards"
