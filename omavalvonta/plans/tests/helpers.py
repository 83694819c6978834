"""Helpers of the plans tests."""

from omavalvonta.plans import services


def fill_required(version, actor, text="Kuvaus yksikön käytännöistä.") -> None:
    """Text in every required section and how the children took part: what
    approval asks of a self-supervision plan."""
    for section in version.sections.all():
        if section.required and not section.live_fact:
            services.plan_section_save(actor=actor, section=section, text=f"{text} ({section.key})")
    version.refresh_from_db()
    services.plan_version_details_save(
        actor=actor, version=version, change_summary=version.change_summary,
        children_participation="Talokokous ja omat keskustelut.", child_friendly_text=version.child_friendly_text,
    )


def approved_plan(unit, writer, approver, *, kind="self_supervision", summary="Ensimmäinen versio"):
    """A unit's plan written by `writer` and approved by `approver`."""
    draft = services.plan_draft_start(actor=writer, unit=unit, kind=kind)
    fill_required(draft, writer)
    if kind == "good_treatment":
        services.plan_version_details_save(
            actor=writer, version=draft, change_summary=summary,
            children_participation="Talokokous ja omat keskustelut.", child_friendly_text="Sinua kohdellaan hyvin.",
        )
    return services.plan_version_approve(actor=approver, version=draft, change_summary=summary)
