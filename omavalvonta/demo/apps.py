from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo organisation and the benchmark: composition code that may call
    every area's services (no area app imports this one)."""

    name = "omavalvonta.demo"
    label = "demo"
