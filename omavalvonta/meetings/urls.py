from django.urls import path

from omavalvonta.meetings import views  # noqa: F401

app_name = "meetings"
urlpatterns = []
