from gongkai.compliance.checks import formats


def found(text):
    return [(h.rule, h.text, h.suggestion) for h in formats.check(text)]


def test_malformed_doc_numbers_in_text_are_flagged_with_the_standard_form():
    text = "根据国办发[2019]3号、国发〔2019〕第5号、湘政发〔19〕7号和鲁政办字〔2023〕013号文件"
    assert found(text) == [
        ("doc_number", "[2019]3号", "〔2019〕3号"),
        ("doc_number", "〔2019〕第5号", "〔2019〕5号"),
        ("doc_number", "〔19〕7号", "〔2019〕7号"),
        ("doc_number", "〔2023〕013号", "〔2023〕13号"),
    ]


def test_well_formed_doc_numbers_orders_and_case_numbers_are_quiet():
    text = "国办发〔2018〕123号，国务院令第711号，（2019）京01民初3号判决。"
    assert found(text) == []


def test_dates_need_full_year_no_leading_zeros_and_must_exist():
    text = "2023年07月21日印发，19年8月1日起施行，2023年2月30日截止，2023年7月21日成文。"
    assert found(text) == [
        ("date", "2023年07月21日", "2023年7月21日"),
        ("date", "19年8月1日", ""),
        ("date", "2023年2月30日", ""),
    ]


def test_classification_marks_are_severe():
    hits = formats.check("机密★1年\n关于……的通知")
    assert [(h.rule, h.severity) for h in hits] == [("classification_mark", "severe")]
