from django.urls import path

from omavalvonta.privacy import views, views_notices, views_retention

app_name = "privacy"
urlpatterns = [
    path("loki/", views.log_review, name="log"),
    path("loki/<int:pk>/tarkistettu/", views.log_review_mark, name="log_mark"),
    path("pyynnot/", views.requests, name="requests"),
    path("pyynnot/uusi/", views.request_new, name="request_new"),
    path("pyynnot/<int:pk>/", views.request_detail, name="request"),
    path("pyynnot/<int:pk>/jatko/", views.request_extend, name="request_extend"),
    path("pyynnot/<int:pk>/tila/", views.request_status, name="request_status"),
    path("pyynnot/<int:pk>/kohteet/", views.request_items, name="request_items"),
    path("pyynnot/<int:pk>/kokoa/", views.request_compile, name="request_compile"),
    path("pyynnot/<int:pk>/koonti/", views.compilation, name="compilation"),
    path("pyynnot/<int:pk>/koonti/tarkistettu/", views.compilation_review, name="compilation_review"),
    path("pyynnot/<int:pk>/koonti.<str:fmt>", views.compilation_download, name="compilation_download"),
    path("sailytys/", views_retention.retention_table, name="retention"),
    path("sailytys/aika/<slug:record_type>/", views_retention.retention_rule, name="retention_rule"),
    path("sailytys/pidot/", views_retention.holds, name="holds"),
    path("sailytys/pidot/<int:pk>/pura/", views_retention.hold_lift, name="hold_lift"),
    path("sailytys/havitykset/", views_retention.runs, name="runs"),
    path("sailytys/havitykset/<int:pk>/", views_retention.run_detail, name="run"),
    path("sailytys/havitykset/<int:pk>/hyvaksy/", views_retention.run_approve, name="run_approve"),
    path("sailytys/havitykset/<int:pk>/peru/", views_retention.run_cancel, name="run_cancel"),
    path("sailytys/havitetyt/", views_retention.records, name="destruction_records"),
    path("selosteet/", views_notices.notice_list, name="notices"),
    path("selosteet/<slug:key>/", views_notices.notice_edit, name="notice"),
]
