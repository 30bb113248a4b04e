"""Build the report as one plain dictionary (the JSON output), from the records or from the frozen copy."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from gongkai.core.models import Organisation

from . import sources
from .compute import table2_item1_compute, table3_compute, table4_compute
from .format import (
    REMEDY_GROUPS,
    SECTION_TITLES,
    TABLE2_DECISION_COLUMN,
    TABLE2_FEE_COLUMN,
    TABLE2_ITEM1_COLUMNS,
    TABLE2_ITEM1_ROWS,
    TABLE3_COLUMNS,
    TABLE3_ROWS,
    TABLE4_COLUMNS,
)
from .models import AnnualReport


def legal_deadline(*, organisation: Organisation, year: int) -> dt.date:
    """条例 第四十九条: departments by 1月31日, a government's own report by 3月31日 of the next year."""
    if organisation.kind == Organisation.Kind.GOVERNMENT:
        return dt.date(year + 1, 3, 31)
    return dt.date(year + 1, 1, 31)


def _decimal_str(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.4f}".rstrip("0").rstrip(".") if value % 1 else f"{int(value)}"


def report_tables(*, organisation_ids: set[int], year: int) -> dict:
    """Tables 二 (item 1), 三 and 四 computed from the records."""
    item1 = table2_item1_compute(sources.document_facts(organisation_ids=organisation_ids), year=year)
    table3 = table3_compute(sources.application_episodes(organisation_ids=organisation_ids), organisation_ids=organisation_ids, year=year)
    table4 = table4_compute(sources.remedy_facts(organisation_ids=organisation_ids), organisation_ids=organisation_ids, year=year)
    return {"item1": item1, "table3": table3, "table4": table4}


def report_data(report: AnnualReport) -> dict:
    """The whole report as a dictionary: the frozen copy once published, else computed now."""
    if report.data is not None and (report.is_frozen or report.source == AnnualReport.Source.IMPORTED):
        return report.data
    organisation_ids = sources.report_organisation_ids(
        organisation=report.organisation, include_descendants=report.include_descendants
    )
    tables = report_tables(organisation_ids=organisation_ids, year=report.year)
    fee_count, fee_amount = sources.fee_facts(organisation_ids=organisation_ids, year=report.year)
    return assemble(
        report=report,
        item1=tables["item1"],
        table3=tables["table3"],
        table4=tables["table4"],
        facts={"fee_cases": fee_count, "fee_amount_yuan": fee_amount},
    )


def assemble(*, report: AnnualReport, item1: dict, table3: dict, table4: dict, facts: dict | None = None) -> dict:
    return {
        "organisation": {"code": report.organisation.code, "name": report.organisation.name},
        "year": report.year,
        "version": report.version,
        "status": report.status,
        "title": str(report),
        "include_descendants": report.include_descendants,
        "deadline": legal_deadline(organisation=report.organisation, year=report.year).isoformat(),
        "correction_note": report.correction_note,
        "table2": {
            "item1": {
                "group": "第二十条第（一）项",
                "columns": TABLE2_ITEM1_COLUMNS,
                "rows": [{"key": key, "label": label, "values": item1[key]} for key, label in TABLE2_ITEM1_ROWS],
            },
            "licensing": {
                "group": "第二十条第（五）项",
                "columns": [TABLE2_DECISION_COLUMN],
                "rows": [{"key": "licensing", "label": "行政许可", "values": [report.licensing_decisions]}],
            },
            "penalty_enforcement": {
                "group": "第二十条第（六）项",
                "columns": [TABLE2_DECISION_COLUMN],
                "rows": [
                    {"key": "penalty", "label": "行政处罚", "values": [report.penalty_decisions]},
                    {"key": "enforcement", "label": "行政强制", "values": [report.enforcement_decisions]},
                ],
            },
            "fees": {
                "group": "第二十条第（八）项",
                "columns": [TABLE2_FEE_COLUMN],
                "rows": [{"key": "fees", "label": "行政事业性收费", "values": [_decimal_str(report.fees_amount)]}],
            },
            "source_note": report.figures_source,
        },
        "table3": {
            "columns": [label for _, label in TABLE3_COLUMNS],
            "column_keys": [key for key, _ in TABLE3_COLUMNS],
            "rows": [
                {
                    "key": row.key,
                    "label": row.label,
                    "group": row.group,
                    "section": row.section,
                    "values": [table3[row.key][key] for key, _ in TABLE3_COLUMNS],
                }
                for row in TABLE3_ROWS
            ],
        },
        "table4": {
            "groups": [{"key": key, "label": label} for key, label in REMEDY_GROUPS],
            "columns": [{"key": key, "label": label} for key, label in TABLE4_COLUMNS],
            "values": [table4[key] for key, _ in TABLE4_COLUMNS],
        },
        "sections": {
            "1": {"title": SECTION_TITLES["1"], "text": report.section1},
            "5": {"title": SECTION_TITLES["5"], "text": report.section5},
            "6": {"title": SECTION_TITLES["6"], "text": report.section6},
        },
        "facts": facts or {},
    }


def report_facts_text(data: dict) -> dict[str, str]:
    """Sentences drawn from the data to pre-fill sections 一 and 六 (staff edit them)."""
    t3 = {row["key"]: row["values"][-1] for row in data["table3"]["rows"]}
    item1 = {row["key"]: row["values"] for row in data["table2"]["item1"]["rows"]}
    t4 = dict(zip([c["key"] for c in data["table4"]["columns"]], data["table4"]["values"], strict=True))
    year = data["year"]
    section1 = (
        f"{year}年，本机关制发规章{item1['rules'][0]}件、行政规范性文件{item1['normative'][0]}件，"
        f"废止行政规范性文件{item1['normative'][1]}件，现行有效行政规范性文件{item1['normative'][2]}件。"
        f"全年新收政府信息公开申请{t3['new']}件，上年结转{t3['carried_in']}件，"
        f"办结{t3['results_total']}件，其中予以公开{t3['disclosed']}件、部分公开{t3['partial']}件；"
        f"结转下年度{t3['carried_forward']}件。"
        f"因政府信息公开引发行政复议{t4['reconsideration.total']}件、"
        f"行政诉讼{t4['litigation_direct.total'] + t4['litigation_after_reconsideration.total']}件。"
    )
    facts = data.get("facts", {})
    fee_cases, fee_amount = facts.get("fee_cases", 0), facts.get("fee_amount_yuan", 0)
    if fee_cases:
        section6 = f"{year}年，本机关依据《政府信息公开信息处理费管理办法》对{fee_cases}件申请收取信息处理费，共计{fee_amount:g}元。"
    else:
        section6 = f"{year}年，本机关未收取信息处理费。"
    return {"1": section1, "6": section6}
