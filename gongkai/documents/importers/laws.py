"""Adapter for the laws corpus (LawRefBook/Laws, ../shared/data/laws.jsonl.gz) to the canonical format.

Each record has `source_path`, `category`, `title`, `version_date` and `meta_lines` (promulgation and
amendment lines such as "2001年6月15日 中华人民共和国国务院令第306号公布") and a Markdown `body`.
What is derived, and why, is written down in docs/import-format.md ("The laws adapter").
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from pathlib import PurePosixPath
from typing import Any

from ..doc_numbers import doc_number_problems
from .reader import RawLine
from .text import cn_number, dates_in

SOURCE = "国家法律法规数据库（LawRefBook/Laws 整理）"
NATIONAL_LAW_CATEGORIES = {"宪法", "宪法相关法", "民法商法", "民法典", "行政法", "经济法", "社会法", "刑法", "诉讼与非诉讼程序法"}
NPCSC = "全国人民代表大会常务委员会"
NPC = "全国人民代表大会"

_ORDER_RE = re.compile(r"([\u4e00-\u9fff、]{2,40}?令)第([0-9零〇一二三四五六七八九十百千]+)号")
_LOCAL_NPCSC_RE = re.compile(r"([\u4e00-\u9fff]{2,12}?(?:省|自治区|市|自治州|州|县|区))第[一二三四五六七八九十]+届人民代表大会常务委员会")
_LOCAL_NPC_RE = re.compile(r"([\u4e00-\u9fff]{2,12}?(?:省|自治区|市|自治州|州|县|区))第[一二三四五六七八九十]+届人民代表大会第")
_EFFECTIVE_IN_BODY_RE = re.compile(r"自(\d{4}年\d{1,2}月\d{1,2}日)起(?:施行|实施|生效)")
_PLACE_PREFIX_RE = re.compile(r"^([\u4e00-\u9fff]{2,8}?(?:省|自治区|市|自治州))")
_ADOPTION_WORDS = ("通过", "修订", "修正", "公布", "发布", "批准", "修改")
_PASSING_WORDS = ("通过", "修订", "修正", "批准", "修改")

# Title keywords → gov.cn 主题分类 label ("一级\\二级"); the first matching rule wins. Cheap and
# deliberately conservative: a title that matches nothing gets no topic rather than a wrong one.
TOPIC_RULES: list[tuple[str, str]] = [
    ("政府信息公开|政务公开", "综合政务\\政务公开"),
    ("信访", "综合政务\\信访"),
    ("保密", "综合政务\\保密工作"),
    ("突发事件|应急", "综合政务\\应急管理"),
    ("税", "财政、金融、审计\\税务"),
    ("审计", "财政、金融、审计\\审计"),
    ("证券|期货|基金", "财政、金融、审计\\证券"),
    ("社会保险|养老保险|医疗保险|医疗保障|工伤|失业保险|社会保障", "劳动、人事、监察\\社会保障"),
    ("保险", "财政、金融、审计\\保险"),
    ("外汇|人民币|货币", "财政、金融、审计\\货币（含外汇）"),
    ("银行|金融|信贷|反洗钱", "财政、金融、审计\\银行"),
    ("信用", "财政、金融、审计\\社会信用体系建设"),
    ("财政|预算|会计|国债|彩票|政府采购", "财政、金融、审计\\财政"),
    ("统计", "国民经济管理、国有资产监管\\统计"),
    ("价格|物价", "国民经济管理、国有资产监管\\物价"),
    ("国有资产|国有企业", "国民经济管理、国有资产监管\\国有资产监管"),
    ("营商环境", "国民经济管理、国有资产监管\\经济体制改革"),
    ("安全生产|生产安全|危险化学品|矿山安全|特种设备", "市场监管、安全生产监管\\安全生产监管"),
    ("食品|药品|药|医疗器械|化妆品", "市场监管、安全生产监管\\食品药品监管"),
    ("标准化", "市场监管、安全生产监管\\标准"),
    ("产品质量|计量|认证认可", "市场监管、安全生产监管\\质量监督"),
    ("市场主体|公司|合伙企业|个人独资|企业登记|广告|不正当竞争|反垄断|消费者|商标", "市场监管、安全生产监管\\工商"),
    ("专利|著作权|知识产权", "科技、教育\\知识产权"),
    ("学位|教育|学校|教师|学生|幼儿园", "科技、教育\\教育"),
    ("科学技术|科技|科普", "科技、教育\\科技"),
    ("医疗|卫生|疾病|传染病|医师|护士|献血|中医|精神|母婴|人体器官|遗体", "卫生、体育\\卫生"),
    ("体育|健身", "卫生、体育\\体育"),
    ("人口|计划生育", "人口与计划生育、妇女儿童工作\\人口与计划生育"),
    ("妇女|儿童|未成年人", "人口与计划生育、妇女儿童工作\\妇女儿童"),
    ("劳动|就业|工资|职业病", "劳动、人事、监察\\劳动就业"),
    ("公务员|人事|任免", "劳动、人事、监察\\人事工作"),
    ("监察", "劳动、人事、监察\\监察"),
    ("公安|治安|户口|居民身份证|出入境|枪支|消防|道路交通安全|禁毒|警察", "公安、安全、司法\\公安"),
    ("国家安全|反间谍|反恐怖|网络安全|数据安全", "公安、安全、司法\\安全"),
    ("刑|诉讼|审判|检察|法院|律师|公证|仲裁|调解|监狱|司法|法律援助|民法典|合同|担保|婚姻|继承|物权|侵权|赔偿",
     "公安、安全、司法\\司法"),
    ("气象|水文|测绘|地震|防震", "城乡建设、环境保护\\气象、水文、测绘、地震"),
    ("节约能源|节能|循环经济|清洁生产|资源综合利用", "城乡建设、环境保护\\节能与资源综合利用"),
    ("环境|污染|生态|大气|噪声|固体废物|野生动物|自然保护|湿地|垃圾", "城乡建设、环境保护\\环境监测保护与治理"),
    ("城乡规划|城市规划", "城乡建设、环境保护\\城市规划"),
    ("建筑|住房|住宅|物业|房地产|房屋|市容|绿化|供水|燃气|排水|城市|建设工程", "城乡建设、环境保护\\城乡建设（含住房）"),
    ("土地|不动产", "国土资源、能源\\土地"),
    ("矿产|矿山|矿业", "国土资源、能源\\矿产"),
    ("水资源|取水|节约用水", "国土资源、能源\\水资源"),
    ("海洋|海域|海岛", "国土资源、能源\\海洋"),
    ("煤炭", "国土资源、能源\\煤炭"),
    ("石油|天然气", "国土资源、能源\\石油与天然气"),
    ("电力|电网", "国土资源、能源\\电力"),
    ("森林|林业|草原", "农业、林业、水利\\林业"),
    ("水利|防洪|河道|水库|水土保持|河湖|河长", "农业、林业、水利\\水利"),
    ("农业|农村|农民|种子|畜牧|渔业|动物防疫|兽药|农产品|粮食|农药", "农业、林业、水利\\农业、畜牧业、渔业"),
    ("邮政|快递", "工业、交通\\邮政"),
    ("电信|通信|互联网|网络|无线电|计算机|信息化|大数据|数据", "工业、交通\\信息产业（含电信）"),
    ("交通|公路|铁路|航空|港口|航道|道路运输|船舶|海上|机动车|停车", "工业、交通\\交通"),
    ("工业|民用爆炸", "工业、交通\\工业"),
    ("海关|进出口|口岸", "商贸、海关、旅游\\海关"),
    ("旅游", "商贸、海关、旅游\\旅游"),
    ("对外贸易|外商投资|外资|涉外", "商贸、海关、旅游\\对外经贸合作"),
    ("商业|商品|贸易|拍卖|电子商务|供销|酒类", "商贸、海关、旅游\\国内贸易（含供销）"),
    ("文物|历史文化|历史风貌", "文化、广电、新闻出版\\文物"),
    ("广播|电影|电视", "文化、广电、新闻出版\\广播、电影、电视"),
    ("出版|新闻|印刷|音像", "文化、广电、新闻出版\\新闻出版"),
    ("文化|图书馆|博物馆|非物质文化遗产|档案", "文化、广电、新闻出版\\文化"),
    ("减灾|救灾|防灾|自然灾害", "民政、扶贫、救灾\\减灾救灾"),
    ("退役军人|优抚|抚恤|军人", "民政、扶贫、救灾\\优抚安置"),
    ("行政区划|地名", "民政、扶贫、救灾\\行政区划与地名"),
    ("社会团体|社团|基金会|民办非企业|志愿", "民政、扶贫、救灾\\社团管理"),
    ("扶贫|乡村振兴", "民政、扶贫、救灾\\扶贫"),
    ("残疾人|老年人|慈善|社会救助|养老服务|福利|殡葬|婚姻登记", "民政、扶贫、救灾\\社会福利"),
    ("民族", "民族、宗教\\民族事务"),
    ("宗教", "民族、宗教\\宗教事务"),
    ("香港|澳门", "港澳台侨工作\\港澳工作"),
    ("台湾|台胞", "港澳台侨工作\\对台工作"),
    ("华侨|归侨|侨", "港澳台侨工作\\侨务工作"),
    ("外交|领事|缔结条约|国籍|外国", "对外事务\\外交、外事"),
    ("国防|兵役|民兵|人民防空|军事", "国防\\国防动员"),
]
_TOPIC_PATTERNS = [(re.compile(words), label) for words, label in TOPIC_RULES]


def topic_for_title(title: str) -> str | None:
    for pattern, label in _TOPIC_PATTERNS:
        if pattern.search(title):
            return label
    return None


def genre_for(category: str, doc_number: str) -> str:
    """文种: laws, administrative and local regulations are 法律法规; department rules are 规章.

    行政法规 are not 规章 in Chinese law (立法法: 规章 means 部门规章 and 地方政府规章), so they stay
    法律法规 — except the 部门令 filed under 行政法规 in the corpus (e.g. 公安部令第33号), which are 规章.
    Judicial interpretations, cases and guides have no 文种 of their own: 其他.
    """
    if category == "部门规章":
        return "rule"
    if doc_number and not doc_number.startswith(("国务院", "主席")) and "、" not in doc_number:
        return "rule"
    if category in NATIONAL_LAW_CATEGORIES or category == "行政法规" or category.endswith("地方法规"):
        return "law"
    return "other"


def _strip_country(name: str) -> str:
    return re.sub(r"^.*?中华人民共和国", "", name)


def order_number(meta_lines: list[str]) -> tuple[str, list[str]]:
    """The last 令 in the meta lines as a GB/T 9704 发文字号 (国务院令第306号) and the order's agencies."""
    found: tuple[str, list[str]] = ("", [])
    for line in meta_lines:
        for m in _ORDER_RE.finditer(line):
            seq = cn_number(m[2])
            if not seq:
                continue
            agencies = [_strip_country(part) for part in m[1][:-1].split("、")]
            agencies = [a for a in agencies if a]
            if not agencies:
                continue
            found = (f"{'、'.join(agencies)}令第{seq}号", agencies)
    return found


