from django.urls import path

from omavalvonta.guidance import views  # noqa: F401

app_name = "guidance"
urlpatterns = []
