from django.urls import path

from omavalvonta.complaints import views

app_name = "complaints"
urlpatterns = [
    path("", views.complaint_list, name="list"),
    path("uusi/", views.complaint_new, name="new"),
    path("asetukset/", views.complaint_settings, name="settings"),
    path("<int:pk>/", views.complaint_detail, name="detail"),
    path("<int:pk>/kasittelija/", views.complaint_assign, name="assign"),
    path("<int:pk>/vastaus/", views.complaint_answer, name="answer"),
    path("<int:pk>/toimenpide/", views.complaint_action, name="action"),
    path("<int:pk>/sulje/", views.complaint_close, name="close"),
]
