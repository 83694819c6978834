"""The kinds of report and the recipients of a statutory notification: read by the
models and by law.py, which the models read in turn (so neither imports the other's
module at load time)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    QUALITY = "quality", _("Quality deviation")
    THREAT_OR_VIOLENCE = "threat_or_violence", _("Threat, danger or violence")
    NEAR_MISS = "near_miss", _("Near miss")
    MEDICATION = "medication", _("Medication deviation")
    DATA_PROTECTION = "data_protection", _("Data protection or information security")
    HARASSMENT = "harassment", _("Inappropriate treatment or harassment")
    CLIENT_RIGHTS = "client_rights", _("Client rights or restrictive measures")
    GRIEVANCE = "grievance", _("Shortcoming in a client's care (§ 29 grievance)")


class NotificationRecipient(models.TextChoices):
    COUNTY = "county", _("Wellbeing services county")
    LEAD_OFFICIAL = "lead_official", _("County's lead social-care official")
    SOCIAL_WORKER = "social_worker", _("Child's responsible social worker")
    AUTHORITY = "authority", _("Supervisory authority")
