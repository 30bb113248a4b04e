"""The case facts the annual report reads: Table 三 and Table 四 satisfy the format's own rules."""

import json

import pytest
from django.core.management import call_command

from gongkai.applications.outcomes import APPLICANT_KINDS, RESULT_ROWS
from gongkai.applications.selectors import applications_table_three, remedies_table_four

pytestmark = pytest.mark.django_db


def line(external_id, kind, received, outcome=None, concluded=None, remedies=()):
    record = {"external_id": external_id, "organisation": "TEST00002", "applicant_kind": kind, "channel": "in_person",
              "description": "历史申请", "events": [{"type": "received", "date": received}], "remedies": list(remedies)}
    if outcome:
        record.update(outcome=outcome, concluded_on=concluded)
    return json.dumps(record)


def test_table_three_balances_and_table_four_counts(tmp_path, department):
    lines = [
        line("R1", "natural_person", "2024-12-20", "disclosed", "2025-01-10"),  # carried over, concluded
        line("R2", "natural_person", "2024-12-27"),  # carried over, still open
        line("R3", "enterprise", "2025-03-03", "not_handled_repeat", "2025-03-10",
             remedies=[{"kind": "reconsideration", "filed_on": "2025-04-01", "result": "upheld", "decided_on": "2025-05-01"},
                       {"kind": "litigation_direct", "filed_on": "2025-04-02", "result": "corrected",
                        "decided_on": "2026-02-01"}]),
        line("R4", "legal_services", "2025-12-29"),  # carried forward
        line("R5", "research", "2024-05-06", "other", "2024-05-20"),  # concluded last year: not in 2025
    ]
    path = tmp_path / "cases.jsonl"
    path.write_text("\n".join(lines) + "\n")
    call_command("import_applications", str(path))
    t = applications_table_three(organisation_ids=[department.pk], year=2025)
    assert t["new"]["total"] == 2 and t["carried_over"]["total"] == 2
    assert t["disclosed"]["natural_person"] == 1 and t["not_handled_repeat"]["enterprise"] == 1
    assert t["total"]["total"] == 2 and t["carried_forward"]["total"] == 2
    for column in [*APPLICANT_KINDS, "total"]:
        assert t["new"][column] + t["carried_over"][column] == t["total"][column] + t["carried_forward"][column]  # R1
        assert sum(t[o.code][column] for o in RESULT_ROWS) == t["total"][column]  # R3
    for key, row in t.items():
        assert sum(row[k] for k in APPLICANT_KINDS) == row["total"], key  # R2
    four = remedies_table_four(organisation_ids=[department.pk], year=2025)
    assert four["reconsideration"] == {"upheld": 1, "corrected": 0, "other": 0, "pending": 0, "total": 1}
    assert four["litigation_direct"]["pending"] == 1  # decided only in 2026
