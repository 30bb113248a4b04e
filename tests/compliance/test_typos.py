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


def thorough_typos(text):
    return [(h.start, h.text, h.suggestion) for h in engine.check_text(text, sensitivity=engine.THOROUGH)
            if h.kind == HitKind.TYPO]


@pytest.mark.parametrize("text, expected", [
    # Sentences of half A of the development file whose one wrong character the precise level misses.
    ("“多语言版本”指根据用互群体特点和需求，提供多语言服务。", (11, "互", "户")),
    ("营造建设用地使用权出组环境。", (10, "组", "租")),
    ("政府引到，形成政策合力。", (3, "到", "导")),
])
def test_thorough_proofreading_finds_what_the_precise_level_leaves(with_typo_model, text, expected):
    assert typos(text) == []
    assert thorough_typos(text) == [expected]


def test_the_lower_word_threshold_applies_only_where_the_candidate_makes_a_word(with_typo_model):
    """With the single threshold out of reach, every hit must come from the second tier: the written
    character makes no word of the lexicon there and the candidate does."""
    from gongkai.compliance.checks.typos import TypoChecker

    lm = engine.load_lm()
    second_tier_only = TypoChecker(lm, threshold=1000.0, word_threshold=2.0)
    path = shared_data("typos_official_writing_dev.tsv")
    sentences = [line.split("\t")[1] for line in path.read_text(encoding="utf-8").splitlines()[:400:2]]
    hits = [(s, i, c) for s in sentences for i, c, _ in second_tier_only.suspects(s)]
    assert len(hits) > 20
    for sentence, i, cand in hits:
        assert second_tier_only._word_freq(sentence, i, sentence[i]) == 0, sentence
        assert second_tier_only._word_freq(sentence, i, cand) > 0, sentence


def test_an_unknown_sensitivity_is_refused():
    with pytest.raises(ValueError):
        engine.typo_thresholds("loud")


def test_the_check_command_proofreads_thoroughly_unless_told(with_typo_model):
    import io

    from django.core.management import call_command

    def run(*args):
        out = io.StringIO()
        stdin = io.StringIO("营造建设用地使用权出组环境。")
        import sys
        saved, sys.stdin = sys.stdin, stdin
        try:
            call_command("check", "-", *args, stdout=out)
        finally:
            sys.stdin = saved
        return [json.loads(line)["suggestion"] for line in out.getvalue().splitlines() if line.strip()]

    assert run() == ["租"]
    assert run("--sensitivity", "precise") == []
