"""Personal data in published text (去标识化, RULES §5).

Detected only when the number is valid, so long numbers in official prose (statistics, article
numbers, 案号, 统一社会信用代码 of companies) stay quiet:
- 居民身份证号: 18 characters, GB 11643 check digit, a real birth date and a region code that was issued at
  some time (`gongkai.compliance.identifiers`: the code of first registration may be younger than the
  person);
- mobile numbers 1[3-9]\\d{9} on an allocated prefix, not part of a longer number;
- bank card numbers: 16-19 digits, a card-scheme prefix and the Luhn check;
- e-mail addresses, except an organisation's own (configurable domains);
- 统一社会信用代码 of 个体工商户 (the code starts 92), which identify a person (stdnum.cn.uscc).
- a person's name next to one of those numbers is part of the same finding (both masked);
- a home address below 乡（镇）、街道 level (门牌号, 栋, 单元, 室) announced as someone's 住址 (RULES §5, local
  practice: addresses only down to 乡镇、街道).
Context-aware exceptions (configurable in settings.COMPLIANCE_PII): a phone number announced as a
contact/consultation/complaint line — but never when the same sentence ties it to an applicant, a party,
a complainant or another private person — the organisation's own numbers, and numbers in sanction
notices where the law requires naming.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from stdnum import luhn
from stdnum.cn import uscc

from ..identifiers import resident_id_is_valid
from . import CheckContext, Hit, HitKind, Severity

# Patterns start with one character class or a literal, which the regex engine scans for quickly;
# the boundaries (not part of a longer number or code) are checked in `_standalone`.
_NUMBER = re.compile(r"[0-9][0-9]{10,18}[Xx]?")
_USCC = re.compile(r"92[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}")
_ALNUM = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_MOBILE_PREFIXES = re.compile(r"1(?:3\d|4[5-9]|5[0-35-9]|6[2567]|7[0-8]|8\d|9[0-35-9])")
_CARD_PREFIXES = ("62", "4", "51", "52", "53", "54", "55", "35", "37", "60", "9")
_SENTENCE_END = frozenset("。；;！!？?\n")

# A person's name: a common surname (the ~100 most frequent, which cover about 85% of the population,
# and the compound ones) and one or two more characters. Only ever looked for right beside a number
# that is already a finding, so a word that happens to start with a surname costs a wider mask at most.
_SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
             "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
_NAME = rf"(?:欧阳|司马|诸葛|上官|东方|皇甫|尉迟|公孙|慕容|令狐|夏侯|[{_SURNAMES}])[\u4e00-\u9fff]{{1,2}}"
_LABEL = r"(?:公民身份号码|居民身份证号码|身份证号码|身份证号|身份证|证件号码|手机号码|手机号|手机|联系电话|电话|银行卡号|卡号|账号)"
_SEP = r"[\s，,：:（(、的]*"
_NAME_BEFORE = re.compile(rf"(?P<name>{_NAME}?){_SEP}{_LABEL}?{_SEP}$")
_NAME_AFTER = re.compile(rf"^[\s（(，,]*(?:姓名[：:]?)?(?P<name>{_NAME}?)(?=[）)，,。；;\s]|$)")
_NOT_A_NAME = ("某", "*", "＊", "×", "X", "x")
_ADDRESS = re.compile(
    r"(?:住址|家庭住址|现住址?|家住|户籍地址?|居住地址?|现居住地?|住在)[为是：:\s]*"
    r"(?P<address>[\u4e00-\u9fffA-Za-z0-9\-－#]{2,40}?[0-9一二三四五六七八九十百]+(?:号|栋|幢|单元|室|组)"
    r"(?:[0-9A-Za-z\-－一二三四五六七八九十]*(?:号|栋|幢|单元|楼|层|室))*)")
_ADDRESS_KEEP = re.compile(r"^.*?(?:街道|镇|乡)")


@dataclass(frozen=True)
class PiiPolicy:
    """Where personal data may stand: contact lines, organisations' e-mail domains, sanction notices."""

    contact_words: tuple[str, ...] = ("联系电话", "咨询电话", "举报电话", "投诉电话", "监督电话", "服务热线", "值班电话",
                                      "联系方式", "热线", "传真", "电话：", "电话:")
    contact_window: int = 12
    # A contact line is the office's only when its sentence names no private person (issue: an
    # applicant's mobile after "联系电话" was exempted as if it were the office's).
    person_words: tuple[str, ...] = ("申请人", "当事人", "被处罚人", "投诉人", "举报人", "被申请人", "被执行人",
                                     "委托人", "代理人", "本人", "家属", "先生", "女士", "身份证", "住址", "家住")
    exempt_email_domains: tuple[str, ...] = ("gov.cn", "org.cn", "npc.gov.cn", "court.gov.cn")
    sanction_title_words: tuple[str, ...] = ("行政处罚决定", "处罚决定书", "失信被执行人", "通缉")
    sanction_exempt_kinds: tuple[str, ...] = ("mobile", "uscc")

    @classmethod
    def from_settings(cls) -> PiiPolicy:
        from django.conf import settings

        return cls(**getattr(settings, "COMPLIANCE_PII", {}))


def mask(value: str, keep_start: int, keep_end: int) -> str:
    return value[:keep_start] + "*" * (len(value) - keep_start - keep_end) + value[len(value) - keep_end:]


def is_mobile(number: str) -> bool:
    return len(number) == 11 and bool(_MOBILE_PREFIXES.match(number))


def is_bank_card(number: str) -> bool:
    return 16 <= len(number) <= 19 and number.isdigit() and number.startswith(_CARD_PREFIXES) and luhn.is_valid(number)