def issuers_for(record: dict[str, Any], order_agencies: list[str]) -> list[str]:
    """发文机关 (制定机关): the body named in the first meta line that names one, else from the category."""
    lines = [line for line in record.get("meta_lines") or [] if "批准" not in line] + [
        line for line in record.get("meta_lines") or [] if "批准" in line
    ]
    for line in lines:
        if NPCSC in line:
            return [NPCSC]
        if re.search(r"届全国人民代表大会第", line):
            return [NPC]
        if m := _LOCAL_NPCSC_RE.search(line):
            return [f"{m[1]}人民代表大会常务委员会"]
        if m := _LOCAL_NPC_RE.search(line):
            return [f"{m[1]}人民代表大会"]
        courts = [name for name in ("最高人民法院", "最高人民检察院") if name in line]
        if courts:
            return courts
    agencies = [a for a in order_agencies if a != "主席"]
    if agencies:
        return agencies
    return _issuers_from_category(record)


def _issuers_from_category(record: dict[str, Any]) -> list[str]:
    category, title = record.get("category") or "", record.get("title") or ""
    if category == "行政法规":
        return ["国务院"]
    if category in NATIONAL_LAW_CATEGORIES:
        return [NPCSC]
    if category == "司法解释" or category == "案例":
        courts = [name for name in ("最高人民法院", "最高人民检察院") if name in title[:20]]
        meta = " ".join(record.get("meta_lines") or [])
        return courts or (["最高人民法院"] if "最高人民法院" in meta else [])
    if category.endswith("地方法规"):
        place = _PLACE_PREFIX_RE.match(title)
        if place:
            return [f"{place[1]}人民代表大会常务委员会"]
        province = category.removesuffix("地方法规")
        suffix = "市" if province in {"上海", "北京", "重庆", "天津"} else "省"
        return [f"{province}{suffix}人民代表大会常务委员会"]
    if category == "部门规章":
        parts = PurePosixPath(record.get("source_path") or "").parts
        if len(parts) >= 3:
            return [parts[1]]
    return []


