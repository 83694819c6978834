from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "omavalvonta.core"
    label = "core"
