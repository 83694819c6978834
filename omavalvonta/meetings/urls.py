from django.urls import path

from omavalvonta.meetings import childrens_views, views

app_name = "meetings"
urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("uusi/", views.meeting_create, name="create"),
    path("kuittaukset/", views.acknowledge, name="acknowledge"),
    path("kuittaukset/<int:ack_id>/", views.acknowledge_confirm, name="acknowledge_confirm"),
    path("<int:pk>/", views.meeting_detail, name="detail"),
    path("<int:pk>/kohdat/", views.item_add, name="item_add"),
    path("<int:pk>/kohdat/paivita/", views.agenda_refresh, name="agenda_refresh"),
    path("<int:pk>/kohdat/<int:item_id>/siirra/", views.item_move, name="item_move"),
    path("<int:pk>/kohdat/<int:item_id>/poista/", views.item_remove, name="item_remove"),
    path("<int:pk>/kohdat/<int:item_id>/paatos/", views.item_decide, name="item_decide"),
    path("<int:pk>/kohdat/<int:item_id>/toimenpide/", views.item_action, name="item_action"),
    path("<int:pk>/kohdat/<int:item_id>/loki/", views.item_log, name="item_log"),
    path("<int:pk>/lasnaolo/", views.attendance, name="attendance"),
    path("<int:pk>/sulje/", views.meeting_close, name="close"),
    path("<int:pk>/muistuta/", views.remind, name="remind"),
    # The children's meetings of a unit (meetings.childrens).
    path("yksikot/<int:unit_id>/lasten-kokoukset/", childrens_views.childrens_list, name="childrens"),
    path("yksikot/<int:unit_id>/lasten-kokoukset/uusi/", childrens_views.childrens_add, name="childrens_add"),
    path("lasten-kokoukset/<int:pk>/", childrens_views.childrens_edit, name="childrens_edit"),
]