def _dated_lines(meta_lines: list[str]) -> list[tuple[dt.date, str]]:
    dated = []
    for line in meta_lines:
        found = dates_in(line)
        if found:
            dated.append((found[0], line))
    return dated


def dates_for(record: dict[str, Any]) -> dict[str, dt.date | None]:
    """成文日期, 发布日期 and 生效日期 of this version, from version_date, meta_lines and the body."""
    version = None
    if record.get("version_date"):
        try:
            version = dt.date.fromisoformat(record["version_date"])
        except ValueError:
            version = None
    dated = _dated_lines(record.get("meta_lines") or [])
    effective_lines = [day for day, line in dated if re.search(r"^\S+\s*施行", line.strip()) and "公布" not in line]
    adoption = [day for day, line in dated if day not in effective_lines and any(w in line for w in _ADOPTION_WORDS)]
    published = version or (max(adoption) if adoption else None)
    # 成文日期: the day the text was adopted (通过/修订/修正/批准), not the day it was promulgated.
    passed = [day for day, line in dated if day in adoption and any(w in line for w in _PASSING_WORDS)]
    written = max((d for d in passed if published is None or d <= published), default=published)
    effective = max(effective_lines) if effective_lines else None
    if effective is None:
        in_body = _EFFECTIVE_IN_BODY_RE.search(record.get("body") or "")
        body_day = dates_in(in_body[1])[0] if in_body and dates_in(in_body[1]) else None
        # An amended text keeps the original commencement clause; then the new version takes effect
        # when it is published (as 修正/修订 decisions usually do).
        if body_day and (written is None or body_day >= written):
            effective = body_day
        else:
            effective = published
    return {"written_on": written, "published_at": published, "effective_on": effective}


