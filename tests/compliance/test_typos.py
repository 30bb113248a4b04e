import gzip
import json
import re

import pytest

from gongkai.compliance import engine
from gongkai.compliance.checks import HitKind
from tests.conftest import shared_data

pytestmark = [pytest.mark.data, pytest.mark.django_db]


def typos(text):
    return [(h.start, h.text, h.suggestion) for h in engine.check_text(text) if h.kind == HitKind.TYPO]


@pytest.mark.parametrize("text, expected", [
    ("县级以上人民政府应当建立建全信息公开工作制度。", (12, "建", "健")),
    ("行政机关应当及时、准确地公开政府信悉。", (17, "悉", "息")),
    ("国务院有关部门按照职则分工负责。", (10, "则", "责")),
    ("加强监督管理，保障人民群众生命材产安全。", (15, "材", "财")),
])
def test_planted_wrong_characters_are_found_and_corrected(with_typo_model, text, expected):
    assert typos(text) == [expected]


@pytest.mark.parametrize("text", [
    "县级以上人民政府应当建立健全信息公开工作制度。",
    "行政机关应当及时、准确地公开政府信息。",
    "国务院有关部门按照职责分工负责。",
    "加强监督管理，保障人民群众生命财产安全。",
])
def test_the_corrected_sentences_are_clean(with_typo_model, text):
    assert typos(text) == []


def test_real_prose_the_model_never_saw_is_rarely_flagged(with_typo_model):
    """Government work reports since 2015 (not in the small model's training text): < 5% of sentences."""
    path = shared_data("gov_work_reports.jsonl.gz")
    sentences = []
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            record = json.loads(line)
            if record.get("year") and int(record["year"]) >= 2015:
                sentences += [s for s in re.split(r"[。！？\n]", record["content"]) if len(s) >= 10]
    checker = engine.checker().typos
    flagged = sum(1 for s in sentences if checker.suspects(s))
    assert len(sentences) > 1000
    assert flagged / len(sentences) < 0.05


def test_without_a_model_the_other_checks_still_run():
    hits = engine.check_text("认真布署工作")
    assert [h.kind for h in hits] == [HitKind.WORDING]
