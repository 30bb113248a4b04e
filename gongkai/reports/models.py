from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.core.models import Organisation


class AnnualReport(models.Model):
    """政府信息公开工作年度报告 of one organisation for one year (条例 第四十九、五十条).

    A draft's tables are computed from the platform's records each time it is shown; publishing
    freezes them (`data`) together with the checks. A published report is never changed: a correction
    is a new version with a visible note. A report imported from a published PDF (for years before the
    platform) carries its tables in `data` and is only used for comparisons (R5, R6, 雷同率).
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        IN_REVIEW = "in_review", _("审核中")
        PUBLISHED = "published", _("已发布")

    class Source(models.TextChoices):
        PLATFORM = "platform", _("平台生成")
        IMPORTED = "imported", _("导入")

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="annual_reports")
    year = models.PositiveIntegerField(_("年度"))
    version = models.PositiveIntegerField(_("版本"), default=1)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    source = models.CharField(_("来源"), max_length=20, choices=Source.choices, default=Source.PLATFORM)
    include_descendants = models.BooleanField(_("含下级机关"), default=False)
    section1 = models.TextField(_("一、总体情况"), blank=True)
    section5 = models.TextField(_("五、存在的主要问题及改进情况"), blank=True)
    section6 = models.TextField(_("六、其他需要报告的事项"), blank=True)
    licensing_decisions = models.PositiveIntegerField(_("行政许可本年处理决定数量"), null=True, blank=True)
    penalty_decisions = models.PositiveIntegerField(_("行政处罚本年处理决定数量"), null=True, blank=True)
    enforcement_decisions = models.PositiveIntegerField(_("行政强制本年处理决定数量"), null=True, blank=True)
    fees_amount = models.DecimalField(
        _("行政事业性收费本年收费金额（万元）"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    figures_source = models.TextField(_("数据来源说明"), blank=True, help_text=_("如：市行政审批局提供的许可决定统计"))
    data = models.JSONField(_("冻结的报告数据"), null=True, blank=True)
    correction_note = models.TextField(_("更正说明"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    accepted_warnings = models.TextField(_("带警告发布的理由"), blank=True)
    # The second person (先审查、后公开; as for documents, the drafter does not approve their own text): who
    # submitted the report, and who — neither its drafter nor its submitter — approved it for publication.
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("提交人"),
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("审核人"),
    )
    approved_at = models.DateTimeField(_("审核通过时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("年度报告")
        verbose_name_plural = _("年度报告")
        ordering = ["-year", "organisation", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year", "version"], name="annual_report_unique_version"),
        ]

    def __str__(self) -> str:
        suffix = f"（第{self.version}版）" if self.version > 1 else ""
        return f"{self.organisation.name}{self.year}年政府信息公开工作年度报告{suffix}"

    @property
    def is_frozen(self) -> bool:
        return self.status == self.Status.PUBLISHED
