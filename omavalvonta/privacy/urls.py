from django.urls import path

from omavalvonta.privacy import views

app_name = "privacy"
urlpatterns = [
    path("loki/", views.log_review, name="log"),
    path("loki/<int:pk>/tarkistettu/", views.log_review_mark, name="log_mark"),
]
