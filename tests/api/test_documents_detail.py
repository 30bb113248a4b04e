import datetime as dt

import pytest
from django.core.files.base import ContentFile

from gongkai.documents import services

from .conftest import local

pytestmark = pytest.mark.django_db


def detail(api, document, **query):
    return api.get(f"/api/v1/documents/{document.pk}", query)


def test_detail_has_every_metadata_field_with_codes_and_chinese_labels(api, library):
    body = detail(api, library.notice).json()
    for name in ("index_no", "doc_number", "title", "written_on", "published_at", "effective_on", "repealed_on",
                 "subject_words", "summary", "consultation_department", "consultation_phone", "registration_no",
                 "source", "audiences", "life_stages", "body", "issuers", "organisation", "organisation_name"):
        assert name in body
    assert body["topic"] == "11.02" and body["topic_label"] == "科技、教育\\教育"
    assert body["genre"] == "notice" and body["genre_label"] == "通知"
    assert body["validity"] == "valid" and body["validity_label"] == "有效"
    assert body["status"] == "published" and body["status_label"] == "已发布"
    assert body["disclosure_attribute"] == "proactive" and body["disclosure_attribute_label"] == "主动公开"
    assert body["organisation"] == "TEST00002" and body["organisation_name"] == "测试市教育局"


def test_detail_shows_audiences_and_metadata_set_by_staff(api, department, editor):
    document = services.document_create(
        organisation=department, by=editor, title="关于学生资助的通知", audiences=["person"], life_stages=["上学"],
        subject_words="教育 资助", summary="资助对象和标准", consultation_department="学生资助中心",
        consultation_phone="0532-12345678", written_on=dt.date(2024, 3, 1), effective_on=dt.date(2024, 4, 1),
    )
    services.document_submit(document=document, by=editor)
    services.document_approve(document=document, by=None)
    services.document_publish(document=document, by=None)
    body = detail(api, document).json()
    assert body["audiences"] == [{"code": "person", "label": "个人"}]
    assert body["life_stages"] == ["上学"]
    assert body["written_on"] == "2024-03-01" and body["effective_on"] == "2024-04-01"
    assert body["consultation_phone"] == "0532-12345678"


def test_public_sees_public_lifecycle_events_with_the_repealing_document(api, library):
    body = detail(api, library.repealed).json()
    assert body["validity"] == "repealed" and body["validity_label"] == "已废止"
    assert body["repealed_on"] == "2024-01-01"
    assert [e["kind"] for e in body["events"]] == ["published", "repealed_by"]
    repeal = body["events"][1]
    assert repeal["label"] == "被废止"
    assert repeal["effective_on"] == "2024-01-01"
    assert repeal["reason"] == "已被新办法取代"
    assert repeal["related_document"]["id"] == library.joint.pk
    assert repeal["related_document"]["url"] == f"http://testserver/api/v1/documents/{library.joint.pk}"


def test_staff_of_the_organisation_see_the_whole_history(api, library, editor):
    api.force_authenticate(editor)
    kinds = [e["kind"] for e in detail(api, library.repealed).json()["events"]]
    assert kinds == ["drafted", "submitted", "approved", "published", "repealed_by"]


def test_interpretations_published_only_for_the_public(api, library, other_editor):
    draft = library.normative.interpretations.get()
    assert detail(api, library.normative).json()["interpretations"] == []
    api.force_authenticate(other_editor)
    staff_view = detail(api, library.normative).json()["interpretations"]
    assert [(i["id"], i["state"]) for i in staff_view] == [(draft.pk, "draft")]
    services.interpretation_publish(interpretation=draft, by=None, at=local(2025, 1, 2))
    api.force_authenticate(None)
    public_view = detail(api, library.normative).json()["interpretations"]
    assert public_view[0]["title"] == "《财政专项资金管理办法》解读"
    assert public_view[0]["form"] == "text" and public_view[0]["form_label"] == "文字解读"
    assert public_view[0]["organisation"] == "TEST00003"
    assert public_view[0]["published_at"] == "2025-01-02T10:00:00+08:00"


def test_attachments_have_name_size_type_and_url(api, library, editor):
    services.attachment_add(document=library.notice, by=editor, file=ContentFile(b"%PDF-1.4 test", name="x"),
                            name="附件1：名单.pdf", content_type="application/pdf")
    attachments = detail(api, library.notice).json()["attachments"]
    assert len(attachments) == 1
    attachment = attachments[0]
    assert attachment["name"] == "附件1：名单.pdf"
    assert attachment["size"] == 13
    assert attachment["type"] == "application/pdf"
    assert attachment["url"].startswith("http://testserver/media/attachments/")
    assert "名单" not in attachment["url"]


@pytest.mark.parametrize("name", ["draft", "other_draft", "withdrawn", "on_request", "not_disclosed"])
def test_non_public_document_is_404_for_the_public(api, library, name):
    response = detail(api, getattr(library, name))
    assert response.status_code == 404
    assert response.json()["error"]["message"] == "文件不存在，或您无权查看。"


def test_staff_see_own_drafts_but_another_organisations_are_404(api, library, editor):
    api.force_authenticate(editor)
    own = detail(api, library.draft)
    assert own.status_code == 200 and own.json()["status"] == "draft"
    assert detail(api, library.on_request).json()["disclosure_attribute_label"] == "依申请公开"
    assert detail(api, library.other_draft).status_code == 404
    assert detail(api, library.not_disclosed).status_code == 404


def test_unknown_id_is_404(api, db):
    assert api.get("/api/v1/documents/999999").status_code == 404


def test_lookup_by_index_no_with_its_slash(api, library):
    assert "/" in library.notice.index_no
    response = api.get(f"/api/v1/documents/by-index-no/{library.notice.index_no}")
    assert response.status_code == 200
    assert response.json()["id"] == library.notice.pk


def test_lookup_by_index_no_respects_visibility(api, library, editor, other_editor):
    url = f"/api/v1/documents/by-index-no/{library.draft.index_no}"
    assert api.get(url).status_code == 404
    api.force_authenticate(other_editor)
    assert api.get(url).status_code == 404
    api.force_authenticate(editor)
    assert api.get(url).json()["id"] == library.draft.pk


def test_unknown_index_no_is_404(api, library):
    assert api.get("/api/v1/documents/by-index-no/NOPE/2024-00001").status_code == 404


def test_detail_refuses_unknown_parameters(api, library):
    response = detail(api, library.notice, verbose="1")
    assert response.status_code == 400 and "verbose" in response.json()["error"]["message"]


def test_detail_query_count_is_bounded(api, library, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        assert detail(api, library.repealed).status_code == 200
