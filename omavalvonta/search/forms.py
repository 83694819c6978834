from django import forms
from django.utils.translation import gettext_lazy as _, pgettext_lazy

from omavalvonta.core.widgets import QuickSelect
from omavalvonta.search.query import MAX_QUERY


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search words"), required=False, max_length=MAX_QUERY,
        help_text=_("Words in any inflection: “lääkkeen” also finds “lääke” and “lääkkeitä”."),
    )
    alue = forms.ChoiceField(label=pgettext_lazy("search: in which area", "Where"), required=False, widget=QuickSelect)

    def __init__(self, *args, areas=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["alue"].choices = [("", _("Everywhere")), *areas]
        self.fields["q"].widget.attrs.update({"type": "search", "autocomplete": "off", "enterkeyhint": "search"})


class ThemeScopeForm(forms.Form):
    alue = forms.ChoiceField(
        label=pgettext_lazy("themes across units: the region or the organisation", "Scope"), required=False,
        widget=QuickSelect,  # a region's option each: Django's template per option cost more than the page's themes
    )

    def __init__(self, *args, scopes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["alue"].choices = list(scopes)
