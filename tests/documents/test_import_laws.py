"""The laws-corpus adapter: derivations on small inline records and on a few real ones."""

import datetime as dt
import gzip
import json

import pytest

from gongkai.core.models import Organisation
from gongkai.core.services import organisation_create
from gongkai.documents.importers import documents_import, documents_import_file
from gongkai.documents.importers.laws import law_to_canonical, topic_for_title
from gongkai.documents.importers.reader import RawLine
from gongkai.documents.models import Document, Genre, LifecycleEvent, Validity

from ..conftest import shared_data

pytestmark = pytest.mark.django_db
Kind = LifecycleEvent.Kind


def law(**fields):
    base = {"source_path": "行政法规/示例条例.md", "category": "行政法规", "title": "示例条例", "version_date": None,
            "meta_lines": [], "body": "第一条 为了……，制定本条例。"}
    return {**base, **fields}


@pytest.fixture
def national(db) -> Organisation:
    return organisation_create(name="国家法律法规（外部来源）", code="NATIONAL", kind=Organisation.Kind.OTHER)


def import_laws(records, national):
    lines = [RawLine(n, r, "", 100) for n, r in enumerate(records, start=1)]
    return documents_import(lines=lines, fmt="laws", organisation=national)


def test_state_council_order_gives_issuer_doc_number_dates_and_genre():
    canonical = law_to_canonical(law(
        source_path="行政法规/物业管理条例(2018-03-19).md", title="物业管理条例", version_date="2018-03-19",
        meta_lines=["2003年6月8日 中华人民共和国国务院令第379号公布",
                    "2016年2月6日 《国务院关于修改部分行政法规的决定》第二次修订"],
    ))
    assert canonical["issuers"] == ["国务院"]
    assert canonical["doc_number"] == "国务院令第379号"
    assert (canonical["written_on"], canonical["published_at"]) == ("2016-02-06", "2018-03-19")
    assert canonical["genre"] == Genre.LAW
    assert canonical["external_id"] == "laws:行政法规/物业管理条例(2018-03-19).md"


def test_commencement_line_sets_effective_date_and_chinese_numerals_are_read():
    canonical = law_to_canonical(law(
        category="宪法相关法", title="中华人民共和国示例法", version_date="2019-02-17",
        meta_lines=["2018年12月29日 第十三届全国人民代表大会常务委员会第七次会议通过",
                    "2019年2月17日 中中华人民共和国主席令第七十三号公布", "2019年4月1日 施行"],
    ))
    assert canonical["issuers"] == ["全国人民代表大会常务委员会"]
    assert canonical["doc_number"] == "主席令第73号"
    assert canonical["effective_on"] == "2019-04-01"
    assert canonical["written_on"] == "2018-12-29"


def test_effective_date_comes_from_the_body_unless_an_amended_text_keeps_the_old_one():
    fresh = law_to_canonical(law(version_date="2021-06-10", meta_lines=["2021年6月10日 国务院第1次常务会议通过"],
                                 body="第九条 本条例自2021年9月1日起施行。"))
    amended = law_to_canonical(law(version_date="2021-06-10", meta_lines=["2021年6月10日 国务院修订"],
                                   body="第九条 本条例自1998年1月1日起施行。"))
    assert fresh["effective_on"] == "2021-09-01"
    assert amended["effective_on"] == "2021-06-10"


def test_local_regulations_and_joint_orders_get_their_issuers():
    local = law_to_canonical(law(category="山东地方法规", title="菏泽市养犬管理条例", version_date="2021-10-13", meta_lines=[
        "2021年8月19日 菏泽市第十九届人民代表大会常务委员会第三十九次会议通过",
        "2021年9月30日 山东省第十三届人民代表大会常务委员会第三十次会议批准"]))
    joint = law_to_canonical(law(title="中华人民共和国无线电管制规定", meta_lines=[
        "2010年8月31日 中华人民共和国国务院、中华人民共和国中央军事委员会令第579号公布"]))
    department = law_to_canonical(law(meta_lines=["1997年12月11日 国务院批准", "1997年12月16日 公安部令第33号发布"]))
    undated = law_to_canonical(law(category="上海地方法规", title="上海市专利保护条例"))
    assert local["issuers"] == ["菏泽市人民代表大会常务委员会"] and local["genre"] == Genre.LAW
    assert joint["issuers"] == ["国务院", "中央军事委员会"]
    assert joint["doc_number"] == ""  # 国务院、中央军事委员会令 is not a GB/T 9704 代字; left out, not invented
    assert (department["issuers"], department["doc_number"], department["genre"]) == (["公安部"], "公安部令第33号",
                                                                                      Genre.RULE)
    assert undated["issuers"] == ["上海市人民代表大会常务委员会"] and undated["published_at"] is None


