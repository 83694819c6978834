from django.urls import path

from omavalvonta.improvement import views  # noqa: F401

app_name = "improvement"
urlpatterns = []
