"""Issue 17 item 4: an undated document shows no date and its 索引号 never carries the import day's year;
the national laws source numbers its documents GJFLFG-{year}-{seq} instead of NATIONAL/…"""

import datetime as dt
import importlib
import json

import pytest
import time_machine
from django.apps import apps as django_apps
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gongkai.core.models import Organisation
from gongkai.core.services import organisation_create
from gongkai.documents.demo import NATIONAL_INDEX_NO_PATTERN
from gongkai.documents.importers import documents_import
from gongkai.documents.importers.reader import RawLine
from gongkai.documents.models import Document

pytestmark = pytest.mark.django_db


@pytest.fixture
def national(db):
    return organisation_create(name="国家法律法规（外部来源）", code="NATIONAL", kind=Organisation.Kind.OTHER,
                               handles_applications=False, index_no_pattern=NATIONAL_INDEX_NO_PATTERN)


def _import(organisation, records):
    lines = [RawLine(n, r, "", len(json.dumps(r))) for n, r in enumerate(records, start=1)]
    return documents_import(lines=lines, fmt="canonical", organisation=organisation, source="test")


def test_index_number_year_comes_from_a_date_the_document_has(national):
    with time_machine.travel(dt.datetime(2026, 12, 3, 10, tzinfo=dt.UTC)):
        report = _import(national, [
            {"external_id": "a", "title": "某某条例", "status": "published", "written_on": "2019-04-03"},
            {"external_id": "b", "title": "某某规定", "status": "published", "effective_on": "2004-03-01"},
            {"external_id": "c", "title": "某某案例", "status": "published"},
        ])
    assert report.errors == [], report.errors
    numbers = {d.external_id: d.index_no for d in Document.objects.filter(organisation=national)}
    assert numbers == {"a": "GJFLFG-2019-00001", "b": "GJFLFG-2004-00001", "c": "GJFLFG-0000-00001"}
    assert not any("2026" in n for n in numbers.values())


def test_an_undated_document_shows_no_publication_date(national):
    _import(national, [{"external_id": "c", "title": "最低工资案例", "status": "published",
                        "body_text": "正文。"}])
    document = Document.objects.get(external_id="c")
    assert document.published_at is None
    page = Client().get(reverse("portal:document", kwargs={"index_no": document.index_no}))
    assert page.status_code == 200
    html = page.content.decode()
    assert "article:published_time" not in html
    assert '<dt>发布日期</dt><dd>—</dd>' in html


def test_migration_rebuilds_the_national_numbers(national):
    migration = importlib.import_module("gongkai.documents.migrations.0004_national_index_numbers")
    organisation = Organisation.objects.get(pk=national.pk)
    organisation.index_no_pattern = ""
    organisation.save()
    common = {"organisation": national, "title": "旧编号", "status": "published"}
    old = [
        Document.objects.create(index_no="NATIONAL/2026-00001", external_id="x1", **common,
                                published_at=timezone.make_aware(dt.datetime(2010, 5, 1))),
        Document.objects.create(index_no="NATIONAL/2026-00002", external_id="x2", **common),
        Document.objects.create(index_no="NATIONAL/2026-00003", external_id="x3", **common,
                                written_on=dt.date(2010, 1, 2)),
    ]
    migration.rebuild(django_apps, None)
    numbers = [Document.objects.get(pk=d.pk).index_no for d in old]
    assert numbers == ["GJFLFG-2010-00001", "GJFLFG-0000-00001", "GJFLFG-2010-00002"]
    assert Organisation.objects.get(pk=national.pk).index_no_pattern == NATIONAL_INDEX_NO_PATTERN
