import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from gongkai.core.models import AuditEvent
from gongkai.documents import services
from gongkai.documents.models import Document, Genre, Status, Validity
from gongkai.documents.selectors import documents_public

from .factories import published_document

pytestmark = pytest.mark.django_db


def test_new_document_is_a_draft_with_the_next_index_no(department, editor):
    first = services.document_create(organisation=department, by=editor, title="甲")
    second = services.document_create(organisation=department, by=editor, title="乙")
    year = timezone.localdate().year
    assert first.status == Status.DRAFT
    assert first.index_no == f"TEST00002/{year}-00001"
    assert second.index_no == f"TEST00002/{year}-00002"


def test_index_no_follows_the_organisations_pattern(government, editor):
    from gongkai.core.services import organisation_create

    org = organisation_create(name="乡镇", code="000014349", parent=government, index_no_pattern="{code}-{year}{month}-{seq:04d}")
    from gongkai.core.services import membership_grant

    membership_grant(user=editor, organisation=org, role="editor")
    doc = services.document_create(organisation=org, by=editor, title="甲")
    today = timezone.localdate()
    assert doc.index_no == f"000014349-{today.year}{today.month:02d}-0001"


def test_rolled_back_creation_gives_its_index_no_back(department, editor):
    services.document_create(organisation=department, by=editor, title="甲")
    with pytest.raises(ValidationError):
        services.document_create(organisation=department, by=editor, title="乙", doc_number="国办发[2018]1号")
    third = services.document_create(organisation=department, by=editor, title="丙")
    assert third.index_no.endswith("-00002")


def test_published_document_is_valid_and_public(department, editor):
    doc = published_document(organisation=department, by=editor)
    assert doc.status == Status.PUBLISHED
    assert doc.validity == Validity.VALID
    assert documents_public().filter(pk=doc.pk).exists()
    kinds = list(doc.events.values_list("kind", flat=True))
    assert kinds == ["drafted", "submitted", "approved", "published"]


def test_validity_is_derived_from_repeal_amend_and_expiry_events(department, editor, reviewer):
    old = published_document(organisation=department, by=editor, title="旧办法")
    new = published_document(organisation=department, by=editor, title="新办法")
    services.document_amend(document=old, by=reviewer, amended_by=new, effective_on=timezone.localdate())
    old.refresh_from_db()
    assert old.validity == Validity.AMENDED

    services.document_repeal(document=old, by=reviewer, effective_on=timezone.localdate(), reason="被新办法替代", repealed_by=new)
    old.refresh_from_db()
    assert old.validity == Validity.REPEALED
    assert old.repealed_on == timezone.localdate()

    third = published_document(organisation=department, by=editor, title="临时措施")
    services.document_expire(document=third, by=reviewer, effective_on=timezone.localdate())
    third.refresh_from_db()
    assert third.validity == Validity.EXPIRED


def test_repeal_on_a_future_date_takes_effect_on_that_date(department, editor, reviewer):
    doc = published_document(organisation=department, by=editor)
    future = timezone.localdate() + dt.timedelta(days=10)
    services.document_repeal(document=doc, by=reviewer, effective_on=future, reason="到期废止")
    doc.refresh_from_db()
    assert doc.validity == Validity.VALID
    assert services.documents_refresh_validity(today=future) == 1
    doc.refresh_from_db()
    assert doc.validity == Validity.REPEALED


def test_future_effective_date_means_not_yet_in_force(department, editor):
    doc = published_document(organisation=department, by=editor, effective_on=timezone.localdate() + dt.timedelta(days=30))
    assert doc.validity == Validity.NOT_YET


def test_normative_document_needs_an_interpretation_before_approval(department, editor, reviewer):
    doc = services.document_create(organisation=department, by=editor, title="管理办法", genre=Genre.NORMATIVE)
    services.document_submit(document=doc, by=editor)
    with pytest.raises(ValidationError, match="不解读不运转"):
        services.document_approve(document=doc, by=reviewer)
    services.interpretation_create(documents=[doc], organisation=department, by=editor, title="《管理办法》解读")
    doc = services.document_approve(document=doc, by=reviewer)
    assert doc.status == Status.APPROVED


