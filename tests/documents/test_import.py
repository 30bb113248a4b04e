"""Bulk import in the canonical format: fields, idempotency, per-line errors, atomicity, 索引号."""

import datetime as dt
import gzip
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.utils import timezone

from gongkai.__main__ import command_argv
from gongkai.core.models import AuditEvent, IndexNoCounter, Organisation
from gongkai.core.services import organisation_create
from gongkai.documents import services
from gongkai.documents.importers import documents_import_file
from gongkai.documents.models import Document, DocumentIssuer, Genre, LifecycleEvent, Status, Validity

pytestmark = pytest.mark.django_db

Kind = LifecycleEvent.Kind


def write_jsonl(path, records, *, compress=False):
    text = "".join((r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)) + "\n" for r in records)
    if compress:
        path.write_bytes(gzip.compress(text.encode()))
    else:
        path.write_text(text, encoding="utf-8")
    return path


def record(n, **fields):
    base = {"external_id": f"ext-{n}", "organisation": "TEST00002", "title": f"关于第{n}项工作的通知",
            "published_at": f"2024-03-0{n % 9 + 1}", "body_text": f"第{n}项工作正文。"}
    return {**base, **fields}


FULL = {
    "external_id": "full-1", "organisation": "TEST00002", "title": "  测试市教育局关于规范招生入学工作的通知 ",
    "doc_number": "测教发[2024]007号", "issuers": ["TEST00002", "TEST00003", "测试市外部协会"],
    "written_on": "2024年3月1日", "published_at": "2024-03-05T10:30:00+08:00", "effective_on": "2024-04-01",
    "expires_on": "2029-03-31", "topic": "11.02", "genre": "行政规范性文件", "audiences": ["个人", "法人"],
    "life_stages": ["上学"], "subject_words": "招生 义务教育", "summary": "规范义务教育招生。",
    "consultation_department": "基础教育科", "consultation_phone": "0532-12345678", "registration_no": "CSR-2024-001",
    "source": "测试市教育局", "category": "规范性文件", "body": "<p>正文</p><script>alert(1)</script>",
    "disclosure_attribute": "主动公开",
}


def test_canonical_import_creates_documents_with_all_fields(tmp_path, department, other_department):
    report = documents_import_file(path=write_jsonl(tmp_path / "a.jsonl", [FULL]))
    assert (report.created, report.errors) == (1, [])
    doc = Document.objects.get(external_id="full-1")
    assert doc.title == "测试市教育局关于规范招生入学工作的通知"
    assert doc.doc_number == "测教发〔2024〕7号"  # repaired to GB/T 9704 form
    assert doc.organisation == department
    assert doc.issuer_names() == ["测试市教育局", "测试市财政局", "测试市外部协会"]
    assert doc.written_on == dt.date(2024, 3, 1)
    assert timezone.localtime(doc.published_at) == timezone.make_aware(dt.datetime(2024, 3, 5, 10, 30))
    assert (doc.effective_on, doc.expires_on) == (dt.date(2024, 4, 1), dt.date(2029, 3, 31))
    assert doc.topic.label == "科技、教育\\教育"
    assert doc.genre == Genre.NORMATIVE
    assert (doc.audiences, doc.life_stages) == (["person", "legal_person"], ["上学"])
    assert (doc.subject_words, doc.summary, doc.registration_no) == ("招生 义务教育", "规范义务教育招生。", "CSR-2024-001")
    assert (doc.consultation_department, doc.consultation_phone) == ("基础教育科", "0532-12345678")
    assert (doc.source, doc.category) == ("测试市教育局", "规范性文件")
    assert doc.body == "<p>正文</p>"
    assert doc.index_no == "TEST00002/2024-00001"
    assert (doc.status, doc.validity) == (Status.PUBLISHED, Validity.VALID)
    published = doc.events.get()
    assert published.kind == Kind.PUBLISHED and published.at == doc.published_at
    assert AuditEvent.objects.filter(action="documents.import").count() == 1


