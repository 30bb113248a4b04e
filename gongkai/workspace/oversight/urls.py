from django.urls import path

from . import views

urlpatterns = [
    path("", views.dashboard, name="oversight_dashboard"),
    path("agency/<int:pk>/", views.agency, name="oversight_agency"),
    path("agency/<int:pk>/<slug:code>/", views.items, name="oversight_items"),
    path("export.<str:fmt>", views.export, name="oversight_export"),
    path("results/", views.store, name="oversight_store"),
    path("results/<int:pk>/", views.result, name="oversight_result"),
    path("scheme/", views.scheme_edit, name="oversight_scheme"),
    path("plans/", views.plan_list, name="oversight_plans"),
    path("plans/<int:pk>/", views.plan_detail, name="oversight_plan"),
    path("plans/<int:pk>/draft/", views.plan_draft, name="oversight_plan_draft"),
    path("tasks/<int:pk>/report/", views.task_report, name="oversight_task_report"),
    path("tasks/<int:pk>/milestones/", views.task_milestone, name="oversight_task_milestone"),
    path("tasks/<int:pk>/milestones/<int:index>/done/", views.task_milestone_done, name="oversight_task_milestone_done"),
    path("rectification/", views.rectification_list, name="oversight_rectifications"),
    path("rectification/import/", views.rectification_import, name="oversight_rectification_import"),
    path("rectification/content-checks/", views.rectification_feed, name="oversight_rectification_feed"),
    path("rectification/<int:pk>/", views.rectification_detail, name="oversight_rectification"),
    path("incidents/", views.incident_list, name="oversight_incidents"),
    path("incidents/<int:pk>/", views.incident_detail, name="oversight_incident"),
    path("conferences/", views.conference_list, name="oversight_conferences"),
    path("conferences/<int:pk>/transcript/", views.conference_transcript, name="oversight_conference_transcript"),
    path("usage/", views.usage, name="oversight_usage"),
]
