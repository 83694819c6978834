"""The organisation's readiness as data: how often the readiness group
exercises and the crisis-communication plan is reviewed, and the plan's
sections in order.

Source: the provider's self-supervision programme (issue 21 item 7): the
readiness group (valmiusryhmä) exercises once a year and the
crisis-communication plan (kriisiviestintäsuunnitelma) is reviewed once a
year. The intervals below are the programme's (the law asks for preparedness,
not for these intervals); change them here when the programme changes."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

# The readiness exercise: at least once a year (the programme), counted from the
# last exercise held, or from the day the group got its first member.
EXERCISE_INTERVAL_DAYS = 365
# The crisis-communication plan: reviewed at least once a year after its approval.
CRISIS_PLAN_REVIEW_INTERVAL_DAYS = 365
# Reminded this many days before either is due (the calendar's reminder day).
REMIND_DAYS_BEFORE = 30

CRISIS_SECTION_TEXT_MAX = 10000

# (key, title, guidance) in the plan's order.
CRISIS_SECTIONS = [
    ("scope", _("Purpose and when the plan is used"),
     _("What counts as a crisis for the organisation and who puts the plan into use.")),
    ("spokespersons", _("Who communicates and who decides"),
     _("The readiness group's communications role, the spokesperson and their deputy; what each may say.")),
    ("staff", _("Informing the staff"),
     _("How and how quickly the staff of the units are told, and who tells them.")),
    ("children", _("The children and their families"),
     _("How the children in care, their parents and guardians are told, in a way suited to each child.")),
    ("authorities", _("Authorities, counties and partners"),
     _("The licensing authority, the purchasing counties' social workers, the police and the rescue services.")),
    ("media", _("Media and social media"),
     _("Who answers the media, what is never said (no child's data), how social media is followed.")),
    ("channels", _("Channels, templates and contacts"),
     _("Phone trees, message templates and where the contact list is kept.")),
    ("review", _("Exercising and reviewing the plan"),
     _("How the plan is exercised with the readiness group and reviewed every year.")),
]
CRISIS_SECTION_KEYS = [key for key, _title, _help in CRISIS_SECTIONS]