def test_events_link_documents_and_validity_is_derived_from_them(tmp_path, department):
    records = [
        record(1, events=[{"kind": "amended_by", "by": "ext-2", "on": "2024-06-01"}]),
        record(2, events=[{"kind": "repealed_by", "by": "ext-3", "on": "2025-01-01", "reason": "被新规定替代"}]),
        record(3, body_text=None, body_markdown="## 第一章 总则\n\n第一条 为了……\n\n| 项目 | 标准 |\n|---|---|\n| 甲 | 1 |"),
        record(4, status="withdrawn", withdrawn_reason="内容有误"),
        record(5, status="draft", published_at=None),
        record(6, repealed_on="2024-12-31"),
    ]
    report = documents_import_file(path=write_jsonl(tmp_path / "a.jsonl", records))
    assert report.errors == [] and report.created == 6
    docs = {d.external_id: d for d in Document.objects.all()}
    assert docs["ext-1"].validity == Validity.AMENDED
    assert docs["ext-1"].events.get(kind=Kind.AMENDED_BY).related_document == docs["ext-2"]
    assert (docs["ext-2"].validity, docs["ext-2"].repealed_on) == (Validity.REPEALED, dt.date(2025, 1, 1))
    assert "<table>" in docs["ext-3"].body and "<h2>第一章 总则</h2>" in docs["ext-3"].body
    assert docs["ext-4"].status == Status.WITHDRAWN
    assert docs["ext-5"].status == Status.DRAFT and docs["ext-5"].published_at is None
    assert (docs["ext-6"].validity, docs["ext-6"].repealed_on) == (Validity.REPEALED, dt.date(2024, 12, 31))


def test_importing_the_same_file_twice_changes_nothing(tmp_path, department):
    path = write_jsonl(tmp_path / "a.jsonl", [FULL, *[record(n) for n in range(2, 8)],
                                              record(8, events=[{"kind": "amended_by", "by": "ext-2"}])])
    first = documents_import_file(path=path)
    before = list(Document.objects.order_by("pk").values())
    counts = (LifecycleEvent.objects.count(), DocumentIssuer.objects.count(), AuditEvent.objects.count())
    second = documents_import_file(path=path)
    assert (first.created, first.unchanged) == (8, 0)
    assert (second.created, second.updated, second.unchanged, second.errors) == (0, 0, 8, [])
    assert list(Document.objects.order_by("pk").values()) == before
    assert (LifecycleEvent.objects.count(), DocumentIssuer.objects.count(), AuditEvent.objects.count()) == counts


def test_a_reformatted_source_with_the_same_content_is_unchanged(tmp_path, department):
    documents_import_file(path=write_jsonl(tmp_path / "a.jsonl", [record(1)]))
    events = LifecycleEvent.objects.count()
    report = documents_import_file(path=write_jsonl(tmp_path / "b.jsonl", [record(1, body="<p>第1项工作正文。</p>",
                                                                                   body_text=None)]))
    assert (report.updated, report.unchanged) == (0, 1)
    assert LifecycleEvent.objects.count() == events


def test_a_changed_record_updates_the_document_and_records_a_correction(tmp_path, department):
    documents_import_file(path=write_jsonl(tmp_path / "a.jsonl", [record(1), record(2)]))
    doc = Document.objects.get(external_id="ext-1")
    report = documents_import_file(path=write_jsonl(tmp_path / "b.jsonl", [
        record(1, title="关于第1项工作的通知（修订）", events=[{"kind": "expired", "on": "2024-09-30"}]), record(2),
    ]))
    assert (report.updated, report.unchanged) == (1, 1)
    doc.refresh_from_db()
    assert doc.title == "关于第1项工作的通知（修订）"
    assert doc.index_no == "TEST00002/2024-00001"  # keeps its number
    assert doc.validity == Validity.EXPIRED
    assert set(doc.events.values_list("kind", flat=True)) == {Kind.PUBLISHED, Kind.EXPIRED, Kind.CORRECTED}
    assert AuditEvent.objects.filter(action="document.import_update", object_id=str(doc.pk)).count() == 1


