"""A small public library built through the services: the shapes the portal must show."""

import datetime as dt
from dataclasses import dataclass

import pytest
from django.core.cache import cache
from django.utils import timezone

from gongkai.core.models import Organisation
from gongkai.documents import services
from gongkai.documents.models import Document, Interpretation, Topic
from gongkai.documents.taxonomy import topic_rows
from tests.documents.factories import published_document

BODY = (
    "<p>各区人民政府，市政府各部门：</p><p>为进一步做好养老服务补贴发放工作，现将有关事项通知如下。</p>"
    "<p>一、补贴对象为本市户籍年满八十周岁的老年人。</p><p>二、本通知自发布之日起施行。</p>"
)


@dataclass
class Library:
    current: Document
    old: Document  # repealed by `current`
    amended: Document  # amended by `current`
    normative: Document  # has a published interpretation
    interpretation: Interpretation
    withdrawn: Document
    on_request: Document
    draft: Document
    budget: Document


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def ensure_topics() -> None:
    """Transactional tests (browser) flush the rows of the data migration; put the taxonomy back."""
    if Topic.objects.exists():
        return
    for code, name, parent in topic_rows():
        Topic.objects.create(code=code, name=name, parent=Topic.objects.get(code=parent) if parent else None)


@pytest.fixture
def library(department, editor, reviewer, committed) -> Library:
    """Built as committed: the search index follows every change, as it does on a live site."""
    return committed(_build_library, department, editor, reviewer)


def _build_library(department, editor, reviewer) -> Library:
    ensure_topics()
    topic = Topic.objects.get(name="社会福利")
    old = published_document(organisation=department, by=editor, reviewer=reviewer, title="关于老年人补贴发放的通知",
                             doc_number="测教发〔2020〕3号", body=BODY, topic=topic, written_on=dt.date(2020, 3, 2),
                             consultation_department="测试市教育局办公室", consultation_phone="0532-12345678")
    amended = published_document(organisation=department, by=editor, reviewer=reviewer, title="关于学生资助工作的通知",
                                 doc_number="测教发〔2021〕8号", body="<p>学生资助。</p>")
    current = published_document(organisation=department, by=editor, reviewer=reviewer,
                                 title="关于进一步做好养老服务补贴发放工作的通知", doc_number="测教发〔2024〕12号", body=BODY,
                                 topic=topic, summary="明确养老服务补贴的对象、标准和发放程序。",
                                 written_on=dt.date(2024, 7, 21), effective_on=dt.date(2024, 7, 21),
                                 consultation_department="测试市教育局办公室", consultation_phone="0532-12345678")
    services.document_repeal(document=old, by=reviewer, effective_on=timezone.localdate(), reason="被新文件替代",
                             repealed_by=current)
    services.document_amend(document=amended, by=reviewer, amended_by=current, effective_on=timezone.localdate(),
                            reason="第三条修改")
    normative = published_document(organisation=department, by=editor, reviewer=reviewer, title="测试市学校安全管理办法",
                                   doc_number="测教规〔2024〕1号", genre="normative", body="<p>第一条 为了加强学校安全管理。</p>")
    interpretation = normative.interpretations.get()
    services.interpretation_publish(interpretation=interpretation, by=reviewer)
    withdrawn = published_document(organisation=department, by=editor, reviewer=reviewer, title="关于暑期托管的通知",
                                   doc_number="测教发〔2024〕20号", body="<p>托管安排。</p>")
    services.document_withdraw(document=withdrawn, by=reviewer, reason="内容有误，将重新发布")
    on_request = services.document_create(organisation=department, by=editor, title="内部人事安排的通知",
                                          disclosure_attribute="on_request", disclosure_reason="人事管理信息（第十六条）")
    draft = services.document_create(organisation=department, by=editor, title="尚在起草的通知")
    budget = published_document(organisation=department, by=editor, reviewer=reviewer, title="测试市教育局2025年部门预算",
                                body="<p>预算表。</p>")
    return Library(current, old, amended, normative, interpretation, withdrawn, on_request, draft, budget)


def doc_url(document: Document) -> str:
    from django.urls import reverse

    return reverse("portal:document", kwargs={"index_no": document.index_no})


@pytest.fixture
def organisation(department) -> Organisation:
    Organisation.objects.filter(pk=department.pk).update(
        disclosure_office_name="测试市教育局办公室", disclosure_office_address="测试市人民路 2 号",
        disclosure_office_hours="工作日 9:00-17:00", disclosure_office_phone="0532-11112222",
        disclosure_office_fax="0532-11113333", disclosure_office_web="https://jyj.example.gov.cn/",
    )
    department.refresh_from_db()
    return department
