from django.urls import path

from omavalvonta.risks import views

app_name = "risks"
urlpatterns = [
    path("", views.risk_list, name="list"),
    path("uusi/", views.risk_create, name="create"),
    path("<int:pk>/", views.risk_detail, name="detail"),
    path("<int:pk>/muokkaa/", views.risk_edit, name="edit"),
    path("arvioinnit/", views.assessment_list, name="assessments"),
    path("arvioinnit/uusi/", views.assessment_create, name="assessment_create"),
    path("arvioinnit/<int:pk>/", views.assessment_detail, name="assessment_detail"),
    path("poikkeama/<int:deviation_id>/linkita/", views.deviation_link, name="deviation_link"),
    path("linkit/<int:link_id>/poista/", views.deviation_unlink, name="deviation_unlink"),
]
