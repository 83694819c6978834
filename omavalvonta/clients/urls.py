from django.urls import path

from omavalvonta.clients import views

app_name = "clients"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("yksikko/<int:unit_id>/", views.unit_children, name="unit"),
    path("yksikko/<int:unit_id>/uusi/", views.placement_create, name="create"),
    path("<int:pk>/", views.placement_detail, name="detail"),
    path("<int:pk>/muokkaa/", views.placement_edit, name="edit"),
    path("<int:pk>/paata/", views.placement_end, name="end"),
]
