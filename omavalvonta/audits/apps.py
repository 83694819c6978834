from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditsConfig(AppConfig):
    """Self-assessments against the quality director's checklists, internal and
    external audits with findings, and each unit's continuity and readiness:
    critical information systems, the continuity plan and drills; and the
    organisation's readiness: the readiness group, its yearly exercise and the
    crisis-communication plan."""

    name = "omavalvonta.audits"
    label = "audits"
    verbose_name = _("Audits and continuity")

    def ready(self):
        # Audits, self-assessments and drills can be the evidence of a quality calendar duty.
        from omavalvonta.audits import calendar_duties, goal_prompt, selectors
        from omavalvonta.core import registry

        # A finding steers its unit's action plan (improvement's goal prompts).
        goal_prompt.register()

        for order, name, func, label in [
            (40, "audits.selfassessment", selectors.evidence_self_assessments, _("Self-assessments")),
            (41, "audits.audit", selectors.evidence_audits, _("Audits")),
            (42, "audits.drill", selectors.evidence_drills, _("Drills")),
            # The information-security plan's annual review: its approved versions.
            (43, "audits.securityplanversion", selectors.evidence_security_plan, _("Information-security plan")),
            # The readiness group's yearly exercises and the crisis-communication plan's approved versions.
            (44, "audits.readinessexercise", selectors.evidence_readiness_exercises, _("Readiness exercises")),
            (45, "audits.crisisplanversion", selectors.evidence_crisis_plan, _("Crisis-communication plan")),
        ]:
            registry.register(registry.EVIDENCE_SOURCES, name, func, order=order, group_label=label)
        # The information-security plan's annual review, on the home page of those who keep it.
        registry.register(
            registry.HOME_BLOCKS, "security_plan", selectors.security_plan_home, order=130,
            template="audits/_home_security_plan.html",
        )
        # The readiness group's exercise and crisis-communication plan, on its chair's home page.
        registry.register(
            registry.HOME_BLOCKS, "readiness", selectors.readiness_chair_home, order=131,
            template="audits/_home_readiness.html",
        )
        # ...reminded before it is due and escalated when late, like the calendar's duties.
        from omavalvonta.organisation.models import Role

        registry.register(
            registry.DUTY_SOURCES, "audits.security_plan_review", calendar_duties.security_plan_duties,
            label=_("Information-security plan review"), organisation=True, remind_days_before=30,
            roles=(Role.QUALITY_DIRECTOR, Role.DATA_PROTECTION_OFFICER),
            facts=calendar_duties.security_plan_duty_facts, duties_from=calendar_duties.security_plan_duties_from,
        )
        # Tracked documents (the medication plan, the rescue plan, Soteri, insurance,
        # licences...) and the partners' evidence: reminded to their owners before the
        # date, escalated once late (a unit's to its leaders; the organisation's to the
        # quality director's level above the owner).
        from django.urls import reverse

        from omavalvonta.audits import document_kinds, document_selectors

        registry.register(
            registry.DUTY_SOURCES, "audits.documents", document_selectors.document_duties,
            counts=document_selectors.document_duty_counts,
            label=_("Documents to review or renew"), remind_days_before=document_kinds.MAX_REMIND_DAYS,
            unit_link=lambda unit_id: reverse("audits:unit_documents", args=[unit_id]),
        )
        registry.register(
            registry.DUTY_SOURCES, "audits.organisation_documents", document_selectors.organisation_document_duties,
            label=_("The organisation's documents to review or renew"), organisation=True,
            remind_days_before=document_kinds.MAX_REMIND_DAYS, roles=(Role.QUALITY_DIRECTOR,),
            facts=document_selectors.organisation_document_duty_facts,
            duties_from=document_selectors.organisation_document_duties_from,
        )
        registry.register(
            registry.DUTY_SOURCES, "audits.partner_evidence", document_selectors.partner_duties,
            label=_("Purchased-service partners' evidence"), organisation=True,
            remind_days_before=document_kinds.PARTNER_REMIND_DAYS, roles=(Role.QUALITY_DIRECTOR,),
            facts=document_selectors.partner_duty_facts, duties_from=document_selectors.partner_duties_from,
        )
        # The unit's self-supervision plan links the current versions of its documents.
        registry.register(registry.PLAN_FACTS, "documents", document_selectors.plan_documents_fact)
        # The readiness group's yearly exercise and the crisis-communication plan's
        # yearly review (audits/readiness.py): reminded to the group's chair (the
        # duty's owner) and the quality director, escalated to the management group.
        from omavalvonta.audits.readiness import REMIND_DAYS_BEFORE

        registry.register(
            registry.DUTY_SOURCES, "audits.readiness_exercise", calendar_duties.readiness_exercise_duties,
            label=_("Readiness exercise"), organisation=True, remind_days_before=REMIND_DAYS_BEFORE,
            roles=(Role.QUALITY_DIRECTOR,), escalate_roles=(Role.MANAGEMENT_GROUP,), owner_with_roles=True,
            facts=calendar_duties.readiness_exercise_duty_facts, duties_from=calendar_duties.readiness_exercise_duties_from,
        )
        registry.register(
            registry.DUTY_SOURCES, "audits.crisis_plan_review", calendar_duties.crisis_plan_duties,
            label=_("Crisis-communication plan review"), organisation=True, remind_days_before=REMIND_DAYS_BEFORE,
            roles=(Role.QUALITY_DIRECTOR,), escalate_roles=(Role.MANAGEMENT_GROUP,), owner_with_roles=True,
            facts=calendar_duties.crisis_plan_duty_facts, duties_from=calendar_duties.crisis_plan_duties_from,
        )
        # A deactivated person leaves the readiness group (kept as a former member).
        from omavalvonta.audits import readiness_services

        registry.register(registry.MEMBERSHIP_ENDED, "audits.readiness", readiness_services.readiness_person_left)
        # The self-supervision plan's critical information systems.
        registry.register(registry.PLAN_FACTS, "information_systems", selectors.information_systems_fact)
        # The unit's timeline (dashboards): what happened here, never naming a child.
        from omavalvonta.audits import timeline

        registry.register(
            registry.UNIT_TIMELINE, "audits", timeline.audit_timeline, order=70, label=_("Audits")
        )
