"""The 政府信息公开专栏 of an organisation: 第二十条 categories and the 公开指南 (第十二条).

Mapping documents to the 15 categories of 条例 第二十条 (RULES §1). Documents carry a 文种 (genre),
a gov.cn 主题分类 (topic) and a title, but no 第二十条 category of their own, so the portal derives one:

1. 文种 first: 规章、行政规范性文件、法律法规、命令（令） → (一) 行政法规、规章和规范性文件.
2. Then the title's key words, in the order of the table below (e.g. "预算"/"决算" → (七),
   "采购" → (九), "应急预案"/"预警" → (十二), "招考"/"录用" → (十四)).
3. Then the topic (一级 or 二级 name), e.g. 统计 → (四), 重大建设项目 → (十), 教育/卫生/社会保障/
   劳动就业/扶贫/社会福利 → (十一), 环境监测保护与治理/安全生产监管/食品药品监管/质量监督 → (十三).
4. Everything else → (十五) 其他.

The first rule that matches wins, so every document is in exactly one category. Category (二)
机关职能、机构设置、办公地址… is the organisation's own data and is shown from its record, not from
documents. The rules are expressed as ORM filters so counts and lists are database queries.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q

from gongkai.core.models import Organisation


@dataclass(frozen=True)
class Category:
    key: str
    number: str
    name: str
    genres: tuple[str, ...] = ()
    title_words: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    from_organisation: bool = False

    def own_q(self) -> Q:
        q = Q(pk__in=[])
        if self.genres:
            q |= Q(genre__in=self.genres)
        for word in self.title_words:
            q |= Q(title__contains=word)
        if self.topics:
            q |= Q(topic__name__in=self.topics) | Q(topic__parent__name__in=self.topics)
        return q


CATEGORIES: list[Category] = [
    Category("01", "一", "行政法规、规章和规范性文件", genres=("rule", "normative", "law", "order")),
    Category("02", "二", "机关职能、机构设置、办公地址、办公时间、联系方式、负责人姓名", from_organisation=True),
    Category("03", "三", "国民经济和社会发展规划、专项规划、区域规划及相关政策", title_words=("规划", "计划纲要"), topics=("城市规划",)),
    Category("04", "四", "国民经济和社会发展统计信息", title_words=("统计公报", "统计数据"), topics=("统计",)),
    Category("05", "五", "办理行政许可和其他对外管理服务事项的依据、条件、程序以及办理结果", title_words=("行政许可", "审批", "许可")),
    Category("06", "六", "实施行政处罚、行政强制的依据、条件、程序以及有一定社会影响的行政处罚决定",
             title_words=("行政处罚", "行政强制", "处罚决定")),
    Category("07", "七", "财政预算、决算信息", title_words=("预算", "决算")),
    Category("08", "八", "行政事业性收费项目及其依据、标准", title_words=("收费",)),
    Category("09", "九", "政府集中采购项目的目录、标准及实施情况", title_words=("采购",)),
    Category("10", "十", "重大建设项目的批准和实施情况", title_words=("建设项目",), topics=("重大建设项目",)),
    Category("14", "十四", "公务员招考的职位、名额、报考条件等事项以及录用结果", title_words=("招考", "录用", "公务员")),
    Category("12", "十二", "突发公共事件的应急预案、预警信息及应对情况", title_words=("应急预案", "预警", "突发"), topics=("应急管理",)),
    Category("13", "十三", "环境保护、公共卫生、安全生产、食品药品、产品质量的监督检查情况",
             title_words=("环境保护", "安全生产", "食品药品", "产品质量", "监督检查"),
             topics=("环境监测保护与治理", "安全生产监管", "食品药品监管", "质量监督")),
    Category("11", "十一", "扶贫、教育、医疗、社会保障、促进就业等方面的政策、措施及其实施情况",
             title_words=("扶贫", "教育", "医疗", "社会保障", "就业", "养老", "救助", "学生", "医保"),
             topics=("扶贫", "教育", "卫生", "医药管理", "社会保障", "劳动就业", "社会福利", "减灾救灾", "优抚安置")),
    Category("15", "十五", "法律、法规、规章和国家有关规定规定应当主动公开的其他政府信息"),
]
# Shown in the order of the 条例; matched in the order of CATEGORIES (specific before broad).
DISPLAY_ORDER = sorted(CATEGORIES, key=lambda c: c.key)
BY_KEY = {c.key: c for c in CATEGORIES}


def category_q(key: str) -> Q:
    """Documents that fall into category `key`: its own rule and no earlier category's rule."""
    q = Q()
    for category in CATEGORIES:
        if category.from_organisation:
            continue
        if category.key == key:
            return q & category.own_q() if key != "15" else q
        q &= ~category.own_q()
    raise KeyError(key)


def category_of(document) -> Category:
    """The category of one document (the same rules, evaluated in Python)."""
    topic_names = set()
    if document.topic_id:
        topic_names.add(document.topic.name)
        if document.topic.parent_id:
            topic_names.add(document.topic.parent.name)
    for category in CATEGORIES:
        if category.from_organisation:
            continue
        if (
            document.genre in category.genres
            or any(word in document.title for word in category.title_words)
            or topic_names & set(category.topics)
        ):
            return category
    return BY_KEY["15"]


@dataclass
class GuideItem:
    label: str
    value: str
    is_link: bool = False


@dataclass
class Guide:
    """政府信息公开指南 of one organisation (条例 第十二条)."""

    organisation: Organisation
    office: list[GuideItem] = field(default_factory=list)


NOT_PROVIDED = "暂未提供"


def guide_for(organisation: Organisation) -> Guide:
    """The office contact part of the 公开指南, falling back to the organisation's own details."""
    o = organisation
    items = [
        GuideItem("工作机构名称", o.disclosure_office_name or o.name),
        GuideItem("办公地址", o.disclosure_office_address or o.address or NOT_PROVIDED),
        GuideItem("办公时间", o.disclosure_office_hours or o.office_hours or NOT_PROVIDED),
        GuideItem("联系电话", o.disclosure_office_phone or o.phone or NOT_PROVIDED),
        GuideItem("传真号码", o.disclosure_office_fax or o.fax or NOT_PROVIDED),
        GuideItem("电子邮箱", o.disclosure_office_email or o.email or NOT_PROVIDED),
    ]
    if o.postcode:
        items.insert(2, GuideItem("邮政编码", o.postcode))
    web = o.disclosure_office_web or o.website
    items.append(GuideItem("互联网联系方式", web or NOT_PROVIDED, is_link=bool(web)))
    return Guide(organisation=o, office=items)
