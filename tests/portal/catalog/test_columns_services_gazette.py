"""Public pages of the key-area columns, the service guides and the gazette."""

import datetime as dt

import pytest
from django.urls import reverse

from gongkai.catalog import services
from tests.documents.factories import published_document

pytestmark = pytest.mark.django_db

GUIDE = dict(
    name="个体工商户设立登记", kind="行政许可", basis_text="《促进个体工商户发展条例》第八条", conditions="有经营能力的公民",
    materials=[{"name": "登记申请书", "form": "原件", "copies": "1", "sample": "经营者签字"}], location="政务服务中心一楼",
    hours="工作日 9:00-17:00", phone="0571-12345678", process=["申请", "受理", "核准", "领照"], legal_limit="3个工作日",
    promised_limit="1个工作日", fee="不收费", consult="0571-12345678", complaint="12345热线", audiences=["legal_person"],
    life_stages=["开办"])


def test_key_area_columns_pages(client, government, department, editor):
    services.key_area_columns_seed(organisation=government)
    doc = published_document(organisation=department, by=editor, title="测试市教育局2026年部门预算", genre="report")
    html = client.get(reverse("portal:key_area_columns", kwargs={"code": government.code})).content.decode()
    assert "财政预决算" in html and "土地征收" in html and doc.title in html
    r = client.get(reverse("portal:key_area_column", kwargs={"code": government.code, "slug": "yujuesuan"}))
    assert r.status_code == 200 and doc.title in r.content.decode()
    # The 公开专栏 navigation links the columns.
    column_page = client.get(reverse("portal:column", kwargs={"code": government.code})).content.decode()
    assert reverse("portal:key_area_columns", kwargs={"code": government.code}) in column_page
    assert client.get(reverse("portal:key_area_column", kwargs={"code": government.code, "slug": "nope"})).status_code == 404


def test_service_guide_pages_by_department_stage_and_audience(client, department, other_department):
    item = services.service_item_publish(item=services.service_item_save(organisation=department, code="SC-1", **GUIDE))
    draft = services.service_item_save(organisation=other_department, code="X-1", name="未完成的指南")
    html = client.get(reverse("portal:services")).content.decode()
    assert item.name in html and draft.name not in html
    for query in ({"jd": "开办"}, {"dx": "legal_person"}, {"org": department.code}):
        assert item.name in client.get(reverse("portal:services"), query).content.decode(), query
    for query in ({"jd": "上学"}, {"dx": "person"}, {"org": other_department.code}):
        assert item.name not in client.get(reverse("portal:services"), query).content.decode(), query
    page = client.get(reverse("portal:service", kwargs={"code": "SC-1"})).content.decode()
    for text in ("设定依据", "《促进个体工商户发展条例》第八条", "登记申请书", "经营者签字", "政务服务中心一楼", "核准", "1个工作日",
                 "不收费", "12345热线", "打印本页"):
        assert text in page, text
    assert client.get(reverse("portal:service", kwargs={"code": "X-1"})).status_code == 404
    package = services.service_package_save(organisation=department, slug="kaiban", name="开办企业一件事",
                                            audience="legal_person", life_stage="开办", items=[item])
    assert "开办企业一件事" in client.get(reverse("portal:services")).content.decode()
    assert item.name in client.get(reverse("portal:service_package", kwargs={"slug": package.slug})).content.decode()
    assert reverse("portal:services") in client.get(reverse("portal:home")).content.decode()  # in the main navigation


def test_gazette_archive_issue_pdf_search_and_document_link(client, government, department, editor, settings, tmp_path,
                                                             committed):
    settings.MEDIA_ROOT = tmp_path
    a = committed(published_document, organisation=department, by=editor, title="关于推进政务公开标准化规范化工作的通知",
                  body="<p>各区政府：现就推进政务公开标准化规范化工作通知如下。</p>")
    other = committed(published_document, organisation=department, by=editor, title="关于政务公开培训的通知")
    issue = services.gazette_issue_create(organisation=government, year=2026, number=4, published_on=dt.date(2026, 4, 30),
                                          total_number=88)
    services.gazette_issue_set_articles(issue=issue, articles=[(a, "部门文件")])
    services.gazette_issue_publish(issue=issue)
    archive = client.get(reverse("portal:gazette")).content.decode()
    assert "2026年第4期（总第88期）" in archive
    page = client.get(reverse("portal:gazette_issue", kwargs={"year": 2026, "number": 4})).content.decode()
    issue.refresh_from_db()
    page_no = issue.articles.get().page
    assert a.title in page and f"第 {page_no} 页" in page and f"#page={page_no}" in page
    pdf = client.get(reverse("portal:gazette_pdf", kwargs={"year": 2026, "number": 4}))
    assert pdf["Content-Type"] == "application/pdf" and b"".join(pdf.streaming_content).startswith(b"%PDF")
    # The document's page links back to the issue.
    doc_page = client.get(reverse("portal:document", kwargs={"index_no": a.index_no})).content.decode()
    assert reverse("portal:gazette_issue", kwargs={"year": 2026, "number": 4}) in doc_page
    # Search restricted to the gazette: the other 政务公开 document is not found.
    found = client.get(reverse("portal:gazette_search"), {"q": "政务公开"}).content.decode()
    assert a.title in found and other.title not in found
    assert client.get(reverse("portal:gazette_issue", kwargs={"year": 2026, "number": 5})).status_code == 404


def test_new_pages_are_in_the_sitemap(client, government, department):
    services_map = client.get("/sitemap-services.xml").content.decode()
    assert "/banshi/</loc>" in services_map and "/gongbao/</loc>" in client.get("/sitemap-gazette.xml").content.decode()
    columns = client.get("/sitemap-columns.xml").content.decode()
    assert f"/gongkai/{government.code}/zhuanlan/" in columns and f"/gongkai/{government.code}/mulu/" in columns


def test_published_guides_packages_and_gazette_issues_are_in_the_sitemap_and_drafts_are_not(client, government,
                                                                                            department, editor,
                                                                                            settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    document = published_document(organisation=department, by=editor, title="关于推进政务公开标准化规范化工作的通知")
    item = services.service_item_publish(item=services.service_item_save(organisation=department, code="SC-1", **GUIDE))
    services.service_item_save(organisation=department, code="X-1", name="未完成的指南")
    services.service_package_save(organisation=department, slug="kaiban", name="开办企业一件事", audience="legal_person",
                                  life_stage="开办", items=[item])
    issue = services.gazette_issue_create(organisation=government, year=2026, number=4,
                                          published_on=dt.date(2026, 4, 30), total_number=88)
    services.gazette_issue_set_articles(issue=issue, articles=[(document, "部门文件")])
    services.gazette_issue_publish(issue=issue)
    services.gazette_issue_create(organisation=government, year=2026, number=5, published_on=dt.date(2026, 5, 31),
                                  total_number=89)
    services_map = client.get("/sitemap-services.xml").content.decode()
    assert reverse("portal:service", kwargs={"code": "SC-1"}) in services_map
    assert reverse("portal:service", kwargs={"code": "X-1"}) not in services_map
    assert reverse("portal:service_package", kwargs={"slug": "kaiban"}) in services_map
    gazette = client.get("/sitemap-gazette.xml").content.decode()
    assert reverse("portal:gazette_issue", kwargs={"year": 2026, "number": 4}) in gazette
    assert reverse("portal:gazette_pdf", kwargs={"year": 2026, "number": 4}) in gazette
    assert "<lastmod>2026-04-30</lastmod>" in gazette
    assert reverse("portal:gazette_issue", kwargs={"year": 2026, "number": 5}) not in gazette
