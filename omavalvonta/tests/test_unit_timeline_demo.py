"""The unit timeline on the demo organisation: a rich page for the demo unit,
no child's or reporter's name on it, another unit's timeline 404 for unit staff."""

import pytest
from django.urls import reverse

from omavalvonta.clients.models import Placement
from omavalvonta.demo import builder
from omavalvonta.deviations.models import Deviation
from omavalvonta.organisation.models import Role, Unit, User

pytestmark = [pytest.mark.django_db]


def _login(client, role):
    user = User.objects.get(email=builder.LOGIN_EMAIL[role])
    client.force_login(user)
    return user


def _demo_unit():
    return Unit.objects.get(name=builder.DEMO_UNIT_NAME)


def test_the_demo_unit_has_a_rich_timeline_without_names(small_demo, client):
    _login(client, Role.SUPERVISOR)
    unit = _demo_unit()
    response = client.get(reverse("unit_timeline", args=[unit.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    # The first page mixes several areas; which ones depends on the day the demo
    # is built (plan approvals follow the four-month calendar), so each area the
    # demo fills is asked for on its own as well.
    assert len({row[0].area for row in response.context["rows"]}) >= 4
    for area in ("deviations", "actions", "meetings", "plans", "restrictions"):
        filtered = client.get(reverse("unit_timeline", args=[unit.pk]), {"area": area})
        assert {row[0].area for row in filtered.context["rows"]} == {area}, area
        html += filtered.content.decode()
    for child in Placement.objects.filter(unit=unit):
        assert child.name not in html
        assert child.social_worker_name not in html
    for deviation in Deviation.objects.filter(unit=unit).select_related("reporter"):
        if deviation.reporter_id:
            assert deviation.reporter.full_name not in html


def test_another_units_timeline_is_404_for_unit_staff(small_demo, client):
    _login(client, Role.SUPERVISOR)
    other = Unit.objects.exclude(name=builder.DEMO_UNIT_NAME).order_by("pk").first()
    assert client.get(reverse("unit_timeline", args=[other.pk])).status_code == 404
