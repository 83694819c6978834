from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditsConfig(AppConfig):
    """Self-assessments against the quality director's checklists, internal and
    external audits with findings, and each unit's continuity and readiness:
    critical information systems, the continuity plan and drills."""

    name = "omavalvonta.audits"
    label = "audits"
    verbose_name = _("Audits and continuity")

    def ready(self):
        # Audits, self-assessments and drills can be the evidence of a quality calendar duty.
        from omavalvonta.audits import selectors
        from omavalvonta.yearclock import evidence

        evidence.register("audits.selfassessment", _("Self-assessments"), selectors.evidence_self_assessments)
        evidence.register("audits.audit", _("Audits"), selectors.evidence_audits)
        evidence.register("audits.drill", _("Drills"), selectors.evidence_drills)
