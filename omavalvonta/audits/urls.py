from django.urls import path

from omavalvonta.audits import document_views, security_views, views

app_name = "audits"
urlpatterns = [
    path("", views.index, name="index"),
    path("tarkistuslistat/", views.checklist_list, name="checklists"),
    path("tarkistuslistat/uusi/", views.checklist_edit, name="checklist_create"),
    path("tarkistuslistat/<int:pk>/", views.checklist_edit, name="checklist_edit"),
    path("itsearviointi/uusi/", views.self_assessment_create, name="self_assessment_create"),
    path("itsearviointi/<int:pk>/", views.self_assessment_detail, name="self_assessment"),
    path("auditoinnit/uusi/", views.audit_create, name="audit_create"),
    path("auditoinnit/<int:pk>/", views.audit_detail, name="audit"),
    path("jatkuvuus/<int:unit_id>/", views.continuity, name="continuity"),
    # The information-security plan (THL 3/2024): not public, organisation-wide.
    path("tietoturvasuunnitelma/", security_views.security_plan, name="security_plan"),
    path("tietoturvasuunnitelma/luonnos/", security_views.security_plan_draft, name="security_plan_draft"),
    path("tietoturvasuunnitelma/luonnos/aloita/", security_views.security_plan_draft_start, name="security_plan_draft_start"),
    path("tietoturvasuunnitelma/vertaa/", security_views.security_plan_compare, name="security_plan_compare"),
    path("tietoturvasuunnitelma/<int:pk>/", security_views.security_plan_version, name="security_plan_version"),
    # The compliance register: tracked documents and purchased-service partners (issue 21 items 6, 8).
    path("asiakirjat/", document_views.register, name="documents"),
    path("asiakirjat/uusi/", document_views.document_create, name="document_create"),
    path("asiakirjat/yksikko/<int:unit_id>/", document_views.unit_documents, name="unit_documents"),
    path("asiakirjat/<int:pk>/", document_views.document_detail, name="document"),
    path("asiakirjat/<int:pk>/muokkaa/", document_views.document_edit, name="document_edit"),
    path("asiakirjat/versio/<int:pk>/tiedosto/", document_views.version_file, name="document_version_file"),
    path("kumppanit/", document_views.partner_list, name="partners"),
    path("kumppanit/uusi/", document_views.partner_edit, name="partner_create"),
    path("kumppanit/<int:pk>/", document_views.partner_detail, name="partner"),
    path("kumppanit/<int:pk>/muokkaa/", document_views.partner_edit, name="partner_edit"),
    path("kumppanit/todiste/<int:pk>/tiedosto/", document_views.evidence_file, name="partner_evidence_file"),
]
