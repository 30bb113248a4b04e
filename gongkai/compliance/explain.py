"""Why a finding is a finding: for every rule the checks emit, what it is, why it matters and its source.

A publisher reading a finding should not have to guess: the page shows the rule's name, the
suggestion (what to write instead, on the finding itself) and the reason with its legal or
normative source. Every rule code a checker emits has an entry here; `tests/compliance` checks that
no rule is left without one.
"""

from __future__ import annotations

from dataclasses import dataclass

# The sources, cited once.
REGULATION_PRIVACY = "《中华人民共和国政府信息公开条例》第十五条（个人隐私不得公开）"
PRIVACY_LAW = "《中华人民共和国个人信息保护法》第四条（可识别特定自然人的信息）"
FINANCIAL = "《中华人民共和国个人信息保护法》第二十八条（金融账户属敏感个人信息）"
SITE_CHECKS = "《政府网站与政务新媒体检查指标》（国办秘函〔2019〕19号）"
DOC_FORMAT = "GB/T 9704—2012《党政机关公文格式》"


@dataclass(frozen=True)
class Explanation:
    """What a rule checks (title), why it matters (why) and where the rule comes from (source)."""

    title: str
    why: str
    source: str


RULES: dict[str, Explanation] = {
    "id_number": Explanation(
        "居民身份证号码",
        "身份证号码能直接识别特定个人，公开发布的材料应去标识化（如 11*************02X）。",
        f"{REGULATION_PRIVACY}；{PRIVACY_LAW}；{SITE_CHECKS} 去标识化要求"),
    "mobile": Explanation(
        "手机号码",
        "个人手机号码可识别并联系到特定个人，应去标识化（如 138****5678）；机关公布的咨询电话不受影响。",
        f"{REGULATION_PRIVACY}；{SITE_CHECKS} 去标识化要求"),
    "bank_card": Explanation(
        "银行卡号",
        "银行卡号属于金融账户信息，泄露可能造成财产损失，应去标识化。",
        f"{REGULATION_PRIVACY}；{FINANCIAL}"),
    "name_with_": Explanation(
        "姓名与证件或电话号码同时出现",
        "姓名与号码同时出现可识别特定个人，姓名和号码应一并去标识化（如 张*）。",
        f"{REGULATION_PRIVACY}；{PRIVACY_LAW}"),
    "uscc_individual": Explanation(
        "个体工商户统一社会信用代码",
        "以 92 开头的统一社会信用代码属于个体工商户，可识别经营者本人；依法应公开的（如处罚决定）除外。",
        f"GB 32100—2015《法人和其他组织统一社会信用代码编码规则》；{REGULATION_PRIVACY}"),
    "email": Explanation(
        "电子邮箱地址",
        "非机关域名的邮箱地址通常属于个人，发布前请确认是否应公开。",
        REGULATION_PRIVACY),
    "home_address": Explanation(
        "个人住址",
        "个人住址只公开到乡（镇）、街道一级，门牌号、楼栋、房号应去除。",
        f"{REGULATION_PRIVACY}；地方去标识化惯例（住址公开至乡镇、街道）"),
    "classification_mark": Explanation(
        "密级标志",
        "含有密级标志的内容涉及国家秘密，不得公开。",
        "《中华人民共和国保守国家秘密法》；《中华人民共和国政府信息公开条例》第十四条"),
    "doc_number": Explanation(
        "发文字号格式",
        "发文字号由发文机关代字、年份和发文顺序号组成，年份用六角括号〔〕并写全，顺序号不编虚位、不加“第”。",
        f"{DOC_FORMAT} 7.2.5"),
    "date": Explanation(
        "日期格式",
        "成文日期用阿拉伯数字将年、月、日标全，年份写全，月、日不编虚位（2023年7月21日）。",
        f"{DOC_FORMAT} 7.3.5.1"),
    "broken_internal_link": Explanation(
        "站内链接失效",
        "链接指向本站不存在的页面，读者无法打开。",
        f"{SITE_CHECKS}（链接不可用）"),
    "attachment_unreadable": Explanation(
        "附件未能检查",
        "附件的文字无法读取（扫描件或损坏），其中是否有个人信息须人工核对。",
        f"{REGULATION_PRIVACY}（附件与正文同样公开）"),
    "attachment_missing": Explanation(
        "附件文件缺失",
        "附件文件无法打开，读者也无法下载。",
        f"{SITE_CHECKS}（附件不可用）"),
    "confusion_lm": Explanation(
        "疑似错别字（统计模型）",
        "按读音或字形相近的字替换后，上下文在公文语料中常见得多；请核对，确实无误可标为误报。",
        f"{SITE_CHECKS} 严重表述错误、错别字；语言模型以法律法规语料训练"),
    "institution:": Explanation(
        "机构名称已调整",
        "该机构已在机构改革中更名、撤并或调整职能，改革后成文的文件应使用新名称；引用历史时可写“原……”。",
        "国务院机构改革方案（第十三届、第十四届全国人民代表大会第一次会议批准）；"
        f"{SITE_CHECKS} 严重表述错误"),
    "expression:": Explanation(
        "固定用语误写",
        "该写法是常见的误写（错别字或不规范的固定搭配），应改为建议写法。",
        f"《通用规范汉字表》（国发〔2013〕23号）；{SITE_CHECKS} 严重表述错误、错别字"),
    "wrong_word:": Explanation(
        "常见错别词",
        "该词是公文中常见的错别词（音近或形近字误用），在任何语境下都不规范，应改为建议写法。",
        "《咬文嚼字》十大语文差错；《现代汉语词典》（第7版）；《第一批异形词整理表》（GF 1001—2001）；"
        "错别词表 gongkai/compliance/data/wrong_words.json"),
    "public_report": Explanation(
        "网民报告的错别字或表述问题（我为政府网站找错）",
        "公众通过页面底部的“我为政府网站找错”报告了该页面的错别字或表述错误。请核对页面原文，改正后在“网站找错”中办结；"
        "经核实无误的，办结时说明理由。该问题不会因重新检查而自动关闭。",
        f"{SITE_CHECKS} 严重表述错误、错别字；全国政府网站“我为政府网站找错”监督举报平台"),
    "custom:": Explanation(
        "本机关自定义用语规则",
        "管理员为本平台设定的用语规则，理由见规则说明。",
        "管理员在后台设定的用语规则（WordingRule.note）"),
}

_PREFIXES = ("name_with_", "institution:", "expression:", "wrong_word:", "custom:", "public_report")


def rule_key(rule: str) -> str:
    """The entry of `RULES` that explains `rule` (a family for the parameterised rules)."""
    for prefix in _PREFIXES:
        if rule.startswith(prefix):
            return prefix
    return rule


def rule_explanation(rule: str) -> Explanation | None:
    return RULES.get(rule_key(rule))