def _classify(number: str) -> tuple[str, str, str] | None:
    """(rule, suggestion, message) for a valid personal number, None otherwise."""
    if len(number) == 18 and resident_id_is_valid(number):
        return "id_number", mask(number, 2, 3), "居民身份证号码应去标识化处理"
    if is_mobile(number):
        return "mobile", mask(number, 3, 4), "手机号码应去标识化处理"
    if is_bank_card(number):
        return "bank_card", mask(number, 4, 4), "银行卡号应去标识化处理"
    return None


def _standalone(text: str, start: int, end: int) -> bool:
    return (start == 0 or text[start - 1] not in _ALNUM) and (end == len(text) or text[end] not in _ALNUM)


class PiiChecker:
    def __init__(self, policy: PiiPolicy | None = None):
        self.policy = policy or PiiPolicy()

    def _contact_line(self, text: str, start: int) -> bool:
        window = text[max(0, start - self.policy.contact_window):start]
        if not any(word in window for word in self.policy.contact_words):
            return False
        return not any(word in _sentence(text, start) for word in self.policy.person_words)

    def _with_name(self, text: str, start: int, end: int) -> tuple[int, int, str, str]:
        """(start, end, before, after): the finding widened to a name right beside the number."""
        before = _NAME_BEFORE.search(text[max(0, start - 20):start])
        if before and before.group("name") and not any(c in before.group("name") for c in _NOT_A_NAME):
            name_start = start - (len(text[max(0, start - 20):start]) - before.start("name"))
            return name_start, end, before.group("name"), ""
        after = _NAME_AFTER.search(text[end:end + 12])
        if after and after.group("name") and not any(c in after.group("name") for c in _NOT_A_NAME):
            return start, end + after.end("name"), "", after.group("name")
        return start, end, "", ""

    def check(self, text: str, context: CheckContext | None = None) -> list[Hit]:
        if not text:
            return []
        context = context or CheckContext()
        sanction = any(word in context.title for word in self.policy.sanction_title_words)
        hits: list[Hit] = []
        for m in _NUMBER.finditer(text):
            if not _standalone(text, m.start(), m.end()):
                continue
            number = m.group(0)
            found = _classify(number)
            if found is None:
                continue
            rule, suggestion, message = found
            if rule == "mobile" and (number in context.exempt_phones or self._contact_line(text, m.start())):
                continue
            if sanction and rule in self.policy.sanction_exempt_kinds:
                continue
            start, end, name_before, name_after = self._with_name(text, m.start(), m.end())
            if name_before or name_after:
                masked = _mask_name(name_before) + text[start + len(name_before):m.start()] + suggestion
                masked += text[m.end():end - len(name_after)] + _mask_name(name_after)
                hits.append(Hit(kind=HitKind.PERSONAL_DATA, rule=f"name_with_{rule}", start=start, end=end,
                                text=text[start:end], suggestion=masked, severity=Severity.SEVERE,
                                message="姓名与" + message.replace("应去标识化处理", "同时出现，可识别特定个人，应一并去标识化处理")))
                continue
            hits.append(Hit(kind=HitKind.PERSONAL_DATA, rule=rule, start=m.start(), end=m.end(), text=number,
                            suggestion=suggestion, severity=Severity.SEVERE if rule != "mobile" else Severity.WARNING,
                            message=message))
        if "92" in text:
            for m in _USCC.finditer(text):
                if _standalone(text, m.start(), m.end()) and uscc.is_valid(m.group(0)) and not (sanction and "uscc" in self.policy.sanction_exempt_kinds):
                    hits.append(Hit(kind=HitKind.PERSONAL_DATA, rule="uscc_individual", start=m.start(), end=m.end(),
                                    text=m.group(0), suggestion=mask(m.group(0), 8, 4), severity=Severity.INFO,
                                    message="个体工商户的统一社会信用代码可识别个人，发布前请确认是否需要公开"))
        if "@" in text:
            for m in _EMAIL.finditer(text):
                address = m.group(0)
                domain = address.rsplit("@", 1)[1].lower()
                if any(domain == d or domain.endswith("." + d) for d in self.policy.exempt_email_domains):
                    continue
                if self._contact_line(text, m.start()):
                    continue
                local = address.split("@", 1)[0]
                hits.append(Hit(kind=HitKind.PERSONAL_DATA, rule="email", start=m.start(), end=m.end(), text=address,
                                suggestion=mask(local, 1, 0) + "@" + domain, severity=Severity.WARNING,
                                message="电子邮箱地址可能属于个人信息"))
        if "住" in text or "户籍" in text:
            for m in _ADDRESS.finditer(text):
                address = m.group("address")
                kept = _ADDRESS_KEEP.match(address)
                hits.append(Hit(kind=HitKind.PERSONAL_DATA, rule="home_address", start=m.start("address"),
                                end=m.end("address"), text=address,
                                suggestion=(kept.group(0) if kept else address[:6]) + "***", severity=Severity.WARNING,
                                message="个人住址只公开到乡（镇）、街道一级，门牌号、楼栋、房号应去除"))
        hits.sort(key=lambda h: h.start)
        return hits


def _sentence(text: str, position: int) -> str:
    start = position
    while start > 0 and text[start - 1] not in _SENTENCE_END:
        start -= 1
    end = position
    while end < len(text) and text[end] not in _SENTENCE_END:
        end += 1
    return text[start:end]


def _mask_name(name: str) -> str:
    if not name:
        return ""
    surname = 2 if name[:2] in ("欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "夏侯") and len(name) > 2 else 1
    return name[:surname] + "*" * (len(name) - surname)
