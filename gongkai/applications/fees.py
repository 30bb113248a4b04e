"""Information processing fees (信息处理费, 《政府信息公开信息处理费管理办法》 国办函〔2020〕109号; RULES §2).

Two standards, both 超额累进 and never combined on one application:

* 按件计收 (第四条): per applicant per natural month at the organisation. The k-th application of the
  month costs 0 (k ≤ 10), 100 元 (11 ≤ k ≤ 30), then 100 元 more for each further band of 10:
  100 + 100·⌈(k − 30)/10⌉ (k ≥ 31). The band reading is *unverified* (RULES §2); month totals
  11 → 100, 30 → 2,000, 31 → 2,200, 40 → 4,000, 50 → 7,000.
* 按量计收 (第五条): pages ≤ 30 free; pages 31-100 at 10 元, 101-200 at 20 元, from 201 at 40 元:
  100 → 700, 119 → 1,080, 200 → 2,700; published cases 57 → 270, 109 → 880.

"The same applicant" is recognised by a keyed hash of the identity number (居民身份证号码, other ID
document, 统一社会信用代码), falling back to name + phone/e-mail; see `applicant_fingerprint`. The month
of an application is the month of its receipt date (收到申请之日, 第三十一条), and applications of
the same day are ordered by registration.

Payment: the applicant pays within `APPLICATION_FEE_PAYMENT_WORKING_DAYS` (default 20, *unverified*,
from a provincial notice) working days counted from the day after receiving the notice; the clock
(`clock.on_fee_notice`) computes that date and pauses while waiting. Lapse closes the case with
outcome 其他处理 2 through the `fee_lapsed` event.

This module holds the rules and the reads; the writes (`fee_notice_issue`, `fee_payment_record`,
`fee_lapse_record`) are steps of the case and go through the one door in `services`, which applies
these rules to every `fee_notice` event whichever face records it.
"""

from __future__ import annotations

import hashlib
import hmac
import unicodedata
from dataclasses import dataclass, field
from math import ceil

from django.conf import settings
from django.core.exceptions import ValidationError
from stdnum.cn import uscc

from gongkai.compliance.identifiers import resident_id_compact, resident_id_is_valid

from .letter_models import FEE_BASES, ApplicantFingerprint, FeeNotice
from .models import Application

FREE_ITEMS_PER_MONTH = 10
ITEM_FEE = 100  # 元 per application, 11th-30th of the month
ITEM_BAND = 10  # from the 31st, each band of 10 adds ITEM_FEE
FREE_PAGES = 30
PAGE_TIERS: tuple[tuple[int, int | None, int], ...] = ((31, 100, 10), (101, 200, 20), (201, None, 40))

BASIS_TEXT = "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）"
STANDARD_TEXT = {
    "by_item": "按件计收：同一申请人一个自然月内累计申请10件以下（含10件）的，不收费；11—30件（含30件）的部分，"
    "按100元/件收取；31件以上的部分，以10件为一档，每增加一档，收费标准提高100元/件。",
    "by_volume": "按量计收：同一政府信息公开申请中，30页以下（含30页）的，不收费；31—100页（含100页）的部分，"
    "收费标准为10元/页；101—200页（含200页）的部分，收费标准为20元/页；201页以上的部分，收费标准为40元/页。",
}


# --- The formulas -----------------------------------------------------------------------------------------

def fee_by_item(k: int) -> int:
    """The fee (元) of an applicant's k-th application of the natural month (按件, 第四条)."""
    if k < 1:
        raise ValueError("k starts at 1")
    if k <= FREE_ITEMS_PER_MONTH:
        return 0
    if k <= 30:
        return ITEM_FEE
    return ITEM_FEE + ITEM_FEE * ceil((k - 30) / ITEM_BAND)


def fee_by_item_month_total(n: int) -> int:
    """What an applicant pays in all for n applications in one natural month."""
    return sum(fee_by_item(k) for k in range(1, n + 1))


def fee_by_volume(pages: int) -> int:
    """The fee (元) of one application by the number of pages provided (按量, 第五条)."""
    if pages < 0:
        raise ValueError("pages must not be negative")
    total = 0
    for low, high, rate in PAGE_TIERS:
        top = pages if high is None else min(pages, high)
        total += rate * max(top - low + 1, 0)
    return total


def fee_by_volume_lines(pages: int) -> list[str]:
    """The calculation of `fee_by_volume`, one line per tier used (for the notice and the page)."""
    lines = [f"第1—{FREE_PAGES}页：{min(pages, FREE_PAGES)}页，不收费"]
    for low, high, rate in PAGE_TIERS:
        top = pages if high is None else min(pages, high)
        n = max(top - low + 1, 0)
        if n:
            span = f"第{low}—{high}页" if high else f"第{low}页起"
            lines.append(f"{span}：{n}页×{rate}元/页＝{n * rate}元")
    return lines


# --- Who is "the same applicant" --------------------------------------------------------------------------

