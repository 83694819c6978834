"""Pages of the improvement area: actions (mine, the units', one action), the
units' action plans and the self-supervision log, one module each; urls.py
reads the views from here.

Views parse, authorise and render: every record is read through `selectors`
(which apply the access kernel) and every write goes through `services`; a
service's ValidationError is shown next to the fields.

Pages about one record declare only AUTHENTICATED, as the deviation pages do: the
selector answers 404 outside the actor's units and 403 inside them without the
right, and lets an action's owner see (and complete) their own action."""

from omavalvonta.improvement.views.actions import (
    action_cancel,
    action_complete,
    action_create,
    action_detail,
    action_edit,
    action_export,
    action_list,
    action_record_effectiveness,
    my_actions,
)
from omavalvonta.improvement.views.log import (
    log_create,
    log_detail,
    log_follow_up,
    log_list,
)
from omavalvonta.improvement.views.plans import (
    goal_action_add,
    goal_edit,
    goal_follow_up,
    goal_prompt,
    goal_prompt_remove,
    goal_remove,
    plan_approve,
    plan_create,
    plan_detail,
    plan_goal_add,
    plan_list,
    plan_participants,
    plan_url,
)

__all__ = [
    "goal_prompt",
    "goal_prompt_remove",
    "action_cancel",
    "action_complete",
    "action_create",
    "action_detail",
    "action_edit",
    "action_export",
    "action_list",
    "action_record_effectiveness",
    "goal_action_add",
    "goal_edit",
    "goal_follow_up",
    "goal_remove",
    "log_create",
    "log_detail",
    "log_follow_up",
    "log_list",
    "my_actions",
    "plan_approve",
    "plan_create",
    "plan_detail",
    "plan_goal_add",
    "plan_list",
    "plan_participants",
    "plan_url",
]
