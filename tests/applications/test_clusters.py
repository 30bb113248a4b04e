"""Clusters of similar requests and the one-click proactive-disclosure draft (第四十四条)."""

import pytest
from django.core.exceptions import PermissionDenied

from gongkai.applications import clusters
from gongkai.documents.models import Document

from .conftest import APPLICANT, new_case

PEOPLE = [dict(APPLICANT, name=f"申请人{i}", id_number=n) for i, n in
          enumerate(["11010519491231002X", "110105198001010016"])]


@pytest.fixture
def requests(department, handler):
    texts = [
        ("请公开人民路片区国有土地上房屋征收补偿方案", PEOPLE[0], "2026-09-28"),
        ("申请公开人民路片区房屋征收补偿方案", PEOPLE[1], "2026-10-09"),
        ("请公开人民路片区房屋征收补偿安置方案", PEOPLE[1], "2026-10-12"),
        ("请公开2025年本局行政事业性收费项目清单", PEOPLE[0], "2026-10-12"),
        ("请公开2024年本局行政事业性收费项目清单", PEOPLE[0], "2025-06-02"),  # over 12 months ago
    ]
    return [new_case(department, handler, description=t, applicant=dict(p), received_on=d) for t, p, d in texts]


def test_similar_requests_of_the_last_12_months_form_a_cluster(requests, department):
    found = clusters.request_clusters(organisation_ids=[department.pk])
    assert len(found) == 1
    cluster = found[0]
    assert cluster.ids == sorted(a.pk for a in requests[:3])
    assert cluster.applicants == 2 and cluster.size == 3
    assert "人民路片区" in cluster.label and cluster.cohesion >= 0.6


def test_one_click_draft_for_proactive_publication(requests, department, office_admin):
    found = clusters.request_clusters(organisation_ids=[department.pk])
    document = clusters.cluster_draft_start(application_ids=found[0].ids, organisation=department, by=office_admin)
    document = Document.objects.get(pk=document.pk)
    assert document.status == "draft" and "人民路片区" in document.title
    assert "第四十四条" in document.body and "共收到3件申请" in document.body
    for person in PEOPLE:
        assert person["name"] not in document.body and person["id_number"] not in document.body


def test_only_drafting_roles_start_a_draft(requests, department, handler):
    found = clusters.request_clusters(organisation_ids=[department.pk])
    with pytest.raises(PermissionDenied):
        clusters.cluster_draft_start(application_ids=found[0].ids, organisation=department, by=handler)
