"""The library's life through the pages: create, submit, approve, publish, repeal, with the right roles."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from gongkai.core.models import AuditEvent, Role
from gongkai.documents import services
from gongkai.documents.models import Document, Interpretation, LifecycleEvent, Status, Topic, Validity

from ..conftest import make_user
from ..documents.factories import published_document, review_for_publication
from .conftest import messages_of

pytestmark = pytest.mark.django_db


def document_form(department, **overrides):
    topic = Topic.objects.get(name="教育", parent__isnull=False)
    data = {
        "organisation": department.pk, "title": "关于做好2026年义务教育招生入学工作的通知",
        "doc_number": "测教发〔2026〕12号", "genre": "notice", "topic": topic.pk,
        "issuer_organisations": [department.pk], "external_issuers": "测试市公安局外部协作单位",
        "written_on": "2026-03-02", "effective_on": "", "expires_on": "",
        "audiences": ["person"], "life_stages": ["上学"], "subject_words": "教育 招生",
        "summary": "明确招生范围和时间。", "consultation_department": "基础教育科", "consultation_phone": "0000-1234567",
        "registration_no": "", "source": "", "category": "", "disclosure_attribute": "proactive",
        "disclosure_reason": "", "body": "<p>各区教育局：</p><script>alert(1)</script><p>现将有关事项通知如下。</p>",
    }
    data.update(overrides)
    return data


def act(client, document, action, **data):
    return client.post(reverse("workspace:document_action", args=[document.pk, action]), data, follow=True)


def review(client, document, step, **data):
    return client.post(reverse("workspace:document_review", args=[document.pk, step]), data, follow=True)


def test_create_submit_approve_publish_repeal_through_the_pages(login, department, editor, reviewer):
    editor_client, reviewer_client = login(editor), login(reviewer)

    response = editor_client.post(reverse("workspace:document_create"), document_form(department), follow=True)
    document = Document.objects.get(doc_number="测教发〔2026〕12号")
    assert response.redirect_chain[-1][0] == reverse("workspace:document_detail", args=[document.pk])
    assert "已创建草稿" in " ".join(messages_of(response))
    assert document.status == Status.DRAFT
    assert "<script>" not in document.body
    assert document.audiences == ["person"] and document.life_stages == ["上学"]
    assert [i.display_name for i in document.issuers.all()] == ["测试市教育局", "测试市公安局外部协作单位"]
    assert document.topic.label == "科技、教育\\教育"

    page = editor_client.get(reverse("workspace:document_detail", args=[document.pk])).content.decode()
    assert "提交审核" in page and "审核通过" not in page

    act(editor_client, document, "submit")
    document.refresh_from_db()
    assert document.status == Status.IN_REVIEW

    page = reviewer_client.get(reverse("workspace:document_detail", args=[document.pk])).content.decode()
    assert "审核通过" in page and "退回修改" in page
    act(reviewer_client, document, "approve")
    document.refresh_from_db()
    assert document.status == Status.APPROVED

    # 先审查、后公开: publication is refused until the review before publication is complete.
    response = act(reviewer_client, document, "publish")
    document.refresh_from_db()
    assert document.status == Status.APPROVED
    assert "保密审查" in " ".join(messages_of(response))
    signer = make_user("signer", department, Role.SIGNER)
    secrecy = make_user("secrecy", department, Role.CONFIDENTIALITY_REVIEWER)
    review(editor_client, document, "propose", attribute="proactive")
    page = login(signer).get(reverse("workspace:document_detail", args=[document.pk])).content.decode()
    assert "签发：确定公开属性" in page and "尚未通过保密审查" in page
    review(login(signer), document, "decide", attribute="proactive")
    review(login(secrecy), document, "confidentiality", reason="不涉密")
    review(reviewer_client, document, "approve")
    page = reviewer_client.get(reverse("workspace:document_detail", args=[document.pk])).content.decode()
    assert "审查已完成，可以发布" in page

    response = act(reviewer_client, document, "publish")
    document.refresh_from_db()
    assert document.status == Status.PUBLISHED and document.published_at is not None
    assert "（此件公开发布）" in document.body
    assert "已发布" in " ".join(messages_of(response))

    today = timezone.localdate()
    response = act(reviewer_client, document, "repeal", effective_on=today.isoformat(), reason="已被新文件替代")
    document.refresh_from_db()
    assert document.validity == Validity.REPEALED
    assert document.repealed_on == today
    page = response.content.decode()
    assert "已废止" in page and "已被新文件替代" in page

    kinds = list(document.events.values_list("kind", flat=True))
    assert kinds == ["drafted", "submitted", "approved", "published", "repealed"]
    actions = set(AuditEvent.objects.filter(object_id=str(document.pk), object_type="documents.document")
                  .values_list("action", flat=True))
    assert {"document.create", "document.submit", "document.approve", "document.publish", "document.repeal"} <= actions
    assert "document.repeal" in page  # the detail page shows the document's audit history


def test_editor_approving_is_refused_with_a_message(login, editor, draft):
    services.document_submit(document=draft, by=editor)
    client = login(editor)
    page = client.get(reverse("workspace:document_detail", args=[draft.pk])).content.decode()
    assert "审核通过" not in page
    response = act(client, draft, "approve")
    assert response.status_code == 200
    assert any("您没有权限" in m for m in messages_of(response))
    draft.refresh_from_db()
    assert draft.status == Status.IN_REVIEW


def test_action_not_allowed_in_the_current_state_gives_a_clear_error(login, reviewer, draft):
    response = act(login(reviewer), draft, "publish")
    assert response.status_code == 200
    assert any("不能发布" in m for m in messages_of(response))


def test_unknown_action_is_404(login, reviewer, draft):
    assert login(reviewer).post(reverse("workspace:document_action", args=[draft.pk, "delete"])).status_code == 404


def test_actions_need_post(login, reviewer, draft):
    assert login(reviewer).get(reverse("workspace:document_action", args=[draft.pk, "submit"])).status_code == 405


def test_bad_doc_number_is_shown_next_to_the_field(login, department, editor):
    response = login(editor).post(reverse("workspace:document_create"),
                                  document_form(department, doc_number="测教发[2026]012号"))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["doc_number"]
    assert 'id="id_doc_number-error"' in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode()
    assert not Document.objects.filter(title__startswith="关于做好2026年").exists()


def test_restricted_disclosure_needs_a_reason(login, department, editor):
    response = login(editor).post(reverse("workspace:document_create"),
                                  document_form(department, disclosure_attribute="on_request"))
    assert "依申请公开或不予公开的文件必须说明理由" in str(response.context["form"].errors["disclosure_reason"])


def test_editing_a_draft_changes_it_without_a_reason(login, department, editor, draft):
    response = login(editor).post(reverse("workspace:document_edit", args=[draft.pk]),
                                  document_form(department, title="修改后的标题"), follow=True)
    draft.refresh_from_db()
    assert draft.title == "修改后的标题"
    assert "修改已保存" in " ".join(messages_of(response))


def test_correcting_a_published_document_needs_a_reason_and_is_recorded(login, department, editor, reviewer):
    document = published_document(organisation=department, by=editor, reviewer=reviewer)
    client = login(editor)
    page = client.get(reverse("workspace:document_edit", args=[document.pk])).content.decode()
    assert "更正理由" in page
    data = document_form(department, title="更正后的标题")
    response = client.post(reverse("workspace:document_edit", args=[document.pk]), data)
    assert response.status_code == 200 and response.context["form"].errors["reason"]
    client.post(reverse("workspace:document_edit", args=[document.pk]), {**data, "reason": "标题错字"})
    document.refresh_from_db()
    assert document.title == "更正后的标题"
    assert document.events.filter(kind=LifecycleEvent.Kind.CORRECTED, reason="标题错字").exists()


def test_return_needs_a_reason(login, editor, reviewer, draft):
    services.document_submit(document=draft, by=editor)
    response = act(login(reviewer), draft, "return", reason="")
    assert any("理由" in m for m in messages_of(response))
    act(login(reviewer), draft, "return", reason="请补充依据")
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_schedule_then_withdraw(login, editor, reviewer, draft):
    services.document_submit(document=draft, by=editor)
    services.document_approve(document=draft, by=reviewer)
    review_for_publication(draft)
    client = login(reviewer)
    when = timezone.localtime() + dt.timedelta(days=2)
    act(client, draft, "schedule", publish_at=when.strftime("%Y-%m-%dT%H:%M"))
    draft.refresh_from_db()
    assert draft.status == Status.SCHEDULED
    assert draft.scheduled_for is not None
    act(client, draft, "withdraw", reason="暂缓发布")
    draft.refresh_from_db()
    assert draft.status == Status.WITHDRAWN
    assert "编辑" not in client.get(reverse("workspace:document_detail", args=[draft.pk])).content.decode().split("基本信息")[0]


def test_amend_and_expire_link_documents(login, department, editor, reviewer):
    old = published_document(organisation=department, by=editor, reviewer=reviewer, title="旧办法")
    new = published_document(organisation=department, by=editor, reviewer=reviewer, title="新办法")
    client = login(reviewer)
    act(client, old, "amend", reference=new.index_no, effective_on=timezone.localdate().isoformat(), reason="部分修改")
    old.refresh_from_db()
    assert old.validity == Validity.AMENDED
    assert old.events.get(kind="amended_by").related_document == new
    response = act(client, old, "amend", reference="不存在/2026-99999")
    assert any("找不到" in m for m in messages_of(response))
    act(client, new, "expire", effective_on=timezone.localdate().isoformat(), reason="")
    new.refresh_from_db()
    assert new.validity == Validity.EXPIRED


def test_repeal_by_another_document(login, department, editor, reviewer):
    old = published_document(organisation=department, by=editor, reviewer=reviewer, title="旧规定")
    new = published_document(organisation=department, by=editor, reviewer=reviewer, title="新规定",
                             doc_number="测教发〔2026〕30号")
    act(login(reviewer), old, "repeal", effective_on=timezone.localdate().isoformat(), reason="废旧立新",
        reference="测教发〔2026〕30号")
    old.refresh_from_db()
    assert old.validity == Validity.REPEALED
    assert old.events.get(kind="repealed_by").related_document == new


def test_normative_document_needs_an_interpretation_before_approval(login, department, editor, reviewer):
    document = services.document_create(organisation=department, by=editor, title="规范性文件", genre="normative")
    services.document_submit(document=document, by=editor)
    response = act(login(reviewer), document, "approve")
    assert any("不解读不运转" in m for m in messages_of(response))

    client = login(editor)
    form_page = client.get(reverse("workspace:interpretation_create") + f"?document={document.pk}")
    assert document.index_no in form_page.content.decode()
    response = client.post(reverse("workspace:interpretation_create"), {
        "organisation": department.pk, "title": "《规范性文件》解读", "form": "text",
        "body": "<p>一图读懂</p>", "media_url": "", "document_refs": document.index_no,
    }, follow=True)
    interpretation = Interpretation.objects.get(title="《规范性文件》解读")
    assert list(interpretation.documents.all()) == [document]
    assert "已创建政策解读草稿" in " ".join(messages_of(response))

    act(login(reviewer), document, "approve")
    document.refresh_from_db()
    assert document.status == Status.APPROVED


def test_interpretation_edit_publish_withdraw(login, department, editor, reviewer, draft):
    interpretation = services.interpretation_create(documents=[draft], organisation=department, by=editor, title="解读")
    url = reverse("workspace:interpretation_edit", args=[interpretation.pk])
    login(editor).post(url, {"title": "新的解读标题", "form": "qa", "body": "<p>问：</p>", "media_url": "",
                             "document_refs": draft.index_no})
    interpretation.refresh_from_db()
    assert interpretation.title == "新的解读标题" and interpretation.form == "qa"
    assert AuditEvent.objects.filter(action="interpretation.update", object_id=str(interpretation.pk)).exists()

    editor_publish = login(editor).post(
        reverse("workspace:interpretation_action", args=[interpretation.pk, "publish"]), follow=True)
    assert any("您没有权限" in m for m in messages_of(editor_publish))
    login(reviewer).post(reverse("workspace:interpretation_action", args=[interpretation.pk, "publish"]))
    interpretation.refresh_from_db()
    assert interpretation.state == Interpretation.State.PUBLISHED
    assert login(editor).get(url, follow=True).redirect_chain  # published interpretations are not edited
    login(reviewer).post(reverse("workspace:interpretation_action", args=[interpretation.pk, "withdraw"]),
                         {"reason": "内容有误"})
    interpretation.refresh_from_db()
    assert interpretation.state == Interpretation.State.WITHDRAWN


def test_late_interpretation_is_flagged_on_the_document(login, department, editor, reviewer):
    long_ago = timezone.now() - dt.timedelta(days=30)
    document = published_document(organisation=department, by=editor, reviewer=reviewer, title="规章",
                                  genre="rule", at=long_ago)
    interpretation = document.interpretations.get()
    services.interpretation_publish(interpretation=interpretation, by=reviewer)
    page = login(editor).get(reverse("workspace:document_detail", args=[document.pk])).content.decode()
    assert "解读逾期" in page


def test_attachment_upload_keeps_the_name_and_shows_validation_errors(login, editor, draft):
    client = login(editor)
    url = reverse("workspace:document_attach", args=[draft.pk])
    response = client.post(url, {"file": SimpleUploadedFile("../../通知附件.pdf", b"%PDF-1.4 data")}, follow=True)
    assert any("已上传附件" in m for m in messages_of(response))
    attachment = draft.attachments.get()
    assert attachment.original_name == "通知附件.pdf"
    assert "通知附件.pdf" in response.content.decode()
    response = client.post(url, {"file": SimpleUploadedFile("病毒.exe", b"MZ")}, follow=True)
    assert any("不支持的附件类型" in m for m in messages_of(response))
    assert draft.attachments.count() == 1


def test_interpretation_attachment_upload(login, department, editor, draft):
    interpretation = services.interpretation_create(documents=[draft], organisation=department, by=editor, title="图解")
    login(editor).post(reverse("workspace:interpretation_action", args=[interpretation.pk, "attach"]),
                       {"file": SimpleUploadedFile("图解.png", b"\x89PNG data")})
    assert interpretation.attachments.get().original_name == "图解.png"


def test_doc_number_error_is_shown_together_with_other_form_errors(login, department, editor):
    response = login(editor).post(reverse("workspace:document_create"),
                                  document_form(department, title="", doc_number="测教发(2026)12号"))
    errors = response.context["form"].errors
    assert "title" in errors and "doc_number" in errors


@pytest.mark.parametrize("action", ["submit", "return", "approve", "schedule", "publish", "amend", "repeal", "expire",
                                    "withdraw"])
def test_forged_action_by_a_user_without_the_role_is_refused_with_a_message(login, department, editor, reviewer,
                                                                            action):
    from ..conftest import make_user

    legal = make_user("legal", department, "legal_reviewer")
    other = published_document(organisation=department, by=editor, reviewer=reviewer, title="另一份")
    targets = {
        "submit": services.document_create(organisation=department, by=editor, title="草稿"),
        "return": services.document_submit(document=services.document_create(organisation=department, by=editor,
                                                                              title="审核中"), by=editor),
    }
    targets["approve"] = targets["return"]
    document = targets.get(action) or published_document(organisation=department, by=editor, reviewer=reviewer)
    before = (document.status, document.validity, document.events.count())
    data = {"reason": "伪造", "publish_at": (timezone.localtime() + dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
            "effective_on": timezone.localdate().isoformat(), "reference": other.index_no}
    response = act(login(legal), document, action, **data)
    assert response.status_code == 200
    assert any(m.startswith("操作未执行") for m in messages_of(response)), messages_of(response)
    document.refresh_from_db()
    assert (document.status, document.validity, document.events.count()) == before


def test_empty_and_oversized_attachments_are_refused_with_the_services_message(login, editor, draft, settings):
    client = login(editor)
    url = reverse("workspace:document_attach", args=[draft.pk])
    response = client.post(url, {"file": SimpleUploadedFile("空.pdf", b"")}, follow=True)
    assert any("空文件" in m for m in messages_of(response))
    settings.ATTACHMENT_MAX_MB = 0
    response = client.post(url, {"file": SimpleUploadedFile("大.pdf", b"%PDF")}, follow=True)
    assert any("大小限制" in m for m in messages_of(response))
    assert not draft.attachments.exists()


def test_old_normative_document_outside_the_working_day_calendar_still_renders(login, department, editor, reviewer):
    old = dt.datetime(1995, 5, 4, 9, 0, tzinfo=dt.UTC)
    document = published_document(organisation=department, by=editor, reviewer=reviewer, title="1995年规章",
                                  genre="rule", at=old)
    response = login(editor).get(reverse("workspace:document_detail", args=[document.pk]))
    assert response.status_code == 200
    assert "1995年规章" in response.content.decode()
    assert login(editor).get(reverse("workspace:home")).status_code == 200
