"""Templates at group level and the occurrences they make for each unit."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from omavalvonta.organisation.models import Role, ServiceType
from omavalvonta.testing.factories import UnitFactory, member
from omavalvonta.yearclock import services
from omavalvonta.yearclock.models import ObligationTemplate, Occurrence, Recurrence, UnitScope

from .conftest import T0, template_data

pytestmark = pytest.mark.django_db


def dues(unit, template=None):
    qs = Occurrence.objects.filter(unit=unit)
    if template is not None:
        qs = qs.filter(template=template)
    return sorted(qs.values_list("due_date", flat=True))


def test_a_yearly_duty_falls_due_at_the_end_of_its_month():
    t = ObligationTemplate(recurrence=Recurrence.YEARLY, start_month=3)
    assert t.month_set() == [3]


def test_every_four_months_from_april_is_april_august_december():
    t = ObligationTemplate(recurrence=Recurrence.EVERY_N_MONTHS, start_month=4, interval_months=4)
    assert t.month_set() == [4, 8, 12]


def test_every_three_months_from_march_wraps_to_the_start_of_the_year():
    t = ObligationTemplate(recurrence=Recurrence.EVERY_N_MONTHS, start_month=5, interval_months=3)
    assert t.month_set() == [2, 5, 8, 11]


def test_specific_months_are_sorted_and_unique():
    t = ObligationTemplate(recurrence=Recurrence.SPECIFIC_MONTHS, months=[11, 5, 5])
    assert t.month_set() == [5, 11]


def test_a_new_template_gives_every_unit_its_next_twelve_months(frozen, make_template, unit_a, unit_b, supervisor_a):
    t = make_template(recurrence=Recurrence.EVERY_N_MONTHS, start_month=4, interval_months=4)
    assert dues(unit_a, t) == [dt.date(2026, 4, 30), dt.date(2026, 8, 31), dt.date(2026, 12, 31)]
    assert dues(unit_b, t) == dues(unit_a, t)
    # The owner is the unit's supervisor; unit B's supervisor is not in this test.
    assert {o.owner for o in Occurrence.objects.filter(unit=unit_a)} == {supervisor_a}
    assert set(Occurrence.objects.filter(unit=unit_b).values_list("owner", flat=True)) == {None}


def test_this_months_duty_is_made_but_not_last_months(frozen, make_template, unit_a):
    t = make_template(recurrence=Recurrence.SPECIFIC_MONTHS, months=[2, 3])
    assert dues(unit_a, t) == [dt.date(2026, 3, 31), dt.date(2027, 2, 28)]


def test_the_owner_falls_back_to_the_responsible_person(frozen, make_template, unit_a, responsible_a):
    make_template()
    assert Occurrence.objects.get(unit=unit_a).owner == responsible_a


def test_a_service_type_template_skips_other_units(frozen, make_template, unit_a, unit_b):
    unit_b.service_type = ServiceType.AFTERCARE
    unit_b.save()
    t = make_template(unit_scope=UnitScope.SERVICE_TYPE, service_types=[unit_a.service_type])
    assert dues(unit_a, t) and not dues(unit_b, t)


def test_a_template_for_chosen_units_only(frozen, make_template, unit_a, unit_b):
    t = make_template(unit_scope=UnitScope.CHOSEN, units=[unit_b])
    assert not dues(unit_a, t) and dues(unit_b, t)


def test_a_new_unit_gets_its_duties_from_the_job(frozen, make_template, region_a):
    t = make_template()
    new_unit = UnitFactory(region=region_a, name="Perhekoti Vaahtera", public_slug="vaahtera")
    assert dues(new_unit, t) == []
    assert services.occurrences_generate() == 1
    assert dues(new_unit, t) == [dt.date(2026, 3, 31)]
    # Running again changes nothing.
    assert services.occurrences_generate() == 0


def test_an_owner_named_later_takes_over_the_open_duties(frozen, make_template, unit_a):
    make_template()
    assert Occurrence.objects.get(unit=unit_a).owner is None
    boss = member(Role.SUPERVISOR, unit=unit_a, full_name="Uusi Esihenkilö")
    services.occurrences_generate()
    assert Occurrence.objects.get(unit=unit_a).owner == boss


def test_changing_the_schedule_moves_the_future_open_duties(frozen, make_template, quality_director, unit_a):
    t = make_template(start_month=6)
    assert dues(unit_a, t) == [dt.date(2026, 6, 30)]
    services.obligation_template_save(actor=quality_director, template=t, **template_data(start_month=9))
    assert dues(unit_a, t) == [dt.date(2026, 9, 30)]


def test_turning_a_template_off_removes_its_future_open_duties(frozen, make_template, quality_director, unit_a):
    t = make_template()
    services.obligation_template_save(actor=quality_director, template=t, **template_data(is_active=False))
    assert dues(unit_a, t) == []
    assert services.occurrences_generate() == 0


def test_only_the_quality_director_edits_templates(unit_a, supervisor_a, regional_director_a):
    for actor in (supervisor_a, regional_director_a):
        with pytest.raises(PermissionDenied):
            services.obligation_template_save(actor=actor, **template_data())


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": "  "}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"kind": "nonsense"}, "kind"),
        ({"recurrence": "weekly"}, "recurrence"),
        ({"recurrence": Recurrence.SPECIFIC_MONTHS, "months": []}, "months"),
        ({"recurrence": Recurrence.EVERY_N_MONTHS, "interval_months": 5}, "interval_months"),
        ({"remind_days_before": 365}, "remind_days_before"),
        ({"unit_scope": UnitScope.CHOSEN, "units": []}, "units"),
        ({"unit_scope": UnitScope.SERVICE_TYPE, "service_types": []}, "service_types"),
        ({"owner_role": "employee"}, "owner_role"),
    ],
)
def test_bad_template_input_is_refused_by_field(quality_director, overrides, field):
    with pytest.raises(ValidationError) as exc:
        services.obligation_template_save(actor=quality_director, **template_data(**overrides))
    assert field in exc.value.error_dict
    assert not ObligationTemplate.objects.exists()


def test_default_templates_cover_the_issues_list_once(frozen, quality_director, unit_a):
    made = services.obligation_templates_install_defaults(actor=quality_director)
    assert len(made) == 10
    assert services.obligation_templates_install_defaults(actor=quality_director) == []
    # Risk assessment, self-assessment, audits, plan reviews, feedback rounds,
    # drills, continuity and action plan follow-ups: a year holds many duties.
    assert Occurrence.objects.filter(unit=unit_a).count() > 15
    assert T0  # time frozen for the generation above


def test_open_duties_move_to_the_new_supervisor(frozen, make_template, unit_a, supervisor_a, quality_director):
    from omavalvonta.organisation.models import Membership

    make_template()
    Membership.objects.filter(user=supervisor_a).delete()
    newcomer = member(Role.SUPERVISOR, unit=unit_a, full_name="Aino Aloittava")
    services.occurrences_generate()
    assert Occurrence.objects.get(unit=unit_a).owner == newcomer


def test_a_unit_created_by_the_administrator_gets_its_duties_at_once(
    make_template, frozen, administrator, region_a, django_capture_on_commit_callbacks
):
    from omavalvonta.organisation import services as organisation_services

    make_template(title="Palo- ja turvallisuusharjoitus")
    with django_capture_on_commit_callbacks(execute=True):
        unit = organisation_services.unit_create(
            actor=administrator, name="Lastenkoti Uusi", service_type="substitute_care", region=region_a
        )
    assert Occurrence.objects.filter(unit=unit, template__title="Palo- ja turvallisuusharjoitus").exists()


def test_a_failing_unit_hook_does_not_undo_the_unit(administrator, region_a, django_capture_on_commit_callbacks):
    from omavalvonta.core import registry
    from omavalvonta.organisation import hooks, services as organisation_services
    from omavalvonta.organisation.models import Unit

    def broken(*, unit, created):
        raise RuntimeError("boom")

    before = registry.snapshot(registry.UNIT_SAVED)
    hooks.on_unit_saved(broken)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            organisation_services.unit_create(
                actor=administrator, name="Lastenkoti Toinen", service_type="open_care", region=region_a
            )
    finally:
        registry.restore(registry.UNIT_SAVED, before)
    assert Unit.objects.filter(name="Lastenkoti Toinen").exists()
