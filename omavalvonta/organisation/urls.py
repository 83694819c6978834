from django.urls import path

from omavalvonta.organisation import views

app_name = "organisation"
urlpatterns = []
