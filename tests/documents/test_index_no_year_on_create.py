"""Issue 23 item 6: a document created by hand gets a 索引号 with the year of its own date (成文日期, else
生效日期), not today's year; a draft without any date still falls back to today."""

import datetime as dt

import pytest
import time_machine

from gongkai.core.models import Organisation
from gongkai.core.services import organisation_create
from gongkai.documents.services import document_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(db):
    return organisation_create(name="某县人民政府办公室", code="XBGS", kind=Organisation.Kind.OTHER,
                               handles_applications=False, index_no_pattern="{code}-{year}-{seq:05d}")


def test_index_number_carries_the_documents_year_not_todays(office):
    with time_machine.travel(dt.datetime(2027, 1, 4, 10, tzinfo=dt.UTC)):
        written = document_create(organisation=office, by=None, title="关于年终工作的通知", written_on=dt.date(2026, 12, 28))
        effective = document_create(organisation=office, by=None, title="某某办法", effective_on=dt.date(2025, 6, 1))
        undated = document_create(organisation=office, by=None, title="无日期草稿")
    assert written.index_no == "XBGS-2026-00001"
    assert effective.index_no == "XBGS-2025-00001"
    assert undated.index_no == "XBGS-2027-00001"
