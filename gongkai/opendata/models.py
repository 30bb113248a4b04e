"""数据开放: datasets (数据集), their resources and versions, the datastore, privacy findings, access requests.

A dataset is never hard-deleted: withdrawal is a state with a date and reason, and every change is kept
as an activity with the dataset's snapshot (CKAN's package_activity_list; the versions CKAN users lack).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.core.crypto import EncryptedJSONField
from gongkai.core.models import Organisation
from gongkai.documents.models import Topic

from . import conf


class DataDomain(models.Model):
    """An open-data domain (数据领域) of the catalogue; CKAN calls it a group. Seeded from conf.DEFAULT_DOMAINS."""

    name = models.SlugField(_("标识"), max_length=60, unique=True)
    title = models.CharField(_("名称"), max_length=60)
    description = models.TextField(_("说明"), blank=True)
    sort_order = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("数据领域")
        verbose_name_plural = _("数据领域")
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.title


class Dataset(models.Model):
    """数据集: a described collection of public data published by one organisation."""

    class State(models.TextChoices):
        DRAFT = "draft", _("草稿")
        IN_REVIEW = "in_review", _("待审核")
        PUBLISHED = "published", _("已发布")
        WITHDRAWN = "withdrawn", _("已撤回")

    class Access(models.TextChoices):
        OPEN = "open", _("无条件开放")
        CONDITIONAL = "conditional", _("有条件开放")
        CLOSED = "closed", _("不予开放")

    class Frequency(models.TextChoices):
        DAILY = "DAILY", _("每日")
        WEEKLY = "WEEKLY", _("每周")
        MONTHLY = "MONTHLY", _("每月")
        QUARTERLY = "QUARTERLY", _("每季度")
        BIANNUAL = "BIANNUAL", _("每半年")
        ANNUAL = "ANNUAL", _("每年")
        IRREG = "IRREG", _("不定期")
        NEVER = "NEVER", _("不再更新")
        UNKNOWN = "UNKNOWN", _("未知")

    name = models.SlugField(_("标识"), max_length=100, unique=True, help_text=_("小写字母、数字和连字符，用于网址和接口"))
    title = models.CharField(_("名称"), max_length=300)
    notes = models.TextField(_("描述"), blank=True)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="datasets",
                                     verbose_name=_("提供单位"))
    topic = models.ForeignKey(Topic, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                              verbose_name=_("主题分类"))
    domains = models.ManyToManyField(DataDomain, blank=True, related_name="datasets", verbose_name=_("数据领域"))
    licence_id = models.CharField(_("许可协议"), max_length=40, default=conf.DEFAULT_LICENCE_ID)
    frequency = models.CharField(_("更新频率"), max_length=12, choices=Frequency.choices, default=Frequency.UNKNOWN)
    temporal_start = models.DateField(_("时间范围起"), null=True, blank=True)
    temporal_end = models.DateField(_("时间范围止"), null=True, blank=True)
    spatial = models.CharField(_("空间范围"), max_length=200, blank=True)
    contact_name = models.CharField(_("联系部门"), max_length=200, blank=True)
    contact_email = models.EmailField(_("联系邮箱"), blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=64, blank=True)
    access_level = models.CharField(_("开放属性"), max_length=12, choices=Access.choices, default=Access.OPEN)
    access_reason = models.TextField(_("开放属性理由"), blank=True,
                                     help_text=_("有条件开放的条件或不予开放的理由（依据）"))
    state = models.CharField(_("状态"), max_length=12, choices=State.choices, default=State.DRAFT, db_index=True)
    version = models.PositiveIntegerField(_("版本"), default=1)
    extras = models.JSONField(_("扩展字段"), default=dict, blank=True)
    search_terms = models.TextField(default="", editable=False)
    data_updated_on = models.DateField(_("数据更新日期"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    modified_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdraw_reason = models.TextField(_("撤回理由"), blank=True)
    download_count = models.PositiveIntegerField(_("下载次数"), default=0)
    quality = models.JSONField(default=dict, editable=False)

    class Meta:
        verbose_name = _("数据集")
        verbose_name_plural = _("数据集")
        ordering = ["-modified_at", "-id"]

    def __str__(self) -> str:
        return self.title


class DatasetTag(models.Model):
    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="tags")
    name = models.CharField(max_length=100, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["dataset", "name"], name="opendata_tag_unique")]

    def __str__(self) -> str:
        return self.name


class DatasetActivity(models.Model):
    """One change of a dataset, with the dataset as it was after it (its version)."""

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="activities")
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    activity_type = models.CharField(max_length=40)
    version = models.PositiveIntegerField()
    note = models.TextField(blank=True)
    snapshot = models.JSONField(default=dict)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.dataset_id} {self.activity_type} v{self.version}"


class Resource(models.Model):
    """A resource of a dataset: an uploaded file (with every version kept) or a link."""

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="resources")
    position = models.PositiveIntegerField(default=0)
    name = models.CharField(_("名称"), max_length=300)
    description = models.TextField(_("说明"), blank=True)
    url = models.URLField(_("链接"), max_length=1000, blank=True, help_text=_("外部链接资源；上传文件时留空"))
    format = models.CharField(_("格式"), max_length=20, blank=True)
    schema = models.JSONField(_("字段说明"), default=list, blank=True)
    datastore_table = models.CharField(max_length=63, blank=True)
    link_status = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    modified_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("数据资源")
        verbose_name_plural = _("数据资源")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def current(self) -> ResourceFile | None:
        return self.files.order_by("-version").first()


def _upload_to(instance: ResourceFile, filename: str) -> str:
    return f"opendata/{instance.resource_id}/v{instance.version}/{filename}"


class ResourceFile(models.Model):
    """One uploaded version of a resource; earlier versions stay downloadable unless withheld."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="files")
    version = models.PositiveIntegerField()
    file = models.FileField(upload_to=_upload_to, max_length=400)
    original_name = models.CharField(max_length=255)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64)
    encoding = models.CharField(max_length=20, blank=True)
    row_count = models.PositiveIntegerField(null=True, blank=True)
    validation = models.JSONField(default=list, blank=True)
    withheld = models.BooleanField(default=False, help_text=_("含未处理的个人信息，不对外提供下载"))
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ["-version"]
        constraints = [models.UniqueConstraint(fields=["resource", "version"], name="opendata_file_version_unique")]

    def __str__(self) -> str:
        return f"{self.original_name} v{self.version}"


