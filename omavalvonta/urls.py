from allauth.account.decorators import secure_admin_login
from allauth.mfa.models import Authenticator
from django.contrib import admin
from django.urls import include, path

from omavalvonta.county import api as county_api
from omavalvonta.dashboards import offline_views, views as dashboard_views
from omavalvonta.organisation import session_views, sso
from omavalvonta.public import views as public_views

# The Django admin has no sign-in of its own: its login page sends to the
# product's (allauth: password, the second factor, the lockout), so no door
# skips any of them.
admin.site.login = secure_admin_login(admin.site.login)
# Authenticator secrets are nobody's to read or edit, not even a superuser's.
if admin.site.is_registered(Authenticator):
    admin.site.unregister(Authenticator)

urlpatterns = [
    path("", dashboard_views.home, name="home"),
    path("favicon.ico", public_views.favicon, name="favicon"),
    # The installable web app: the service worker must be served from the root.
    path("sw.js", offline_views.service_worker, name="service_worker"),
    path("offline/", offline_views.offline_shell, name="offline_shell"),
    path("offline/avain/", offline_views.queue_key, name="offline_queue_key"),
    path("oma/", dashboard_views.profile, name="account_settings"),
    path("yksikot/<int:unit_id>/aikajana/", dashboard_views.unit_timeline, name="unit_timeline"),
    path("oma/istunnot/", session_views.my_sessions, name="my_sessions"),
    path("oma/istunnot/muut/lopeta/", session_views.my_sessions_end_others, name="my_sessions_end_others"),
    path("oma/istunnot/<int:pk>/lopeta/", session_views.my_session_end, name="my_session_end"),
    # Sign-in addresses are managed by administrators only: a user who could add
    # an address of their own could sign in with an unverified one.
    path("accounts/email/", dashboard_views.not_available, name="account_email"),
    # Single sign-on (organisation/sso.py): allauth's OpenID Connect views that
    # always check the id token's signature; before allauth's URLs, at their address.
    path("accounts/oidc/<str:provider_id>/login/", sso.sso_login, name="sso_login"),
    path("accounts/oidc/<str:provider_id>/login/callback/", sso.sso_callback, name="sso_callback"),
    # Identities are linked by verified e-mail only, never by hand.
    path("accounts/3rdparty/", dashboard_views.not_available, name="socialaccount_connections"),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("poikkeamat/", include("omavalvonta.deviations.urls")),
    path("ilmoitukset/", include("omavalvonta.notifications.urls")),
    path("kehittaminen/", include("omavalvonta.improvement.urls")),
    path("kokoukset/", include("omavalvonta.meetings.urls")),
    path("ohjaus/", include("omavalvonta.guidance.urls")),
    path("muistutukset/", include("omavalvonta.complaints.urls")),
    path("omavalvontasuunnitelmat/", include("omavalvonta.plans.urls")),
    path("palaute/", include("omavalvonta.feedback.urls")),
    path("hallinta/", include("omavalvonta.organisation.urls")),
    path("vuosikello/", include("omavalvonta.yearclock.urls")),
    path("riskit/", include("omavalvonta.risks.urls")),
    path("auditointi/", include("omavalvonta.audits.urls")),
    path("tietosuoja/", include("omavalvonta.privacy.urls")),
    path("lapset/", include("omavalvonta.clients.urls")),
    path("toimintakyky/", include("omavalvonta.outcomes.urls")),
    path("rajoitukset/", include("omavalvonta.restrictions.urls")),
    path("osaaminen/", include("omavalvonta.people.urls")),
    path("haku/", include("omavalvonta.search.urls")),
    path("oppiminen/", include("omavalvonta.learning.urls")),
    path("julkinen/", include("omavalvonta.public.urls")),
    # The purchasing county's own view and the read-only open API (omavalvonta/county).
    path("hyvinvointialue/", include("omavalvonta.county.urls")),
    path("api/v1/", county_api.urls()),
    path("django-admin/", admin.site.urls),
]

# A failure shows a page that says plainly that nothing was saved (core/views.py).
handler500 = "omavalvonta.core.views.server_error"
