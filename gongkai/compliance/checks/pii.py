"""Personal data in published text (去标识化, RULES §5).

Detected only when the number is valid, so long numbers in official prose (statistics, article
numbers, 案号, 统一社会信用代码 of companies) stay quiet:
- 居民身份证号: 18 characters, GB 11643 check digit, a real birth date and a known region (stdnum.cn.ric);
- mobile numbers 1[3-9]\\d{9} on an allocated prefix, not part of a longer number;
- bank card numbers: 16-19 digits, a card-scheme prefix and the Luhn check;
- e-mail addresses, except an organisation's own (configurable domains);
- 统一社会信用代码 of 个体工商户 (the code starts 92), which identify a person (stdnum.cn.uscc).
Context-aware exceptions (configurable in settings.COMPLIANCE_PII): a phone number announced as a
contact/consultation/complaint line, and numbers in sanction notices where the law requires naming.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from stdnum import luhn
from stdnum.cn import ric, uscc

from . import CheckContext, Hit, HitKind, Severity

# Patterns start with one character class or a literal, which the regex engine scans for quickly;
# the boundaries (not part of a longer number or code) are checked in `_standalone`.
_NUMBER = re.compile(r"[0-9][0-9]{10,18}[Xx]?")
_USCC = re.compile(r"92[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}")
_ALNUM = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_MOBILE_PREFIXES = re.compile(r"1(?:3\d|4[5-9]|5[0-35-9]|6[2567]|7[0-8]|8\d|9[0-35-9])")
_CARD_PREFIXES = ("62", "4", "51", "52", "53", "54", "55", "35", "37", "60", "9")


@dataclass(frozen=True)
class PiiPolicy:
    """Where personal data may stand: contact lines, organisations' e-mail domains, sanction notices."""

    contact_words: tuple[str, ...] = ("联系电话", "咨询电话", "举报电话", "投诉电话", "监督电话", "服务热线", "值班电话",
                                      "联系方式", "热线", "传真", "电话：", "电话:")
    contact_window: int = 12
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
    if len(number) == 18 and ric.is_valid(number.upper()):
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
        return any(word in window for word in self.policy.contact_words)

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
        hits.sort(key=lambda h: h.start)
        return hits