class PrivacyFinding(models.Model):
    """Personal data found in a column of a tabular resource (RULES §5 去标识化); blocks publication."""

    class Status(models.TextChoices):
        OPEN = "open", _("待处理")
        MASKED = "masked", _("已去标识化")
        OVERRIDDEN = "overridden", _("确认可公开")

    resource_file = models.ForeignKey(ResourceFile, on_delete=models.CASCADE, related_name="findings")
    column = models.CharField(_("字段"), max_length=200)
    rule = models.CharField(_("类型"), max_length=40)
    message = models.CharField(_("说明"), max_length=300)
    count = models.PositiveIntegerField(_("命中数"), default=0)
    samples = models.JSONField(_("样例（已遮盖）"), default=list)
    status = models.CharField(_("处理"), max_length=12, choices=Status.choices, default=Status.OPEN)
    reason = models.TextField(_("理由"), blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("个人信息检查结果")
        verbose_name_plural = _("个人信息检查结果")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.column}: {self.rule}"


class AccessRequest(models.Model):
    """A request to use a 有条件开放 dataset; an approval yields a time-limited download link."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待审核")
        APPROVED = "approved", _("已同意")
        REFUSED = "refused", _("不予同意")

    dataset = models.ForeignKey(Dataset, on_delete=models.PROTECT, related_name="access_requests")
    applicant = EncryptedJSONField(_("申请人"), default=dict)
    purpose = models.TextField(_("用途"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decision_note = models.TextField(_("答复"), blank=True)
    token = models.CharField(max_length=64, blank=True, db_index=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    reference = models.CharField(_("申请编号"), max_length=20, unique=True)

    class Meta:
        verbose_name = _("有条件开放申请")
        verbose_name_plural = _("有条件开放申请")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.reference
