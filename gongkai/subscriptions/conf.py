"""Subscriptions and precise push (政策找人): the vocabularies of profiles and the defaults, each with its source.

Profiles are described in the words of the official classifications, kept here as data:

- person life stages: the 个人 life-cycle classification of the policy library (documents.LIFE_STAGES, the
  国务院 “一件事一次办” 个人全生命周期 themes: 出生/户籍/上学/就业/婚姻/生育/住房/养老/身后);
- enterprise stages: the library's 法人 life-cycle classification (开办/变更/经营/注销);
- industries: the 20 sections (门类) of GB/T 4754-2017《国民经济行业分类》(with amendment No. 1, 2019);
- enterprise size: 大型/中型/小型/微型 of《中小企业划型标准规定》(工信部联企业〔2011〕300号);
- groups and enterprise features: the groups that policy texts address by name (seeds 000 四(三), 002 2).

Each tag has its keywords: the words by which a policy text names it. They drive the suggestion of tags
for documents that have none (`tagging.py`), the weak labels of the quality benchmark, and nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass

from gongkai.documents.models import LIFE_STAGES

INDUSTRY_SOURCE = "GB/T 4754-2017《国民经济行业分类》门类（含2019年第1号修改单）"
SIZE_SOURCE = "《中小企业划型标准规定》（工信部联企业〔2011〕300号）"
STAGE_SOURCE = "政策文件库生命周期分类（国务院“一件事一次办”个人、法人全生命周期主题）"


@dataclass(frozen=True)
class Tag:
    key: str  # "stage:上学", "industry:C" …: the key stored on documents and profiles
    dimension: str  # stage, estage, industry, size, group, feature
    label: str
    keywords: tuple[str, ...]
    source: str = ""


DIMENSIONS = {
    "stage": "人生阶段", "group": "群体", "estage": "企业阶段", "industry": "行业", "size": "企业规模",
    "feature": "企业类型",
}
PERSON_DIMENSIONS = ("stage", "group")
ENTERPRISE_DIMENSIONS = ("estage", "industry", "size", "feature")
# A document tagged in these dimensions concerns only profiles that share a value (a policy for 退役军人 is not
# for every job seeker, a 餐饮 rule not for every new enterprise); the other dimensions only widen.
NARROWING = ("group", "industry", "size")

_STAGE_KEYWORDS = {
    "出生": ("出生", "新生儿", "出生医学证明", "预防接种", "婴幼儿"),
    "户籍": ("户口", "户籍", "居民身份证", "居住证", "落户"),
    "上学": ("教育", "学校", "学生", "学位", "招生", "幼儿园", "义务教育", "教师"),
    "就业": ("就业", "劳动", "职业", "工资", "劳动合同", "失业", "创业", "职业技能", "工伤"),
    "婚姻": ("婚姻", "结婚", "离婚", "婚姻登记", "家庭"),
    "生育": ("生育", "母婴", "妇幼", "计划生育", "孕产", "托育"),
    "住房": ("住房", "房屋", "物业", "住房公积金", "公积金", "保障性住房", "租赁住房", "征收"),
    "养老": ("养老", "老年人", "退休", "养老保险", "养老服务"),
    "身后": ("殡葬", "丧葬", "遗体", "公墓", "继承", "遗产"),
}
_ESTAGE_KEYWORDS = {
    "开办": ("企业登记", "设立登记", "开办", "市场主体登记", "营业执照", "公司登记", "注册资本"),
    "变更": ("变更登记", "合并", "分立", "股权转让", "迁移"),
    "经营": ("经营", "纳税", "税收", "安全生产", "招标投标", "政府采购", "价格", "产品质量"),
    "注销": ("注销", "破产", "清算", "解散", "歇业"),
}
INDUSTRIES = [
    ("A", "农、林、牧、渔业", ("农业", "林业", "畜牧", "渔业", "种子", "农药", "农产品", "兽药", "动物防疫", "草原", "森林")),
    ("B", "采矿业", ("矿产", "矿山", "煤炭", "采矿", "石油", "天然气")),
    ("C", "制造业", ("制造", "工业", "工业产品", "化工", "生产许可", "特种设备")),
    ("D", "电力、热力、燃气及水生产和供应业", ("电力", "供热", "燃气", "供水", "供电")),
    ("E", "建筑业", ("建筑", "建设工程", "工程建设", "施工", "建筑市场")),
    ("F", "批发和零售业", ("零售", "批发", "商业", "商品", "商贸", "集贸市场")),
    ("G", "交通运输、仓储和邮政业", ("交通", "运输", "道路", "公路", "铁路", "航空", "港口", "邮政", "快递", "仓储", "出租汽车")),
    ("H", "住宿和餐饮业", ("旅游", "住宿", "餐饮", "饭店", "旅馆")),
    ("I", "信息传输、软件和信息技术服务业", ("信息化", "网络", "互联网", "软件", "电信", "数据", "信息技术")),
    ("J", "金融业", ("金融", "银行", "保险", "证券", "信贷", "融资", "担保", "期货")),
    ("K", "房地产业", ("房地产", "商品房", "物业管理", "房地产开发")),
    ("L", "租赁和商务服务业", ("融资租赁", "租赁业", "广告", "会展", "中介", "商务服务", "人力资源服务")),
    ("M", "科学研究和技术服务业", ("科学技术", "科技", "科研", "专利", "标准化", "计量", "检验检测", "技术服务")),
    ("N", "水利、环境和公共设施管理业", ("水利", "环境", "园林", "市容", "环境卫生", "河道", "公园", "绿化")),
    ("O", "居民服务、修理和其他服务业", ("家政", "修理", "美容美发", "洗染", "居民服务", "维修")),
    ("P", "教育", ("教育", "学校", "培训", "幼儿园")),
    ("Q", "卫生和社会工作", ("卫生", "医疗", "医院", "医疗机构", "疾病", "传染病", "社会福利")),
    ("R", "文化、体育和娱乐业", ("文化", "体育", "娱乐", "出版", "广播", "电影", "文物", "演出", "图书馆")),
    ("S", "公共管理、社会保障和社会组织", ("社会保障", "社会组织", "社会团体", "基金会", "民办非企业")),
    ("T", "国际组织", ("国际组织",)),
]
SIZES = [
    ("大型", ("大型企业",)),
    ("中型", ("中小企业", "中型企业", "中小微企业")),
    ("小型", ("小微企业", "中小企业", "小型企业", "中小微企业")),
    ("微型", ("小微企业", "微型企业", "中小微企业")),
]
GROUPS = [
    ("高校毕业生", ("高校毕业生", "毕业生", "大学生")),
    ("退役军人", ("退役军人", "军人", "优抚", "军队转业", "复员")),
    ("残疾人", ("残疾人", "残疾", "无障碍")),
    ("老年人", ("老年人", "老龄", "高龄")),
    ("农民工", ("农民工", "务工人员", "进城务工")),
    ("困难群众", ("最低生活保障", "低保", "特困", "社会救助", "困难群众")),
    ("未成年人", ("未成年人", "儿童", "青少年")),
    ("妇女", ("妇女", "女职工")),
]
FEATURES = [
    ("高新技术企业", ("高新技术企业", "高新技术")),
    ("专精特新企业", ("专精特新",)),
    ("科技型中小企业", ("科技型中小企业", "科技型企业")),
    ("个体工商户", ("个体工商户", "个体户")),
    ("外商投资企业", ("外商投资", "外资企业", "外国投资者")),
    ("农民专业合作社", ("农民专业合作社", "合作社")),
]

TAGS: list[Tag] = (
    [Tag(f"stage:{s}", "stage", s, _STAGE_KEYWORDS[s], STAGE_SOURCE) for s in LIFE_STAGES["person"]]
    + [Tag(f"estage:{s}", "estage", s, _ESTAGE_KEYWORDS[s], STAGE_SOURCE) for s in ("开办", "经营", "变更", "注销")]
    + [Tag(f"industry:{code}", "industry", f"{code} {name}", kw, INDUSTRY_SOURCE) for code, name, kw in INDUSTRIES]
    + [Tag(f"size:{s}", "size", s, kw, SIZE_SOURCE) for s, kw in SIZES]
    + [Tag(f"group:{g}", "group", g, kw) for g, kw in GROUPS]
    + [Tag(f"feature:{f}", "feature", f, kw) for f, kw in FEATURES]
)
TAG_BY_KEY: dict[str, Tag] = {t.key: t for t in TAGS}
assert set(LIFE_STAGES["person"]) == set(_STAGE_KEYWORDS), "documents.LIFE_STAGES changed: add its keywords"
assert set(LIFE_STAGES["legal_person"]) == set(_ESTAGE_KEYWORDS), "documents.LIFE_STAGES changed: add its keywords"

# Words of a text that say whom it addresses (服务对象), for documents without audiences.
AUDIENCE_KEYWORDS = {
    "person": ("公民", "居民", "个人", "群众", "市民", "村民", "家庭", "自然人"),
    "legal_person": ("企业", "公司", "市场主体", "法人", "经营者", "单位", "个体工商户"),
}


def tag_label(key: str) -> str:
    tag = TAG_BY_KEY.get(key)
    return tag.label if tag else key


def tags_of(dimension: str) -> list[Tag]:
    return [t for t in TAGS if t.dimension == dimension]


# --- Personal data (个人信息保护法) -------------------------------------------------------------------
# The consent text a subscriber agrees to; its version is stored with the consent (第十四条: 充分知情、
# 自愿、明确; 第十七条: 告知处理目的、方式、保存期限). Changing the text means a new version.
CONSENT_VERSION = "2026-1"
CONSENT_TEXT = (
    "我同意本平台为向我发送政策订阅和推送邮件而处理我的电子邮箱地址（及我选填的手机号码）和订阅条件。"
    "不需要姓名、身份证号等实名信息。电子邮箱加密保存，只用于发送订阅邮件，不向第三方提供；"
    "我可以随时在“我的订阅”页面查看、导出和删除全部数据，删除后立即彻底清除（《个人信息保护法》第十四条、第十七条、第四十七条）。"
)
# Accounts never verified are deleted after this many days (第十九条: 保存期限为实现处理目的所必要的最短时间).
UNVERIFIED_RETENTION_DAYS = 7

# --- Links and rate limits ----------------------------------------------------------------------------
VERIFY_MAX_AGE = 3 * 86400  # the verification link is valid three days
LOGIN_MAX_AGE = 86400  # a sign-in link, one day
MANAGE_MAX_AGE = 60 * 86400  # the “manage my subscriptions” link in every e-mail
# Sign-up and sign-in links: per client address and per e-mail address (core.ratelimit), and one e-mail to
# the same address at most every RESEND_SECONDS whatever is asked (no mail bombing through the form).
SIGNUP_LIMIT_PER_ADDRESS = "10/3600"
SIGNUP_LIMIT_PER_EMAIL = "3/86400"
RESEND_SECONDS = 600
NOT_RELEVANT_LIMIT_PER_ADDRESS = "60/3600"

# --- Matching and delivery ----------------------------------------------------------------------------
# A publication older than this (a batch import of historical documents) is not pushed.
MATCH_MAX_AGE_DAYS = 7
# Digest times (local time): daily at DIGEST_HOUR, weekly on DIGEST_WEEKDAY (0 = Monday) at the same hour.
DIGEST_HOUR = 8
DIGEST_WEEKDAY = 0
MAX_ITEMS_PER_MESSAGE = 50
# Failed sends are retried with this back-off (minutes); after the last one the message stays failed and
# is shown to staff — never dropped.
RETRY_MINUTES = (1, 5, 30, 120, 720)
# A message claimed by a worker that died before recording the result is retried after this many seconds.
SENDING_LEASE_SECONDS = 300
# Permanent bounces after which an address is disabled (e-mail stops; feeds keep working).
BOUNCE_LIMIT = 3
FEED_SIZE = 50
PLATFORM_NAME = "政务公开平台"  # as in core.context_processors
