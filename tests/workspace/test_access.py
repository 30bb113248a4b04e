"""Who can reach which back-office page: scoping by organisation, 404 for others' documents."""

import pytest
from django.urls import reverse

from gongkai.core.models import Role
from gongkai.core.services import membership_grant, organisation_create
from gongkai.documents import services
from gongkai.documents.models import Status

from ..conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["workspace:home", "workspace:document_list", "workspace:document_create",
                                  "workspace:interpretation_list", "workspace:audit_list", "workspace:password_change"])
def test_anonymous_visitor_is_sent_to_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response.url.startswith(reverse("workspace:login"))


def test_anonymous_visitor_cannot_open_a_document(client, draft):
    response = client.get(reverse("workspace:document_detail", args=[draft.pk]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("workspace:login"))


def test_member_of_the_public_without_a_role_is_refused(login, db):
    citizen = make_user("citizen")
    response = login(citizen).get(reverse("workspace:document_list"))
    assert response.status_code == 403
    assert "无权访问" in response.content.decode()


def test_editor_list_shows_own_drafts_but_not_another_organisations(login, editor, draft, other_draft):
    response = login(editor).get(reverse("workspace:document_list"))
    body = response.content.decode()
    assert draft.title in body
    assert other_draft.title not in body


def test_another_organisations_draft_is_404_on_every_page(login, editor, other_draft):
    client = login(editor)
    assert client.get(reverse("workspace:document_detail", args=[other_draft.pk])).status_code == 404
    assert client.get(reverse("workspace:document_edit", args=[other_draft.pk])).status_code == 404
    response = client.post(reverse("workspace:document_edit", args=[other_draft.pk]), {"title": "篡改"})
    assert response.status_code == 404
    for action in ["submit", "approve", "publish", "withdraw", "return", "repeal"]:
        response = client.post(reverse("workspace:document_action", args=[other_draft.pk, action]), {"reason": "x"})
        assert response.status_code == 404, action
    upload = client.post(reverse("workspace:document_attach", args=[other_draft.pk]), {})
    assert upload.status_code == 404
    other_draft.refresh_from_db()
    assert other_draft.title == "财政局内部草稿"
    assert other_draft.status == Status.DRAFT


def test_another_organisations_attachment_is_404(login, editor, other_draft, other_editor):
    from django.core.files.uploadedfile import SimpleUploadedFile

    attachment = services.attachment_add(document=other_draft, by=other_editor, name="内部.pdf",
                                         file=SimpleUploadedFile("内部.pdf", b"%PDF-1.4 secret"))
    assert login(editor).get(reverse("workspace:attachment_download", args=[attachment.pk])).status_code == 404
    own = login(other_editor).get(reverse("workspace:attachment_download", args=[attachment.pk]))
    assert own.status_code == 200
    assert b"".join(own.streaming_content) == b"%PDF-1.4 secret"


def test_office_admin_sees_documents_of_descendant_organisations(login, office_admin, draft, other_draft):
    body = login(office_admin).get(reverse("workspace:document_list")).content.decode()
    assert draft.title in body
    assert other_draft.title in body
    assert login(office_admin).get(reverse("workspace:document_detail", args=[other_draft.pk])).status_code == 200


def test_office_admin_of_a_department_does_not_see_the_parent_or_siblings(login, department, draft, other_draft):
    section = organisation_create(name="测试市教育局基础教育科", code="TEST00009", parent=department)
    dept_admin = make_user("dept_admin", department, Role.OFFICE_ADMIN)
    editor_of_section = make_user("section_editor", section, Role.EDITOR)
    section_doc = services.document_create(organisation=section, by=editor_of_section, title="科室草稿")
    body = login(dept_admin).get(reverse("workspace:document_list")).content.decode()
    assert draft.title in body and section_doc.title in body
    assert other_draft.title not in body


def test_organisation_filter_offers_only_visible_organisations(login, editor, department, other_department):
    body = login(editor).get(reverse("workspace:document_list")).content.decode()
    assert department.name in body
    assert other_department.name not in body


def test_interpretation_of_another_organisation_is_404(login, editor, other_draft, other_editor):
    interpretation = services.interpretation_create(documents=[other_draft], organisation=other_draft.organisation,
                                                    by=other_editor, title="财政局解读")
    client = login(editor)
    assert client.get(reverse("workspace:interpretation_detail", args=[interpretation.pk])).status_code == 404
    assert client.post(reverse("workspace:interpretation_action", args=[interpretation.pk, "publish"])).status_code == 404
    assert "财政局解读" not in client.get(reverse("workspace:interpretation_list")).content.decode()


def test_interpretation_cannot_be_linked_to_a_document_the_user_may_not_see(login, editor, department, other_draft):
    response = login(editor).post(reverse("workspace:interpretation_create"), {
        "organisation": department.pk, "title": "越权解读", "form": "text", "document_refs": other_draft.index_no,
    })
    assert response.status_code == 200
    assert "找不到索引号或发文字号" in response.content.decode()


def test_editor_with_roles_in_two_organisations_sees_both(login, editor, other_department, draft, other_draft):
    membership_grant(user=editor, organisation=other_department, role=Role.EDITOR)
    body = login(editor).get(reverse("workspace:document_list")).content.decode()
    assert draft.title in body and other_draft.title in body


def test_interpretation_by_another_organisation_of_a_visible_document_can_be_read_not_published(
        login, editor, draft, other_department, other_editor):
    interpretation = services.interpretation_create(documents=[draft], organisation=other_department,
                                                    by=other_editor, title="财政局对教育局文件的解读")
    client = login(editor)
    assert client.get(reverse("workspace:interpretation_detail", args=[interpretation.pk])).status_code == 200
    client.post(reverse("workspace:interpretation_action", args=[interpretation.pk, "publish"]))
    interpretation.refresh_from_db()
    assert interpretation.state == "draft"


def test_home_hides_create_buttons_from_users_who_cannot_draft(login, department):
    legal = make_user("legal", department, Role.LEGAL_REVIEWER)
    assert "新建文件" not in login(legal).get(reverse("workspace:home")).content.decode()