def test_topic_is_inferred_from_title_keywords_or_left_empty():
    assert topic_for_title("中华人民共和国个人所得税法") == "财政、金融、审计\\税务"
    assert topic_for_title("上海市中小学校学生伤害事故处理条例") == "科技、教育\\教育"
    assert topic_for_title("中华人民共和国政府信息公开条例") == "综合政务\\政务公开"
    assert topic_for_title("示例条例") is None


def test_versions_of_one_regulation_chain_into_amended_by(national):
    versions = [
        law(source_path=f"行政法规/道路运输条例({day}).md", title="中华人民共和国道路运输条例", version_date=day,
            meta_lines=[f"{day[:4]}年{int(day[5:7])}月{int(day[8:])}日 《国务院关于修改部分行政法规的决定》修订"])
        for day in ("2022-03-29", "2019-03-02", "2023-07-20")
    ]
    report = import_laws(versions, national)
    assert report.created == 3 and report.errors == []
    by_date = sorted(Document.objects.all(), key=lambda d: d.published_at)
    assert [d.validity for d in by_date] == [Validity.AMENDED, Validity.AMENDED, Validity.VALID]
    for older, newer in zip(by_date, by_date[1:], strict=False):
        event = older.events.get(kind=Kind.AMENDED_BY)
        assert event.related_document == newer
        assert event.effective_on == newer.effective_on
    assert not by_date[-1].events.filter(kind=Kind.AMENDED_BY).exists()


def test_parts_of_one_code_with_the_same_date_are_not_chained(national):
    parts = [law(source_path=f"民法典/{part}.md", category="民法典", title="中华人民共和国民法典",
                 meta_lines=["2020年5月28日 第十三届全国人民代表大会第三次会议通过"]) for part in ("总则", "物权编")]
    import_laws(parts, national)
    assert sorted(Document.objects.values_list("title", flat=True)) == ["中华人民共和国民法典（总则）",
                                                                        "中华人民共和国民法典（物权编）"]
    assert not LifecycleEvent.objects.filter(kind=Kind.AMENDED_BY).exists()
    assert set(Document.objects.values_list("validity", flat=True)) == {Validity.VALID}


def test_a_record_without_title_is_a_line_error(national):
    report = import_laws([law(), law(source_path="x/无标题.md", title=" ")], national)
    assert report.created == 1 and report.errors == [(2, "缺少标题（title）。")]


def test_real_laws_records_are_derived_and_chained(tmp_path, national):
    wanted = {"行政法规/物业管理条例(2018-03-19).md", "行政法规/生产安全事故应急条例(2019-02-17).md"}
    chain_title = "中华人民共和国道路运输条例"
    lines = []
    with gzip.open(shared_data("laws.jsonl.gz"), "rt", encoding="utf-8") as stream:
        for line in stream:
            record = json.loads(line)
            if record["source_path"] in wanted or record["title"] == chain_title:
                lines.append(line)
    path = tmp_path / "subset.jsonl"
    path.write_text("".join(lines), encoding="utf-8")
    report = documents_import_file(path=path, organisation=national)
    assert report.format == "laws" and report.errors == [] and report.created == len(lines) >= 4

    property_rules = Document.objects.get(external_id="laws:行政法规/物业管理条例(2018-03-19).md")
    assert property_rules.doc_number == "国务院令第379号"
    assert property_rules.issuer_names() == ["国务院"]
    assert property_rules.topic.label == "城乡建设、环境保护\\城乡建设（含住房）"
    emergency = Document.objects.get(external_id="laws:行政法规/生产安全事故应急条例(2019-02-17).md")
    assert (emergency.doc_number, emergency.effective_on) == ("国务院令第708号", dt.date(2019, 4, 1))
    chain = sorted(Document.objects.filter(title=chain_title), key=lambda d: d.published_at)
    assert [d.validity for d in chain] == [Validity.AMENDED] * (len(chain) - 1) + [Validity.VALID]
    assert chain[0].events.get(kind=Kind.AMENDED_BY).related_document == chain[1]