def test_bad_lines_are_reported_with_their_line_numbers_while_good_lines_import(tmp_path, department):
    lines = [
        record(1),
        '{"external_id": "broken", "title": ',
        record(3, organisation="NOPE"),
        record(4, doc_number="国办发〔2018〕"),
        "",
        record(6, title="  "),
        record(7, written_on="2024-02-30"),
        record(8, topic="99.99"),
        record(9, events=[{"kind": "amended_by", "by": "not-there"}]),
        record(10, disclosure_attribute="依申请公开"),
        record(13, published_at="2099-01-01"),
        record(14, status="draft", published_at=None, disclosure_attribute="依申请公开", disclosure_reason="涉及第三方"),
        record(15, disclosure_attribute="不予公开", disclosure_reason="涉及国家秘密"),
        record(16, events=[{"kind": "repealed_by", "by": "ext-1"}]),
        record(11),
        record(1, title="重复"),
    ]
    report = documents_import_file(path=write_jsonl(tmp_path / "a.jsonl", lines))
    errors = dict(report.errors)
    assert sorted(errors) == [2, 3, 4, 6, 7, 8, 9, 10, 11, 13, 14, 16]
    assert "JSON" in errors[2]
    assert "未知机关代码“NOPE”" in errors[3]
    assert "发文字号" in errors[4] and "无法规范化" in errors[4]
    assert "缺少标题" in errors[6]
    assert "written_on" in errors[7] and "2024-02-30" in errors[7]
    assert "主题分类" in errors[8]
    assert "not-there" in errors[9]
    assert "理由" in errors[10]
    assert "晚于当前时间" in errors[11]
    assert "不在网站发布" in errors[13]
    assert "废止日期" in errors[14]
    assert "第 1 行重复" in errors[16]
    assert set(Document.objects.values_list("external_id", flat=True)) == {"ext-1", "ext-11", "ext-14"}
    assert report.created == 3


def test_a_line_that_fails_in_the_database_leaves_no_half_document(tmp_path, department):
    lines = [record(n) for n in range(1, 6)]
    lines[3] = record(4, index_no="FIXED/1")
    lines.append(record(6, index_no="FIXED/1", issuers=["TEST00002", "某外部机关"],
                        events=[{"kind": "expired", "on": "2024-12-31"}]))
    lines.append(record(7, events=[{"kind": "amended_by", "by": "ext-6"}]))  # its target fails: so does it
    report = documents_import_file(path=write_jsonl(tmp_path / "a.jsonl", lines), batch_size=50)
    errors = dict(report.errors)
    assert sorted(errors) == [6, 7]
    assert "索引号" in errors[6]
    assert "ext-6" in errors[7]
    assert not Document.objects.filter(external_id__in=["ext-6", "ext-7"]).exists()
    assert not DocumentIssuer.objects.filter(name="某外部机关").exists()
    assert not LifecycleEvent.objects.filter(kind=Kind.EXPIRED).exists()
    assert Document.objects.count() == 5
    assert all(d.issuers.count() == 1 and d.events.count() == 1 for d in Document.objects.all())
    # the rolled-back batch gave its numbers back: the four generated ones are 1..4, no gaps
    generated = sorted(Document.objects.exclude(index_no="FIXED/1").values_list("index_no", flat=True))
    assert generated == [f"TEST00002/2024-{n:05d}" for n in range(1, 5)]


def test_gzip_input_is_read_like_plain_text(tmp_path, department):
    path = write_jsonl(tmp_path / "docs.jsonl.gz", [record(1), record(2)], compress=True)
    report = documents_import_file(path=path)
    assert (report.created, report.errors) == (2, [])
    assert report.bytes_read > 0


def test_index_numbers_are_gap_free_and_unique_after_batch_import(tmp_path, department):
    lines = [record(n, published_at=f"{2023 + n % 2}-05-01") for n in range(1, 26)]
    report = documents_import_file(path=write_jsonl(tmp_path / "a.jsonl", lines), batch_size=7)
    assert report.created == 25
    numbers = list(Document.objects.values_list("index_no", flat=True))
    assert len(numbers) == len(set(numbers)) == 25
    for year, expected in ((2023, 12), (2024, 13)):
        seqs = sorted(int(n.rsplit("-", 1)[1]) for n in numbers if f"/{year}-" in n)
        assert seqs == list(range(1, expected + 1))
        assert IndexNoCounter.objects.get(organisation=department, year=year).last_value == expected
    with transaction.atomic():  # the next number after the import continues the sequence
        assert services.index_nos_allocate(organisation=department, year=2024, dates=[dt.date(2024, 9, 1)]) == [
            "TEST00002/2024-00014"]


