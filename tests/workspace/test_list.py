"""The document list's filters and pagination, within what the user may see."""

import datetime as dt

import pytest
from django.urls import reverse

from gongkai.documents import services
from gongkai.documents.models import Topic

from ..documents.factories import published_document

pytestmark = pytest.mark.django_db


def titles(client, **params) -> list[str]:
    response = client.get(reverse("workspace:document_list"), params)
    assert response.status_code == 200
    return [d.title for d in response.context["page"].object_list]


@pytest.fixture
def docs(department, editor, reviewer):
    education = Topic.objects.get(name="教育", parent__isnull=False)
    finance = Topic.objects.get(name="财政", parent__isnull=False)
    a = services.document_create(organisation=department, by=editor, title="招生通知", doc_number="测教发〔2026〕5号",
                                 topic=education, written_on=dt.date(2025, 6, 1))
    b = published_document(organisation=department, by=editor, reviewer=reviewer, title="经费办法", topic=finance,
                           genre="normative", written_on=dt.date(2024, 3, 1))
    return a, b


def test_list_filters_by_text_status_genre_topic_and_year(login, editor, docs):
    client = login(editor)
    assert titles(client, q="招生") == ["招生通知"]
    assert titles(client, q="〔2026〕5号") == ["招生通知"]
    assert titles(client, q=docs[1].index_no) == ["经费办法"]
    assert titles(client, status="published") == ["经费办法"]
    assert titles(client, validity="valid", genre="normative") == ["经费办法"]
    parent = Topic.objects.get(name="科技、教育")
    assert titles(client, topic=parent.pk) == ["招生通知"]  # a top-level category includes its sub-categories
    assert titles(client, year=2025) == ["招生通知"]


def test_list_is_sorted_by_last_update(login, editor, docs):
    services.document_update(document=docs[0], by=editor, summary="更新")
    assert titles(login(editor)) == ["招生通知", "经费办法"]
    services.document_update(document=docs[1], by=editor, summary="更正", reason="补充概述")
    assert titles(login(editor)) == ["经费办法", "招生通知"]


def test_list_filter_by_an_invisible_organisation_is_rejected(login, editor, docs, other_department):
    response = login(editor).get(reverse("workspace:document_list"), {"organisation": other_department.pk})
    assert response.context["form"].errors["organisation"]


def test_list_pages_through_the_documents(login, department, editor):
    for n in range(23):
        services.document_create(organisation=department, by=editor, title=f"文件{n:02d}")
    client = login(editor)
    first = client.get(reverse("workspace:document_list"))
    assert len(first.context["page"].object_list) == 20
    second = client.get(reverse("workspace:document_list"), {"page": 2})
    assert len(second.context["page"].object_list) == 3
    assert "第 2 / 2 页" in second.content.decode()


def test_a_lifecycle_step_moves_the_document_to_the_top(login, editor, docs):
    services.document_update(document=docs[1], by=editor, summary="更正", reason="补充概述")
    assert titles(login(editor))[0] == "经费办法"
    services.document_submit(document=docs[0], by=editor)
    assert titles(login(editor))[0] == "招生通知"
