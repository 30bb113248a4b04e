"""Public pages of 数据开放 and the DCAT-AP catalogue, parsed back with rdflib."""

import json

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF

from gongkai.opendata import services
from gongkai.opendata.models import AccessRequest, Dataset

from .conftest import csv_upload


@pytest.mark.parametrize("fmt,parser", [("jsonld", "json-ld"), ("ttl", "turtle"), ("rdf", "xml")])
def test_catalog_round_trips_through_rdflib(client, published, fmt, parser):
    response = client.get(f"/catalog.{fmt}")
    assert response.status_code == 200
    g = Graph().parse(data=response.content.decode(), format=parser)
    datasets = list(g.subjects(RDF.type, DCAT.Dataset))
    assert len(datasets) == 1
    node = datasets[0]
    assert str(g.value(node, DCTERMS.title)) == "行政区划人口统计"
    assert str(g.value(node, DCTERMS.accrualPeriodicity)).endswith("/frequency/ANNUAL")
    assert {str(k) for k in g.objects(node, DCAT.keyword)} == {"人口", "行政区划"}
    distribution = g.value(node, DCAT.distribution)
    assert str(g.value(distribution, DCTERMS.format)) == "CSV"
    assert "/shuju/ziyuan/" in str(g.value(distribution, DCAT.downloadURL))
    catalog = next(g.subjects(RDF.type, DCAT.Catalog))
    assert (catalog, DCAT.dataset, node) in g


def test_dataset_dcat_and_paging(client, published):
    g = Graph().parse(data=client.get("/shuju/regions-2024.ttl").content.decode(), format="turtle")
    assert (URIRef("http://testserver/shuju/regions-2024/"), RDF.type, DCAT.Dataset) in g
    assert client.get("/catalog.jsonld?page=9").status_code == 404
    assert client.get("/catalog.xml").status_code == 404


def test_list_page_with_facets_and_chinese_query(client, published):
    page = client.get("/shuju/", {"q": "人口"}).content.decode()
    assert "行政区划人口统计" in page and "共 1 个数据集" in page
    assert "tags=%E4%BA%BA%E5%8F%A3" in page  # a facet link for the tag 人口
    assert "共 0 个数据集" in client.get("/shuju/", {"q": "财政"}).content.decode()
    assert "共 1 个数据集" in client.get("/shuju/", {"groups": "social"}).content.decode()


def test_dataset_page_preview_chart_download_count(client, published):
    page = client.get("/shuju/regions-2024/").content.decode()
    assert "数据预览" in page and "广东省" in page
    # The chart: one bar per row, as wide as its value (the largest 100), drawn without an inline style
    # (the site's CSP allows none, so a style attribute would leave every bar at zero width).
    chart = page[page.index('class="bar-chart"'):page.index("</figure>")]
    assert chart.count("<rect ") == 3 and "人口（万人）（按名称）" in page  # not the numeric 区划代码 column
    assert chart.index("广东省") < chart.index('width="100.0"') < chart.index("12780")
    assert " style=" not in page
    assert "datastore_search?resource_id=" in page
    resource = published.resources.get()
    response = client.get(f"/shuju/ziyuan/{resource.pk}/v1/")
    assert response.status_code == 200
    published.refresh_from_db()
    assert published.download_count == 1


def test_elderly_mode_and_phone_viewport(client, published):
    client.get("/laonian/?mode=on&next=/shuju/")
    page = client.get("/shuju/regions-2024/").content.decode()
    assert 'class="elderly"' in page and 'name="viewport"' in page


def test_conditional_access_request_and_time_limited_link(client, department, reviewer):
    dataset = services.dataset_create(by=None, organisation=department, name="firms", title="企业名录",
                                      access_level="conditional", access_reason="仅供科研使用，须签订使用协议")
    resource = services.resource_create(by=None, dataset=dataset, name="名录", upload=csv_upload("企业,行业\n甲,制造\n"))
    services.dataset_transition(by=reviewer, dataset=dataset, action="publish")
    assert client.get(f"/shuju/ziyuan/{resource.pk}/v1/").status_code == 403
    response = client.post("/shuju/firms/shenqing/", {"name": "王五", "email": "w@example.com", "purpose": "研究"})
    assert "申请已提交" in response.content.decode()
    request = AccessRequest.objects.get()
    assert request.applicant["name"] == "王五"
    services.access_request_decide(by=reviewer, request=request, approve=True)
    request.refresh_from_db()
    assert client.get(f"/shuju/shouquan/{request.token}/{resource.pk}/").status_code == 200
    assert client.get(f"/shuju/shouquan/wrong/{resource.pk}/").status_code == 404


def test_atom_feed_lists_published_datasets(client, published, department):
    services.dataset_create(by=None, organisation=department, name="draft-one", title="草稿")
    feed = client.get("/shuju/feed.atom").content.decode()
    assert "行政区划人口统计" in feed and "草稿" not in feed


def test_withdrawn_dataset_page_says_why(client, published, reviewer):
    services.dataset_transition(by=reviewer, dataset=published, action="withdraw", reason="口径调整")
    page = client.get("/shuju/regions-2024/").content.decode()
    assert "已于" in page and "口径调整" in page
    assert Dataset.objects.filter(name="regions-2024").exists()
    assert json.loads(client.get("/api/3/action/package_list").content)["result"] == []
