"""The calendar file format (docs/calendar-format.md): read and validate one year's holiday arrangement.

Pure functions, no database: `arrangement_load(path)` / `arrangement_parse(data)` return an
`Arrangement` or raise `ArrangementError` with every problem found, each in Chinese.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path

WEEKDAY_NAMES = "一二三四五六日"
TOP_KEYS = {"year", "source", "title", "note", "holidays", "workdays"}
HOLIDAY_KEYS = {"name", "start", "end"}
WORKDAY_KEYS = {"date", "name"}
MIN_YEAR, MAX_YEAR = 1949, 2200


class ArrangementError(ValueError):
    """The file is not a valid arrangement; `problems` lists every reason."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("工作日历文件有误：\n" + "\n".join(f"  - {p}" for p in problems))


@dataclass(frozen=True)
class HolidayRange:
    name: str
    start: dt.date
    end: dt.date

    def days(self) -> list[dt.date]:
        return [self.start + dt.timedelta(days=i) for i in range((self.end - self.start).days + 1)]


@dataclass(frozen=True)
class Arrangement:
    """One year's holiday arrangement as the notice states it."""

    year: int
    source: str
    title: str = ""
    note: str = ""
    holidays: list[HolidayRange] = field(default_factory=list)
    workdays: dict[dt.date, str] = field(default_factory=dict)

    def holiday_days(self) -> dict[dt.date, str]:
        return {day: h.name for h in self.holidays for day in h.days()}

    def weekday_holidays(self) -> list[dt.date]:
        """Holidays that fall on Monday-Friday: the days the arrangement actually takes off."""
        return sorted(d for d in self.holiday_days() if d.weekday() < 5)


def weekday_name(day: dt.date) -> str:
    return "星期" + WEEKDAY_NAMES[day.weekday()]


def _date(value, where: str, problems: list[str]) -> dt.date | None:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    problems.append(f"{where}：“{value}”不是有效日期，应写成 YYYY-MM-DD，如 2027-01-01")
    return None


def _text(value, where: str, problems: list[str], *, required: bool = True) -> str:
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            problems.append(f"{where}：不能为空")
        return ""
    if not isinstance(value, str | int):
        problems.append(f"{where}：应为文字")
        return ""
    return str(value).strip()


def arrangement_parse(data) -> Arrangement:
    """Validate the parsed content of a calendar file and return the arrangement."""
    problems: list[str] = []
    if not isinstance(data, dict):
        raise ArrangementError(["文件内容应为一个对象（含 year、source、holidays、workdays）"])
    unknown = set(data) - TOP_KEYS
    if unknown:
        problems.append(f"未知字段：{'、'.join(sorted(map(str, unknown)))}；可用字段：{'、'.join(sorted(TOP_KEYS))}")
    year = data.get("year")
    if isinstance(year, str) and year.strip().isdigit():
        year = int(year)
    if not isinstance(year, int) or isinstance(year, bool) or not (MIN_YEAR <= year <= MAX_YEAR):
        raise ArrangementError([*problems, f"year：“{data.get('year')}”不是有效年份"])
    source = _text(data.get("source"), "source（依据通知文号）", problems)
    title = _text(data.get("title"), "title", problems, required=False)
    note = _text(data.get("note"), "note", problems, required=False)

    raw_holidays = data.get("holidays")
    if not isinstance(raw_holidays, list) or not raw_holidays:
        problems.append("holidays：应列出该年的放假安排（至少一项）")
        raw_holidays = []
    holidays: list[HolidayRange] = []
    seen: dict[dt.date, str] = {}
    for i, item in enumerate(raw_holidays, start=1):
        where = f"holidays 第 {i} 项"
        if not isinstance(item, dict):
            problems.append(f"{where}：应含 name、start、end")
            continue
        unknown = set(item) - HOLIDAY_KEYS
        if unknown:
            problems.append(f"{where}：未知字段 {'、'.join(sorted(map(str, unknown)))}")
        name = _text(item.get("name"), f"{where} name（节日名称）", problems)
        start = _date(item.get("start"), f"{where} start", problems)
        end = _date(item.get("end", item.get("start")), f"{where} end", problems)
        if start is None or end is None:
            continue
        if end < start:
            problems.append(f"{where}（{name}）：结束日期 {end} 早于开始日期 {start}")
            continue
        if start.year != year or end.year != year:
            problems.append(f"{where}（{name}）：{start} 至 {end} 不在 {year} 年内")
            continue
        rng = HolidayRange(name=name, start=start, end=end)
        for day in rng.days():
            if day in seen:
                problems.append(f"{where}（{name}）：{day} 已在“{seen[day]}”中列为放假")
            seen[day] = name
        if not any(d.weekday() < 5 for d in rng.days()):
            problems.append(f"{where}（{name}）：{start} 至 {end} 全是周末，没有放假的工作日，请核对通知")
        holidays.append(rng)

    raw_workdays = data.get("workdays", None)
    if "workdays" not in data:
        # Almost every notice has make-up days; forgetting them would make those Saturdays non-working.
        problems.append("workdays：必须列出调休上班日；该年确无调休时写 workdays: []")
        raw_workdays = []
    elif not isinstance(raw_workdays, list):
        problems.append("workdays：应为列表（调休上班日）；没有调休时写 []")
        raw_workdays = []
    workdays: dict[dt.date, str] = {}
    for i, item in enumerate(raw_workdays, start=1):
        where = f"workdays 第 {i} 项"
        if not isinstance(item, dict):
            problems.append(f"{where}：应含 date、name")
            continue
        unknown = set(item) - WORKDAY_KEYS
        if unknown:
            problems.append(f"{where}：未知字段 {'、'.join(sorted(map(str, unknown)))}")
        name = _text(item.get("name"), f"{where} name（所调的节日）", problems)
        day = _date(item.get("date"), f"{where} date", problems)
        if day is None:
            continue
        if day.year != year:
            problems.append(f"{where}：{day} 不在 {year} 年内")
        elif day.weekday() < 5:
            problems.append(f"{where}：{day} 是{weekday_name(day)}，调休上班日必须是周六或周日")
        elif day in seen:
            problems.append(f"{where}：{day} 同时被列为放假（{seen[day]}）和调休上班")
        elif day in workdays:
            problems.append(f"{where}：{day} 重复列出")
        else:
            workdays[day] = name
    if problems:
        raise ArrangementError(problems)
    holidays.sort(key=lambda h: h.start)
    return Arrangement(
        year=year, source=source, title=title, note=note, holidays=holidays, workdays=dict(sorted(workdays.items()))
    )


def arrangement_load(path: str | Path) -> Arrangement:
    """Read a .json, .yaml or .yml calendar file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ArrangementError([f"找不到文件：{path}"]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ArrangementError([f"无法读取文件 {path}：{exc}"]) from None
    suffix = path.suffix.lower()
    if suffix == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ArrangementError([f"JSON 格式错误（第 {exc.lineno} 行第 {exc.colno} 列）：{exc.msg}"]) from None
    elif suffix in {".yaml", ".yml"}:
        import yaml

        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f"（第 {mark.line + 1} 行）" if mark is not None else ""
            raise ArrangementError([f"YAML 格式错误{where}：{getattr(exc, 'problem', exc)}"]) from None
    else:
        raise ArrangementError([f"不支持的文件类型“{suffix or '无扩展名'}”：请用 .json、.yaml 或 .yml"])
    return arrangement_parse(data)
