from django.urls import path

from omavalvonta.deviations import views

app_name = "deviations"
urlpatterns = [
    path("", views.deviation_list, name="list"),
    path("uusi/", views.report_new, name="new"),
    path("uusi/offline/", views.report_new_offline, name="new_offline"),
    path("uusi/offline/yksikot/", views.report_units_offline, name="offline_units"),
    path("kiitos/", views.report_submitted, name="submitted"),
    path("omat/", views.my_reports, name="mine"),
    path("vienti.csv", views.deviation_export, name="export"),
    path("kasittelijat/<int:unit_id>/", views.handler_routing, name="routing"),
    path("ohjemuutokset/", views.proposal_list, name="proposals"),
    path("ohjemuutokset/<int:pk>/", views.proposal_detail, name="proposal"),
    path("<int:pk>/", views.deviation_detail, name="detail"),
    path("<int:pk>/liitteet/<int:attachment_id>/", views.attachment_download, name="attachment"),
    path("<int:pk>/ilmoittaja/", views.deviation_disclose_reporter, name="disclose_reporter"),
    path("<int:pk>/kasittelija/", views.deviation_assign, name="assign"),
    path("<int:pk>/luokittelu/", views.deviation_classify, name="classify"),
    path("<int:pk>/toimenpiteet/", views.deviation_add_action, name="add_action"),
    path("<int:pk>/vastaus/", views.deviation_answer, name="answer"),
    path("<int:pk>/tiedotetut/", views.deviation_informed_add, name="informed_add"),
    path("<int:pk>/tiedotetut/<int:record_id>/poista/", views.deviation_informed_remove, name="informed_remove"),
    path("<int:pk>/kasittelyn-ratkaisut/", views.deviation_decide, name="decide"),
    path("<int:pk>/sulje/", views.deviation_close, name="close"),
    path("<int:pk>/viesti/", views.deviation_message, name="message"),
    path("<int:pk>/vastaa/", views.deviation_reply, name="reply"),
    path("<int:pk>/avaa/", views.deviation_reopen, name="reopen"),
    path("<int:pk>/ilmoitus/", views.deviation_notify, name="notify"),
    path("<int:pk>/valvontaviranomainen/", views.deviation_escalate, name="escalate"),
]
