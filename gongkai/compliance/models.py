from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.core.models import Organisation
from gongkai.documents.models import DisclosureAttribute, Document


class Severity(models.TextChoices):
    SEVERE = "severe", _("严重")
    WARNING = "warning", _("一般")
    INFO = "info", _("提示")


class WordingRule(models.Model):
    """A wording rule (错敏字) set by an administrator.

    The curated rules ship in `data/wording_rules.json`; a row with the same pattern replaces the
    shipped rule (or switches it off with `is_active=False`), other rows add rules.
    """

    class Category(models.TextChoices):
        INSTITUTION = "institution", _("机构名称（机构改革）")
        EXPRESSION = "expression", _("固定用语误写")
        CUSTOM = "custom", _("自定义")

    pattern = models.CharField(_("错误写法"), max_length=100, unique=True)
    suggestion = models.CharField(_("建议写法"), max_length=200, blank=True)
    category = models.CharField(_("类别"), max_length=20, choices=Category.choices, default=Category.CUSTOM)
    severity = models.CharField(_("严重程度"), max_length=10, choices=Severity.choices, default=Severity.WARNING)
    effective_from = models.DateField(_("自该日期起成文的文件才检查"), null=True, blank=True)
    not_preceded_by = models.JSONField(_("前面不能是"), default=list, blank=True, help_text=_("如 [\"原\"]"))
    not_followed_by = models.JSONField(_("后面不能是"), default=list, blank=True, help_text=_("如 [\"门\"]"))
    exceptions = models.JSONField(_("例外词语"), default=list, blank=True)
    note = models.CharField(_("依据/说明"), max_length=300, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("用语规则")
        verbose_name_plural = _("用语规则")
        ordering = ["category", "pattern"]

    def __str__(self) -> str:
        return f"{self.pattern} → {self.suggestion}"


class Finding(models.Model):
    """A problem a content check found in one field of an item (document, interpretation, page).

    Moves open → fixed (a later check no longer finds it) or open → accepted (a person explains why
    it stays). Severe open findings block publication; accepting one is a reviewer's override.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("待处理")
        FIXED = "fixed", _("已修正")
        ACCEPTED = "accepted", _("已确认保留")
        FALSE_ALARM = "false_alarm", _("误报")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("机关"))
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.CharField(max_length=64)
    item = GenericForeignKey("content_type", "object_id")
    item_title = models.CharField(_("条目"), max_length=500, blank=True)
    field = models.CharField(_("字段"), max_length=40)
    # Where in an attachment: its file name and page, paragraph, sheet and cell (empty for the item's own fields).
    location = models.CharField(_("位置"), max_length=300, blank=True)
    start = models.PositiveIntegerField(_("起始位置"))
    end = models.PositiveIntegerField(_("结束位置"))
    kind = models.CharField(_("类型"), max_length=20)
    rule = models.CharField(_("规则"), max_length=120)
    text = models.CharField(_("原文"), max_length=200)
    suggestion = models.CharField(_("建议"), max_length=200, blank=True)
    message = models.CharField(_("说明"), max_length=300, blank=True)
    severity = models.CharField(_("严重程度"), max_length=10, choices=Severity.choices)
    fingerprint = models.CharField(max_length=255)
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.OPEN)
    resolution_reason = models.TextField(_("处理说明"), blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    resolved_at = models.DateTimeField(null=True, blank=True)
    first_seen = models.DateTimeField(auto_now_add=True)
    last_seen = models.DateTimeField()

    class Meta:
        verbose_name = _("检查发现的问题")
        verbose_name_plural = _("检查发现的问题")
        ordering = ["-last_seen", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id", "fingerprint"], name="finding_unique_item"),
        ]
        indexes = [models.Index(fields=["organisation", "status", "severity"])]

    def __str__(self) -> str:
        return f"{self.item_title} {self.field}[{self.start}:{self.end}] {self.text}"


class FalseAlarm(models.Model):
    """A publisher's mark that a rule fired wrongly on a text of one item (误报), with the reason.

    One mark per item, rule and text: later checks of that item no longer report the same rule on
    the same text (wherever it stands). Counted per rule on the overview, so a noisy rule shows itself.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("机关"))
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.CharField(max_length=64)
    item = GenericForeignKey("content_type", "object_id")
    item_title = models.CharField(_("条目"), max_length=500, blank=True)
    kind = models.CharField(_("类型"), max_length=20)
    rule = models.CharField(_("规则"), max_length=120)
    text = models.CharField(_("原文"), max_length=200)
    reason = models.TextField(_("误报理由"))
    marked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    marked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("误报标记")
        verbose_name_plural = _("误报标记")
        ordering = ["-marked_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id", "rule", "text"], name="false_alarm_once"),
        ]
        indexes = [models.Index(fields=["organisation", "rule"])]

    def __str__(self) -> str:
        return f"{self.item_title} {self.rule}"  # not the text: it may be a personal number


class ReviewStep(models.Model):
    """One step of the review before publication (先审查、后公开；一事一审).

    Steps are recorded against the content they saw (`content_hash`); an edit after a step makes it
    stale, so approvals always concern the text that will be published.
    """

    class Kind(models.TextChoices):
        PROPOSE = "propose", _("起草人提出公开属性")
        DECIDE = "decide", _("签发人确定公开属性")
        CONFIDENTIALITY = "confidentiality", _("保密审查通过")
        APPROVE = "approve", _("审核通过")
        REJECT = "reject", _("审查不通过")

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="review_steps")
    kind = models.CharField(_("步骤"), max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    attribute = models.CharField(_("公开属性"), max_length=20, choices=DisclosureAttribute.choices, blank=True)
    reason = models.TextField(_("理由/意见"), blank=True)
    content_hash = models.CharField(max_length=64)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("发布前审查步骤")
        verbose_name_plural = _("发布前审查步骤")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.actor}"


class SelfReview(models.Model):
    """The yearly (November) self-review (seed 001 §(五)): an organisation's items not proactively
    disclosed, and the information applied for repeatedly in the last year, for reconsideration
    (possibly to be disclosed proactively)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveIntegerField(_("年度"))
    items = models.JSONField(_("不予公开及依申请公开的文件"), default=list)
    frequently_requested = models.JSONField(_("申请较多的信息"), default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("年度自查")
        verbose_name_plural = _("年度自查")
        constraints = [models.UniqueConstraint(fields=["organisation", "year"], name="self_review_unique_year")]

    def __str__(self) -> str:
        return f"{self.organisation} {self.year}"
