from django.urls import path

from omavalvonta.notifications import views

app_name = "notifications"
urlpatterns = []
