"""The Q&A base: import guarantees, review and validity rules, the matcher and its abstention."""

import datetime as dt
import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from gongkai.documents import services as documents
from gongkai.qa import services
from gongkai.qa.demo import load_demo_qa
from gongkai.qa.models import Entry, EntryState
from gongkai.qa.selectors import qa_ask, qa_entries_citing, qa_flagged, qa_suggest
from tests.conftest import shared_data
from tests.documents.factories import published_document

ROWS = [
    {"question": "社保卡丢了怎么补办", "answer": "社会保障卡遗失后，可携带居民身份证到任一社保经办网点办理挂失和补卡。",
     "department": "人社局", "external_id": "A1"},
    {"question": "退休金每年什么时候调整", "answer": "基本养老金一般每年统一调整一次，调整方案由人社部门公布。",
     "department": "人社局", "external_id": "A2"},
    {"question": "小孩怎么落户", "answer": "新生儿户籍迁入可凭出生医学证明到户籍所在地派出所申报户口登记。",
     "department": "公安局"},
]


def lines(rows):
    return [json.dumps(r, ensure_ascii=False) for r in rows]


def publish_all():
    Entry.objects.update(state=EntryState.PUBLISHED)


@pytest.mark.django_db
def test_import_is_idempotent_by_external_id_and_by_digest():
    first = services.qa_import(lines(ROWS))
    assert (first.created, first.updated, first.errors) == (3, 0, [])
    again = services.qa_import(lines(ROWS))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    changed = dict(ROWS[0], answer=ROWS[0]["answer"] + "补卡免费。")
    third = services.qa_import(lines([changed]))
    assert (third.created, third.updated) == (0, 1)
    assert Entry.objects.count() == 3
    assert Entry.objects.get(external_id="A1").answer.endswith("补卡免费。")


@pytest.mark.django_db
def test_import_with_a_bad_line_writes_nothing_and_names_the_line():
    bad = [*lines(ROWS[:2]), "{not json", json.dumps({"question": "只有问题"}), json.dumps({**ROWS[2], "sources": [999]})]
    report = services.qa_import(bad)
    assert [n for n, _ in report.errors] == [3, 4, 5]
    assert Entry.objects.count() == 0


@pytest.mark.django_db
def test_import_command(tmp_path):
    path = tmp_path / "qa.jsonl"
    path.write_text("\n".join(lines(ROWS)), encoding="utf-8")
    out = io.StringIO()
    call_command("qa", "import", str(path), "--publish", stdout=out)
    assert "新增 3" in out.getvalue()
    path.write_text("oops\n", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("qa", "import", str(path), stderr=io.StringIO())


@pytest.mark.django_db
def test_matcher_maps_colloquial_terms_and_answers_only_published():
    services.qa_import(lines(ROWS))
    assert qa_ask("社保卡补办")["answers"] == []  # drafts are never answers
    publish_all()
    result = qa_ask("社会保障卡丢了补办")
    assert not result["abstained"]
    assert result["answers"][0]["external_id"] == "A1"
    assert qa_ask("养老金调整时间")["answers"][0]["external_id"] == "A2"
    assert qa_suggest("新生儿落户")[0]["question"] == "小孩怎么落户"


@pytest.mark.django_db
def test_matcher_abstains_on_a_question_the_base_cannot_answer():
    services.qa_import(lines(ROWS))
    publish_all()
    result = qa_ask("动物园的大熊猫几点喂食")
    assert result["abstained"] is True
    assert qa_suggest("动物园的大熊猫几点喂食") == []


@pytest.mark.django_db
def test_ask_command_prints_one_json_line_per_stdin_question(monkeypatch):
    services.qa_import(lines(ROWS))
    publish_all()
    monkeypatch.setattr("sys.stdin", io.StringIO("社保卡丢了\n动物园熊猫喂食时间\n"))
    out = io.StringIO()
    call_command("ask", stdout=out)
    first, second = (json.loads(x) for x in out.getvalue().splitlines())
    assert first["answers"][0]["external_id"] == "A1" and not first["abstained"]
    assert second["abstained"]
    assert set(first["answers"][0]) == {"id", "external_id", "question", "score", "sources"}


@pytest.mark.django_db
def test_publication_runs_the_content_checks(reviewer):
    entry = services.qa_entry_save(question="怎么办证", answer="请联系张三，电话13812345678，身份证110101199003071234。")
    with pytest.raises(ValidationError):
        services.qa_entry_publish(entry=entry, by=reviewer)
    ok = services.qa_entry_save(question="怎么办证", answer="请携带居民身份证到政务服务中心办理。")
    assert services.qa_entry_publish(entry=ok, by=reviewer).state == EntryState.PUBLISHED


@pytest.mark.django_db
def test_a_repealed_source_flags_and_hides_the_entry_at_once(department, editor, office_admin):
    document = published_document(organisation=department, by=editor, title="关于社会保障卡补办的通知")
    entry = services.qa_entry_save(question=ROWS[0]["question"], answer=ROWS[0]["answer"], sources=[document])
    services.qa_entry_publish(entry=entry, by=office_admin)
    assert qa_entries_citing(document) == [entry]
    assert qa_ask("社保卡补办")["answers"][0]["sources"][0]["id"] == document.pk
    documents.document_repeal(document=document, by=office_admin, effective_on=dt.date(2024, 1, 1), reason="已被取代")
    entry.refresh_from_db()
    assert entry.state == EntryState.FLAGGED and "废止" in entry.flag_reason
    assert list(qa_flagged()) == [entry]
    assert qa_ask("社保卡补办")["answers"] == []
    with pytest.raises(ValidationError):
        services.qa_entry_publish(entry=entry, by=office_admin)


@pytest.mark.django_db
def test_feedback_is_counted():
    entry = services.qa_entry_save(question="问", answer="答")
    services.qa_feedback(entry=entry, helpful=True)
    services.qa_feedback(entry=entry, helpful=False)
    services.qa_feedback(entry=entry, helpful=True)
    entry.refresh_from_db()
    assert (entry.helpful_yes, entry.helpful_no) == (2, 1)


@pytest.mark.data
@pytest.mark.django_db
def test_demo_loads_the_qa_dev_base_once():
    shared_data("qa_dev.jsonl")  # the base the demo loads; skipped with a message where it is absent
    out = io.StringIO()
    load_demo_qa(stdout=out)
    count = Entry.objects.filter(state=EntryState.PUBLISHED).count()
    assert count > 1000
    load_demo_qa(stdout=out)
    assert Entry.objects.count() == count
    assert not qa_ask("地震时如何自救")["abstained"]
