"""The shared Chinese analyzer: dictionary terms stay whole, normalisation, stop words."""

import re

import pytest

from gongkai import text
from gongkai.core.services import organisation_create
from gongkai.search.services import search_dictionary_refresh


@pytest.mark.parametrize("term", ["政务公开", "依申请公开", "最多跑一次", "规范性文件", "政府信息公开", "一网通办"])
def test_government_terms_are_kept_whole(term):
    assert term in text.words(f"各地要推进{term}工作")


def test_topic_taxonomy_names_are_kept_whole():
    assert "社会信用体系建设" in text.words("加快社会信用体系建设的意见")
    assert "环境监测保护与治理" in text.words("关于环境监测保护与治理的通知")


def test_organisation_names_from_the_platform_join_the_dictionary(db):
    organisation_create(name="灌南县行政审批局", code="GN0000001")
    search_dictionary_refresh(max_age=0)
    assert "灌南县行政审批局" in text.words("灌南县行政审批局关于优化营商环境的通知")


def test_full_width_forms_fold_to_half_width_and_lower_case():
    assert text.normalise("ＡＢＣ１２３（试行）") == "abc123(试行)"
    assert "abc123" in text.words("ＡＢＣ１２３")


def test_doc_number_brackets_survive_normalisation():
    assert text.normalise("国办发〔2018〕123号") == "国办发〔2018〕123号"


def test_common_traditional_characters_become_simplified():
    assert text.normalise("國務院辦公廳") == "国务院办公厅"


def test_punctuation_and_stop_words_are_dropped():
    words = text.words("如何申请公开？我们应该怎么办！")
    assert "如何" not in words and "？" not in words and "我们" not in words
    assert "申请" in words and "公开" in words


def test_characters_skip_stop_characters_and_non_chinese():
    assert text.chars("震中的求生 abc 2018") == ["震", "中", "求", "生"]


def test_query_terms_are_distinct_in_order():
    assert text.query_terms("公开 公开 政务") == ["公开", "政务"]


def test_char_counts_count_characters_and_the_cjk_length():
    counts, length = text.char_counts("国务院关于<b>公开</b>的通知，公开透明。ＡＢＣ", {"国", "公", "开", "民"})
    assert counts == {"国": 1, "公": 2, "开": 2, "民": 0}
    assert length == len("国务院关于公开的通知公开透明")


@pytest.mark.parametrize("written, typed", [
    ("增长3.5％，ＧＤＰ总量", "增长3.5% gdp总量"),
    ("国办发〔２０１８〕１２３号", "国办发〔2018〕123号"),
    ("國務院辦公廳關於", "国务院办公厅关于"),
    ("ABC公司与T恤衫", "abc公司与t恤衫"),
    ("（一）　第一条　规定", "(一) 第一条 规定"),
])
def test_text_is_cut_the_same_whichever_width_case_or_script_it_was_written_in(written, typed):
    # Tokens are normalised one by one unless the text holds characters whose normal form would move
    # the cuts (full-width digits, letters and number symbols, traditional characters).
    assert text.words(written) == text.words(typed) == text.words(text.normalise(written))


def test_every_character_whose_normal_form_moves_the_cuts_is_cut_as_if_normalised_first():
    """words() normalises token by token unless the text holds such a character: for each of them, and
    for the common punctuation, the result equals the plain pipeline (normalise the text, then cut)."""
    import rjieba

    def normalised_then_cut(value):
        return [w for w in rjieba.cut(text.normalise(value), False) if w.strip() and w not in text.STOP_WORDS
                and not re.match(r"^[\W_]+$", w)]

    text.words("")  # loads the dictionary and the character set
    characters = text._cut_changing_characters() + "，。（）：；！？　、“”《》【】…—"
    assert {"㎡", "⾏", "％", "Ａ", "１", "Ⅳ", "國"} <= set(characters)
    for char in characters:
        for sample in (f"a{char}1", f"中{char}文", f"500{char}", f"{char}政许可", f"ab{char}cd"):
            assert text.words(sample) == normalised_then_cut(sample), repr(sample)
    assert text.words("500㎡") == ["500m2"] and text.words("⾏政许可") == ["行政许可"]


def test_parts_are_the_shorter_dictionary_words_inside_long_words():
    assert text.parts(["学校食堂", "管理", "学校食堂"]) == ["学校", "食堂", "学校", "食堂"]
    assert "共和国" in text.parts(["中华人民共和国"])
    assert text.parts(["规定", "2018"]) == []


def test_a_term_added_to_the_dictionary_changes_cuts_and_parts_already_remembered():
    long_word = "甲乙丙丁戊己庚辛壬癸"
    text.dictionary_add([long_word])
    assert text.words(f"关于{long_word}的通知") == ["关于", long_word, "通知"]
    before = text.parts([long_word])  # remembered
    assert "丙丁戊" not in before
    text.dictionary_add(["丙丁戊"])
    assert "丙丁戊" in text.parts([long_word])
