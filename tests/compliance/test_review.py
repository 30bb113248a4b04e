import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gongkai.compliance import services as review
from gongkai.compliance.models import ReviewStep, SelfReview
from gongkai.core.models import AuditEvent, Role
from gongkai.documents import services as documents
from gongkai.documents.models import Status
from tests.conftest import make_user


@pytest.fixture
def people(department):
    return {
        "signer": make_user("signer", department, Role.SIGNER),
        "secrecy": make_user("secrecy", department, Role.CONFIDENTIALITY_REVIEWER),
        "reviewer2": make_user("reviewer2", department, Role.REVIEWER),
        "reviewer3": make_user("reviewer3", department, Role.REVIEWER),
    }


@pytest.fixture
def approved(department, editor, reviewer):
    doc = documents.document_create(organisation=department, by=editor, title="关于开展政务公开工作的通知",
                                    body="<p>各单位：请认真落实。</p>")
    documents.document_submit(document=doc, by=editor)
    return documents.document_approve(document=doc, by=reviewer)


def publish(doc, by):
    return documents.document_publish(document=doc, by=by)


def test_no_publication_without_the_attribute_decision_confidentiality_review_and_approvals(
        approved, editor, reviewer, people):
    with pytest.raises(ValidationError) as refused:
        publish(approved, reviewer)
    assert "起草人尚未提出公开属性。" in refused.value.messages

    review.review_propose(document=approved, by=editor, attribute="proactive")
    with pytest.raises(ValidationError) as refused:
        publish(approved, reviewer)
    assert "签发人尚未确定公开属性。" in refused.value.messages

    review.review_decide(document=approved, by=people["signer"], attribute="proactive")
    approved.refresh_from_db()
    assert approved.body.endswith("<p>（此件公开发布）</p>")
    with pytest.raises(ValidationError) as refused:
        publish(approved, reviewer)
    assert "尚未通过保密审查（或审查后文件又有改动）。" in refused.value.messages

    review.review_confidentiality(document=approved, by=people["secrecy"], approved=True)
    with pytest.raises(ValidationError) as refused:
        publish(approved, reviewer)
    assert refused.value.messages == ["需要 2 名审核人同意发布，目前 1 名。"]

    review.review_approve(document=approved, by=people["reviewer2"])
    assert publish(approved, reviewer).status == Status.PUBLISHED
    actions = list(AuditEvent.objects.filter(object_id=str(approved.pk), action__startswith="review.")
                   .order_by("id").values_list("action", flat=True))
    assert actions == ["review.propose", "review.decide", "review.confidentiality", "review.approve"]


def test_only_the_named_roles_take_their_steps(approved, editor, reviewer, people):
    with pytest.raises(PermissionDenied):
        review.review_decide(document=approved, by=editor, attribute="proactive")
    with pytest.raises(PermissionDenied):
        review.review_confidentiality(document=approved, by=reviewer, approved=True)
    with pytest.raises(PermissionDenied):
        review.review_approve(document=approved, by=editor)
    own = documents.document_create(organisation=approved.organisation, by=reviewer, title="审核人自己起草的通知")
    with pytest.raises(ValidationError):  # the drafter cannot approve their own document
        review.review_approve(document=own, by=reviewer)


def test_withheld_attributes_need_reasons(approved, editor):
    with pytest.raises(ValidationError):
        review.review_propose(document=approved, by=editor, attribute="not_disclosed")
    review.review_propose(document=approved, by=editor, attribute="not_disclosed", reason="内部事务信息（条例第十六条）")
    approved.refresh_from_db()
    assert approved.disclosure_attribute == "not_disclosed"


def test_an_edit_after_approval_makes_the_approvals_stale(approved, editor, reviewer, people):
    review.review_propose(document=approved, by=editor, attribute="proactive")
    review.review_decide(document=approved, by=people["signer"], attribute="proactive")
    review.review_confidentiality(document=approved, by=people["secrecy"], approved=True)
    review.review_approve(document=approved, by=people["reviewer2"])
    documents.document_update(document=approved, by=editor, body="<p>改动后的正文（此件公开发布）</p>", reason="补充内容")
    problems = review.review_problems(document=approved)
    assert "尚未通过保密审查（或审查后文件又有改动）。" in problems
    assert "需要 2 名审核人同意发布，目前 0 名。" in problems


def test_a_confidentiality_rejection_blocks_until_approved_again(approved, editor, people):
    review.review_propose(document=approved, by=editor, attribute="proactive")
    review.review_decide(document=approved, by=people["signer"], attribute="proactive")
    review.review_confidentiality(document=approved, by=people["secrecy"], approved=True)
    with pytest.raises(ValidationError):
        review.review_confidentiality(document=approved, by=people["secrecy"], approved=False)
    review.review_confidentiality(document=approved, by=people["secrecy"], approved=False, reason="含未公开的工作秘密")
    assert "尚未通过保密审查（或审查后文件又有改动）。" in review.review_problems(document=approved)


def test_required_number_of_approvals_is_configurable(approved, editor, reviewer, people, settings):
    settings.COMPLIANCE_REQUIRED_APPROVALS = 3
    review.review_propose(document=approved, by=editor, attribute="proactive")
    review.review_decide(document=approved, by=people["signer"], attribute="proactive")
    review.review_confidentiality(document=approved, by=people["secrecy"], approved=True)
    review.review_approve(document=approved, by=people["reviewer2"])
    review.review_approve(document=approved, by=people["reviewer2"])  # the same person twice counts once
    assert review.review_problems(document=approved) == ["需要 3 名审核人同意发布，目前 2 名。"]
    review.review_approve(document=approved, by=people["reviewer3"])
    assert publish(approved, reviewer).status == Status.PUBLISHED
    assert ReviewStep.objects.filter(document=approved).count() == 6


def test_november_self_review_lists_withheld_items(department, editor):
    documents.document_create(organisation=department, by=editor, title="内部", disclosure_attribute="not_disclosed",
                              disclosure_reason="内部事务信息")
    documents.document_create(organisation=department, by=editor, title="公开", disclosure_attribute="proactive")
    self_review = review.self_review_open(organisation=department, year=2026)
    assert [item["title"] for item in self_review.items] == ["内部"]
    assert SelfReview.objects.filter(organisation=department, year=2026).count() == 1


def test_november_self_review_lists_frequently_requested_information(department, editor):
    from tests.applications.conftest import new_case

    handler = make_user("handler", department, Role.HANDLER)
    for _ in range(3):
        new_case(department, handler, received_on="2026-09-28", info_title="2025年行政事业性收费项目清单")
    new_case(department, handler, received_on="2026-09-28", info_title="只申请过一次的信息")
    self_review = review.self_review_open(organisation=department, year=2026)
    assert self_review.frequently_requested == [{"title": "2025年行政事业性收费项目清单", "applications": 3}]
