"""The public catalogue pages: headings, one heading's entries, the XLSX download, the change history, the guide."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from gongkai.documents.models import Topic
from gongkai.documents.services import document_withdraw
from tests.documents.factories import published_document

pytestmark = pytest.mark.django_db


@pytest.fixture
def docs(department, editor):
    edu = Topic.objects.get(name="教育")
    return [published_document(organisation=department, by=editor, title=f"关于招生工作的通知{n}", topic=edu,
                               summary=f"概述{n}") for n in range(3)] + [
        published_document(organisation=department, by=editor, title="年度工作报告", genre="report")]


def test_catalogue_page_lists_headings_and_entries(client, docs, department):
    r = client.get(reverse("portal:catalogue", kwargs={"code": department.code}))
    html = r.content.decode()
    assert r.status_code == 200
    assert "科技、教育 / 通知" in html and "未分类 / 报告" in html and "共 4 条" in html
    assert "关于招生工作的通知0" in html and "年度工作报告" not in html
    r = client.get(reverse("portal:catalogue", kwargs={"code": department.code}), {"h": "未分类 / 报告"})
    assert "年度工作报告" in r.content.decode() and "关于招生工作的通知0" not in r.content.decode()


def test_catalogue_in_the_column_navigation(client, docs, department):
    r = client.get(reverse("portal:column", kwargs={"code": department.code}))
    assert reverse("portal:catalogue", kwargs={"code": department.code}) in r.content.decode()


def test_xlsx_download(client, docs, department):
    r = client.get(reverse("portal:catalogue_export", kwargs={"code": department.code}))
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(io.BytesIO(b"".join(r.streaming_content)), read_only=True)
    titles = [row[2] for row in wb.active.iter_rows(min_row=3, values_only=True)]
    assert sorted(titles) == sorted(d.title for d in docs)


def test_change_history_page(client, docs, department):
    document_withdraw(document=docs[3], by=None, reason="误发")
    html = client.get(reverse("portal:catalogue_changes", kwargs={"code": department.code})).content.decode()
    assert "年度工作报告" in html and "移出目录" in html


def test_guide_states_the_channels_and_fees_the_platform_applies(client, department):
    html = client.get(reverse("portal:column_guide", kwargs={"code": department.code})).content.decode()
    assert "网上申请" in html and "按件计收" in html and "政府信息公开目录" in html


def test_unknown_organisation_is_404(client, db):
    assert client.get(reverse("portal:catalogue", kwargs={"code": "NOPE"})).status_code == 404


def test_elderly_mode_renders(client, docs, department):
    client.cookies["gk_elderly"] = "1"
    html = client.get(reverse("portal:catalogue", kwargs={"code": department.code})).content.decode()
    assert 'class="elderly"' in html and "退出老年模式" in html


def test_pdf_download(client, docs, department):
    r = client.get(reverse("portal:catalogue_export_pdf", kwargs={"code": department.code}))
    body = b"".join(r.streaming_content)
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf" and body.startswith(b"%PDF")
