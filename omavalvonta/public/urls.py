from django.urls import path

from omavalvonta.public import views

app_name = "public"
urlpatterns = [
    path("seuranta/", views.followup, name="followup"),
]
