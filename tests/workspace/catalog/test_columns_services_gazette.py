"""Staff pages of the key-area columns, the service guides (editing, the completeness check, publication) and the
gazette (issue, contents from the library, publication)."""

import datetime as dt

import pytest
from django.urls import reverse

from gongkai.catalog.models import GazetteIssue, KeyAreaColumn, ServiceItem
from tests.documents.factories import published_document

pytestmark = pytest.mark.django_db


def test_columns_state_seed_and_edit(client, office_admin, editor, government):
    client.force_login(office_admin)
    assert client.post(reverse("workspace:catalog_columns_seed", kwargs={"pk": government.pk})).status_code == 302
    html = client.get(reverse("workspace:catalog_columns")).content.decode()
    assert "财政预决算" in html and "栏目为空" in html and "12 个空白栏目" in html  # ≥5 empty columns: a single-item fail
    column = KeyAreaColumn.objects.get(organisation=government, slug="jiuye")
    r = client.post(reverse("workspace:catalog_column_edit", kwargs={"pk": column.pk}), {
        "name": "就业创业", "freshness": "news", "keywords": "就业、创业、招聘", "required": "", "stages": "[{\"name\": 1}]",
        "include_descendants": "on", "active": "on"})
    assert r.status_code == 200 and "关键词" in r.content.decode()  # a stage without keywords is refused
    r = client.post(reverse("workspace:catalog_column_edit", kwargs={"pk": column.pk}), {
        "name": "就业创业", "freshness": "news", "keywords": "就业、创业、招聘", "include_descendants": "on", "active": "on"})
    assert r.status_code == 302
    column.refresh_from_db()
    assert (column.name, column.keywords, column.freshness) == ("就业创业", ["就业", "创业", "招聘"], "news")
    client.force_login(editor)  # an editor sees states but cannot change columns
    assert client.get(reverse("workspace:catalog_column_edit", kwargs={"pk": column.pk})).status_code == 404


FORM = {"code": "JY-9", "name": "学生资助申请", "kind": "行政给付", "basis_text": "《学生资助资金管理办法》",
        "conditions": "家庭经济困难学生", "materials": "资助申请表|原件|1|学校领取|填写家庭情况\n户口簿|复印件|1||",
        "location": "就读学校学生资助中心", "hours": "工作日 8:30-17:00", "phone": "0571-88888888",
        "process": "学生申请\n学校评审\n公示\n发放", "legal_limit": "", "promised_limit": "20个工作日", "fee": "不收费",
        "consult": "0571-88888888", "complaint": "12345热线", "audiences": ["person"], "life_stages": ["上学"]}


def test_service_guide_edit_check_and_publish(client, editor, department):
    client.force_login(editor)
    data = {**FORM, "organisation": department.pk, "location": "", "complaint": ""}
    r = client.post(reverse("workspace:catalog_service_new"), data)
    item = ServiceItem.objects.get(code="JY-9")
    assert r.status_code == 302 and item.materials[0] == {"name": "资助申请表", "form": "原件", "copies": "1",
                                                           "source": "学校领取", "sample": "填写家庭情况"}
    page = client.get(reverse("workspace:catalog_service_edit", kwargs={"pk": item.pk})).content.decode()
    assert "缺少：办理地点、投诉方式" in page
    r = client.post(reverse("workspace:catalog_service_publish", kwargs={"pk": item.pk}), follow=True)
    assert "不能发布" in r.content.decode()
    item.refresh_from_db()
    assert item.state == "draft"
    client.post(reverse("workspace:catalog_service_edit", kwargs={"pk": item.pk}), {**FORM, "organisation": department.pk})
    client.post(reverse("workspace:catalog_service_publish", kwargs={"pk": item.pk}))
    item.refresh_from_db()
    assert item.state == "published"
    listing = client.get(reverse("workspace:catalog_services")).content.decode()
    assert "学生资助申请" in listing and "齐全" in listing
    assert reverse("workspace:catalog_services") in client.get(reverse("workspace:home")).content.decode()


