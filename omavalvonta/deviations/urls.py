from django.urls import path

from omavalvonta.deviations import views

app_name = "deviations"
urlpatterns = []
