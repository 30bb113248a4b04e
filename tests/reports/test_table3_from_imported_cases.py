"""Table 三 and Table 四 built from cases imported with `gongkai import-applications`, checked cell by cell."""

import io
import json

import pytest
from django.core.management import call_command

from gongkai.reports.builder import report_tables
from gongkai.reports.checks import run_checks
from gongkai.reports.format import TABLE3_COLUMNS, TABLE3_ROW_KEYS

pytestmark = pytest.mark.django_db
COLUMNS = [key for key, _ in TABLE3_COLUMNS]


def case(external_id, kind, events, organisation="TEST00002", remedies=(), **extra):
    return {"external_id": external_id, "organisation": organisation, "applicant_kind": kind, "channel": "in_person",
            "description": f"申请公开 {external_id} 相关信息", "events": events, "remedies": list(remedies), **extra}


def received(date):
    return {"type": "received", "date": date}


def determination(date, outcome, **fields):
    return {"type": "determination", "date": date, "fields": {"outcome": outcome, **fields}}


CASES = [
    # Received in 2024, answered in January 2025: carried in, then disclosed.
    case("C1", "natural_person", [received("2024-12-20"), determination("2025-01-10", "disclosed")],
         remedies=[{"kind": "litigation_direct", "filed_on": "2025-03-01"}]),
    # Open across two year ends: carried forward in 2024 and in 2025, answered in 2026.
    case("C2", "natural_person", [received("2024-11-20"), determination("2026-03-02", "unavailable_not_held")]),
    # Answered on 31 December: counted in 2025.
    case("C3", "enterprise", [received("2025-12-15"), determination("2025-12-31", "partial")]),
    # Answered on 1 January: carried forward from 2025 into 2026.
    case("C4", "enterprise", [received("2025-12-15"), determination("2026-01-01", "disclosed")]),
    # Withheld, corrected on reconsideration, reopened and answered again: two handlings in 2025.
    case("C5", "legal_services", [
        received("2025-03-03"),
        determination("2025-03-20", "withheld_process_info", reason="属于过程性信息（第十六条第二款）"),
        {"type": "reopened", "date": "2025-05-15", "fields": {"reason": "复议决定责令重新答复", "basis": "reconsideration"}},
        determination("2025-06-01", "partial"),
    ], remedies=[{"kind": "reconsideration", "filed_on": "2025-04-01", "result": "corrected", "decided_on": "2025-05-10"}]),
    # Transferred to another organisation, which answers it.
    case("C6", "research", [
        received("2025-06-02"),
        {"type": "transferred", "date": "2025-06-05", "fields": {"to_organisation": "TEST00003", "reason": "属财政局职责"}},
        received("2025-06-06"),
        determination("2025-06-20", "unavailable_not_held"),
    ]),
    # Concluded in 2024: nothing in 2025.
    case("C7", "nonprofit", [received("2024-05-06"), determination("2024-05-20", "other")]),
]


def expected(**cells):
    """A full Table 三 of zeros with the given cells ({row}__{column}=n); totals are added."""
    table = {row: dict.fromkeys(COLUMNS, 0) for row in TABLE3_ROW_KEYS}
    for name, value in cells.items():
        row, column = name.split("__")
        table[row][column] += value
        table[row]["total"] += value
    return table


@pytest.fixture
def imported(tmp_path, department, other_department):
    path = tmp_path / "cases.jsonl"
    path.write_text("\n".join(json.dumps(c, ensure_ascii=False) for c in CASES) + "\n", encoding="utf-8")
    call_command("import_applications", str(path), stdout=io.StringIO())
    return department, other_department


def test_every_cell_of_table3_for_2025(imported):
    department, _ = imported
    table = report_tables(organisation_ids={department.pk}, year=2025)["table3"]
    assert table == expected(
        new__enterprise=2, new__legal_services=2, new__research=1,
        carried_in__natural_person=2,
        disclosed__natural_person=1,
        partial__enterprise=1, partial__legal_services=1,
        withheld_process_info__legal_services=1,
        other__research=1,  # the transfer ends this organisation's handling
        results_total__natural_person=1, results_total__enterprise=1, results_total__legal_services=2,
        results_total__research=1,
        carried_forward__natural_person=1, carried_forward__enterprise=1,
    )


def test_the_receiving_organisation_counts_the_transferred_case(imported):
    _, other = imported
    table = report_tables(organisation_ids={other.pk}, year=2025)["table3"]
    assert table == expected(new__research=1, unavailable_not_held__research=1, results_total__research=1)


