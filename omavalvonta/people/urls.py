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

from omavalvonta.people import orientation_views  # noqa: E402

urlpatterns += [
    path("perehdytys/kortit/", orientation_views.cards, name="cards"),
    path("perehdytys/kortti/<int:pk>/", orientation_views.card, name="card"),
    path("yksikko/<int:unit_id>/perehdytys/", orientation_views.orientations, name="orientations"),
    path("yksikko/<int:unit_id>/perehdytys/uusi/", orientation_views.orientation_new, name="orientation_new"),
    path("perehdytys/<int:pk>/", orientation_views.orientation, name="orientation"),
    path("perehdytys/<int:pk>/arvio/", orientation_views.orientation_evaluate, name="orientation_evaluate"),
    path("perehdytys/<int:pk>/arvio/<int:evaluation_id>/toimenpide/", orientation_views.evaluation_action,
         name="evaluation_action"),
]

from omavalvonta.people import training_views  # noqa: E402

urlpatterns += [
    path("yksikko/<int:unit_id>/henkilo/<int:person_id>/koulutus/", training_views.training_new, name="training_new"),
    path("yksikko/<int:unit_id>/henkilo/<int:person_id>/kehityskeskustelu/", training_views.discussion_new,
         name="discussion_new"),
    path("koulutustodistus/<int:pk>/", training_views.training_certificate, name="training_certificate"),
    path("yksikko/<int:unit_id>/rekrytointi/", training_views.recruitment, name="recruitment"),
    path("yksikko/<int:unit_id>/rekrytointi/hyvaksy/", training_views.recruitment_approve, name="recruitment_approve"),
]