def test_service_guide_basis_must_be_library_documents(client, editor, department):
    client.force_login(editor)
    r = client.post(reverse("workspace:catalog_service_new"), {**FORM, "organisation": department.pk,
                                                               "basis_index_nos": "NOPE/2026-1"})
    assert r.status_code == 200 and "NOPE/2026-1" in r.content.decode() and not ServiceItem.objects.exists()


def test_gazette_issue_contents_and_publication(client, office_admin, government, department, editor, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    doc = published_document(organisation=department, by=editor, title="关于做好防汛工作的通知", body="<p>各单位：做好防汛工作。</p>")
    client.force_login(office_admin)
    r = client.post(reverse("workspace:catalog_gazette"), {"year": 2026, "number": 1, "total_number": 60,
                                                           "published_on": "2026-01-31"})
    issue = GazetteIssue.objects.get()
    assert r.status_code == 302 and issue.total_number == 60
    r = client.post(reverse("workspace:catalog_gazette_edit", kwargs={"pk": issue.pk}), {"contents": "部门文件|NOPE"})
    assert "NOPE" in r.content.decode()
    client.post(reverse("workspace:catalog_gazette_edit", kwargs={"pk": issue.pk}), {"contents": f"部门文件|{doc.index_no}"})
    assert issue.articles.get().document == doc
    client.post(reverse("workspace:catalog_gazette_publish", kwargs={"pk": issue.pk}))
    issue.refresh_from_db()
    assert issue.state == "published" and issue.pages >= 3 and issue.articles.get().page == 3
    # Next issue continues the 总期号.
    client.post(reverse("workspace:catalog_gazette"), {"year": 2026, "number": 2, "published_on": "2026-02-28"})
    assert GazetteIssue.objects.get(number=2).total_number == 61


def test_gazette_is_for_office_admins(client, editor):
    client.force_login(editor)
    html = client.get(reverse("workspace:catalog_gazette")).content.decode()
    assert "只有政务公开办管理员" in html
    assert client.post(reverse("workspace:catalog_gazette"), {"year": 2026, "number": 1, "published_on": dt.date(2026, 1, 1)}).status_code == 200
    assert not GazetteIssue.objects.exists()


def test_office_admin_adapts_an_item_assigns_owner_and_links_content(client, office_admin, government, department, editor):
    from gongkai.catalog import services as catalog_services  # noqa: PLC0415
    from gongkai.catalog.models import AdoptedItem  # noqa: PLC0415

    catalog_services.standard_catalogue_load()
    catalog_services.standard_catalogue_adopt(organisation=government, level="县级")
    item = AdoptedItem.objects.filter(organisation=government, domain="义务教育").first()
    doc = published_document(organisation=department, by=editor, title="2026年小学招生工作方案")
    client.force_login(office_admin)
    assert reverse("workspace:catalog_item_edit", kwargs={"pk": item.pk}) in client.get(reverse("workspace:catalog_overview")).content.decode()
    data = {"level1": item.level1, "level2": "小学招生政策", "owner": department.pk, "time_limit_working_days": 15,
            "changed_on": "", "index_nos": doc.index_no, "active": "on"}
    assert client.post(reverse("workspace:catalog_item_edit", kwargs={"pk": item.pk}), {**data, "index_nos": "NOPE"}).status_code == 200
    assert client.post(reverse("workspace:catalog_item_edit", kwargs={"pk": item.pk}), data).status_code == 302
    item.refresh_from_db()
    assert (item.level2, item.owner, item.time_limit_working_days, list(item.documents.all())) == ("小学招生政策", department, 15, [doc])
    client.force_login(editor)
    assert client.get(reverse("workspace:catalog_item_edit", kwargs={"pk": item.pk})).status_code == 404
