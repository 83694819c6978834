from django.urls import path

from omavalvonta.county import views

app_name = "county"
urlpatterns = [
    path("", views.home, name="home"),
    path("ilmoitukset/", views.notification_list, name="notifications"),
    path("ilmoitukset/<int:pk>/", views.notification_detail, name="notification"),
    path("yksikot/<int:pk>/", views.unit_detail, name="unit"),
]
