"""The shared Chinese analyzer: dictionary terms stay whole, normalisation, stop words."""

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


def test_parts_are_the_shorter_dictionary_words_inside_long_words():
    assert text.parts(["学校食堂", "管理", "学校食堂"]) == ["学校", "食堂", "学校", "食堂"]
    assert "共和国" in text.parts(["中华人民共和国"])
    assert text.parts(["规定", "2018"]) == []
