"""Demo: findings steer the demo unit's action plan. Its latest threat or violence
report and its complaint answered in time are linked to goals of this year's plan,
so the plan's follow-up shows what prompted them. Linked through the services and
the areas' GOAL_PROMPTS entries, as the "Steer the action plan" page does."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from omavalvonta.complaints.models import Complaint
from omavalvonta.core import registry
from omavalvonta.demo.builder import DEMO_UNIT_NAME, LOGIN_EMAIL
from omavalvonta.deviations.models import Deviation
from omavalvonta.improvement import services
from omavalvonta.improvement.models import ActionPlan, GoalArea
from omavalvonta.organisation.models import Role, Unit, User


@transaction.atomic
def build(*, log=print) -> dict:
    unit = Unit.objects.filter(name=DEMO_UNIT_NAME).first()
    supervisor = User.objects.filter(email=LOGIN_EMAIL[Role.SUPERVISOR]).first()
    plan = ActionPlan.objects.filter(unit=unit, year=timezone.localdate().year).first() if unit else None
    if plan is None or supervisor is None:
        return {}
    goals = list(plan.goals.order_by("area", "id"))
    if not goals:
        return {}
    quality = next((g for g in goals if g.area == GoalArea.QUALITY), goals[0])
    client = next((g for g in goals if g.area == GoalArea.CLIENT_EXPERIENCE), goals[-1])
    links = []
    deviation = (
        Deviation.objects.filter(unit=unit, kind="threat_or_violence").order_by("-submitted_at").first()
        or Deviation.objects.filter(unit=unit).order_by("-submitted_at").first()
    )
    if deviation is not None:
        links.append((quality, "deviation", deviation.pk))
    complaint = Complaint.objects.filter(unit=unit, answered_on__isnull=False).order_by("pk").first()
    if complaint is not None:
        links.append((client, "complaint", complaint.pk))
    made = 0
    for goal, kind, pk in links:
        found = registry.get(registry.GOAL_PROMPTS, kind).func(actor=supervisor, ref=pk)
        if found:
            services.goal_prompt_link(
                actor=supervisor, goal=goal, source=found["record"], source_kind=kind, label=found["label"]
            )
            made += 1
    log(f"  action plan: {made} findings steer the demo unit's goals")
    return {"goal prompts": made}
