from django.urls import path

from omavalvonta.restrictions import views

app_name = "restrictions"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("yksikko/<int:unit_id>/", views.unit_register, name="unit"),
    path("lapsi/<int:placement_id>/uusi/", views.restriction_new, name="new"),
    path("<int:pk>/", views.restriction_detail, name="detail"),
    path("<int:pk>/jalkikeskustelu/", views.restriction_debrief, name="debrief"),
    path("<int:pk>/asiakirja/", views.document_sign, name="sign"),
    path("<int:pk>/asiakirja/<int:version>/<str:language>.pdf", views.document_pdf, name="pdf"),
    path("<int:pk>/asiakirja/<int:version>/luovutus/", views.document_handover, name="handover"),
    path("lippu/<int:pk>/", views.flag_handle, name="flag"),
    path("yksikko/<int:unit_id>/luvut/", views.unit_figures, name="figures"),
]
