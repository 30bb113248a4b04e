"""Schemes as data: points per indicator, deductions, veto, scaling over what applies; versions; a stored
assessment of a past period recomputes to the same numbers after later records arrive."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gongkai.applications.services import application_record_event, remedy_record
from gongkai.oversight import selectors, services
from gongkai.oversight.models import Scheme
from gongkai.oversight.periods import period_parse
from gongkai.oversight.scoring import organisation_score, ranking
from tests.applications.conftest import new_case

Q3 = period_parse("2026-Q3")


def scheme_of(rules, office_admin):
    scheme = Scheme.objects.create(year=2026, version=1, name="测试方案")
    return services.scheme_update(scheme=scheme, by=office_admin, rules=rules)


@pytest.fixture
def cases(department, handler):
    on_time = new_case(department, handler, received_on="2026-07-01")
    application_record_event(application=on_time, by=handler, type="determination", occurred_on="2026-07-20",
                             fields={"outcome": "disclosed"})
    late = new_case(department, handler, received_on="2026-08-20")  # due 09-17, open at the end of Q3
    return on_time, late


def test_rate_points_scale_to_the_target_and_missing_items_are_left_out(cases, department, office_admin):
    scheme = scheme_of([{"code": "applications_on_time", "weight": 20, "target": "0.8"},
                        {"code": "workplan_on_time", "weight": 10, "target": 1}], office_admin)
    score = organisation_score(scheme=scheme, organisation=department, period=Q3)
    lines = {line.rule.code: line for line in score.lines}
    assert lines["applications_on_time"].points == 12.5  # 20 × min(1, 0.5 / 0.8)
    assert lines["workplan_on_time"].points is None  # no task due: not applicable
    assert score.total == 62.5  # 100 × 12.5 / 20


def test_deductions_and_veto(cases, department, office_admin):
    scheme = scheme_of([{"code": "applications_on_time", "weight": 50, "target": 1},
                        {"code": "applications_corrected", "weight": 10, "deduction": 4}], office_admin)
    for n in range(3):
        remedy_record(application=cases[0], by=None, kind="reconsideration", filed_on=dt.date(2026, 8, 1 + n),
                      result="corrected", decided_on=dt.date(2026, 9, 1 + n))
    score = organisation_score(scheme=scheme, organisation=department, period=Q3)
    assert [line.points for line in score.lines] == [25.0, 0.0]  # 10 − 3×4 stops at 0
    assert score.total == 41.67  # 100 × 25 / 60
    vetoing = services.scheme_update(scheme=scheme, by=office_admin, rules=[
        {"code": "applications_on_time", "weight": 50, "target": 1},
        {"code": "applications_corrected", "weight": 10, "deduction": 1, "veto": True}])
    assert organisation_score(scheme=vetoing, organisation=department, period=Q3).total == 0.0


def test_ranking_puts_agencies_best_first_and_those_without_items_last(cases, department, other_department, government,
                                                                        office_admin, handler):
    scheme = scheme_of([{"code": "applications_on_time", "weight": 10, "target": 1}], office_admin)
    from tests.conftest import make_user

    other_handler = make_user("oh", other_department, "handler")
    good = new_case(other_department, other_handler, received_on="2026-07-01")
    application_record_event(application=good, by=other_handler, type="determination", occurred_on="2026-07-10",
                             fields={"outcome": "disclosed"})
    rows = ranking(scheme=scheme, organisations=[government, department, other_department], period=Q3)
    assert [(r.organisation.name, r.total) for r in rows] == [
        ("测试市财政局", 100.0), ("测试市教育局", 50.0), ("测试市人民政府", None)]


def test_scheme_rules_are_checked_and_only_the_office_may_change_them(office_admin, editor):
    scheme = Scheme.objects.create(year=2026, version=1, name="测试方案")
    with pytest.raises(ValidationError):
        services.scheme_update(scheme=scheme, by=office_admin, rules=[{"code": "nonsense", "weight": 1}])
    with pytest.raises(ValidationError):
        services.scheme_update(scheme=scheme, by=office_admin, rules=[
            {"code": "applications_on_time", "weight": 1, "target": "1.5"}])
    with pytest.raises(PermissionDenied):
        services.scheme_update(scheme=scheme, by=editor, rules=[{"code": "applications_on_time", "weight": 1}])


def test_default_scheme_is_seeded_from_conf_with_its_source(office_admin):
    scheme = services.scheme_seed(year=2026, by=office_admin)
    assert scheme.indicators.count() == 14 and "种子 001" in scheme.source
    assert sum(r.weight for r in scheme.indicators.all()) == Decimal(100)
    assert services.scheme_seed(year=2026, by=office_admin).pk == scheme.pk


def test_a_stored_past_assessment_recomputes_to_the_same_numbers(cases, department, government, office_admin, handler):
    scheme = services.scheme_seed(year=2026, by=office_admin)
    result = services.assessment_store(scheme=scheme, period=Q3, organisations=[government, department], by=office_admin)
    stored_total = result.data["scores"][0]["total"]
    # Records after the period: the open case is answered in October, a new case arrives and is answered.
    application_record_event(application=cases[1], by=handler, type="determination", occurred_on="2026-10-12",
                             fields={"outcome": "disclosed"})
    later = new_case(department, handler, received_on="2026-10-09")
    application_record_event(application=later, by=handler, type="determination", occurred_on="2026-10-20",
                             fields={"outcome": "disclosed"})
    assert selectors.result_compare(result=result) == []
    assert result.data["scores"][0]["total"] == stored_total
    # The scheme used is frozen: a change becomes version 2, the stored result keeps version 1.
    scheme.refresh_from_db()
    assert scheme.frozen
    v2 = services.scheme_update(scheme=scheme, by=office_admin, rules=[
        {"code": "applications_on_time", "weight": 100, "target": 1}])
    assert (v2.year, v2.version) == (2026, 2) and scheme.indicators.count() == 14
    assert selectors.scheme_for_year(2026) == v2


def test_compare_reports_a_number_changed_behind_the_stored_result(cases, department, office_admin):
    scheme = services.scheme_seed(year=2026, by=office_admin)
    result = services.assessment_store(scheme=scheme, period=Q3, organisations=[department], by=office_admin)
    # A case registered afterwards with a receipt date inside Q3 (a late registration) changes the past,
    # and the comparison says so.
    from tests.conftest import make_user

    h = make_user("h2", department, "handler")
    old = new_case(department, h, received_on="2026-07-02")
    application_record_event(application=old, by=h, type="determination", occurred_on="2026-07-06",
                             fields={"outcome": "disclosed"})
    diffs = selectors.result_compare(result=result)
    assert {d.indicator for d in diffs} >= {"总分", "依申请公开按期答复率"}


def test_indicators_that_read_dated_records_recompute_the_same_after_later_changes(department, government,
                                                                                 office_admin, editor):
    """Issue 24: "a score can be recomputed for a past period and gives the same number". Datasets (their
    activity snapshots), catalogue items (documents published by the cut-off) and cancelled tasks (the
    cancellation date) are judged as they stood at the end of Q3, whatever happens afterwards."""
    import time_machine
    from django.core.files.uploadedfile import SimpleUploadedFile

    from gongkai.catalog.models import AdoptedItem
    from gongkai.opendata import services as opendata
    from gongkai.oversight.indicators import indicator_value
    from tests.conftest import make_user
    from tests.documents.factories import published_document

    from .conftest import at

    reviewer = make_user("od_reviewer", department, "reviewer")
    with time_machine.travel(at(2026, 7, 1), tick=False):
        ds = opendata.dataset_create(by=None, organisation=department, name="monthly-a", title="月度数据",
                                     notes="按月更新的统计数据，供公众查询和再利用，字段均有说明。" * 3,
                                     tags=["统计"], domains=["social"], frequency="MONTHLY")
        opendata.resource_create(by=None, dataset=ds, name="表", upload=SimpleUploadedFile(
            "a.csv", "代码,名称\n1,甲\n".encode(), content_type="text/csv"))
        opendata.dataset_transition(by=reviewer, dataset=ds, action="publish")
    item = AdoptedItem.objects.create(organisation=department, domain="财政", level1="财政预决算", level2="部门预算",
                                      changed_on=dt.date(2026, 8, 3))  # due 20 working days later: 2026-08-31
    plan = services.plan_create(organisation=government, year=2026, title="2026年要点", by=office_admin)
    task = services.task_create(plan=plan, by=office_admin, number="1", title="甲", lead_unit=department,
                                deadline=dt.date(2026, 9, 15))

    codes = ["datasets_update_overdue", "catalogue_overdue", "workplan_on_time"]

    def numbers():
        out = {}
        for code in codes:
            v = indicator_value(code=code, organisation_ids=[department.pk], period=Q3)
            out[code] = (v.numerator, v.denominator, v.count, sorted(i.key for i in v.items))
        return out

    before = numbers()
    assert before["datasets_update_overdue"][2] == 1  # data of 07-01, monthly: overdue on 09-30
    assert before["catalogue_overdue"][2] == 1  # changed 08-03, nothing published by 09-30
    assert before["workplan_on_time"][:2] == (0, 1)
    # Later: the data is updated, the content is published, the task is cancelled, the item is changed again.
    with time_machine.travel(at(2026, 10, 12), tick=False):
        resource = ds.resources.get()
        opendata.resource_upload_version(by=None, resource=resource, upload=SimpleUploadedFile(
            "a.csv", "代码,名称\n1,甲\n2,乙\n".encode(), content_type="text/csv"))
    doc = published_document(organisation=department, by=editor, title="2026年部门预算", genre="notice",
                             at=at(2026, 10, 13))
    item.documents.add(doc)
    services.task_cancel(task=task, by=office_admin, reason="并入其他任务")
    ds.refresh_from_db()
    assert ds.data_updated_on == dt.date(2026, 10, 12)
    assert numbers() == before
    # …while the running period sees the update (10-12; 42 days before today 11-23, overdue again).
    now = indicator_value(code="datasets_update_overdue", organisation_ids=[department.pk],
                          period=period_parse("2026-Q4"))
    assert [i.note for i in now.items] == ["每月更新，期末时数据更新于 2026-10-12"]
