import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError

from gongkai.compliance import services
from gongkai.compliance.models import Finding
from gongkai.core.models import AuditEvent, Role
from gongkai.documents import services as documents
from gongkai.documents.models import Status
from tests.conftest import make_user
from tests.documents.factories import review_for_publication

ID_NUMBER = "11010519491231002X"


def findings(document, **filters):
    content_type = ContentType.objects.get_for_model(document)
    return Finding.objects.filter(content_type=content_type, object_id=str(document.pk), **filters)


def test_saving_a_document_records_findings_with_location(department, editor):
    doc = documents.document_create(organisation=department, by=editor, title="关于做好布署工作的通知",
                                    body="<p>联系人身份证号" + ID_NUMBER + "。</p>")
    found = {(f.field, f.text, f.suggestion, f.severity) for f in findings(doc)}
    assert found == {("title", "布署", "部署", "warning"), ("body", ID_NUMBER, "11*************02X", "severe")}
    body_finding = findings(doc, field="body").get()
    assert doc.body[body_finding.start:body_finding.end] == ID_NUMBER  # offsets are those of the stored HTML
    assert body_finding.organisation == department


def test_a_corrected_text_closes_the_finding_and_a_regression_reopens_it(department, editor):
    doc = documents.document_create(organisation=department, by=editor, title="关于做好布署工作的通知")
    finding = findings(doc).get()
    documents.document_update(document=doc, by=editor, title="关于做好部署工作的通知")
    finding.refresh_from_db()
    assert finding.status == Finding.Status.FIXED
    assert finding.resolved_at is not None
    documents.document_update(document=doc, by=editor, title="关于做好布署工作的通知")
    finding.refresh_from_db()
    assert finding.status == Finding.Status.OPEN


def test_accepted_finding_stays_accepted_when_checked_again(department, editor):
    doc = documents.document_create(organisation=department, by=editor, title="其它事项的通知")
    finding = findings(doc).get()
    with pytest.raises(ValidationError):
        services.finding_accept(finding=finding, by=editor, reason=" ")
    services.finding_accept(finding=finding, by=editor, reason="引用原文件标题，保持原样")
    services.item_check(item=doc)
    finding.refresh_from_db()
    assert finding.status == Finding.Status.ACCEPTED
    assert AuditEvent.objects.filter(action="compliance.finding_accept", object_id=str(finding.pk)).exists()


def test_severe_finding_blocks_publication_until_a_reviewer_overrides_it(department, editor, reviewer):
    doc = documents.document_create(organisation=department, by=editor, title="关于公示名单的通知",
                                    body="<p>身份证号" + ID_NUMBER + "</p>")
    documents.document_submit(document=doc, by=editor)
    documents.document_approve(document=doc, by=reviewer)
    review_for_publication(doc)
    with pytest.raises(ValidationError) as refused:
        documents.document_publish(document=doc, by=reviewer)
    assert any("严重问题" in message for message in refused.value.messages)
    severe = findings(doc, severity="severe").get()
    with pytest.raises(PermissionDenied):  # the drafter cannot wave a severe finding through
        services.finding_accept(finding=severe, by=editor, reason="无所谓")
    services.finding_accept(finding=severe, by=reviewer, reason="公示依法需要载明完整证件号码")
    doc = documents.document_publish(document=doc, by=reviewer)
    assert doc.status == Status.PUBLISHED
    event = AuditEvent.objects.get(action="compliance.finding_override", object_id=str(severe.pk))
    assert event.actor == reviewer and "公示" in event.note


def test_fixing_the_text_also_unblocks_publication(department, editor, reviewer):
    doc = documents.document_create(organisation=department, by=editor, title="通知", body="<p>手机13812345678，身份证"
                                    + ID_NUMBER + "</p>")
    documents.document_submit(document=doc, by=editor)
    documents.document_approve(document=doc, by=reviewer)
    documents.document_update(document=doc, by=editor, body="<p>身份证11*************02X</p>", reason="去标识化")
    review_for_publication(doc)
    assert documents.document_publish(document=doc, by=reviewer).status == Status.PUBLISHED
    assert not findings(doc, status=Finding.Status.OPEN).exists()


def test_broken_internal_links_are_findings(department, editor):
    doc = documents.document_create(organisation=department, by=editor, title="通知",
                                    body='<p><a href="/no-such-page/">附件</a> <a href="https://www.gov.cn/">外链</a></p>')
    assert [(f.kind, f.text) for f in findings(doc)] == [("link", "/no-such-page/")]


def test_sweep_rechecks_published_items(department, editor, reviewer, settings):
    doc = documents.document_create(organisation=department, by=editor, title="关于做好部署工作的通知")
    documents.document_submit(document=doc, by=editor)
    documents.document_approve(document=doc, by=reviewer)
    documents.document_publish(document=doc, by=None)  # an imported, already published document
    services.wording_rule_save(by=None, pattern="做好部署", suggestion="抓好部署", severity="info")
    counts = services.findings_sweep()
    assert counts == {"items": 1, "open": 1}
    assert findings(doc, rule="custom:做好部署").exists()


def test_other_organisation_cannot_accept(department, other_department, editor):
    doc = documents.document_create(organisation=department, by=editor, title="其它事项")
    outsider = make_user("outsider", other_department, Role.REVIEWER)
    with pytest.raises(PermissionDenied):
        services.finding_accept(finding=findings(doc).get(), by=outsider, reason="x")


def test_severe_finding_blocks_an_interpretation_too(department, editor, reviewer):
    doc = documents.document_create(organisation=department, by=editor, title="通知")
    interpretation = documents.interpretation_create(documents=[doc], organisation=department, by=editor,
                                                     title="解读", body="<p>经办人身份证" + ID_NUMBER + "</p>")
    with pytest.raises(ValidationError):
        documents.interpretation_publish(interpretation=interpretation, by=reviewer)
    documents.interpretation_create(documents=[doc], organisation=department, by=editor, title="解读二", body="<p>好</p>")
