from django.urls import path

from omavalvonta.learning import views

app_name = "learning"
urlpatterns = [
    path("", views.review_list, name="list"),
    path("uusi/", views.review_new, name="review_new"),
    path("<int:pk>/", views.review_detail, name="detail"),
    path("<int:pk>/vastaukset/", views.review_answers, name="answers"),
    path("<int:pk>/toimenpide/", views.review_action, name="action"),
    path("<int:pk>/valmis/", views.review_complete, name="complete"),
    path("<int:pk>/jaa/", views.summary_share, name="share"),
    path("yhteenvedot/<int:pk>/", views.summary_detail, name="summary"),
    path("yhteenvedot/<int:pk>/kuittaa/", views.summary_acknowledge, name="acknowledge"),
]
