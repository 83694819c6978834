from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "omavalvonta.public"
    label = "public"