def test_withheld_document_needs_a_reason_and_is_never_published(department, editor, reviewer):
    with pytest.raises(ValidationError):
        services.document_create(organisation=department, by=editor, title="内部", disclosure_attribute="not_disclosed")
    doc = services.document_create(organisation=department, by=editor, title="内部", disclosure_attribute="not_disclosed",
                                   disclosure_reason="属于内部事务信息（第十六条）")
    services.document_submit(document=doc, by=editor)
    services.document_approve(document=doc, by=reviewer)
    with pytest.raises(ValidationError):
        services.document_publish(document=doc, by=reviewer)


def test_invalid_transitions_are_refused(department, editor, reviewer):
    doc = services.document_create(organisation=department, by=editor, title="甲")
    with pytest.raises(ValidationError):
        services.document_publish(document=doc, by=reviewer)
    with pytest.raises(ValidationError):
        services.document_repeal(document=doc, by=reviewer, effective_on=timezone.localdate(), reason="x")


def test_withdrawn_document_leaves_the_public_library_but_stays_on_record(department, editor, reviewer):
    doc = published_document(organisation=department, by=editor)
    services.document_withdraw(document=doc, by=reviewer, reason="内容有误")
    doc.refresh_from_db()
    assert doc.status == Status.WITHDRAWN
    assert not documents_public().filter(pk=doc.pk).exists()
    assert Document.objects.filter(pk=doc.pk).exists()


def test_documents_are_never_hard_deleted(department, editor):
    doc = published_document(organisation=department, by=editor)
    with pytest.raises(PermissionError):
        doc.delete()
    with pytest.raises(PermissionError):
        Document.objects.filter(pk=doc.pk).delete()
    assert Document.objects.filter(pk=doc.pk).exists()


def test_editor_of_another_organisation_cannot_act(department, editor, other_editor):
    doc = services.document_create(organisation=department, by=editor, title="甲")
    with pytest.raises(PermissionDenied):
        services.document_update(document=doc, by=other_editor, title="改")
    with pytest.raises(PermissionDenied):
        services.document_create(organisation=department, by=other_editor, title="乙")


def test_every_change_is_audited_with_before_and_after(department, editor):
    doc = services.document_create(organisation=department, by=editor, title="甲")
    services.document_update(document=doc, by=editor, title="乙")
    event = AuditEvent.objects.filter(action="document.update", object_id=str(doc.pk)).get()
    assert event.before == {"title": "甲"}
    assert event.after == {"title": "乙"}
    assert event.actor == editor


def test_correction_after_publication_needs_a_reason_and_is_recorded(department, editor):
    doc = published_document(organisation=department, by=editor)
    with pytest.raises(ValidationError):
        services.document_update(document=doc, by=editor, title="新标题")
    services.document_update(document=doc, by=editor, title="新标题", reason="标题错字")
    assert doc.events.filter(kind="corrected", reason="标题错字").exists()


def test_audit_log_is_append_only(department, editor):
    services.document_create(organisation=department, by=editor, title="甲")
    event = AuditEvent.objects.first()
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()


def test_scheduled_document_is_published_when_due(department, editor, reviewer):
    doc = services.document_create(organisation=department, by=editor, title="甲")
    services.document_submit(document=doc, by=editor)
    services.document_approve(document=doc, by=reviewer)
    when = timezone.now() + dt.timedelta(hours=1)
    services.document_schedule(document=doc, by=reviewer, publish_at=when)
    assert services.documents_publish_due() == 0
    assert services.documents_publish_due(now=when + dt.timedelta(minutes=1)) == 1
    doc.refresh_from_db()
    assert doc.status == Status.PUBLISHED
    assert doc.published_at == when


def test_back_dated_publication_still_counts_as_the_latest_step(department, editor, reviewer):
    past = timezone.now() - dt.timedelta(days=400)
    doc = published_document(organisation=department, by=editor, reviewer=reviewer, at=past)
    assert doc.status == Status.PUBLISHED
    assert doc.published_at == past
