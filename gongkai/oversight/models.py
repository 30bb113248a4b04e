"""Oversight records: assessment schemes and their stored results, the work plan, rectification of
findings, the public-opinion log and press conferences, and the portal's aggregated usage counts."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.core.models import Organisation

from . import conf


# --- Assessment (考核评估) ---------------------------------------------------------------------------------
class Scheme(models.Model):
    """考核方案: the yearly indicators, weights, targets and deductions (a province's 考核细则 as data).

    Versioned: a scheme used by a stored result is frozen; a change makes the next version."""

    year = models.PositiveSmallIntegerField(_("年度"))
    version = models.PositiveSmallIntegerField(_("版本"), default=1)
    name = models.CharField(_("名称"), max_length=200)
    source = models.CharField(_("依据"), max_length=500, blank=True)
    frozen = models.BooleanField(_("已用于考核，不可修改"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("考核方案")
        ordering = ["-year", "-version"]
        constraints = [models.UniqueConstraint(fields=["year", "version"], name="oversight_scheme_year_version")]

    def __str__(self) -> str:
        return f"{self.name}（{self.year} 第 {self.version} 版）"


class SchemeIndicator(models.Model):
    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="indicators")
    code = models.CharField(_("指标"), max_length=40, choices=[(d.code, d.label) for d in conf.INDICATORS])
    weight = models.DecimalField(_("分值"), max_digits=6, decimal_places=2)
    target = models.DecimalField(_("满分线（比例）"), max_digits=5, decimal_places=4, null=True, blank=True,
                                 help_text=_("比例类指标：达到该比例得满分，低于按比例得分"))
    deduction = models.DecimalField(_("每项扣分"), max_digits=6, decimal_places=2, null=True, blank=True,
                                    help_text=_("计数类指标：每发现一项扣的分"))
    veto = models.BooleanField(_("单项否决"), default=False, help_text=_("发现任一项则总分为 0"))
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "id"]
        constraints = [models.UniqueConstraint(fields=["scheme", "code"], name="oversight_scheme_indicator_once")]

    def __str__(self) -> str:
        return f"{self.get_code_display()} {self.weight}"


class AssessmentResult(models.Model):
    """A stored assessment: one scheme applied to one period, all organisations; the figures and the item
    keys behind them, so a later recomputation can be compared number by number."""

    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="results")
    period = models.CharField(_("考核期"), max_length=10)  # 2026, 2026-Q3, 2026-09
    computed_at = models.DateTimeField(auto_now_add=True)
    computed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    data = models.JSONField(default=dict)

    class Meta:
        ordering = ["-computed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.period} · {self.scheme}"


# --- Work plan (工作要点) ---------------------------------------------------------------------------------
class WorkPlan(models.Model):
    """The year's 工作要点 of an organisation, optionally the published document it comes from."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("制定机关"))
    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("标题"), max_length=300)
    document = models.ForeignKey("documents.Document", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+", verbose_name=_("印发文件"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "id"]

    def __str__(self) -> str:
        return self.title


class PlanTask(models.Model):
    class State(models.TextChoices):
        OPEN = "open", _("推进中")
        DONE = "done", _("已完成")
        CANCELLED = "cancelled", _("已取消")

    plan = models.ForeignKey(WorkPlan, on_delete=models.CASCADE, related_name="tasks")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children")
    number = models.CharField(_("序号"), max_length=20)
    title = models.CharField(_("任务"), max_length=500)
    paragraph = models.CharField(_("对应条款"), max_length=300, blank=True, help_text=_("工作要点原文的段落或摘录"))
    lead_unit = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("牵头单位"))
    co_units = models.ManyToManyField(Organisation, blank=True, related_name="+", verbose_name=_("配合单位"))
    deadline = models.DateField(_("完成时限"), null=True, blank=True)
    milestones = models.JSONField(_("节点"), default=list, blank=True)  # [{"title", "due_on", "done_on"}]
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.OPEN)
    done_on = models.DateField(_("完成日期"), null=True, blank=True)
    cancelled_on = models.DateField(_("取消日期"), null=True, blank=True, editable=False)
    reminded_on = models.DateField(null=True, blank=True, editable=False)
    sort_order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["plan", "sort_order", "id"]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class TaskProgress(models.Model):
    task = models.ForeignKey(PlanTask, on_delete=models.CASCADE, related_name="reports")
    on = models.DateField(_("报送日期"))
    text = models.TextField(_("进展情况"))
    evidence = models.JSONField(_("佐证链接"), default=list, blank=True)
    completes = models.BooleanField(_("报告完成"), default=False)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["task", "on", "id"]

    def __str__(self) -> str:
        return f"{self.task} {self.on:%Y-%m-%d}"


