from django.urls import path

from omavalvonta.guidance import views

app_name = "guidance"
urlpatterns = [
    path("", views.guidance_list, name="list"),
    path("uusi/", views.guidance_create, name="create"),
    path("<int:pk>/", views.guidance_detail, name="detail"),
    path("<int:pk>/liitteet/<int:attachment_id>/", views.attachment_download, name="attachment"),
    path("<int:pk>/ohje/", views.instructions, name="instructions"),
    path("<int:pk>/vastaus/", views.response, name="response"),
    path("<int:pk>/arvio/", views.review, name="review"),
    path("<int:pk>/vastuuhenkilo/", views.assign, name="assign"),
    path("<int:pk>/toimenpiteet/", views.add_action, name="add_action"),
    path("<int:pk>/ohjeistus/", views.issue_instructions, name="issue_instructions"),
    path("<int:pk>/sulje/", views.close, name="close"),
]
