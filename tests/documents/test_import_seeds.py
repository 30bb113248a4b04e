"""Seed texts (web pages saved as plain text) → canonical records for the demo library."""

from pathlib import Path

import pytest
from django.conf import settings

from gongkai.documents.importers.seeds import seed_to_canonical

PAGE = """当前位置:首页
> 政务公开 > 信息公开目录
收藏
测试市人民政府办公室关于印发2024年政务公开工作要点的通知
字号: 【小】 【中】 【大】
发文机关 测试市人民政府办公室 发文字号 测政办字[2024]013号
政策咨询部门 测试市人民政府办公室 政策咨询电话 0532-88990000
各区人民政府,市政府各部门:
现将《2024年政务公开工作要点》印发给你们,请认真贯彻执行。
测试市人民政府办公室
2024年3月8日
进入老年模式
"""


def test_a_saved_web_page_gives_title_issuer_doc_number_date_and_body(tmp_path):
    path = tmp_path / "page.txt"
    path.write_text(PAGE, encoding="utf-8")
    record = seed_to_canonical(path, organisation="DEMO00001")
    assert record["title"] == "测试市人民政府办公室关于印发2024年政务公开工作要点的通知"
    assert record["issuers"] == ["测试市人民政府办公室"]
    assert record["doc_number"] == "测政办字〔2024〕13号"
    assert record["written_on"] == record["published_at"] == "2024-03-08"
    assert (record["consultation_department"], record["consultation_phone"]) == ("测试市人民政府办公室", "0532-88990000")
    assert record["topic"] == "综合政务\\政务公开" and record["genre"] == "notice"
    assert record["body_text"].startswith("各区人民政府") and "老年模式" not in record["body_text"]
    assert "当前位置" not in record["body_text"] and "字号" not in record["body_text"]
    assert record["external_id"] == "seed:page"


def test_the_real_seed_documents_all_get_a_title_and_a_date():
    seeds = sorted((Path(settings.SHARED_DIR) / "seeds").glob("*.txt"))
    if not seeds:
        pytest.skip(f"{Path(settings.SHARED_DIR) / 'seeds'} is absent (the seeds live in ../shared beside the repository)")
    records = [seed_to_canonical(path, organisation="DEMO00001") for path in seeds]
    assert all(r["title"] and r["published_at"] and r["body_text"] for r in records)
    by_number = {r["doc_number"]: r for r in records if r["doc_number"]}
    assert by_number["青崂政办字〔2023〕13号"]["issuers"] == ["青岛市崂山区人民政府办公室"]
