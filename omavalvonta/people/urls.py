from django.urls import path

from omavalvonta.people import views

app_name = "people"

urlpatterns = [
    path("", views.index, name="index"),
    path("yhteenveto/", views.overview, name="overview"),
    path("yksikko/<int:unit_id>/", views.unit_matrix, name="unit"),
    path("yksikko/<int:unit_id>/vaatimus/", views.requirement, name="requirement"),
    path("yksikko/<int:unit_id>/henkilo/<int:person_id>/", views.person, name="person"),
    path("yksikko/<int:unit_id>/henkilo/<int:person_id>/kirjaa/<int:type_id>/", views.record_new, name="record_new"),
    path("todistus/<int:pk>/", views.certificate, name="certificate"),
]
