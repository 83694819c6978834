from django.urls import path

from omavalvonta.privacy import views

app_name = "privacy"
urlpatterns = [
    path("loki/", views.log_review, name="log"),
    path("loki/<int:pk>/tarkistettu/", views.log_review_mark, name="log_mark"),
    path("pyynnot/", views.requests, name="requests"),
    path("pyynnot/uusi/", views.request_new, name="request_new"),
    path("pyynnot/<int:pk>/", views.request_detail, name="request"),
    path("pyynnot/<int:pk>/jatko/", views.request_extend, name="request_extend"),
    path("pyynnot/<int:pk>/tila/", views.request_status, name="request_status"),
    path("pyynnot/<int:pk>/kokoa/", views.request_compile, name="request_compile"),
    path("pyynnot/<int:pk>/koonti/", views.compilation, name="compilation"),
    path("pyynnot/<int:pk>/koonti/tarkistettu/", views.compilation_review, name="compilation_review"),
    path("pyynnot/<int:pk>/koonti.<str:fmt>", views.compilation_download, name="compilation_download"),
]
