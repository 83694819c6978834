from django.urls import path

from omavalvonta.public import views
from omavalvonta.public.views import plans as plan_views

app_name = "public"
urlpatterns = [
    path("", views.index, name="index"),
    path("seuranta/", views.followup, name="followup"),
    path("asiakirja/<str:token>/", views.delivery, name="delivery"),
    path("yksikot/", views.plans_index, name="plans_index"),
    path("yksikot/<slug:slug>/", views.plans_unit, name="plans_unit"),
    path("yksikot/<slug:slug>/<slug:kind_slug>.pdf", views.plans_unit_pdf, name="plans_unit_pdf"),
    path("omavalvontaohjelma/", views.plans_programme, name="plans_programme"),
    path("omavalvontaohjelma/seuranta/<int:pk>/", views.plans_report, name="plans_report"),
    path("omavalvontaohjelma/omavalvontaohjelma.pdf", plan_views.plans_programme_pdf, name="plans_programme_pdf"),
    path("omavalvontaohjelma/seuranta/<int:pk>.pdf", plan_views.plans_report_pdf, name="plans_report_pdf"),
    path("tietosuoja/", views.privacy_notices, name="privacy_notices"),
    path("tietosuoja/<slug:key>/", views.privacy_notice, name="privacy_notice"),
    path("palaute/", views.feedback_send, name="feedback_send"),
    path("palaute/vastaus/", views.feedback_answer, name="feedback_answer"),
    path("palaute/kiitos/", views.feedback_thanks, name="feedback_thanks"),
    path("palaute/k/<str:token>/", views.feedback_link, name="feedback_link"),
    path("palaute/kioski/<str:token>/", views.feedback_kiosk, name="feedback_kiosk"),
    path("palaute/kioski/<str:token>/kiitos/", views.feedback_kiosk_thanks, name="feedback_kiosk_thanks"),
]
