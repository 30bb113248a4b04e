from django.urls import path

from . import views_compliance as views

urlpatterns = [
    path("compliance/", views.findings_overview, name="compliance_overview"),
    path("compliance/proofread/", views.proofread, name="compliance_proofread"),
    path("compliance/<int:organisation_id>/", views.findings_list, name="compliance_findings"),
    path("compliance/findings/<int:finding_id>/accept/", views.finding_accept, name="compliance_finding_accept"),
]
