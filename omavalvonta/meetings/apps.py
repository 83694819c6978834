from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    """Team meetings, supervisor reviews and management group meetings: agendas
    that build themselves, minutes, and acknowledgements."""

    name = "omavalvonta.meetings"
    label = "meetings"
    verbose_name = _("Meetings")
