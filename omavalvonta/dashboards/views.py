from django.shortcuts import render

from omavalvonta.dashboards.selectors import home_summary
from omavalvonta.organisation.access import AUTHENTICATED, requires


@requires(AUTHENTICATED)
def home(request):
    return render(request, "dashboards/home.html", home_summary(actor=request.user))
