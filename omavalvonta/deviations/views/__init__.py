"""Deviation pages: report, my reports, the list and its CSV export, the report
page with its handling panel, statutory notifications and per-unit routing.

Views parse, authorise and render. Every record is read through `selectors`
(which enforce the access kernel and write the access log) and every write goes
through `services`; a service's ValidationError is shown next to the fields."""

from omavalvonta.deviations.views.detail import (
    attachment_download,
    deviation_add_action,
    deviation_answer,
    deviation_assign,
    deviation_classify,
    deviation_close,
    deviation_detail,
    deviation_disclose_reporter,
    deviation_message,
    deviation_reopen,
    deviation_reply,
)
from omavalvonta.deviations.views.informed import deviation_informed_add, deviation_informed_remove
from omavalvonta.deviations.views.proposals import deviation_decide, proposal_detail, proposal_list
from omavalvonta.deviations.views.reporting import (
    deviation_export,
    deviation_list,
    my_reports,
    report_new,
    report_new_offline,
    report_submitted,
    report_units_offline,
)
from omavalvonta.deviations.views.routing import handler_routing
from omavalvonta.deviations.views.statutory import deviation_escalate, deviation_notify

__all__ = [
    "attachment_download",
    "deviation_add_action",
    "deviation_answer",
    "deviation_assign",
    "deviation_classify",
    "deviation_close",
    "deviation_detail",
    "deviation_decide",
    "deviation_disclose_reporter",
    "deviation_escalate",
    "deviation_export",
    "deviation_informed_add",
    "deviation_informed_remove",
    "deviation_list",
    "deviation_message",
    "deviation_reply",
    "deviation_notify",
    "deviation_reopen",
    "handler_routing",
    "my_reports",
    "proposal_detail",
    "proposal_list",
    "report_new",
    "report_new_offline",
    "report_submitted",
    "report_units_offline",
]
