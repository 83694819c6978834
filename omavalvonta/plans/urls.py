from django.urls import path

from omavalvonta.plans import programme_views, views

app_name = "plans"
urlpatterns = [
    path("", views.plan_list, name="list"),
    path("yksikko/<int:unit_id>/<slug:kind_slug>/", views.plan_detail, name="plan"),
    path("yksikko/<int:unit_id>/<slug:kind_slug>/luonnos/", views.draft_start, name="draft_start"),
    path("yksikko/<int:unit_id>/<slug:kind_slug>/tarkistus/", views.review, name="review"),
    path("yksikko/<int:unit_id>/<slug:kind_slug>/vertaa/", views.compare, name="compare"),
    path("versiot/<int:pk>/", views.version_detail, name="version"),
    path("versiot/<int:pk>/tiedot/", views.details_edit, name="details"),
    path("versiot/<int:pk>/osiot/<int:section_id>/", views.section_edit, name="section"),
    path("versiot/<int:pk>/osiot/<int:section_id>/poista/", views.section_remove, name="section_remove"),
    path("versiot/<int:pk>/osiot/lisaa/", views.section_add, name="section_add"),
    path("versiot/<int:pk>/hyvaksy/", views.approve, name="approve"),
    path("versiot/<int:pk>/hyvaksyttavaksi/", views.request_approval, name="request_approval"),
    path("versiot/<int:pk>/hylkaa/", views.discard, name="discard"),
    path("pohja/", views.template_list, name="template"),
    path("pohja/uusi/", views.template_edit, name="template_new"),
    path("pohja/<int:pk>/", views.template_edit, name="template_edit"),
    path("ohjelma/", programme_views.programme, name="programme"),
    path("ohjelma/vertaa/", programme_views.programme_compare, name="programme_compare"),
    path("ohjelma/muokkaa/", programme_views.programme_edit, name="programme_edit"),
    path("ohjelma/<int:pk>/hyvaksy/", programme_views.programme_approve, name="programme_approve"),
    path("ohjelma/katselmus/", programme_views.programme_review, name="programme_review"),
    path("seuranta/", programme_views.report_list, name="reports"),
    path("seuranta/<int:pk>/", programme_views.report_detail, name="report"),
    path("seuranta/<int:pk>/laske/", programme_views.report_recompile, name="report_recompile"),
    path("seuranta/<int:pk>/hyvaksy/", programme_views.report_approve, name="report_approve"),
    path("seuranta/<int:pk>/julkaise/", programme_views.report_publish, name="report_publish"),
]
