from django.urls import path

from omavalvonta.organisation import county_views, session_views, views

app_name = "organisation"
urlpatterns = [
    path("", views.admin_home, name="admin_home"),
    path("asetukset/", views.organisation_settings, name="settings"),
    path("riskimatriisi/", views.risk_matrix, name="risk_matrix"),
    path("valvontaviranomaiset/", views.authority_list, name="authority_list"),
    path("valvontaviranomaiset/uusi/", views.authority_create, name="authority_create"),
    path("valvontaviranomaiset/<int:pk>/", views.authority_edit, name="authority_edit"),
    path("yksikot/", views.unit_list, name="unit_list"),
    path("yksikot/uusi/", views.unit_create, name="unit_create"),
    path("yksikot/<int:pk>/", views.unit_edit, name="unit_edit"),
    path("hyvinvointialueet/", views.county_list, name="county_list"),
    path("hyvinvointialueet/uusi/", views.county_create, name="county_create"),
    path("hyvinvointialueet/<int:pk>/", views.county_edit, name="county_edit"),
    path("hyvinvointialueiden-kayttajat/", county_views.county_access_list, name="county_access_list"),
    path("hyvinvointialueiden-kayttajat/<int:pk>/peru/", county_views.county_access_revoke, name="county_access_revoke"),
    path("api-avaimet/", county_views.api_token_list, name="api_token_list"),
    path("api-avaimet/<int:pk>/peru/", county_views.api_token_revoke, name="api_token_revoke"),
    path("alueet/", views.region_list, name="region_list"),
    path("alueet/uusi/", views.region_create, name="region_create"),
    path("alueet/<int:pk>/", views.region_edit, name="region_edit"),
    path("henkilot/", views.person_list, name="person_list"),
    path("henkilot/uusi/", views.person_create, name="person_create"),
    path("henkilot/<int:pk>/", views.person_detail, name="person_detail"),
    path("henkilot/<int:pk>/muokkaa/", views.person_edit, name="person_edit"),
    path("henkilot/<int:pk>/salasana/", views.person_password, name="person_password"),
    path("henkilot/<int:pk>/istunnot/lopeta/", session_views.person_sessions_end, name="person_sessions_end"),
    path("henkilot/<int:pk>/roolit/", views.membership_add, name="membership_add"),
    path("henkilot/<int:pk>/roolit/<int:membership_pk>/poista/", views.membership_remove, name="membership_remove"),
]
