"""The administrator-maintained calendar: file format checks, import, the commands, the back office."""

import datetime as dt
import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import chinese_calendar
import pytest
from django.core.management import call_command

from gongkai.core.calendar_format import ArrangementError, arrangement_load, arrangement_parse
from gongkai.core.models import AuditEvent, CalendarDay, CalendarYear, User
from gongkai.core.workdays import CalendarYearMissing, add_working_days, calendar_version, is_working_day

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "docs" / "examples"
D = dt.date

YEAR_2027 = {
    "year": 2027,
    "source": "国办发明电〔2026〕测试号",
    "holidays": [
        {"name": "元旦", "start": "2027-01-01", "end": "2027-01-03"},
        {"name": "春节", "start": "2027-02-06", "end": "2027-02-14"},
        {"name": "国庆节", "start": "2027-10-01", "end": "2027-10-07"},
    ],
    "workdays": [{"date": "2027-02-20", "name": "春节"}, {"date": "2027-10-09", "name": "国庆节"}],
}


def run(*args) -> tuple[int, str, str]:
    """Run a management command; return (exit code, stdout, stderr)."""
    out, err = StringIO(), StringIO()
    try:
        call_command(*args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue(), err.getvalue()


def write(tmp_path: Path, data: dict, name: str = "cal.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def problems_of(data) -> list[str]:
    with pytest.raises(ArrangementError) as excinfo:
        arrangement_parse(data)
    return excinfo.value.problems


# --- file format -----------------------------------------------------------------------------------


def test_the_documented_2026_example_matches_chinese_calendar_day_for_day():
    arrangement = arrangement_load(EXAMPLES / "calendar-2026.yaml")
    holidays = arrangement.holiday_days()
    day = D(2026, 1, 1)
    while day.year == 2026:
        working = day in arrangement.workdays or (day.weekday() < 5 and day not in holidays)
        assert working == chinese_calendar.is_workday(day), day
        day += dt.timedelta(days=1)
    assert len(arrangement.weekday_holidays()) == 19


def test_the_2027_example_says_it_is_illustrative_and_is_a_valid_file():
    path = EXAMPLES / "calendar-2027-illustrative.yaml"
    text = path.read_text(encoding="utf-8")
    assert "示例文件，不是官方安排" in text
    arrangement = arrangement_load(path)
    assert arrangement.year == 2027
    assert "示例" in arrangement.source


def test_a_make_up_day_on_a_weekday_is_refused():
    data = {**YEAR_2027, "workdays": [{"date": "2027-02-19", "name": "春节"}]}
    assert any("2027-02-19 是星期五，调休上班日必须是周六或周日" in p for p in problems_of(data))


def test_a_day_both_holiday_and_make_up_day_is_refused():
    data = {**YEAR_2027, "workdays": [{"date": "2027-02-06", "name": "春节"}]}
    assert any("同时被列为放假（春节）和调休上班" in p for p in problems_of(data))


def test_dates_outside_the_year_and_bad_dates_are_refused_with_every_problem_listed():
    data = {
        **YEAR_2027,
        "holidays": [
            {"name": "元旦", "start": "2026-12-31", "end": "2027-01-02"},
            {"name": "春节", "start": "2027-02-30", "end": "2027-03-01"},
            {"name": "国庆节", "start": "2027-10-07", "end": "2027-10-01"},
        ],
        "workdays": [{"date": "2028-01-08", "name": "x"}],
    }
    problems = problems_of(data)
    assert any("2026-12-31 至 2027-01-02 不在 2027 年内" in p for p in problems)
    assert any("“2027-02-30”不是有效日期" in p for p in problems)
    assert any("结束日期 2027-10-01 早于开始日期 2027-10-07" in p for p in problems)
    assert any("2028-01-08 不在 2027 年内" in p for p in problems)


def test_overlapping_holidays_unknown_keys_missing_source_and_weekend_only_holidays_are_refused():
    data = {
        "year": 2027,
        "holiday": [],
        "holidays": [
            {"name": "春节", "start": "2027-02-06", "end": "2027-02-14"},
            {"name": "元宵", "start": "2027-02-14", "end": "2027-02-14"},
        ],
        "workdays": [],
    }
    problems = problems_of(data)
    assert any("未知字段：holiday" in p for p in problems)
    assert any("source（依据通知文号）：不能为空" in p for p in problems)
    assert any("2027-02-14 已在“春节”中列为放假" in p for p in problems)
    assert any("全是周末，没有放假的工作日" in p for p in problems)


def test_a_file_without_a_workdays_list_is_refused_so_make_up_days_cannot_be_forgotten():
    data = {key: value for key, value in YEAR_2027.items() if key != "workdays"}
    assert any("workdays：必须列出调休上班日" in p for p in problems_of(data))
    assert arrangement_parse({**data, "workdays": []}).workdays == {}


# --- import command --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_import_makes_2027_computable_is_idempotent_and_is_audited(tmp_path, platform_admin):
    path = write(tmp_path, YEAR_2027)
    with pytest.raises(CalendarYearMissing, match="2027"):
        add_working_days(D(2026, 12, 10), 20)

    code, out, err = run("calendar", "import", str(path), "--by", platform_admin.username)
    assert (code, err) == (0, "")
    assert "已导入 2027 年节假日安排（国办发明电〔2026〕测试号），修订 r1" in out
    assert "其中工作日放假 11 天" in out  # 1/1, 2/8-2/12, 10/1 and 10/4-10/7
    version = calendar_version()
    assert version.endswith("+db:2027r1")
    assert add_working_days(D(2026, 12, 10), 20) == D(2027, 1, 8)
    year = CalendarYear.objects.get(year=2027)
    assert (year.revision, year.entered_by) == (1, platform_admin)
    assert CalendarDay.objects.filter(calendar_year=year, kind="holiday").count() == 3 + 9 + 7
    event = AuditEvent.objects.get(action="calendar.import")
    assert event.actor == platform_admin
    assert ["2027-02-20", "春节"] in event.after["workdays"]

    code, out, _ = run("calendar", "import", str(path))
    assert code == 0 and "完全一致，未作改动" in out
    assert calendar_version() == version
    assert AuditEvent.objects.filter(action="calendar.import").count() == 1

    changed = {**YEAR_2027, "workdays": [{"date": "2027-02-20", "name": "春节"}]}
    code, out, _ = run("calendar", "import", str(write(tmp_path, changed, "cal2.json")))
    assert code == 0 and "已更新 2027 年" in out
    assert calendar_version().endswith("+db:2027r2")
    assert is_working_day(D(2027, 10, 9)) is False
    event = AuditEvent.objects.filter(action="calendar.import").first()
    assert ["2027-10-09", "国庆节"] in event.before["workdays"]
    assert ["2027-10-09", "国庆节"] not in event.after["workdays"]


@pytest.mark.django_db
def test_import_of_the_2026_yaml_reports_agreement_with_the_package():
    code, out, _ = run("calendar", "import", str(EXAMPLES / "calendar-2026.yaml"))
    assert code == 0
    assert "与 chinesecalendar 软件包的 2026 年数据一致" in out
    assert "其中工作日放假 19 天，调休上班 6 天" in out


@pytest.mark.django_db
def test_import_of_an_invalid_file_fails_with_code_1_and_changes_nothing(tmp_path):
    data = {**YEAR_2027, "workdays": [{"date": "2027-02-19", "name": "春节"}]}
    code, out, err = run("calendar", "import", str(write(tmp_path, data)))
    assert code == 1
    assert "调休上班日必须是周六或周日" in err
    assert "Traceback" not in err
    assert not CalendarYear.objects.exists()

    bad = tmp_path / "bad.yaml"
    bad.write_text("year: 2027\nholidays: [\n", encoding="utf-8")
    code, _, err = run("calendar", "import", str(bad))
    assert code == 1 and "YAML 格式错误" in err
    code, _, err = run("calendar", "import", str(tmp_path / "absent.json"))
    assert code == 1 and "找不到文件" in err


@pytest.mark.django_db
def test_the_illustrative_2027_example_is_not_imported_by_mistake():
    code, _, err = run("calendar", "import", str(EXAMPLES / "calendar-2027-illustrative.yaml"))
    assert code == 1 and "是示例数据而非官方放假安排" in err
    assert not CalendarYear.objects.exists()
    code, _, _ = run("calendar", "import", str(EXAMPLES / "calendar-2027-illustrative.yaml"), "--example")
    assert code == 0


# --- show and workdays commands --------------------------------------------------------------------


@pytest.mark.django_db
def test_show_prints_a_package_year_with_its_holidays_make_up_days_and_source():
    code, out, _ = run("calendar", "show", "2026")
    assert code == 0
    assert "来源：chinesecalendar 1.11.0 软件包" in out
    assert "春节：02-15 至 02-23，共 9 天（其中工作日 6 天）" in out
    assert "02-14（星期六）春节" in out
    assert "01-04（星期日）元旦" in out


@pytest.mark.django_db
def test_show_prints_a_database_year_with_its_notice_and_revision(tmp_path):
    run("calendar", "import", str(write(tmp_path, YEAR_2027)))
    code, out, _ = run("calendar", "show", "2027")
    assert code == 0
    assert "来源：国办发明电〔2026〕测试号（管理员录入，修订 r1" in out
    assert "国庆节：10-01 至 10-07，共 7 天（其中工作日 5 天）" in out
    assert "10-09（星期六）国庆节" in out


@pytest.mark.django_db
def test_show_of_a_missing_year_fails_naming_it():
    code, out, err = run("calendar", "show", "2030")
    assert (code, out) == (1, "")
    assert "2030 年的节假日安排尚未录入工作日历" in err


@pytest.mark.django_db
def test_workdays_add_and_between_print_the_rules_worked_example():
    assert run("workdays", "add", "2025-09-26", "20") == (0, "2025-10-30\n", "")
    assert run("workdays", "between", "2025-09-26", "2025-10-30") == (0, "20\n", "")
    assert run("workdays", "add", "2026-02-13", "1") == (0, "2026-02-14\n", "")


@pytest.mark.django_db
def test_workdays_errors_are_chinese_on_stderr_with_exit_code_1():
    code, out, err = run("workdays", "add", "2026-12-10", "20")
    assert (code, out) == (1, "")
    assert "2027 年的节假日安排尚未录入工作日历" in err
    code, _, err = run("workdays", "add", "2026-02-30", "5")
    assert code == 1 and "日期“2026-02-30”不是有效日期" in err
    code, _, err = run("workdays", "add", "2026-02-03", "五")
    assert code == 1 and "工作日数“五”不是整数" in err
    code, _, err = run("workdays", "add", "2026-02-03", "-1")
    assert code == 1 and "不能小于 0" in err
    code, _, err = run("workdays", "between", "2026-02-03", "2027-01-05")
    assert code == 1 and "2027 年" in err


def test_the_console_command_exits_1_without_a_traceback_on_a_bad_date():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.test_settings"}
    proc = subprocess.run(
        [sys.executable, "-m", "gongkai", "workdays", "add", "2026-13-01", "5"],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=60,
    )
    assert proc.returncode == 1
    assert "日期“2026-13-01”不是有效日期" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert proc.stdout == ""


# --- back office -----------------------------------------------------------------------------------


def admin_form(year: int, source: str, days: list[tuple[str, str, str]], initial: int = 0, ids=()) -> dict:
    data = {
        "year": str(year),
        "source": source,
        "note": "",
        "days-TOTAL_FORMS": str(len(days)),
        "days-INITIAL_FORMS": str(initial),
        "days-MIN_NUM_FORMS": "0",
        "days-MAX_NUM_FORMS": "1000",
    }
    for i, (date, kind, name) in enumerate(days):
        data.update({f"days-{i}-date": date, f"days-{i}-kind": kind, f"days-{i}-name": name})
        if i < len(ids):
            data[f"days-{i}-id"] = str(ids[i])
            data[f"days-{i}-calendar_year"] = ""
    return data


@pytest.fixture
def admin_client_(client, db):
    user = User.objects.create_superuser(username="root", password="Test-pass-123", email="r@example.org")
    client.force_login(user)
    return client, user


def test_admin_can_correct_a_package_year_and_the_override_applies_at_once(admin_client_):
    client, user = admin_client_
    assert client.get("/admin/core/calendaryear/").status_code == 200
    assert client.get("/admin/core/calendaryear/add/").status_code == 200
    assert is_working_day(D(2026, 3, 2)) is True
    response = client.post(
        "/admin/core/calendaryear/add/",
        admin_form(2026, "国办发明电〔2025〕7号（更正）", [("2026-03-02", "holiday", "更正假日"), ("2026-02-14", "workday", "春节")]),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert is_working_day(D(2026, 3, 2)) is False
    assert chinese_calendar.is_workday(D(2026, 3, 2)) is True
    assert is_working_day(D(2026, 2, 14)) is True
    year = CalendarYear.objects.get(year=2026)
    assert (year.revision, year.entered_by) == (1, user)
    assert calendar_version().endswith("+db:2026r1")
    assert AuditEvent.objects.filter(action="calendar.create", actor=user).exists()
    assert client.get(f"/admin/core/calendaryear/{year.pk}/change/").status_code == 200

    # Editing the year (dropping the correction) is a new revision.
    day_ids = list(year.days.order_by("date").values_list("id", flat=True))  # 02-14, 03-02
    data = admin_form(2026, year.source, [("2026-02-14", "workday", "春节"), ("2026-03-02", "holiday", "更正假日")],
                      initial=2, ids=day_ids)
    data["days-1-DELETE"] = "on"
    response = client.post(f"/admin/core/calendaryear/{year.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert is_working_day(D(2026, 3, 2)) is True
    assert calendar_version().endswith("+db:2026r2")
    assert AuditEvent.objects.filter(action="calendar.edit").exists()

    # Deleting it brings the package's 2026 back.
    response = client.post(f"/admin/core/calendaryear/{year.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert calendar_version() == f"chinesecalendar-{chinese_calendar.__version__}"
    assert AuditEvent.objects.filter(action="calendar.delete").exists()


def test_admin_refuses_a_weekday_make_up_day_and_a_day_outside_the_year(admin_client_):
    client, _ = admin_client_
    response = client.post(
        "/admin/core/calendaryear/add/",
        admin_form(2027, "国办发明电〔2026〕测试号", [("2027-02-19", "workday", "春节"), ("2028-01-03", "holiday", "元旦")]),
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "调休上班日必须是周六或周日" in content
    assert "2028-01-03 不在 2027 年内" in content
    assert not CalendarYear.objects.exists()
