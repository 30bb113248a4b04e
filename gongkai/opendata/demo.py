"""Demo open data: real tables — the county-level administrative division codes shipped by python-stdnum
(from the official 行政区划代码 lists), statistics of the 2,816 city messages in ../shared/data, and the
policy library's own counts — each published with a tabular resource in the datastore."""

from __future__ import annotations

import csv
import io
import json
import re
import statistics
from collections import Counter, defaultdict
from datetime import datetime
from pathlib import Path

import stdnum
from django.conf import settings
from django.core.files.base import ContentFile
from django.db.models import Count
from django.db.models.functions import ExtractYear

from gongkai.core.models import Organisation
from gongkai.documents.models import Document

from . import services
from .models import Dataset

_LOC = re.compile(r'^(\s*)(\d{2}|\d{4}) (?:province|county)="(?:\[(\d*)-(\d*)\])?([^"]+)"')


def _csv(header: list[str], rows: list[list]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def division_rows() -> list[list]:
    path = Path(stdnum.__file__).parent / "cn" / "loc.dat"
    rows, province, province_code = [], "", ""
    for line in path.read_text(encoding="utf-8").splitlines():
        m = _LOC.match(line)
        if not m:
            continue
        indent, code, start, end, name = m.groups()
        if not indent:
            province, province_code = name, code
            continue
        rows.append([province_code + code, province, name, start or "", end or "", "有效" if not end else "已撤销"])
    return rows


def message_rows() -> tuple[list[list], list[list]]:
    path = Path(settings.SHARED_DIR) / "data" / "messages_with_replies.jsonl"
    if not path.exists():
        return [], []
    by_month: dict[str, list[float]] = defaultdict(list)
    counts: Counter = Counter()
    districts: Counter = Counter()
    for line in path.read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        try:
            asked = datetime.strptime(item["留言时间"].strip(), "%Y/%m/%d %H:%M:%S")
        except (KeyError, ValueError):
            continue
        month = asked.strftime("%Y-%m")
        counts[month] += 1
        try:
            replied = datetime.strptime(str(item.get("答复时间", "")).strip(), "%Y/%m/%d %H:%M:%S")
            by_month[month].append((replied - asked).total_seconds() / 86400)
        except ValueError:
            pass
        found = re.search(r"A\d+区", item.get("留言主题", "") + item.get("留言详情", ""))
        districts[found.group(0) if found else "未注明"] += 1
    monthly = [[m, counts[m], len(by_month[m]), round(statistics.median(by_month[m]), 1) if by_month[m] else ""]
               for m in sorted(counts)]
    return monthly, [[d, n] for d, n in districts.most_common()]


def library_rows() -> list[list]:
    qs = (Document.objects.filter(published_at__isnull=False).annotate(year=ExtractYear("published_at"))
          .values("year").annotate(n=Count("id")).order_by("year"))
    return [[r["year"], r["n"]] for r in qs]


def _publish(*, organisation: Organisation, name: str, title: str, notes: str, tags: list[str], domains: list[str],
             frequency: str, resource: str, filename: str, data: bytes, schema: dict[str, str], stdout=None) -> None:
    if Dataset.objects.filter(name=name).exists():
        return
    dataset = services.dataset_create(by=None, organisation=organisation, name=name, title=title, notes=notes,
                                      tags=tags, domains=domains, frequency=frequency,
                                      contact_name=organisation.name, spatial=organisation.name)
    created = services.resource_create(by=None, dataset=dataset, name=resource, upload=ContentFile(data, name=filename))
    services.resource_schema_update(by=None, resource=created,
                                    fields={key: {"description": text} for key, text in schema.items()})
    services.dataset_transition(by=None, dataset=dataset, action="publish")
    if stdout is not None:
        stdout.write(f"数据开放：已发布“{title}”（{created.current.row_count} 行）")


def load_demo_datasets(*, government: Organisation, stdout=None) -> None:
    planning = Organisation.objects.filter(code="DEMO00005").first() or government
    _publish(organisation=planning, name="xingzheng-quhua-daima", title="县级以上行政区划代码（含历年变更）",
             notes="全国县级以上行政区划代码及其启用、撤销年份，整理自民政部公布的历年行政区划代码表（python-stdnum 所附数据）。"
                   "可用于地址标准化、统计数据的区划对照与历史区划追溯。",
             tags=["行政区划", "代码", "区划变更"], domains=["government"], frequency="ANNUAL", resource="行政区划代码表",
             filename="xingzheng-quhua.csv",
             data=_csv(["代码", "省级", "名称", "启用年份", "撤销年份", "状态"], division_rows()),
             schema={"代码": "6 位行政区划代码（GB/T 2260）", "省级": "所属省级行政区", "名称": "区划名称",
                     "启用年份": "代码启用年份（空为最早版本即有）", "撤销年份": "代码撤销年份（空为现行有效）",
                     "状态": "有效或已撤销"}, stdout=stdout)
    monthly, districts = message_rows()
    if monthly:
        _publish(organisation=government, name="shimin-liuyan-yuedu-tongji", title="市民留言月度办理统计",
                 notes="市长信箱（留言板）市民留言的月度数量、已答复数量和答复用时中位数（天），按留言时间统计。"
                       "原始留言已匿名化，本表只含统计数字，不含任何个人信息。",
                 tags=["政民互动", "留言", "办理时效"], domains=["government", "social"], frequency="MONTHLY",
                 resource="月度统计表", filename="liuyan-yuedu.csv",
                 data=_csv(["月份", "留言数", "已答复数", "答复用时中位数（天）"], monthly),
                 schema={"月份": "留言提交的年月", "留言数": "当月收到的留言数", "已答复数": "当月留言中已答复的数量",
                         "答复用时中位数（天）": "从留言到答复的自然日中位数"}, stdout=stdout)
        _publish(organisation=government, name="shimin-liuyan-diqu-tongji", title="市民留言按区县统计",
                 notes="市民留言按所涉区县的数量统计，区县名取自留言主题和内容（已匿名化为 A1区、A2区……）。",
                 tags=["政民互动", "留言", "区县"], domains=["government"], frequency="IRREG",
                 resource="区县统计表", filename="liuyan-diqu.csv", data=_csv(["区县", "留言数"], districts),
                 schema={"区县": "留言涉及的区县", "留言数": "留言数量"}, stdout=stdout)
    years = library_rows()
    if years:
        _publish(organisation=government, name="zhengce-wenjian-niandu-tongji", title="政策文件库按年度统计",
                 notes="本平台政策文件库中已发布文件按发布年度的数量，由平台记录自动生成，随文件库更新。",
                 tags=["政策文件", "统计"], domains=["government"], frequency="MONTHLY", resource="年度统计表",
                 filename="wenjian-niandu.csv", data=_csv(["年度", "文件数"], years),
                 schema={"年度": "发布年度", "文件数": "该年度发布的文件数量"}, stdout=stdout)
