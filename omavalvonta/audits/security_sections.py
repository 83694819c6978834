"""The sections of the provider's information-security plan (tietoturvasuunnitelma).

Source: THL's regulation 3/2024 (THL/4/4.05.00/2024) on the information-security
plan of social and health-care service providers: the plan describes the
provider's information systems and their use, responsibilities, access rights
and their monitoring, log monitoring, staff training and orientation, the
handling and reporting of disruptions and security incidents, continuity and
preparedness, and how the plan is kept up to date. The headings below follow
those subjects; check them against the regulation's current text when the
regulation changes (a provider may add its own sections' text under them).
The plan is not public (DOMAIN.md, "Privacy and security")."""

from django.utils.translation import gettext_lazy as _

# (key, title, what to write). The key is stored with each version's text.
SECTIONS = [
    ("scope", _("Scope and responsibilities"),
     _("Which companies, units and staff (also agency staff) the plan covers; who answers for information "
       "security and data protection; the named owner of each information system.")),
    ("systems", _("Information systems in use"),
     _("The client-data system and the systems used with it, their purpose and supplier, and the "
       "essential requirements they meet. The critical systems of the units' continuity plans are shown below.")),
    ("access", _("Access rights and their monitoring"),
     _("How access rights are granted by role and need to know, reviewed and removed when someone leaves.")),
    ("logs", _("Log monitoring"),
     _("How the use of client data is logged and the logs reviewed, by whom and how often.")),
    ("training", _("Training and orientation"),
     _("How every new employee, student and agency worker is oriented to data protection and the systems, "
       "and how skills are kept up.")),
    ("incidents", _("Disruptions and security incidents"),
     _("What staff do in a disruption or a suspected breach, who is told, and the notifications to the "
       "authorities and the system suppliers.")),
    ("continuity", _("Continuity and preparedness"),
     _("Fallback procedures when a system is unavailable, and the tolerable outages; the units' "
       "continuity plans give the details.")),
    ("review", _("Keeping the plan up to date"),
     _("Who reviews the plan, at least once a year and when systems or the law change.")),
]
SECTION_KEYS = [key for key, _title, _help in SECTIONS]
SECTION_TEXT_MAX = 20000
# How often the approved plan is reviewed (the issue; the regulation requires a
# plan that is kept current): a year after its approval.
REVIEW_INTERVAL_DAYS = 365
