from django.urls import path

from omavalvonta.search import views

app_name = "search"
urlpatterns = [
    path("", views.search, name="search"),
    path("teemat/", views.themes, name="themes"),
]
