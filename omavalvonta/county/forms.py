from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from omavalvonta.county.selectors import Period, default_period

# A period of figures is at most this long (a query over years of data is not what the view is for).
MAX_PERIOD_DAYS = 3 * 366


class PeriodForm(forms.Form):
    alkaen = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Enter a date, e.g. 1.1.2026.")},
    )
    asti = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Enter a date, e.g. 31.12.2026.")},
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("alkaen"), data.get("asti")
        if start and end:
            if end < start:
                raise forms.ValidationError(_("The period ends before it starts."))
            if (end - start).days > MAX_PERIOD_DAYS:
                raise forms.ValidationError(_("Choose a period of at most three years."))
        return data

    def period(self, today: dt.date | None = None) -> Period:
        """The chosen period, or the default one (also when the input is not valid)."""
        default = default_period(today)
        if not self.is_valid():
            return default
        start = self.cleaned_data.get("alkaen")
        end = self.cleaned_data.get("asti") or default.end
        if start is None:
            start = end - (default.end - default.start)
        if start > end or (end - start).days > MAX_PERIOD_DAYS:
            return default
        return Period(start=start, end=end)
