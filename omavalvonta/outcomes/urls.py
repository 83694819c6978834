from django.urls import path

from omavalvonta.outcomes import views

app_name = "outcomes"
urlpatterns = [
    path("mittarit/", views.instruments, name="instruments"),
    path("mittarit/<int:pk>/luotettava-muutos/", views.instrument_threshold, name="instrument_threshold"),
    path("mittarit/versio/<int:pk>/", views.version_detail, name="version"),
    path("mittarit/versio/<int:pk>/uusi-luonnos/", views.version_draft, name="version_draft"),
    path("mittarit/versio/<int:pk>/julkaise/", views.version_publish, name="version_publish"),
    path("mittarit/kysymys/<int:pk>/", views.item_edit, name="item_edit"),
    path("lapsi/<int:pk>/", views.child, name="child"),
    path("lapsi/<int:pk>/mittaus/", views.measure, name="measure"),
    path("lapsi/<int:pk>/tavoitteet/", views.goals_print, name="goals_print"),
    path("mittaus/<int:pk>/tavoitteet/", views.goals, name="goals"),
    path("vaikuttavuus/", views.effectiveness, name="effectiveness"),
    path("vaikuttavuus/yksikko/<int:pk>/", views.unit_effectiveness, name="unit_effectiveness"),
    path("vaikuttavuus/yksikko/<int:pk>/tapaamiset/", views.unit_sessions, name="unit_sessions"),
    path("lapsi/<int:pk>/raportti/", views.report_page, name="report"),
    path("lapsi/<int:pk>/raportti/pdf/", views.report_pdf, name="report_pdf"),
    path("lapsi/<int:pk>/tapaamiset/", views.sessions, name="sessions"),
]
