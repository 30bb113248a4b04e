from django.urls import include, path

from .urls_compliance import urlpatterns as compliance_urlpatterns
from .views import audit, auth, documents, interpretations, review, roles

app_name = "workspace"


urlpatterns = [
    path("login/", auth.login, name="login"),
    path("logout/", auth.logout, name="logout"),
    path("second-factor/", auth.second_factor, name="second_factor"),
    path("second-factor/setup/", auth.second_factor_setup, name="second_factor_setup"),
    path("password/", auth.password_change, name="password_change"),
    path("", auth.home, name="home"),
    path("roles/", roles.role_guide, name="role_guide"),
    path("documents/", documents.document_list, name="document_list"),
    path("documents/new/", documents.document_create, name="document_create"),
    path("documents/<int:pk>/", documents.document_detail, name="document_detail"),
    path("documents/<int:pk>/edit/", documents.document_edit, name="document_edit"),
    path("documents/<int:pk>/attachments/", documents.document_attach, name="document_attach"),
    path("documents/<int:pk>/review/<slug:step>/", review.document_review, name="document_review"),
    path("documents/<int:pk>/<slug:action>/", documents.document_action, name="document_action"),
    path("attachments/<int:pk>/", documents.attachment_download, name="attachment_download"),
    path("interpretations/", interpretations.interpretation_list, name="interpretation_list"),
    path("interpretations/new/", interpretations.interpretation_create, name="interpretation_create"),
    path("interpretations/<int:pk>/", interpretations.interpretation_detail, name="interpretation_detail"),
    path("interpretations/<int:pk>/edit/", interpretations.interpretation_edit, name="interpretation_edit"),
    path("interpretations/<int:pk>/<slug:action>/", interpretations.interpretation_action,
         name="interpretation_action"),
    path("audit/", audit.audit_list, name="audit_list"),
    path("audit/export.csv", audit.audit_export, {"fmt": "csv"}, name="audit_export_csv"),
    path("audit/export.jsonl", audit.audit_export, {"fmt": "jsonl"}, name="audit_export_jsonl"),
    path("applications/", include("gongkai.workspace.urls_letters")),
    path("consultations/", include("gongkai.workspace.consultations.urls")),
    path("qa/", include("gongkai.workspace.qa.urls")),
    path("interaction/", include("gongkai.workspace.interaction.urls")),
    path("oversight/", include("gongkai.workspace.oversight.urls")),
    path("subscriptions/", include("gongkai.workspace.subscriptions.urls")),
    *compliance_urlpatterns,
    path("", include("gongkai.workspace.catalog.urls")),
    path("", include("gongkai.workspace.opendata.urls")),
]