# --- Rectification (整改) ---------------------------------------------------------------------------------
class Rectification(models.Model):
    """A finding from outside (or from the platform's own checks) tracked to rectification and re-check."""

    class Source(models.TextChoices):
        THIRD_PARTY = "third_party", _("第三方测评")
        INSPECTION = "inspection", _("上级检查")
        CITIZEN = "citizen", _("群众找错")
        NATIONAL_CHECK = "national_check", _("全国政府网站抽查")
        CONTENT_CHECK = "content_check", _("平台内容检查")

    class State(models.TextChoices):
        ASSIGNED = "assigned", _("待整改")
        ANSWERED = "answered", _("已反馈，待复核")
        CLOSED = "closed", _("复核通过，已办结")

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("责任单位"))
    source = models.CharField(_("来源"), max_length=20, choices=Source.choices)
    reference = models.CharField(_("问题编号"), max_length=100, blank=True)
    title = models.CharField(_("问题"), max_length=300)
    detail = models.TextField(_("问题描述"), blank=True)
    url = models.CharField(_("问题页面"), max_length=500, blank=True)
    found_on = models.DateField(_("发现日期"))
    deadline = models.DateField(_("整改期限"))
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+", verbose_name=_("整改责任人"))
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.ASSIGNED)
    answer = models.TextField(_("整改情况"), blank=True)
    evidence = models.JSONField(_("整改佐证"), default=list, blank=True)
    answered_on = models.DateField(_("反馈日期"), null=True, blank=True)
    closed_on = models.DateField(_("办结日期"), null=True, blank=True)
    rejections = models.PositiveSmallIntegerField(_("退回次数"), default=0)
    fingerprint = models.CharField(max_length=200, blank=True, db_index=True)  # import / content-check duplicates
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["deadline", "id"]

    def __str__(self) -> str:
        return self.title


class RectificationEvent(models.Model):
    rectification = models.ForeignKey(Rectification, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20)  # created / answered / accepted / rejected / reassigned
    on = models.DateField()
    note = models.TextField(blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["rectification", "at", "id"]

    def __str__(self) -> str:
        return f"{self.rectification} {self.kind}"


# --- Public opinion (政务舆情) and press conferences ---------------------------------------------------------
class OpinionClock(models.Model):
    """The response clocks of one level, seeded from `conf.OPINION_CLOCKS` (editable)."""

    level = models.CharField(_("级别"), max_length=12, unique=True, choices=list(conf.LEVELS.items()))
    info_hours = models.PositiveSmallIntegerField(_("发布权威信息（小时）"))
    info_latest_hours = models.PositiveSmallIntegerField(_("最迟发布权威信息（小时）"))
    press_hours = models.PositiveSmallIntegerField(_("举行新闻发布会（小时）"), null=True, blank=True)
    source = models.CharField(_("依据"), max_length=500, blank=True)

    def __str__(self) -> str:
        return self.get_level_display()


class Incident(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("责任单位"))
    title = models.CharField(_("舆情"), max_length=300)
    summary = models.TextField(_("概要"), blank=True)
    source = models.CharField(_("来源"), max_length=200, help_text=_("如 微博、本地论坛、12345 热线、媒体报道"))
    level = models.CharField(_("级别"), max_length=12, choices=list(conf.LEVELS.items()))
    first_seen_at = models.DateTimeField(_("首次发现时间"))
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+", verbose_name=_("负责人"))
    closed_at = models.DateTimeField(_("处置完毕时间"), null=True, blank=True)
    alerts_sent = models.JSONField(default=list, blank=True, editable=False)  # clock keys already alerted
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-first_seen_at", "-id"]

    def __str__(self) -> str:
        return self.title


class IncidentAction(models.Model):
    class Kind(models.TextChoices):
        INFO = "info", _("发布权威信息")
        PRESS = "press", _("举行新闻发布会")
        OTHER = "other", _("其他处置")

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="actions")
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    at = models.DateTimeField(_("时间"))
    text = models.TextField(_("内容"))
    url = models.CharField(_("发布链接"), max_length=500, blank=True)
    document = models.ForeignKey("documents.Document", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+", verbose_name=_("发布的文件或新闻"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["incident", "at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"


class PressConference(models.Model):
    class Kind(models.TextChoices):
        CONFERENCE = "conference", _("新闻发布会")
        BRIEFING = "briefing", _("吹风会")

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("举办单位"))
    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices, default=Kind.CONFERENCE)
    topic = models.CharField(_("主题"), max_length=300)
    speakers = models.CharField(_("发布人"), max_length=300)
    held_on = models.DateField(_("举行日期"))
    plan_filed_on = models.DateField(_("方案报送日期"), null=True, blank=True)
    incident = models.ForeignKey(Incident, null=True, blank=True, on_delete=models.SET_NULL, related_name="conferences")
    transcript_url = models.CharField(_("文字实录链接"), max_length=500, blank=True)
    transcript_document = models.ForeignKey("documents.Document", null=True, blank=True, on_delete=models.SET_NULL,
                                            related_name="+", verbose_name=_("文字实录（文件库）"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return self.topic


# --- Usage statistics (privacy-friendly: no IP, no cookie, no personal data; one row per day and key) -------
class UsageDaily(models.Model):
    class Kind(models.TextChoices):
        PAGE = "page", _("页面")
        DOCUMENT = "document", _("文件")
        COLUMN = "column", _("栏目")
        DOWNLOAD = "download", _("下载")
        SEARCH = "search", _("检索")
        SEARCH_ZERO = "search_zero", _("无结果检索")
        REFERRER = "referrer", _("来源网站")

    day = models.DateField()
    kind = models.CharField(max_length=12, choices=Kind.choices)
    key = models.CharField(max_length=200)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["day", "kind", "key"], name="oversight_usage_once")]
        indexes = [models.Index(fields=["kind", "day"])]

    def __str__(self) -> str:
        return f"{self.day} {self.kind} {self.key}"
