import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from gongkai.api.services import api_key_create
from gongkai.opendata import services

CSV_TEXT = "区划代码,名称,人口（万人）,统计日期\n110000,北京市,2185,2024-12-31\n310000,上海市,2480,2024-12-31\n440000,广东省,12780,2024-12-31\n"


def csv_upload(text: str = CSV_TEXT, name: str = "regions.csv", encoding: str = "utf-8") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


@pytest.fixture
def editor_key(editor):
    return api_key_create(user=editor, name="test", by=None)[1]


@pytest.fixture
def reviewer_key(reviewer):
    return api_key_create(user=reviewer, name="test", by=None)[1]


@pytest.fixture
def published(department, reviewer):
    """A published open dataset with a CSV resource in the datastore."""
    dataset = services.dataset_create(by=None, organisation=department, name="regions-2024", title="行政区划人口统计",
                                      notes="各省级行政区的常住人口统计，数据来自统计年鉴，按年更新，供公众查询和再利用。" * 2,
                                      tags=["人口", "行政区划"], domains=["social"], frequency="ANNUAL")
    services.resource_create(by=None, dataset=dataset, name="人口表", upload=csv_upload())
    return services.dataset_transition(by=reviewer, dataset=dataset, action="publish")


def as_file(text: str, name: str = "data.csv", encoding: str = "utf-8"):
    stream = io.BytesIO(text.encode(encoding))
    stream.name = name
    return stream


@pytest.fixture(autouse=True)
def domains(request):
    """The domains the migration seeds (transactional tests flush migration data, so seed again)."""
    marker = request.node.get_closest_marker("django_db")
    transactional = "live_server" in request.fixturenames or bool(marker and marker.kwargs.get("transaction"))
    request.getfixturevalue("transactional_db" if transactional else "db")
    from gongkai.opendata.conf import DEFAULT_DOMAINS
    from gongkai.opendata.models import DataDomain

    for position, (name, title) in enumerate(DEFAULT_DOMAINS):
        DataDomain.objects.get_or_create(name=name, defaults={"title": title, "sort_order": position})
