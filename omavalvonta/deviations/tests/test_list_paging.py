"""The list's filter form and pager, built for each request: the form's copies
share its fixed options, the pager counts and pages a list with joins."""

import datetime as dt

import pytest
from django.utils import timezone

from omavalvonta.core.pagination import IdPaginator
from omavalvonta.deviations import services
from omavalvonta.deviations.forms import FilterForm
from omavalvonta.deviations.models import Deviation
from omavalvonta.organisation.models import Unit
from omavalvonta.testing.factories import deviation_kwargs


def test_the_filter_forms_share_their_fixed_options_but_not_a_replaced_list():
    first = FilterForm(units=Unit.objects.none())
    second = FilterForm(units=Unit.objects.none())
    for name in ("kind", "state", "risk_level"):
        assert first.fields[name].choices == FilterForm.base_fields[name].choices
        assert first.fields[name] is not FilterForm.base_fields[name]
    first.fields["state"].choices = [("", "-")]
    assert first.fields["state"].choices == [("", "-")]
    assert second.fields["state"].choices == FilterForm.base_fields["state"].choices != [("", "-")]
    assert first.fields["state"].widget.choices == [("", "-")]
    assert second.fields["state"].widget.choices == FilterForm.base_fields["state"].widget.choices


@pytest.mark.django_db
def test_the_pager_counts_a_list_with_joins_and_pages_it_in_order(employee_a, unit_a, django_assert_num_queries):
    now = timezone.now()
    for days_ago in range(5):
        when = now - dt.timedelta(days=days_ago)
        services.deviation_submit(actor=employee_a, submitted_at=when, **deviation_kwargs(unit_a, occurred_at=when))
    listed = Deviation.objects.select_related("unit", "handler").order_by("-submitted_at", "-id")
    expected = list(listed.values_list("pk", flat=True))
    pager = IdPaginator(listed, 2, related=("unit",))
    with django_assert_num_queries(1):
        assert pager.count == 5 and pager.num_pages == 3
    with django_assert_num_queries(1):
        page = pager.page(2)
    assert [d.pk for d in page.object_list] == expected[2:4]
    with django_assert_num_queries(0):
        assert {d.unit.name for d in page.object_list} == {unit_a.name}
