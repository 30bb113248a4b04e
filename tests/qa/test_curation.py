"""Curation rules of the Q&A base: the review gate's roles, drafts from interpretation text, merging, the
demo's curated entries (one flagged because its source is repealed), and the bench's data guarantees."""

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gongkai.documents import services as documents
from gongkai.qa import services
from gongkai.qa.demo import _curated
from gongkai.qa.models import Entry, EntryState
from gongkai.qa.selectors import qa_ask, qa_near_duplicates
from tests.documents.factories import published_document

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("body, pairs", [
    ("<p>一、谁可以申请？</p><p>本市户籍居民。</p><p>二、去哪里办？</p><p>各区政务服务中心。</p>",
     [("谁可以申请？", "本市户籍居民。"), ("去哪里办？", "各区政务服务中心。")]),
    ("<p>问：补贴标准是多少？</p><p>答：每人每月200元。</p><p>问：没有回答的问题？</p>", [("补贴标准是多少？", "每人每月200元。")]),
    ("<p>本通知自发布之日起施行。</p>", []),
])
def test_questions_of_an_interpretation(body, pairs):
    assert services.qa_questions_of(body) == pairs


def test_only_a_reviewer_of_the_answering_body_other_than_the_editor_publishes(department, other_department, editor,
                                                                                reviewer, other_editor):
    entry = services.qa_entry_save(question="怎么办证", answer="请携带居民身份证到政务服务中心办理。", organisation=department,
                                   by=editor, check_roles=True)
    with pytest.raises(PermissionDenied):
        services.qa_entry_save(question="别的机关", answer="无权编辑。", organisation=department, by=other_editor, check_roles=True)
    for user in (editor, other_editor):
        with pytest.raises(PermissionDenied):
            services.qa_entry_publish(entry=entry, by=user)
    assert services.qa_entry_publish(entry=entry, by=reviewer).state == EntryState.PUBLISHED
    services.qa_entry_save(question=entry.question, answer=entry.answer + "当场办结。", entry=entry, by=reviewer)
    with pytest.raises(PermissionDenied):  # four eyes: the reviewer edited it last
        services.qa_entry_publish(entry=entry, by=reviewer)
    with pytest.raises(ValidationError):  # the same question and answer twice
        services.qa_entry_save(question=entry.question, answer=entry.answer, by=editor)


def test_merge_keeps_one_with_the_others_question_as_an_alternative(department, editor, reviewer):
    a = services.qa_entry_save(question="社保卡丢了怎么补办", answer="携带居民身份证到社保经办网点补办。", organisation=department, by=editor)
    b = services.qa_entry_save(question="社保卡掉了咋办", answer="可到社保经办网点挂失补办社会保障卡。", organisation=department, by=editor)
    services.qa_entry_publish(entry=a, by=reviewer)
    kept = services.qa_entries_merge(keep=a, other=b, by=editor)
    assert kept.alternatives == ["社保卡掉了咋办"] and kept.state == EntryState.DRAFT
    assert Entry.objects.count() == 1
    services.qa_entry_publish(entry=kept, by=reviewer)
    assert qa_ask("社保卡掉了咋办")["answers"][0]["id"] == kept.pk


def test_near_duplicates_pair_only_entries_that_say_the_same(editor):
    services.qa_entry_save(question="遇到险情怎么办", answer="遇到险情千万不能慌，及时拨打110、119、12319寻求帮助，说明详细地点和险情。")
    services.qa_entry_save(question="遇到险情如何处理", answer="遇到险情要冷静，及时拨打12319热线寻求帮助，说明事发详细地点和险情程度。")
    services.qa_entry_save(question="暴雪天气怎么出行", answer="暴雪天气尽量乘坐公共交通，减少自驾出行。")
    pairs = qa_near_duplicates()
    assert [(a.question[:4], b.question[:4]) for a, b, _ in pairs] == [("遇到险情", "遇到险情")]


def test_demo_curated_entries_cite_the_library_and_a_repealed_source_is_flagged(department, editor, office_admin):
    current = published_document(organisation=department, by=editor, title="关于养老服务补贴的通知")
    old = published_document(organisation=department, by=editor, title="关于老年人优待的旧通知")
    documents.document_repeal(document=old, by=office_admin, effective_on=dt.date(2024, 1, 1), reason="已被取代")
    _curated(io.StringIO())
    published = Entry.objects.filter(state=EntryState.PUBLISHED)
    assert [list(e.sources.all()) for e in published] == [[current]]
    flagged = Entry.objects.get(state=EntryState.FLAGGED)
    assert list(flagged.sources.all()) == [old] and "废止" in flagged.flag_reason
    _curated(io.StringIO())
    assert Entry.objects.count() == 2  # once
