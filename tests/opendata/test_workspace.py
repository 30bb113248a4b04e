"""The back-office pages of 数据开放: create, upload, privacy review, publish, access decisions."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from gongkai.opendata import services
from gongkai.opendata.models import AccessRequest, Dataset, PrivacyFinding


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_editor_creates_uploads_and_reviewer_masks_and_publishes(editor, reviewer, department):
    c = client_for(editor)
    assert "数据开放" in c.get("/workspace/").content.decode()
    response = c.post("/workspace/opendata/new/", {
        "name": "hotline", "title": "热线受理统计", "organisation": department.pk, "notes": "", "tags": "热线，统计",
        "licence_id": "gov-open-by", "frequency": "MONTHLY", "access_level": "open"})
    dataset = Dataset.objects.get(name="hotline")
    assert response.status_code == 302 and set(dataset.tags.values_list("name", flat=True)) == {"热线", "统计"}
    upload = SimpleUploadedFile("h.csv", "来电人,手机,次数\n王五,13812345678,3\n".encode())
    c.post(f"/workspace/opendata/{dataset.pk}/resources/", {"name": "受理表", "upload": upload})
    page = c.get(f"/workspace/opendata/{dataset.pk}/").content.decode()
    assert "手机号码" in page and "138****5678" in page and "13812345678" not in page
    r = client_for(reviewer)
    r.post(f"/workspace/opendata/{dataset.pk}/publish/")
    dataset.refresh_from_db()
    assert dataset.state == Dataset.State.DRAFT
    finding = PrivacyFinding.objects.get()
    r.post(f"/workspace/opendata/findings/{finding.pk}/mask/")
    r.post(f"/workspace/opendata/{dataset.pk}/publish/")
    dataset.refresh_from_db()
    assert dataset.state == Dataset.State.PUBLISHED


def test_other_organisations_datasets_are_404(published, other_editor):
    assert client_for(other_editor).get(f"/workspace/opendata/{published.pk}/").status_code == 404


def test_reviewer_decides_an_access_request(department, reviewer):
    dataset = services.dataset_create(by=None, organisation=department, name="c1", title="有条件",
                                      access_level="conditional", access_reason="科研")
    services.resource_create(by=None, dataset=dataset, name="表", upload=SimpleUploadedFile("a.csv", b"a,b\n1,2\n"))
    dataset = services.dataset_transition(by=None, dataset=dataset, action="publish")
    request = services.access_request_create(dataset=dataset, name="王五", organisation="", email="w@example.com",
                                             phone="", purpose="研究")
    c = client_for(reviewer)
    assert request.reference in c.get("/workspace/opendata/").content.decode()
    c.post(f"/workspace/opendata/requests/{request.pk}/", {"approve": "1", "note": ""})
    request.refresh_from_db()
    assert request.status == AccessRequest.Status.APPROVED and request.token
    assert "/shuju/shouquan/" in c.get(f"/workspace/opendata/{dataset.pk}/").content.decode()


def test_schema_descriptions_are_edited_and_raise_the_quality_score(published, editor):
    resource = published.resources.get()
    before = published.quality["score"]
    data = {f"description-{i}": f"说明{i}" for i in range(len(resource.schema))}
    client_for(editor).post(f"/workspace/opendata/resources/{resource.pk}/schema/", data)
    resource.refresh_from_db()
    published.refresh_from_db()
    assert [f["description"] for f in resource.schema] == [f"说明{i}" for i in range(4)]
    assert published.quality["score"] == before + 15
