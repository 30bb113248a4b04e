"""Letters, fees, reminders and follow-up visits of disclosure applications.

Imported at the end of `models.py` so that Django registers them under the `applications` app.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.core.models import Organisation

LETTER_KINDS: dict[str, str] = {
    "reply": "政府信息公开申请答复告知书",
    "supplement": "补正告知书",
    "extension": "延期答复告知书",
    "reasonable_period": "确定答复期限告知书",
    "consultation_third_party": "征求第三方意见函",
    "consultation_agency": "征求意见函",
    "fee_notice": "收费通知书",
}
FEE_BASES: dict[str, str] = {"by_item": "按件计收", "by_volume": "按量计收"}
FOLLOW_UP_METHODS: dict[str, str] = {"phone": "电话回访", "visit": "上门回访", "email": "电子邮件", "letter": "信函",
                                     "online": "网上回访"}
FOLLOW_UP_RESULTS: dict[str, str] = {"satisfied": "满意", "basically_satisfied": "基本满意",
                                     "dissatisfied": "不满意", "unreachable": "未能联系"}


class ApplicantFingerprint(models.Model):
    """A keyed hash (HMAC-SHA256) of the applicant's identity number, to count one applicant's
    applications per month for the 按件 fee (RULES §2) without storing the number in plaintext.

    The key is derived from FIELD_ENCRYPTION_KEY (or SECRET_KEY), so the short, structured ID numbers
    cannot be recovered by hashing every possible number.
    """

    application = models.OneToOneField(
        "applications.Application", on_delete=models.CASCADE, related_name="fingerprint"
    )
    value = models.CharField(max_length=64, db_index=True)
    source = models.CharField(max_length=20)  # resident_id / id_document / uscc / name_contact

    class Meta:
        verbose_name = _("申请人识别码")
        verbose_name_plural = _("申请人识别码")

    def __str__(self) -> str:
        return f"{self.source}:{self.value[:8]}…"


class LetterNumberCounter(models.Model):
    """The last letter number given by an organisation in a year (no gaps, no duplicates)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveIntegerField()
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "year"], name="letter_counter_unique")]

    def __str__(self) -> str:
        return f"{self.organisation_id}/{self.year}: {self.last_value}"


class Letter(models.Model):
    """A letter of the case (答复告知书, 补正告知书, 延期告知书, 征求意见函, 收费通知书).

    Drafted from the case, edited by staff, then sent: sending gives it its number, renders the DOCX
    and PDF, stores their SHA-256 hashes and freezes the record — a sent letter is never changed
    (the model refuses to save or delete one; `letters.letter_send` is the only way to send).
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SENT = "sent", _("已发出")

    application = models.ForeignKey("applications.Application", on_delete=models.PROTECT, related_name="letters")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("文书类型"), max_length=30, choices=list(LETTER_KINDS.items()))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    title = models.CharField(_("标题"), max_length=200)
    recipient = models.CharField(_("称谓（抬头）"), max_length=200)
    opening = models.TextField(_("申请情况"), blank=True)
    decision = models.TextField(_("答复内容"), blank=True)
    remedy = models.TextField(_("救济途径"), blank=True)
    closing = models.TextField(_("联系方式"), blank=True)
    signature = models.CharField(_("落款机关"), max_length=200)
    facts = models.JSONField(_("生成依据"), default=dict, blank=True)
    unified_from = models.ForeignKey(
        "self", verbose_name=_("统一答复口径来源"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # --- set once, when sent ---
    number = models.CharField(_("文书编号"), max_length=80, blank=True)
    dated_on = models.DateField(_("成文日期"), null=True, blank=True)
    sent_at = models.DateTimeField(_("发出时间"), null=True, blank=True)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")
    sent_by_name = models.CharField(_("发出人"), max_length=150, blank=True)
    text_sha256 = models.CharField(max_length=64, blank=True)
    docx = models.BinaryField(null=True, blank=True, editable=False)
    docx_sha256 = models.CharField(max_length=64, blank=True)
    pdf = models.BinaryField(null=True, blank=True, editable=False)
    pdf_sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("办理文书")
        verbose_name_plural = _("办理文书")
        ordering = ["application", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "number"], condition=~models.Q(number=""),
                                    name="letter_number_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}".strip()

    def save(self, *args, **kwargs):
        # Integrity guard, not a business rule: a sent letter is the legal record of what was sent.
        if self.pk and Letter.objects.filter(pk=self.pk, status=Letter.Status.SENT).exists():
            raise ValidationError("已发出的文书不得修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.status == Letter.Status.SENT:
            raise ValidationError("已发出的文书不得删除。")
        return super().delete(*args, **kwargs)


class FeeNotice(models.Model):
    """A processing-fee notice (收费通知书, 国办函〔2020〕109号): one standard per application.

    The clock follows the `fee_notice` / `fee_paid` / `fee_lapsed` events; this row keeps the
    calculation and the payment record.
    """

    application = models.ForeignKey("applications.Application", on_delete=models.PROTECT, related_name="fee_notices")
    basis = models.CharField(_("计收方式"), max_length=20, choices=list(FEE_BASES.items()))
    quantity = models.PositiveIntegerField(_("件次或页数"))  # k-th application of the month, or pages
    month = models.CharField(_("计件月份"), max_length=7, blank=True)  # YYYY-MM for by_item
    amount = models.PositiveIntegerField(_("金额（元）"))
    explanation = models.TextField(_("计算说明"))
    issued_on = models.DateField(_("通知日期"))
    notice_received_on = models.DateField(_("申请人收到通知日期"))
    payment_due_on = models.DateField(_("缴费期限"))
    letter = models.ForeignKey(Letter, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    paid_on = models.DateField(_("缴费日期"), null=True, blank=True)
    receipt_no = models.CharField(_("缴费凭证号"), max_length=100, blank=True)
    lapsed_on = models.DateField(_("逾期未缴日期"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("信息处理费")
        verbose_name_plural = _("信息处理费")
        ordering = ["application", "issued_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_basis_display()} {self.amount} 元"

    @property
    def state(self) -> str:
        return "paid" if self.paid_on else "lapsed" if self.lapsed_on else "pending"


class ReminderSent(models.Model):
    """One reminder e-mail already sent, so the next run of the job does not repeat it."""

    application = models.ForeignKey("applications.Application", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=30)  # due_soon / overdue / consultation_late / fee_unpaid
    key = models.CharField(max_length=120)  # what the reminder was about, e.g. "5:2026-12-01"
    recipients = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["application", "kind", "key"], name="reminder_once")]

    def __str__(self) -> str:
        return f"{self.kind} {self.key}"


class FollowUp(models.Model):
    """A follow-up visit (回访) after the reply: how the applicant was reached and what they said."""

    application = models.ForeignKey("applications.Application", on_delete=models.PROTECT, related_name="follow_ups")
    visited_on = models.DateField(_("回访日期"))
    method = models.CharField(_("回访方式"), max_length=20, choices=list(FOLLOW_UP_METHODS.items()))
    result = models.CharField(_("回访结果"), max_length=30, choices=list(FOLLOW_UP_RESULTS.items()))
    note = models.TextField(_("回访情况"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    by_name = models.CharField(_("回访人"), max_length=150, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("回访记录")
        verbose_name_plural = _("回访记录")
        ordering = ["application", "visited_on", "id"]

    def __str__(self) -> str:
        return f"{self.visited_on} {self.get_method_display()}"
