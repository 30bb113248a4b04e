from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.core.models import Organisation


class Topic(models.Model):
    """A gov.cn 主题分类 category (two levels); shipped with the platform, see `taxonomy.py`."""

    code = models.CharField(max_length=8, unique=True)
    name = models.CharField(max_length=64)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")

    class Meta:
        verbose_name = _("主题分类")
        verbose_name_plural = _("主题分类")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The gov.cn value format: 一级\\二级."""
        return f"{self.parent.name}\\{self.name}" if self.parent_id else self.name


class Genre(models.TextChoices):
    """文种: the 15 kinds of 党政机关公文 in use, plus 规章, 行政规范性文件 and 其他."""

    ORDER = "order", _("命令（令）")
    DECISION = "decision", _("决定")
    ANNOUNCEMENT = "announcement", _("公告")
    PUBLIC_NOTICE = "public_notice", _("通告")
    OPINION = "opinion", _("意见")
    NOTICE = "notice", _("通知")
    CIRCULAR = "circular", _("通报")
    REPORT = "report", _("报告")
    REQUEST = "request", _("请示")
    REPLY = "reply", _("批复")
    MOTION = "motion", _("议案")
    LETTER = "letter", _("函")
    MINUTES = "minutes", _("纪要")
    RULE = "rule", _("规章")
    NORMATIVE = "normative", _("行政规范性文件")
    LAW = "law", _("法律法规")
    OTHER = "other", _("其他")


NORMATIVE_GENRES = {Genre.RULE, Genre.NORMATIVE}


class DisclosureAttribute(models.TextChoices):
    """公开属性 decided for every document before publication (seed 001 §(四))."""

    PROACTIVE = "proactive", _("主动公开")
    ON_REQUEST = "on_request", _("依申请公开")
    NOT_DISCLOSED = "not_disclosed", _("不予公开")


class Status(models.TextChoices):
    """Where a document stands in its workflow; derived from its lifecycle events."""

    DRAFT = "draft", _("草稿")
    IN_REVIEW = "in_review", _("审核中")
    APPROVED = "approved", _("已审核")
    SCHEDULED = "scheduled", _("定时发布")
    PUBLISHED = "published", _("已发布")
    WITHDRAWN = "withdrawn", _("已撤回")


class Validity(models.TextChoices):
    """有效性, derived from lifecycle events and dates (国办发〔2017〕47号: marked on the original)."""

    NOT_YET = "not_yet", _("尚未生效")
    VALID = "valid", _("有效")
    AMENDED = "amended", _("已修改")
    REPEALED = "repealed", _("已废止")
    EXPIRED = "expired", _("已失效")


class Audience(models.TextChoices):
    PERSON = "person", _("个人")
    LEGAL_PERSON = "legal_person", _("法人")


LIFE_STAGES = {
    "person": ["出生", "户籍", "上学", "就业", "婚姻", "生育", "住房", "养老", "身后"],
    "legal_person": ["开办", "变更", "经营", "注销"],
}


class NoDeleteQuerySet(models.QuerySet):
    """Published records are never hard-deleted: withdrawal, repeal and correction are events."""

    def delete(self):
        raise PermissionError("政策文件不能删除；请使用撤回、废止或更正。")


class Document(models.Model):
    """A policy document (政策文件) of the library, with the metadata of RULES §6.

    `status` and `validity` are caches of what the lifecycle events say; only
    `services.document_refresh_state` writes them.
    """

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("所属机关"), on_delete=models.PROTECT, related_name="documents"
    )
    external_id = models.CharField(_("外部编号"), max_length=200, unique=True, null=True, blank=True)
    # Fingerprint of the source record an import last wrote; lets a re-import skip unchanged lines.
    import_digest = models.CharField(_("导入指纹"), max_length=64, blank=True, editable=False)
    title = models.CharField(_("标题"), max_length=500)
    doc_number = models.CharField(_("发文字号"), max_length=100, blank=True, db_index=True)
    index_no = models.CharField(_("索引号"), max_length=100, unique=True)
    written_on = models.DateField(_("成文日期"), null=True, blank=True)
    published_at = models.DateTimeField(_("发布日期"), null=True, blank=True, db_index=True)
    scheduled_for = models.DateTimeField(_("定时发布时间"), null=True, blank=True)
    effective_on = models.DateField(_("生效日期"), null=True, blank=True)
    repealed_on = models.DateField(_("废止日期"), null=True, blank=True)
    expires_on = models.DateField(_("有效期至"), null=True, blank=True)
    topic = models.ForeignKey(Topic, verbose_name=_("主题分类"), null=True, blank=True, on_delete=models.PROTECT)
    genre = models.CharField(_("文种"), max_length=20, choices=Genre.choices, default=Genre.NOTICE)
    audiences = models.JSONField(_("服务对象"), default=list, blank=True)
    life_stages = models.JSONField(_("生命周期分类"), default=list, blank=True)
    subject_words = models.CharField(_("主题词"), max_length=300, blank=True)
    summary = models.TextField(_("内容概述"), blank=True)
    consultation_department = models.CharField(_("政策咨询部门"), max_length=200, blank=True)
    consultation_phone = models.CharField(_("政策咨询电话"), max_length=64, blank=True)
    registration_no = models.CharField(_("规范性文件登记号"), max_length=100, blank=True)
    source = models.CharField(_("信息来源"), max_length=200, blank=True)
    category = models.CharField(_("文件类别"), max_length=64, blank=True, help_text=_("如 行政法规、地方性法规"))
    body = models.TextField(_("正文"), blank=True, help_text=_("经过清洗的 HTML"))
    disclosure_attribute = models.CharField(
        _("公开属性"), max_length=20, choices=DisclosureAttribute.choices, default=DisclosureAttribute.PROACTIVE
    )
    disclosure_reason = models.TextField(_("不公开或依申请公开理由"), blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.DRAFT, editable=False)
    validity = models.CharField(
        _("有效性"), max_length=20, choices=Validity.choices, default=Validity.VALID, editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = NoDeleteQuerySet.as_manager()

    class Meta:
        verbose_name = _("政策文件")
        verbose_name_plural = _("政策文件")
        ordering = ["-published_at", "-id"]
        indexes = [
            models.Index(fields=["status", "published_at"]),
            models.Index(fields=["organisation", "status"]),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_normative(self) -> bool:
        return self.genre in NORMATIVE_GENRES

    @property
    def is_public(self) -> bool:
        return self.status == Status.PUBLISHED and self.disclosure_attribute == DisclosureAttribute.PROACTIVE

    def delete(self, *args, **kwargs):
        raise PermissionError("政策文件不能删除；请使用撤回、废止或更正。")

    def issuer_names(self) -> list[str]:
        return [issuer.display_name for issuer in self.issuers.all()]


class DocumentIssuer(models.Model):
    """One 发文机关 of a document: an organisation on the platform or, for outside bodies, a name."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="issuers")
    organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("发文机关名称"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("发文机关")
        verbose_name_plural = _("发文机关")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.organisation.name if self.organisation_id else self.name


class LifecycleEvent(models.Model):
    """One event in a document's life. The document's status and validity are derived from these."""

    class Kind(models.TextChoices):
        DRAFTED = "drafted", _("起草")
        EDITED = "edited", _("修改草稿")
        SUBMITTED = "submitted", _("提交审核")
        RETURNED = "returned", _("退回修改")
        APPROVED = "approved", _("审核通过")
        SCHEDULED = "scheduled", _("定时发布")
        PUBLISHED = "published", _("发布")
        AMENDED_BY = "amended_by", _("被修改")
        REPEALED_BY = "repealed_by", _("被废止")
        REPEALED = "repealed", _("废止")
        EXPIRED = "expired", _("失效")
        WITHDRAWN = "withdrawn", _("撤回")
        CORRECTED = "corrected", _("更正")

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(_("事件"), max_length=20, choices=Kind.choices)
    at = models.DateTimeField(_("时间"))
    effective_on = models.DateField(_("生效日期"), null=True, blank=True, help_text=_("修改、废止、失效的日期"))
    related_document = models.ForeignKey(
        Document, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("相关文件")
    )
    reason = models.TextField(_("理由/说明"), blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("文件生命周期事件")
        verbose_name_plural = _("文件生命周期事件")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d}"


class Interpretation(models.Model):
    """A 政策解读 of one or more documents; itself a publishable item (谁起草、谁解读)."""

    class Form(models.TextChoices):
        TEXT = "text", _("文字解读")
        GRAPHIC = "graphic", _("图解")
        MEDIA = "media", _("音视频")
        QA = "qa", _("问答")
        PRESS = "press", _("新闻发布会/访谈")

    class State(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PUBLISHED = "published", _("已发布")
        WITHDRAWN = "withdrawn", _("已撤回")

    documents = models.ManyToManyField(Document, related_name="interpretations", verbose_name=_("解读的文件"))
    organisation = models.ForeignKey(Organisation, verbose_name=_("解读机关"), on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("标题"), max_length=500)
    form = models.CharField(_("解读形式"), max_length=20, choices=Form.choices, default=Form.TEXT)
    body = models.TextField(_("正文"), blank=True)
    media_url = models.URLField(_("音视频/图解地址"), blank=True)
    state = models.CharField(_("状态"), max_length=20, choices=State.choices, default=State.DRAFT)
    published_at = models.DateTimeField(_("发布日期"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("政策解读")
        verbose_name_plural = _("政策解读")
        ordering = ["-published_at", "-id"]

    def __str__(self) -> str:
        return self.title


def attachment_path(instance: "Attachment", filename: str) -> str:
    # The stored name is generated; the user's filename never reaches the file system.
    return f"attachments/{instance.uploaded_at:%Y/%m}/{instance.token}{instance.extension}"


class Attachment(models.Model):
    """A file attached to a document or an interpretation; the original filename is kept for display."""

    document = models.ForeignKey(Document, null=True, blank=True, on_delete=models.PROTECT, related_name="attachments")
    interpretation = models.ForeignKey(
        Interpretation, null=True, blank=True, on_delete=models.PROTECT, related_name="attachments"
    )
    file = models.FileField(upload_to=attachment_path, max_length=255)
    token = models.CharField(max_length=32, unique=True)
    extension = models.CharField(max_length=10)
    original_name = models.CharField(_("文件名"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.original_name