def _hmac_key() -> bytes:
    secret = (settings.FIELD_ENCRYPTION_KEY or settings.SECRET_KEY).split(",")[0].strip()
    return hashlib.sha256(b"gongkai-applicant-fingerprint|" + secret.encode()).digest()


def _norm(value: str) -> str:
    return "".join(unicodedata.normalize("NFKC", value or "").split()).upper()


def applicant_identity(*, kind: str, data: dict) -> tuple[str, str] | None:
    """The normalised identity of an applicant as (source, value), or None when nothing identifies them.

    Order: 居民身份证号码 (check digit validated, compacted), another ID document (type + number),
    统一社会信用代码, and last name + phone or e-mail (weaker: documented as such on the fee page).
    """
    data = data or {}
    if kind == "natural_person":
        number = _norm(data.get("id_number", ""))
        if number and data.get("id_type", "resident_id") == "resident_id" and resident_id_is_valid(number):
            return "resident_id", resident_id_compact(number)
        if number:
            return "id_document", f"{data.get('id_type', 'other')}:{number}"
    else:
        code = _norm(data.get("uscc", ""))
        if code and uscc.is_valid(code):
            return "uscc", uscc.compact(code)
    name, contact = _norm(data.get("name", "")), _norm(data.get("phone", "") or data.get("email", ""))
    if name and contact:
        return "name_contact", f"{name}|{contact}"
    return None


def applicant_fingerprint(*, application: Application) -> ApplicantFingerprint | None:
    """The stored keyed hash of the application's applicant, created or refreshed from the encrypted data."""
    identity = applicant_identity(kind=application.applicant_kind, data=application.applicant)
    if identity is None:
        ApplicantFingerprint.objects.filter(application=application).delete()
        return None
    source, value = identity
    digest = hmac.new(_hmac_key(), f"{source}|{value}".encode(), hashlib.sha256).hexdigest()
    fp, _ = ApplicantFingerprint.objects.update_or_create(
        application=application, defaults={"value": digest, "source": source}
    )
    return fp


def fee_item_ordinal(*, application: Application) -> tuple[int, str]:
    """(k, "YYYY-MM"): this application is the applicant's k-th at the organisation in its receipt month."""
    if application.received_on is None:
        raise ValidationError("尚未确认收到申请，无法按件计收。")
    received = application.received_on
    month = Application.objects.filter(
        organisation_id=application.organisation_id,
        received_on__year=received.year,
        received_on__month=received.month,
    )
    missing = month.filter(fingerprint__isnull=True).exclude(pk=application.pk)
    for other in missing:
        applicant_fingerprint(application=other)
    own = applicant_fingerprint(application=application)
    if own is None:
        return 1, f"{received:%Y-%m}"
    same = month.filter(fingerprint__value=own.value)
    earlier = same.filter(received_on__lt=received).count() + same.filter(
        received_on=received, pk__lt=application.pk
    ).count()
    return earlier + 1, f"{received:%Y-%m}"


# --- Quotes and notices -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class FeeQuote:
    basis: str
    quantity: int
    amount: int
    month: str = ""
    lines: list[str] = field(default_factory=list)

    @property
    def basis_label(self) -> str:
        return FEE_BASES[self.basis]

    @property
    def standard(self) -> str:
        return STANDARD_TEXT[self.basis]

    @property
    def explanation(self) -> str:
        return "；".join(self.lines)


def fee_quote(*, application: Application, basis: str, pages: int | None = None) -> FeeQuote:
    """What the application would cost under one standard, with the calculation spelled out."""
    if basis == "by_item":
        k, month = fee_item_ordinal(application=application)
        amount = fee_by_item(k)
        year, mon = month.split("-")
        lines = [f"本申请为同一申请人{int(year)}年{int(mon)}月向本机关提出的第{k}件申请",
                 f"第{k}件的收费标准为{amount}元/件" if amount else "本月第10件以内，不收费"]
        return FeeQuote(basis, k, amount, month, lines)
    if basis == "by_volume":
        if pages is None or pages < 0:
            raise ValidationError("按量计收须填写提供信息的页数。")
        amount = fee_by_volume(pages)
        return FeeQuote(basis, pages, amount, "", [f"共{pages}页", *fee_by_volume_lines(pages), f"合计{amount}元"])
    raise ValidationError("计收方式应为按件计收或按量计收。")


def fee_pending(*, application: Application) -> FeeNotice | None:
    return FeeNotice.objects.filter(application=application, paid_on__isnull=True, lapsed_on__isnull=True).first()


def fees_collected(*, organisation_ids: list[int], year: int) -> dict[str, int]:
    """Fees paid in `year` (for section 六 of the annual report): count and amount in 元."""
    paid = FeeNotice.objects.filter(application__organisation_id__in=organisation_ids, paid_on__year=year)
    return {"count": paid.count(), "amount": sum(paid.values_list("amount", flat=True))}
