"""The deviation page's panel of the children a report names: the clients area
registers it in core.registry (DEVIATION_PANELS) and deviations imports nothing
of clients. A handler who may see the unit's children sees them by name with a
link; one who may not sees only how many; a report naming none has no panel."""

from django.urls import reverse

from omavalvonta.clients import selectors
from omavalvonta.core import registry
from omavalvonta.deviations import services
from omavalvonta.testing.factories import deviation_kwargs

TITLE = "Children the report concerns"


def _report(actor, unit, **overrides):
    return services.deviation_submit(actor=actor, **deviation_kwargs(unit, **overrides)).deviation


def test_the_clients_panel_is_registered_before_the_known_risks():
    names = [entry.name for entry in registry.entries(registry.DEVIATION_PANELS)]
    assert "clients" in names and names.index("clients") < names.index("risks")
    assert registry.get(registry.DEVIATION_PANELS, "clients").func is selectors.deviation_panel


def test_a_handler_sees_the_named_children_on_the_deviation_page(client, make_placement, employee_a, supervisor_a, unit_a):
    child = make_placement(name="Aino K.", social_worker_name="Sanna Sosiaalityöntekijä")
    make_placement(name="Bea L.")
    deviation = _report(employee_a, unit_a, children=[str(child.pk)])

    client.force_login(supervisor_a)
    page = client.get(reverse("deviations:detail", args=[deviation.pk])).content.decode()
    assert TITLE in page
    assert "Aino K." in page and reverse("clients:detail", args=[child.pk]) in page
    assert "Bea L." not in page


def test_one_who_may_not_see_the_children_gets_their_number_only(make_placement, employee_a, dpo, unit_a):
    child = make_placement(name="Aino K.")
    deviation = _report(employee_a, unit_a, children=[str(child.pk)])
    panel = selectors.deviation_panel(actor=dpo, deviation=deviation)
    assert panel["count"] == 1 and panel["children"] == []


def test_a_report_naming_no_child_has_no_children_panel(client, make_placement, employee_a, supervisor_a, unit_a):
    make_placement(name="Aino K.")
    deviation = _report(employee_a, unit_a)
    assert selectors.deviation_panel(actor=supervisor_a, deviation=deviation) is None
    client.force_login(supervisor_a)
    page = client.get(reverse("deviations:detail", args=[deviation.pk])).content.decode()
    assert TITLE not in page
