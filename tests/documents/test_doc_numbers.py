import pytest

from gongkai.documents.doc_numbers import doc_number_normalise, doc_number_parse, doc_number_problems


@pytest.mark.parametrize(
    "value", ["国办发〔2018〕123号", "青崂政办字〔2023〕13号", "国务院令第711号", "京政发〔2020〕1号"]
)
def test_well_formed_doc_numbers_have_no_problems(value):
    assert doc_number_problems(value) == []
    assert doc_number_parse(value) is not None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("国办发[2018]123号", "六角括号"),
        ("国办发(2018)123号", "六角括号"),
        ("国办发（2018）123号", "六角括号"),
        ("国办发〔18〕123号", "四位"),
        ("青崂政办字〔2023〕第13号", "不加“第”"),
        ("青崂政办字〔2023〕013号", "前导零"),
        ("国办发〔2018〕123", "以“号”结尾"),
    ],
)
def test_malformed_doc_numbers_are_explained(value, expected):
    problems = doc_number_problems(value)
    assert problems, value
    assert any(expected in p for p in problems), problems


@pytest.mark.parametrize(
    ("sloppy", "normalised"),
    [
        ("国办发2018 123号", "国办发〔2018〕123号"),
        ("国办发[2018]123号", "国办发〔2018〕123号"),
        ("国办发（2018）第123号", "国办发〔2018〕123号"),
        ("国办发〔2018〕0123号", "国办发〔2018〕123号"),
        ("国务院令 第 711 号", "国务院令第711号"),
    ],
)
def test_sloppy_doc_numbers_are_normalised(sloppy, normalised):
    assert doc_number_normalise(sloppy) == normalised


def test_parse_keeps_parts():
    parsed = doc_number_parse("国办发〔2018〕123号")
    assert (parsed.agency, parsed.year, parsed.seq) == ("国办发", 2018, 123)
    assert str(parsed) == "国办发〔2018〕123号"
