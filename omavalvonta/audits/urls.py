from django.urls import path

from omavalvonta.audits import views

app_name = "audits"
urlpatterns = [
    path("", views.index, name="index"),
    path("tarkistuslistat/", views.checklist_list, name="checklists"),
    path("tarkistuslistat/uusi/", views.checklist_edit, name="checklist_create"),
    path("tarkistuslistat/<int:pk>/", views.checklist_edit, name="checklist_edit"),
    path("itsearviointi/uusi/", views.self_assessment_create, name="self_assessment_create"),
    path("itsearviointi/<int:pk>/", views.self_assessment_detail, name="self_assessment"),
    path("auditoinnit/uusi/", views.audit_create, name="audit_create"),
    path("auditoinnit/<int:pk>/", views.audit_detail, name="audit"),
    path("jatkuvuus/<int:unit_id>/", views.continuity, name="continuity"),
]
