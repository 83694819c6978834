from django.urls import path

from omavalvonta.feedback import views

app_name = "feedback"
urlpatterns = [
    path("", views.home, name="home"),
    path("yksikot/<int:pk>/", views.unit_detail, name="unit"),
    path("koonti/<str:level>/<str:key>/", views.scope_detail, name="scope"),
    path("yksikot/<int:pk>/raportti/", views.unit_report, name="unit_report"),
    path("yksikot/<int:pk>/tavoitteet/", views.unit_goals, name="unit_goals"),
    path("tavoitteet/<int:pk>/arvio/", views.goal_assess, name="goal_assess"),
    path("tavoitteet/<int:pk>/poista/", views.goal_delete, name="goal_delete"),
    path("yksikot/<int:pk>/tavoitteet/palkkio/", views.reward_record, name="reward_record"),
    path("kierrokset/", views.rounds, name="rounds"),
    path("kierrokset/<int:pk>/", views.round_detail, name="round"),
    path("kierrokset/<int:pk>/paivat/", views.round_dates, name="round_dates"),
    path("kierrokset/<int:pk>/linkit/", views.round_links, name="round_links"),
    path("kierrokset/<int:pk>/kioski/", views.round_kiosk, name="round_kiosk"),
    path("kierrokset/<int:pk>/kirjaa/<str:group>/", views.round_record, name="round_record"),
    path("kioskit/<int:pk>/lopeta/", views.kiosk_stop, name="kiosk_stop"),
    path("kyselyt/", views.surveys, name="surveys"),
    path("kyselyt/<int:pk>/", views.survey_edit, name="survey_edit"),
    path("kyselyt/<int:pk>/hylkaa/", views.survey_discard, name="survey_discard"),
    path("viestit/", views.public_list, name="public_list"),
    path("viestit/<int:pk>/", views.public_detail, name="public_detail"),
]