def test_carry_over_is_continuous_across_2024_2025_2026(imported):
    department, _ = imported
    years = {y: report_tables(organisation_ids={department.pk}, year=y)["table3"] for y in (2024, 2025, 2026)}
    assert years[2024]["carried_forward"] == years[2025]["carried_in"]
    assert years[2025]["carried_forward"] == years[2026]["carried_in"]
    assert years[2024]["carried_forward"]["natural_person"] == 2  # C1 and C2
    assert years[2026]["disclosed"]["enterprise"] == 1  # C4, answered on 1 January
    assert years[2026]["unavailable_not_held"]["natural_person"] == 1  # C2


def test_table4_from_the_remedy_records(imported):
    department, _ = imported
    table4 = report_tables(organisation_ids={department.pk}, year=2025)["table4"]
    assert table4["reconsideration.corrected"] == 1 and table4["reconsideration.total"] == 1
    assert table4["litigation_direct.pending"] == 1 and table4["litigation_direct.total"] == 1
    assert sum(v for k, v in table4.items() if k.startswith("litigation_after_reconsideration")) == 0


def test_generated_report_passes_the_structural_checks(imported, department):
    from gongkai.reports.builder import report_data
    from gongkai.reports.models import AnnualReport

    data = report_data(AnnualReport(organisation=department, year=2025))
    failed = {c.rule for c in run_checks(data) if not c.passed}
    assert not failed & {"R1", "R2", "R3", "R4"}


def test_issue14_2_9_transfer_is_counted_once_in_the_government_wide_report(imported, government):
    """Issue 14 §2.9: C6 moved from 教育局 to 财政局 is one application of the government-wide report — one 本年新收,
    concluded once in the receiver's row — not 其他 at the sender plus a second 新收 at the receiver."""
    from gongkai.reports.builder import report_data
    from gongkai.reports.models import AnnualReport

    department, other = imported
    everyone = {government.pk, department.pk, other.pk}
    table = report_tables(organisation_ids=everyone, year=2025)["table3"]
    assert table == expected(
        new__enterprise=2, new__legal_services=2, new__research=1,
        carried_in__natural_person=2,
        disclosed__natural_person=1,
        partial__enterprise=1, partial__legal_services=1,
        withheld_process_info__legal_services=1,
        unavailable_not_held__research=1,  # C6, answered by the receiver; no 其他 for the move inside the scope
        results_total__natural_person=1, results_total__enterprise=1, results_total__legal_services=2,
        results_total__research=1,
        carried_forward__natural_person=1, carried_forward__enterprise=1,
    )
    data = report_data(AnnualReport(organisation=government, year=2025, include_descendants=True))
    rows = {row["key"]: row["values"][-1] for row in data["table3"]["rows"]}
    assert rows["new"] == 5 and rows["other"] == 0
    assert not {c.rule for c in run_checks(data) if not c.passed} & {"R1", "R2", "R3", "R4"}


def test_issue14_2_9_transfer_in_transit_over_new_year_is_carried_forward_once():
    """Moved on 30 December, receipt recorded on 5 January: the government-wide report carries it into the next
    year once; each department alone keeps its own counting (其他 at the sender, 新收 next year at the receiver)."""
    import datetime as dt
    from types import SimpleNamespace as E

    from gongkai.reports.compute import table3_compute
    from gongkai.reports.sources import episodes_from_events

    events = [
        E(type="received", occurred_on=dt.date(2025, 12, 22), organisation_id=2, fields={}),
        E(type="transferred", occurred_on=dt.date(2025, 12, 30), organisation_id=2, fields={"to_organisation": "B"}),
    ]
    codes = {"B": 3}
    in_transit = episodes_from_events(applicant_kind="natural_person", events=events, organisation_by_code=codes)
    events += [E(type="received", occurred_on=dt.date(2026, 1, 5), organisation_id=3, fields={}),
               E(type="determination", occurred_on=dt.date(2026, 1, 20), organisation_id=3, fields={"outcome": "disclosed"})]
    done = episodes_from_events(applicant_kind="natural_person", events=events, organisation_by_code=codes)

    def cells(episodes, ids, year):
        t = table3_compute(episodes, organisation_ids=ids, year=year)
        return {row: t[row]["total"] for row in ("new", "carried_in", "other", "disclosed", "carried_forward") if t[row]["total"]}

    for episodes in (in_transit, done):
        assert cells(episodes, {1, 2, 3}, 2025) == {"new": 1, "carried_forward": 1}
        assert cells(episodes, {2}, 2025) == {"new": 1, "other": 1}
        assert cells(episodes, {3}, 2025) == {}
    assert cells(done, {1, 2, 3}, 2026) == {"carried_in": 1, "disclosed": 1}
    assert cells(done, {3}, 2026) == {"new": 1, "disclosed": 1}
    assert cells(in_transit, {3}, 2026) == {}  # not received there yet
