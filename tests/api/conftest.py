"""A small library built through the document services, as staff would build it."""

import datetime as dt
from types import SimpleNamespace

import pytest
import time_machine
from django.utils import timezone
from rest_framework.test import APIClient

from gongkai.core.services import organisation_create
from gongkai.documents import services
from gongkai.documents.models import DisclosureAttribute, Genre, Topic
from gongkai.documents.services import IssuerInput
from tests.documents.factories import published_document


def local(year, month, day, hour=10, minute=0) -> dt.datetime:
    return timezone.make_aware(dt.datetime(year, month, day, hour, minute))


def published_on(*, at: dt.datetime, **fields):
    """Draft, review and publish on `at`, so every lifecycle event carries that date, as it did in reality."""
    with time_machine.travel(at, tick=False):
        return published_document(at=at, **fields)


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def office(department):
    """A subordinate office of the education bureau (for include_descendants)."""
    return organisation_create(name="测试市教育局招生办公室", short_name="招生办", code="TEST00004", parent=department)


@pytest.fixture
def library(department, other_department, office, editor, other_editor):
    topic = {code: Topic.objects.get(code=code) for code in ("04", "04.01", "11", "11.02")}
    lib = SimpleNamespace()
    lib.notice = published_on(
        organisation=department, by=editor, title="关于加强中小学教育工作的通知", genre=Genre.NOTICE,
        topic=topic["11.02"], doc_number="测教发〔2023〕5号", at=local(2023, 3, 10),
    )
    lib.joint = published_on(
        organisation=department, by=editor, title="关于促进高校毕业生就业的意见", genre=Genre.OPINION,
        topic=topic["11"], at=local(2024, 6, 1),
        issuers=[IssuerInput(organisation=department), IssuerInput(name="测试市人力资源和社会保障局")],
    )
    # Published at 00:30 on 1 January 2025 Beijing time, which is still 2024 in UTC.
    lib.normative = published_on(
        organisation=other_department, by=other_editor, title="财政专项资金管理办法", genre=Genre.NORMATIVE,
        topic=topic["04.01"], doc_number="测财规〔2024〕1号", at=local(2025, 1, 1, 0, 30),
    )
    lib.office_doc = published_on(
        organisation=office, by=None, title="招生工作实施细则", genre=Genre.NOTICE, at=local(2022, 5, 20),
    )
    lib.repealed = published_on(
        organisation=department, by=editor, title="旧的教育收费办法", genre=Genre.NOTICE, topic=topic["11.02"],
        at=local(2021, 1, 5),
    )
    services.document_repeal(document=lib.repealed, by=None, effective_on=dt.date(2024, 1, 1), reason="已被新办法取代",
                             repealed_by=lib.joint)
    lib.repealed.refresh_from_db()
    lib.draft = services.document_create(organisation=department, by=editor, title="教育局草稿")
    lib.other_draft = services.document_create(organisation=other_department, by=other_editor, title="财政局草稿")
    lib.withdrawn = published_on(organisation=department, by=editor, title="已撤回的通知", at=local(2023, 8, 1))
    services.document_withdraw(document=lib.withdrawn, by=None, reason="内容有误")
    lib.on_request = services.document_create(
        organisation=department, by=editor, title="依申请公开的文件",
        disclosure_attribute=DisclosureAttribute.ON_REQUEST, disclosure_reason="涉及第三方权益",
    )
    services.document_submit(document=lib.on_request, by=None)
    services.document_approve(document=lib.on_request, by=None)
    lib.not_disclosed = services.document_create(
        organisation=other_department, by=other_editor, title="不予公开的文件",
        disclosure_attribute=DisclosureAttribute.NOT_DISCLOSED, disclosure_reason="国家秘密",
    )
    lib.public = [lib.normative, lib.joint, lib.notice, lib.office_doc, lib.repealed]  # newest first
    return lib


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]