def version_key(record: dict[str, Any]) -> str:
    """Orders the versions of one regulation: version_date, else the latest adoption or publication date
    in its meta lines (a commencement line, "2021年1月1日 施行", does not make a new version)."""
    published = dates_for(record)["published_at"]
    return published.isoformat() if published else ""


def law_to_canonical(record: dict[str, Any]) -> dict[str, Any]:
    """One laws record → a canonical record (without the version chain, see `laws_to_canonical`)."""
    title = (record.get("title") or "").strip()
    source_path = (record.get("source_path") or "").strip()
    if not title:
        raise ValueError("缺少标题（title）。")
    if not source_path:
        raise ValueError("缺少 source_path，无法生成外部编号。")
    category = (record.get("category") or "").strip()
    doc_number, agencies = order_number(record.get("meta_lines") or [])
    if doc_number and doc_number_problems(doc_number):
        doc_number = ""  # e.g. joint orders 国务院、中央军事委员会令第579号: 9704 代字 has no 、
    dates = dates_for(record)
    topic = topic_for_title(title)
    summary = "；".join(line.strip() for line in record.get("meta_lines") or [] if line.strip())
    return {
        "external_id": f"laws:{source_path}",
        "title": title,
        "doc_number": doc_number,
        "issuers": issuers_for(record, agencies),
        "written_on": dates["written_on"].isoformat() if dates["written_on"] else None,
        "published_at": dates["published_at"].isoformat() if dates["published_at"] else None,
        "effective_on": dates["effective_on"].isoformat() if dates["effective_on"] else None,
        "topic": topic,
        "genre": genre_for(category, doc_number),
        "category": category[:64],
        "source": SOURCE,
        "summary": summary[:2000],
        "body_markdown": record.get("body") or "",
        "status": "published",
    }


def laws_to_canonical(lines: list[RawLine]) -> list[RawLine]:
    """Convert every line; chain the versions of one regulation (same title) into amended-by links.

    Records sharing a title and a version date are parts of one code (民法典 总则, 物权编 …), not
    versions: they are told apart by their file name instead of being chained.
    """
    out: list[RawLine] = []
    groups: dict[str, list[tuple[RawLine, dict]]] = defaultdict(list)
    for raw in lines:
        if raw.data is None:
            out.append(raw)
            continue
        try:
            canonical = law_to_canonical(raw.data)
        except ValueError as exc:
            out.append(RawLine(raw.line_no, None, str(exc), raw.size))
            continue
        converted = RawLine(raw.line_no, canonical, "", raw.size)
        out.append(converted)
        groups[canonical["title"]].append((converted, raw.data))
    for members in groups.values():
        if len(members) < 2:
            continue
        by_key: dict[str, list[dict]] = defaultdict(list)
        for converted, record in members:
            by_key[version_key(record)].append(converted.data)
        for same in by_key.values():
            if len(same) > 1:
                for canonical in same:
                    stem = PurePosixPath(canonical["external_id"]).stem
                    canonical["title"] = f"{canonical['title']}（{stem}）"
        keys = sorted(by_key)
        for older_key, newer_key in zip(keys, keys[1:], strict=False):
            newer = by_key[newer_key]
            if len(newer) != 1:
                continue
            target = newer[0]
            for canonical in by_key[older_key]:
                on = target["effective_on"] or target["published_at"]
                canonical.setdefault("events", []).append(
                    {"kind": "amended_by", "by": target["external_id"], "on": on,
                     "reason": f"被{target['published_at'] or '新'}版本修改（修正/修订）"}
                )
    return out
