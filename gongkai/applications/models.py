"""依申请公开: an application for government information, its clock events and its remedies.

条例 第二十九条 to 第四十五条. The case's state and due date are derived from its events by
`clock.derive`; the fields under "derived" are a cache written only by `services._refresh`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.core.crypto import EncryptedJSONField
from gongkai.core.models import Organisation

from .clock import CHANNELS, EVENT_TYPES, STATE_LABELS
from .outcomes import APPLICANT_KINDS, OUTCOME_CHOICES, REMEDY_KINDS, REMEDY_RESULTS, REPLY_TYPES

REQUESTED_FORMS = {"paper": "纸质", "email": "电子邮件", "electronic": "电子数据（光盘、U盘等）", "on_site": "现场查阅"}
DELIVERY_CHOICES = {"post": "邮寄", "pick_up": "自行领取", "email": "电子邮件", "online": "网上获取"}
ID_TYPES = {
    "resident_id": "居民身份证",
    "passport": "护照",
    "hk_macao_permit": "港澳居民来往内地通行证",
    "taiwan_permit": "台湾居民来往大陆通行证",
    "foreign_permanent": "外国人永久居留身份证",
    "other": "其他",
}


class Application(models.Model):
    """An application for government information (政府信息公开申请, 条例 第二十九条).

    Addressed to one organisation (changed only by a recorded transfer). The applicant's identity and
    contact details are personal data: stored encrypted (`applicant`), never printed by `str()`, never
    written to the audit log, and shown only to staff handling the case.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("待确认收到")
        OPEN = "open", _("办理中")
        PAUSED = "paused", _("暂停计时")
        CLOSED = "closed", _("已办结")

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("受理机关"), on_delete=models.PROTECT, related_name="applications"
    )
    tracking_code = models.CharField(_("查询码"), max_length=20, unique=True)
    external_id = models.CharField(_("外部编号"), max_length=100, null=True, blank=True, unique=True)
    applicant_kind = models.CharField(_("申请人类型"), max_length=20, choices=list(APPLICANT_KINDS.items()))
    applicant = EncryptedJSONField(_("申请人信息（加密）"), blank=True, default=dict)
    channel = models.CharField(_("申请方式"), max_length=20, choices=list(CHANNELS.items()))
    description = models.TextField(_("所需信息的内容描述"))
    info_title = models.CharField(_("所需信息的名称或文号"), max_length=300, blank=True)
    requested_forms = models.JSONField(_("指定提供形式"), default=list, blank=True)
    delivery_methods = models.JSONField(_("获取信息的方式"), default=list, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    imported = models.BooleanField(_("历史导入"), default=False)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("办理人"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="assigned_applications",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(_("版本"), default=0)

    # --- derived from the events (written only by services._refresh) ---
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    pause_reason = models.CharField(_("暂停原因"), max_length=20, blank=True)
    received_on = models.DateField(_("收到申请之日"), null=True, blank=True, db_index=True)
    due_on = models.DateField(_("答复期限"), null=True, blank=True, db_index=True)
    supplement_notice_deadline = models.DateField(_("补正通知期限"), null=True, blank=True)
    due_explanation = models.TextField(_("期限计算说明"), blank=True)
    calendar_version = models.CharField(_("工作日历版本"), max_length=255, blank=True)
    outcome = models.CharField(_("办理结果"), max_length=40, choices=OUTCOME_CHOICES, blank=True, db_index=True)
    reply_type = models.CharField(_("答复类型"), max_length=30, choices=list(REPLY_TYPES.items()), blank=True)
    concluded_on = models.DateField(_("办结日期"), null=True, blank=True, db_index=True)
    on_time = models.BooleanField(_("按期答复"), null=True, blank=True)
    archived = models.BooleanField(_("已归档"), default=False)

    class Meta:
        verbose_name = _("依申请公开申请")
        verbose_name_plural = _("依申请公开申请")
        ordering = ["-received_on", "-id"]
        indexes = [models.Index(fields=["organisation", "status", "due_on"])]

    def __str__(self) -> str:
        return f"申请 {self.tracking_code}"

    def __repr__(self) -> str:
        return f"<Application {self.pk} {self.tracking_code}>"

    @property
    def is_legal_person(self) -> bool:
        return self.applicant_kind != "natural_person"

    @property
    def state_label(self) -> str:
        return STATE_LABELS.get(self.status, self.status)


class ApplicationEvent(models.Model):
    """One step of the case (登记、审核、办理、答复、归档, 条例 第四十五条), in recorded order.

    `occurred_on` is the legal date of the step (the date that counts for the clock); `fields` holds the
    typed details of each event type (see docs/import-applications.md and clock.EVENT_TYPES).
    """

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    seq = models.PositiveIntegerField()
    type = models.CharField(_("事件"), max_length=30, choices=list(EVENT_TYPES.items()))
    occurred_on = models.DateField(_("日期"))
    recorded_at = models.DateTimeField(_("记录时间"), auto_now_add=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    by_name = models.CharField(_("记录人"), max_length=150, blank=True)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(_("说明"), blank=True)
    fields = models.JSONField(_("事件内容"), default=dict, blank=True)

    class Meta:
        verbose_name = _("办理事件")
        verbose_name_plural = _("办理事件")
        ordering = ["application", "seq"]
        constraints = [models.UniqueConstraint(fields=["application", "seq"], name="application_event_seq_unique")]

    def __str__(self) -> str:
        return f"{self.occurred_on} {self.get_type_display()}"


def attachment_path(instance: ApplicationAttachment, filename: str) -> str:
    return f"applications/{instance.application_id}/{filename}"


class ApplicationAttachment(models.Model):
    """A file handed in with the application or its supplement (身份证明, 申请表 …). Staff-only."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path)
    name = models.CharField(_("文件名"), max_length=255)
    sha256 = models.CharField(max_length=64, blank=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("申请附件")
        verbose_name_plural = _("申请附件")

    def __str__(self) -> str:
        return self.name


class Remedy(models.Model):
    """A reconsideration (行政复议) or lawsuit (行政诉讼) about the case — the annual report's Table 四."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="remedies")
    kind = models.CharField(_("类型"), max_length=40, choices=list(REMEDY_KINDS.items()))
    filed_on = models.DateField(_("申请/起诉日期"))
    body = models.CharField(_("复议机关/人民法院"), max_length=200, blank=True)
    case_no = models.CharField(_("案号"), max_length=100, blank=True)
    result = models.CharField(_("结果"), max_length=20, choices=list(REMEDY_RESULTS.items()), default="pending")
    decided_on = models.DateField(_("审结日期"), null=True, blank=True)
    follows = models.ForeignKey(
        "self", verbose_name=_("所经复议"), null=True, blank=True, on_delete=models.PROTECT, related_name="lawsuits"
    )
    note = models.TextField(_("说明"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("复议诉讼")
        verbose_name_plural = _("复议诉讼")
        ordering = ["filed_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.case_no}".strip()


from .letter_models import (  # noqa: E402,F401  (registers letters, fees, reminders and follow-ups)
    ApplicantFingerprint,
    FeeNotice,
    FollowUp,
    Letter,
    LetterNumberCounter,
    ReminderSent,
)
from .models_intake import CaseNote, LegalReview, PublicAccess  # noqa: E402,F401
