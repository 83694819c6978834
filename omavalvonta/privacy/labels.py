"""The codes the areas write into the access log (`what`), in words."""

from django.utils.translation import gettext_lazy as _

# What a log row says was read: the codes the areas write (`what`), in words.
WHAT_LABELS = {
    "deviation.detail": _("A deviation report's page"),
    "deviation.reporter": _("A protected reporter's identity"),
    "deviation.attachment": _("A deviation report's attachment"),
    "deviation.list": _("The deviation list"),
    "deviation.export": _("A deviation export"),
    "action.detail": _("A corrective action"),
    "action.list": _("The action list"),
    "action.export": _("An action export"),
    "log.detail": _("A self-supervision log entry"),
    "log.list": _("The self-supervision log"),
    "meeting.minutes": _("Meeting minutes"),
    "guidance.letter": _("An authority's letter"),
    "guidance.list": _("The guidance register"),
    "guidance.attachment": _("An authority's attachment"),
    "feedback.free_texts": _("Feedback in the clients' own words"),
    "feedback.sender": _("A feedback sender's contact details"),
    "obligation.evidence": _("Evidence of a calendar duty"),
    "risk.detail": _("A risk"),
    "risk.list": _("The risk register"),
    "risk.assessment": _("A risk assessment"),
    "risk.assessment_list": _("The risk assessments"),
    "notification.inbox": _("Notifications"),
    "person.detail": _("A person's page"),
    "person.list": _("The people list"),
    "access_log.review": _("The access log"),
    "placement.detail": _("A child's placement"),
    "placement.list": _("A unit's children"),
    "subject_request.list": _("The data-subject requests"),
    "subject_request.detail": _("A data-subject request"),
    "subject_request.compilation": _("A compile of a person's data"),
    "subject_request.compilation_json": _("A compile of a person's data (download)"),
    "subject_request.compilation_pdf": _("A compile of a person's data (PDF)"),
}
