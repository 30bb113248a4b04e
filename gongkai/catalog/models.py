from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.core.models import Organisation
from gongkai.documents.models import Document

from . import conf


class CatalogueNode(models.Model):
    """One heading of an organisation's 政府信息公开目录 (编排体系); a document goes under the first node whose
    topics or genres match it (a node with neither catches nothing). Without nodes the default structure is
    主题分类 (一级) → 文种."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="catalogue_nodes")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children")
    name = models.CharField(_("栏目名称"), max_length=100)
    position = models.PositiveSmallIntegerField(_("排序"), default=0)
    topic_codes = models.JSONField(_("主题分类代码"), default=list, blank=True)
    genres = models.JSONField(_("文种"), default=list, blank=True)

    class Meta:
        verbose_name = _("目录栏目")
        ordering = ["organisation", "position", "pk"]

    def __str__(self) -> str:
        return self.name


class CatalogueEntry(models.Model):
    """A document's stay in an organisation's catalogue: the change history (what entered or left it, when)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="+")
    heading = models.CharField(_("目录位置"), max_length=200)
    entered_at = models.DateTimeField(_("进入目录"))
    left_at = models.DateTimeField(_("移出目录"), null=True, blank=True)
    left_reason = models.CharField(_("移出原因"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("目录变更")
        ordering = ["-entered_at", "pk"]
        indexes = [models.Index(fields=["organisation", "left_at"])]

    def __str__(self) -> str:
        return f"{self.heading}: {self.document_id}"


class StandardDomain(models.Model):
    """One of the 26 pilot domains of the 基层政务公开标准目录 (国办发〔2019〕54号, RULES §7)."""

    name = models.CharField(_("领域"), max_length=60, unique=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("标准目录领域")
        ordering = ["position"]

    def __str__(self) -> str:
        return self.name


class StandardItem(models.Model):
    """A 二级事项 of the standard catalogue, as shipped (`data/standard_catalogue.yaml`)."""

    domain = models.ForeignKey(StandardDomain, on_delete=models.CASCADE, related_name="items")
    level1 = models.CharField(_("一级事项"), max_length=100)
    level2 = models.CharField(_("二级事项"), max_length=100)
    elements = models.JSONField(_("公开内容（要素）"), default=list)
    basis = models.CharField(_("公开依据"), max_length=300, blank=True)
    time_limit_text = models.CharField(_("公开时限"), max_length=100)
    time_limit_working_days = models.PositiveSmallIntegerField(default=conf.DEFAULT_TIME_LIMIT_WORKING_DAYS)
    subject = models.CharField(_("公开主体"), max_length=100, blank=True)
    channels = models.JSONField(_("公开渠道和载体"), default=list)
    audience = models.CharField(_("公开对象"), max_length=20, default="全社会")
    mode = models.CharField(_("公开方式"), max_length=20, default="主动")
    levels = models.JSONField(_("公开层级"), default=list)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("标准目录事项")
        ordering = ["domain__position", "position"]
        constraints = [models.UniqueConstraint(fields=["domain", "level1", "level2"], name="catalog_standard_item_unique")]

    def __str__(self) -> str:
        return f"{self.domain.name} · {self.level1} · {self.level2}"


class AdoptedItem(models.Model):
    """A county's or township's item of its standard catalogue: adopted from the standard (or added locally),
    adapted, with an owner (the organisation that discloses it) and the content that fulfils it."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="adopted_catalogue_items")
    standard = models.ForeignKey(StandardItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    domain = models.CharField(_("领域"), max_length=60)
    level1 = models.CharField(_("一级事项"), max_length=100)
    level2 = models.CharField(_("二级事项"), max_length=100)
    elements = models.JSONField(_("公开内容（要素）"), default=list)
    time_limit_working_days = models.PositiveSmallIntegerField(_("公开时限（工作日）"), default=conf.DEFAULT_TIME_LIMIT_WORKING_DAYS)
    owner = models.ForeignKey(Organisation, verbose_name=_("公开主体"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="owned_catalogue_items")
    changed_on = models.DateField(_("信息形成或变更日期"), null=True, blank=True,
                                  help_text=_("最近一次信息形成或变更的日期；时限从这一天起算"))
    documents = models.ManyToManyField(Document, blank=True, related_name="+", verbose_name=_("对应内容"))
    active = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("本级标准目录事项")
        ordering = ["organisation", "domain", "pk"]

    def __str__(self) -> str:
        return f"{self.domain} · {self.level1} · {self.level2}"
