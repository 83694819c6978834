"""The region-and-unit choice every area's forms use, sized for people: a large
group has thousands of units, so above a threshold a unit is chosen within a
region and no page renders a list of every unit."""

from django import forms
from django.db.models import Count
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _

from omavalvonta.core.lib import bounds
from omavalvonta.core.widgets import QuickSelect
from omavalvonta.organisation.models import Region, Unit


class _NameChoiceIterator(ModelChoiceIterator):
    """A region's or unit's options as (id, name) read by one plain query: the
    same options as Django's iterator (a region and a unit are shown by their
    name), without a model per option nor a server-side cursor."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        yield from self.queryset.values_list("pk", "name")


class NameChoiceField(forms.ModelChoiceField):
    iterator = _NameChoiceIterator
    # Written in Python (the same markup as Django's select): a template render per option saved.
    widget = QuickSelect


class RegionUnitFilter(forms.Form):
    """A list's filter by region and unit, sized for people. A form that filters
    by unit inherits it and calls `offer_units(units)` with the units the actor
    sees: the region choice then offers their regions (none when they all lie in
    one), and above MAX_UNITS_WITHOUT_REGION units (a large group has thousands)
    the unit choice offers the chosen region's units only, so no page renders a
    list of every unit. A unit asked for directly (a link with ?unit=) is kept."""

    region = NameChoiceField(
        label=_("Region"), queryset=Region.objects.none(), required=False, empty_label=_("All regions")
    )
    unit = NameChoiceField(label=_("Unit"), queryset=Unit.objects.none(), required=False, empty_label=_("All units"))

    MAX_UNITS_WITHOUT_REGION = 60
    show_region = False
    show_unit = False

    def shown_fields(self):
        """The fields a list's filter bar (components/filters.html) shows, in the
        form's order: region and unit only where offer_units offered them."""
        hidden = {name for name in ("region", "unit") if not getattr(self, f"show_{name}")}
        return [bound for bound in self if bound.name not in hidden]

    def offer_units(self, units, *, regions=None, region_id=None):
        """region_id: the region whose units to offer when none was chosen (a page
        that always shows one unit offers that unit's neighbours)."""
        if regions is None:
            # The units' regions with the number of units in each, in one query:
            # the region choice's options, whether to show it and whether to narrow.
            per_region = list(
                units.order_by()
                .values_list("region_id", "region__name")
                .annotate(n=Count("pk"))
                .order_by("region__name", "region_id")
            )
            self.fields["region"].queryset = Region.objects.filter(pk__in=[pk for pk, _name, _n in per_region])
            self.fields["region"].choices = [
                ("", self.fields["region"].empty_label),
                *((pk, name) for pk, name, _n in per_region),
            ]
            self.show_region = len(per_region) > 1
            unit_count = sum(n for _pk, _name, n in per_region)
        else:
            self.fields["region"].queryset = regions
            self.show_region = regions.count() > 1
            unit_count = units.count() if self.show_region else 0
        self.show_unit = True
        self.narrowed = self.show_region and unit_count > self.MAX_UNITS_WITHOUT_REGION
        if self.narrowed:
            chosen = bounds.parse_int(self.data.get("region")) if self.is_bound else None
            region_id = chosen if chosen is not None else region_id
            unit_id = bounds.parse_int(self.data.get("unit")) if self.is_bound else None
            if region_id is not None:
                units = units.filter(region_id=region_id)
            elif unit_id is not None:
                units = units.filter(pk=unit_id)
            else:
                units = units.none()
                self.show_unit = False
                self.fields["region"].help_text = _("Choose a region to choose one of its units.")
        self.fields["unit"].queryset = units

    def scope_filters(self) -> dict:
        """{"region": id, "unit": id} of what was validly chosen (call after is_valid)."""
        data = getattr(self, "cleaned_data", {})
        return {name: data[name].pk for name in ("region", "unit") if data.get(name)}


class RegionUnitChoice(RegionUnitFilter):
    """The unit of something being created, sized for people as RegionUnitFilter:
    above MAX_UNITS_WITHOUT_REGION units the region is chosen first. The form's
    template includes components/region_unit_choice.html, whose "show the
    region's units" button sends the form by GET (nothing is saved, nothing
    typed is lost): the view then builds the form unbound with
    `initial=region_choice_initial(request.GET, ...)` and calls
    `offer_units(units, region_id=...)` with the region asked for."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].required = True
        self.fields["unit"].empty_label = _("Choose the unit")


def region_choice_initial(query, defaults: dict) -> tuple[dict, int | None]:
    """The initial values of a RegionUnitChoice form re-shown by its region
    button (the typed values win over the defaults) and the region asked for."""
    initial = {**defaults, **{key: value for key, value in query.items() if value and key != "csrfmiddlewaretoken"}}
    return initial, bounds.parse_int(query.get("region"))
