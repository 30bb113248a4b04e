"""`gongkai import_applications`: idempotent, line-numbered errors, each case all-or-nothing."""

import gzip
import json

import pytest
from django.core.management import CommandError, call_command

from gongkai.applications.models import Application, ApplicationEvent, Remedy
from gongkai.core import workdays

pytestmark = pytest.mark.django_db


def record(external_id, organisation="TEST00002", **extra):
    base = {
        "external_id": external_id,
        "organisation": organisation,
        "applicant_kind": "enterprise",
        "channel": "letter",
        "description": "请公开 2024 年某项目的环评批复",
        "events": [
            {"type": "received", "date": "2025-03-03"},
            {"type": "extension", "date": "2025-03-25", "fields": {"days": 20, "approver": "李主任"}},
        ],
        "outcome": "partial",
        "concluded_on": "2025-04-10",
        "remedies": [
            {"kind": "reconsideration", "filed_on": "2025-05-01", "result": "upheld", "decided_on": "2025-06-20"},
            {"kind": "litigation_after_reconsideration", "filed_on": "2025-07-01"},
        ],
    }
    base.update(extra)
    return base


def write(path, records, raw_lines=()):
    lines = [json.dumps(r, ensure_ascii=False) for r in records] + list(raw_lines)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_import_creates_cases_with_derived_clock_and_remedies(tmp_path, department, capsys):
    path = write(tmp_path / "cases.jsonl", [record("A-1"), record("A-2", outcome="disclosed", applicant_kind="natural_person",
                                                                      channel="in_person")])
    call_command("import_applications", str(path))
    out = capsys.readouterr().out
    assert "新导入 2 件，已存在跳过 0 件，出错 0 行。" in out
    case = Application.objects.get(external_id="A-1")
    assert case.imported and case.applicant == {}
    assert case.outcome == "partial" and case.concluded_on.isoformat() == "2025-04-10"
    assert case.due_on == workdays.add_working_days(case.received_on, 40)
    assert list(case.events.values_list("type", flat=True)) == ["received", "extension", "determination"]
    assert [r.kind for r in case.remedies.all()] == ["reconsideration", "litigation_after_reconsideration"]
    assert case.remedies.last().follows == case.remedies.first()


def test_reimport_is_idempotent(tmp_path, department, capsys):
    path = write(tmp_path / "cases.jsonl", [record("A-1")])
    call_command("import_applications", str(path))
    call_command("import_applications", str(path))
    assert "新导入 0 件，已存在跳过 1 件" in capsys.readouterr().out
    assert Application.objects.count() == 1 and Remedy.objects.count() == 2


def test_bad_lines_are_reported_with_numbers_and_leave_nothing_behind(tmp_path, department, capsys):
    second_extension = record("B-2", events=[
        {"type": "received", "date": "2025-03-03"},
        {"type": "extension", "date": "2025-03-10", "fields": {"approver": "李主任"}},
        {"type": "extension", "date": "2025-03-11", "fields": {"approver": "李主任"}},
    ])
    path = write(tmp_path / "cases.jsonl", [
        record("B-1"),
        record("B-2x", organisation="NOWHERE"),
        second_extension,
        record("B-4", outcome="granted"),
    ], raw_lines=["", "{not json"])
    with pytest.raises(CommandError, match="4 行未导入"):
        call_command("import_applications", str(path))
    err = capsys.readouterr().err
    assert "第 2 行：机关代码“NOWHERE”不存在。" in err
    assert "第 3 行：第 3 个事件（extension）：每件申请只能延期一次" in err
    assert "第 4 行：办理结果代码“granted”无效。" in err
    assert "第 6 行：不是有效的 JSON" in err
    assert list(Application.objects.values_list("external_id", flat=True)) == ["B-1"]
    assert ApplicationEvent.objects.count() == 3


def test_a_failing_remedy_rolls_back_its_whole_case(tmp_path, department, capsys):
    bad = record("C-1", remedies=[{"kind": "reconsideration", "filed_on": "2025-05-01", "result": "upheld"}])
    path = write(tmp_path / "cases.jsonl", [bad])
    with pytest.raises(CommandError):
        call_command("import_applications", str(path))
    assert "第 1 行：第 1 个复议诉讼：已审结的复议或诉讼须填写审结日期。" in capsys.readouterr().err
    assert not Application.objects.exists() and not ApplicationEvent.objects.exists()


def test_gzip_files_and_progress_output(tmp_path, department, capsys):
    path = tmp_path / "cases.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as f:
        for n in range(5):
            f.write(json.dumps(record(f"G-{n}")) + "\n")
    call_command("import_applications", str(path), every=2)
    out = capsys.readouterr().out
    assert "已处理 2 行" in out and "已处理 4 行" in out and "新导入 5 件" in out


def test_imported_personal_data_is_optional_but_encrypted_when_present(tmp_path, department):
    path = write(tmp_path / "cases.jsonl", [record("P-1", applicant_kind="natural_person", channel="in_person",
                                                   applicant={"name": "赵六", "phone": "13700000000"})])
    call_command("import_applications", str(path))
    assert Application.objects.get(external_id="P-1").applicant["name"] == "赵六"
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT applicant FROM applications_application")
        assert "赵六" not in cursor.fetchone()[0]
