from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    """Client-experience surveys: question sets per respondent group, quarterly
    rounds per unit, anonymous answers and their figures (NPS, averages), and the
    public feedback channel's messages."""

    name = "omavalvonta.feedback"
    label = "feedback"
    verbose_name = _("Client feedback")
