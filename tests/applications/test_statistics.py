"""Dashboard statistics and the server-drawn SVG charts."""

import datetime as dt

from gongkai.applications import statistics
from gongkai.applications.services import application_record_event

from .conftest import determine, new_case


def test_figures(department, other_department, handler, other_handler):
    on_time = new_case(department, handler, received_on="2026-09-28")
    application_record_event(application=on_time, by=handler, type="determination", occurred_on="2026-10-20",
                             fields={"outcome": "disclosed"})
    late = new_case(department, handler, received_on="2026-09-01")
    determine(late, handler, "2026-11-20", outcome="withheld_process_info", reason="过程性信息")
    new_case(department, handler, received_on="2026-10-09")
    new_case(other_department, other_handler, received_on="2026-10-12")
    stats = statistics.application_statistics(organisation_ids=[department.pk, other_department.pk],
                                              start=dt.date(2026, 8, 1), end=dt.date(2026, 11, 30))
    assert stats.received == 4
    assert stats.per_month == [("2026-08", 0), ("2026-09", 2), ("2026-10", 2), ("2026-11", 0)]
    assert stats.per_organisation == [("测试市教育局", 3), ("测试市财政局", 1)]
    assert stats.per_result == [("予以公开", 1), ("不予公开", 1)] or stats.per_result == [("不予公开", 1),
                                                                                        ("予以公开", 1)]
    assert stats.concluded == 2 and stats.on_time == 1 and stats.on_time_share == 0.5
    # 2026-09-28 → 10-20: 12 working days (国庆 10-1…10-7 off, Saturday 10-10 worked);
    # 2026-09-01 → 11-20: 54 (中秋 9-25 off, Sunday 9-20 worked; 21 + 18 + 15); median 33
    assert stats.median_working_days == 33.0


def test_svg_charts_escape_labels_and_have_no_scripts():
    svg = statistics.bar_chart_svg(title="各机关申请量", items=[("<script>alert(1)</script>", 3), ("测试市教育局", 5)])
    assert svg.startswith("<svg") and "<script" not in svg and "&lt;script&gt;" in svg
    assert 'role="img"' in svg and "<title>各机关申请量</title>" in svg
    col = statistics.column_chart_svg(title="每月申请量", items=[("2026-09", 2), ("2026-10", 0)])
    assert col.count("<rect") == 2
