"""Unified replies (统一答复口径): requests for the same information get the earlier reply's wording.

The measure is the cosine of character-bigram counts after normalisation and removal of request
boilerplate (gongkai.applications.similarity); these examples fix the thresholds' meaning.
"""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from gongkai.applications import letters, similarity
from gongkai.applications.services import application_record_event

from .conftest import APPLICANT, new_case
from .test_letters import configured  # noqa: F401

OTHER = dict(APPLICANT, name="李四", id_number="110105198001010016")


@pytest.mark.parametrize(("a", "b", "same"), [
    ("请公开2025年本局行政事业性收费项目清单", "申请公开贵局2025年度行政事业性收费项目清单。", True),
    ("请公开2025年本局行政事业性收费项目清单", "请公开２０２５年本局行政事业性收费项目清单！", True),
    ("请公开2025年本局行政事业性收费项目清单", "请公开2024年本局行政事业性收费项目清单", True),
    ("请公开2025年本局行政事业性收费项目清单", "请提供本局2025年度部门预算和决算", False),
    ("申请公开人民路片区房屋征收补偿方案", "请公开解放路片区房屋征收决定", False),
])
def test_similarity_threshold_separates_the_same_information_from_other_information(a, b, same):
    assert (similarity.similarity(a, b) >= similarity.UNIFIED_THRESHOLD) is same


def _reply(case, handler, **fields):
    application_record_event(application=case, by=handler, type="determination", occurred_on=dt.date(2026, 10, 20),
                             fields=fields)
    return letters.letter_draft(application=case, kind="reply", by=handler)


def test_earlier_sent_reply_is_offered_and_its_wording_reused(configured, department, handler):  # noqa: F811
    first = new_case(department, handler, description="请公开2025年本局行政事业性收费项目清单")
    draft = _reply(first, handler, outcome="disclosed")
    draft = letters.letter_update(letter=draft, by=handler, decision="经审查，该清单已于2025年3月1日在本局网站公布，现予提供。")
    sent = letters.letter_send(letter=draft, by=handler)
    unrelated = new_case(department, handler, description="请提供本局2025年度部门预算和决算", applicant=OTHER)
    second = new_case(department, handler, description="申请公开贵局2025年度行政事业性收费项目清单。", applicant=OTHER)

    assert letters.unified_reply_candidates(application=unrelated) == []
    [candidate] = letters.unified_reply_candidates(application=second)
    assert candidate.letter == sent and candidate.score >= similarity.UNIFIED_THRESHOLD

    application_record_event(application=second, by=handler, type="determination", occurred_on=dt.date(2026, 10, 21),
                             fields={"outcome": "disclosed"})
    unified = letters.letter_draft(application=second, kind="reply", by=handler, unified_from=sent)
    assert unified.decision == sent.decision
    assert unified.recipient == "李四：" and unified.unified_from == sent
    assert unified.facts["unified_from"] == sent.number


def test_drafts_are_not_offered_as_unified_wording(configured, department, handler):  # noqa: F811
    first = new_case(department, handler, description="请公开2025年本局行政事业性收费项目清单")
    draft = _reply(first, handler, outcome="disclosed")
    second = new_case(department, handler, description="请公开2025年本局行政事业性收费项目清单", applicant=OTHER)
    assert letters.unified_reply_candidates(application=second) == []
    application_record_event(application=second, by=handler, type="determination", occurred_on=dt.date(2026, 10, 21),
                             fields={"outcome": "disclosed"})
    with pytest.raises(ValidationError, match="已发出的答复"):
        letters.letter_draft(application=second, kind="reply", by=handler, unified_from=draft)