def test_index_nos_allocate_hands_out_one_consecutive_block(department):
    with transaction.atomic():
        first = services.index_nos_allocate(organisation=department, year=2022, dates=[dt.date(2022, 1, 5)] * 3)
        second = services.index_nos_allocate(organisation=department, year=2022, dates=[dt.date(2022, 7, 1)])
    assert first + second == [f"TEST00002/2022-{n:05d}" for n in range(1, 5)]
    with pytest.raises(ValueError):
        services.index_nos_allocate(organisation=department, year=2022, dates=[dt.date(2023, 1, 1)])


def test_command_imports_and_fails_with_line_errors(tmp_path, department, capsys):
    good = write_jsonl(tmp_path / "good.jsonl", [record(1)])
    call_command("import_documents", str(good))
    assert "新建 1" in capsys.readouterr().out
    bad = write_jsonl(tmp_path / "bad.jsonl", [record(2), "not json"])
    with pytest.raises(CommandError) as excinfo:
        call_command("import_documents", str(bad), "--format", "canonical")
    assert excinfo.value.returncode == 2
    assert "第 2 行" in capsys.readouterr().err
    assert Document.objects.filter(external_id="ext-2").exists()


def test_console_command_accepts_hyphenated_names():
    assert command_argv(["import-documents", "a-b.jsonl", "--format", "laws"]) == [
        "import_documents", "a-b.jsonl", "--format", "laws"]
    assert command_argv(["help", "import-documents"]) == ["help", "import_documents"]
    assert command_argv(["--version"]) == ["--version"]


def test_demo_library_falls_back_to_the_built_in_sample_and_is_idempotent(settings, tmp_path, government):
    from io import StringIO

    from gongkai.documents.demo import load_demo_documents

    organisation_create(name="国家法律法规（外部来源）", code="NATIONAL", kind=Organisation.Kind.OTHER)
    for code in ("DEMO00001", "DEMO00003", "DEMO00004", "DEMO00005", "DEMO00006"):
        organisation_create(name=f"示例机关{code}", code=code)
    settings.SHARED_DIR = tmp_path / "absent"
    out = StringIO()
    load_demo_documents(stdout=out)
    count = Document.objects.count()
    assert count >= 10 and "内置示例" in out.getvalue()
    events = LifecycleEvent.objects.count()
    out = StringIO()
    load_demo_documents(stdout=out)
    assert Document.objects.count() == count and LifecycleEvent.objects.count() == events
    assert f"未变 {count}" in out.getvalue()
    old, new = Document.objects.filter(title="中华人民共和国政府信息公开条例").order_by("published_at")
    assert (old.validity, new.validity) == (Validity.AMENDED, Validity.VALID)


def test_a_draft_published_by_a_later_import_becomes_published_but_never_back(tmp_path, department):
    documents_import_file(path=write_jsonl(tmp_path / "a.jsonl", [record(1, status="draft", published_at=None)]))
    report = documents_import_file(path=write_jsonl(tmp_path / "b.jsonl", [record(1)]))
    doc = Document.objects.get(external_id="ext-1")
    assert report.updated == 1 and doc.status == Status.PUBLISHED
    assert timezone.localdate(doc.published_at) == dt.date(2024, 3, 2)
    assert doc.events.get(kind=Kind.PUBLISHED).at == doc.published_at  # the historical date is kept
    again = documents_import_file(path=write_jsonl(tmp_path / "c.jsonl", [record(1, status="draft", published_at=None)]))
    assert again.updated == 0 and "不能通过导入改回草稿" in again.errors[0][1]
    doc.refresh_from_db()
    assert doc.status == Status.PUBLISHED


def test_limit_imports_only_the_first_lines(tmp_path, department):
    report = documents_import_file(path=write_jsonl(tmp_path / "a.jsonl", [record(n) for n in range(1, 6)]), limit=2)
    assert (report.lines, report.created) == (2, 2)
    assert set(Document.objects.values_list("external_id", flat=True)) == {"ext-1", "ext-2"}


def test_imported_documents_are_found_by_search_right_away(tmp_path, department):
    from gongkai.search.selectors import search_documents

    path = write_jsonl(tmp_path / "s.jsonl", [FULL, record(2, title="关于开展校园食品安全专项检查的通知")])
    documents_import_file(path=path)
    assert [h.document.title for h in search_documents(q="校园食品安全").hits] == ["关于开展校园食品安全专项检查的通知"]
    assert search_documents(q="测教发〔2024〕7号").hits[0].document.doc_number == "测教发〔2024〕7号"
