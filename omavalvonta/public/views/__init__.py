"""Pages reachable without signing in, one module per area (the follow-up of a
report; published plans; the public feedback channel). Each view is declared
with `access.public_view`; nothing here may reveal more than its page promises."""

from omavalvonta.public.views.delivery import delivery
from omavalvonta.public.views.feedback import (
    feedback_answer,
    feedback_kiosk,
    feedback_kiosk_thanks,
    feedback_link,
    feedback_send,
    feedback_thanks,
)
from omavalvonta.public.views.followup import FOLLOWUP_MAX_PER_SESSION, followup
from omavalvonta.public.views.index import favicon, index
from omavalvonta.public.views.plans import plans_index, plans_programme, plans_report, plans_unit, plans_unit_pdf
from omavalvonta.public.views.privacy import privacy_notice, privacy_notices

__all__ = [
    "FOLLOWUP_MAX_PER_SESSION",
    "delivery",
    "feedback_answer",
    "feedback_kiosk",
    "feedback_kiosk_thanks",
    "feedback_link",
    "feedback_send",
    "feedback_thanks",
    "favicon",
    "followup",
    "index",
    "plans_index",
    "privacy_notice",
    "privacy_notices",
    "plans_programme",
    "plans_report",
    "plans_unit",
    "plans_unit_pdf",
]
