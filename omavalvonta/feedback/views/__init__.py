"""Staff pages of the feedback area, one module each: results (overview and per unit), rounds with
their single-use links (printable QR sheet), kiosk start and stop, recording an
answer on a respondent's behalf, the question-set editor, and the public
channel's feedback with answers. Answer pages for respondents are public and live
in `omavalvonta/public/views/feedback.py`."""

from omavalvonta.feedback.views.results import (
    goal_assess,
    goal_delete,
    home,
    reward_record,
    scope_detail,
    unit_detail,
    unit_goals,
    unit_report,
)
from omavalvonta.feedback.views.rounds import (
    kiosk_stop,
    round_dates,
    round_detail,
    round_kiosk,
    round_links,
    round_record,
    rounds,
)
from omavalvonta.feedback.views.surveys import (
    public_detail,
    public_list,
    survey_discard,
    survey_edit,
    surveys,
)

__all__ = [
    "home",
    "unit_detail",
    "scope_detail",
    "unit_report",
    "unit_goals",
    "goal_assess",
    "goal_delete",
    "reward_record",
    "rounds",
    "round_detail",
    "round_dates",
    "round_links",
    "round_kiosk",
    "kiosk_stop",
    "round_record",
    "surveys",
    "survey_edit",
    "survey_discard",
    "public_list",
    "public_detail",
]
