from django.urls import path

from omavalvonta.improvement import views

app_name = "improvement"
urlpatterns = [
    path("", views.my_actions, name="my_actions"),
    path("toimenpiteet/", views.action_list, name="action_list"),
    path("toimenpiteet/csv/", views.action_export, name="action_export"),
    path("toimenpiteet/uusi/", views.action_create, name="action_create"),
    path("toimenpiteet/<int:pk>/", views.action_detail, name="action_detail"),
    path("toimenpiteet/<int:pk>/valmis/", views.action_complete, name="action_complete"),
    path("toimenpiteet/<int:pk>/vaikuttavuus/", views.action_record_effectiveness, name="action_effectiveness"),
    path("toimenpiteet/<int:pk>/muokkaa/", views.action_edit, name="action_edit"),
    path("toimenpiteet/<int:pk>/peru/", views.action_cancel, name="action_cancel"),
    path("toimintasuunnitelmat/", views.plan_list, name="plan_list"),
    path("toimintasuunnitelmat/uusi/", views.plan_create, name="plan_create"),
    # A finding steers the plan: ?lahde=kind:id (an id, never client data).
    path("toimintasuunnitelmat/kytke/", views.goal_prompt, name="goal_prompt"),
    path("toimintasuunnitelmat/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("toimintasuunnitelmat/kytkennat/<int:pk>/poista/", views.goal_prompt_remove, name="goal_prompt_remove"),
    path("toimintasuunnitelmat/<int:pk>/osallistujat/", views.plan_participants, name="plan_participants"),
    path("toimintasuunnitelmat/<int:pk>/tavoitteet/", views.plan_goal_add, name="plan_goal_add"),
    path("toimintasuunnitelmat/<int:pk>/hyvaksy/", views.plan_approve, name="plan_approve"),
    path("toimintasuunnitelmat/<int:pk>/tavoitteet/<int:goal_id>/muokkaa/", views.goal_edit, name="goal_edit"),
    path("toimintasuunnitelmat/<int:pk>/tavoitteet/<int:goal_id>/poista/", views.goal_remove, name="goal_remove"),
    path(
        "toimintasuunnitelmat/<int:pk>/tavoitteet/<int:goal_id>/seuranta/",
        views.goal_follow_up,
        name="goal_follow_up",
    ),
    path(
        "toimintasuunnitelmat/<int:pk>/tavoitteet/<int:goal_id>/toimenpide/",
        views.goal_action_add,
        name="goal_action_add",
    ),
    path("loki/", views.log_list, name="log"),
    path("loki/uusi/", views.log_create, name="log_create"),
    path("loki/<int:pk>/", views.log_detail, name="log_detail"),
    path("loki/<int:pk>/seuranta/", views.log_follow_up, name="log_follow_up"),
]
