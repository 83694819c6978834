from django.urls import path

from omavalvonta.yearclock import views

app_name = "yearclock"
urlpatterns = [
    path("", views.year_wheel, name="wheel"),
    path("lista/", views.occurrence_list, name="list"),
    path("tassa-kuussa/", views.due_this_month, name="due"),
    path("myohassa/", views.overdue, name="overdue"),
    path("<int:pk>/", views.occurrence_detail, name="detail"),
    path("<int:pk>/todiste/", views.evidence_download, name="evidence"),
    path("velvoitteet/", views.template_list, name="templates"),
    path("velvoitteet/uusi/", views.template_edit, name="template_create"),
    path("velvoitteet/oletukset/", views.template_defaults, name="template_defaults"),
    path("velvoitteet/<int:pk>/", views.template_edit, name="template_edit"),
]
