from __future__ import annotations

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


# --- 重点领域专栏 (key-area columns) -------------------------------------------------------------------------


class KeyAreaColumn(models.Model):
    """A 重点领域信息公开专栏 of an organisation (seeds 000 一, 001 (三), 002 3): which library documents feed it
    (文种 AND (主题分类 OR title keywords), plus the documents linked to its standard-catalogue items), the items
    it must carry per period, its life-cycle stages, and its freshness class (RULES §5). Content is a query over
    the library, like the 第二十条 categories of the portal's 公开专栏: nothing is copied."""

    class Freshness(models.TextChoices):
        # 《政府网站与政务新媒体检查指标》: 动态、要闻 not updated in 2 weeks, 通知公告、政策文件 in 6 months.
        NEWS = "news", _("动态/要闻（2 周）")
        NOTICE = "notice", _("通知公告/政策文件（6 个月）")
        NONE = "none", _("不要求更新频率（不得为空）")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="key_area_columns")
    slug = models.SlugField(_("代码"), max_length=40)
    name = models.CharField(_("专栏名称"), max_length=60)
    description = models.CharField(_("说明"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(_("排序"), default=0)
    genres = models.JSONField(_("文种"), default=list, blank=True, help_text=_("空：不限文种"))
    topic_codes = models.JSONField(_("主题分类代码"), default=list, blank=True)
    keywords = models.JSONField(_("标题关键词"), default=list, blank=True)
    standard_domains = models.JSONField(_("对应标准目录领域"), default=list, blank=True)
    required = models.JSONField(_("每期必须公开的事项"), default=list, blank=True,
                                help_text=_('[{"name": "部门预算", "keywords": ["预算"], "per_unit": true}]，每年一期'))
    stages = models.JSONField(_("生命周期阶段"), default=list, blank=True,
                              help_text=_('[{"name": "批准", "keywords": ["批复", "核准"]}]'))
    freshness = models.CharField(_("更新要求"), max_length=10, choices=Freshness.choices, default=Freshness.NOTICE)
    include_descendants = models.BooleanField(_("含下级机关的文件"), default=True)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("重点领域专栏")
        ordering = ["organisation", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["organisation", "slug"], name="catalog_key_area_slug_unique")]

    def __str__(self) -> str:
        return self.name


# --- 办事指南 (service guides) -------------------------------------------------------------------------------


class ServiceItem(models.Model):
    """One 政务服务事项 and its 办事指南. The elements are fields; `selectors.service_item_missing` lists the
    empty ones and `services.service_item_publish` refuses a guide with any (RULES §5: a guide missing key
    elements fails the national check)."""

    class State(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PUBLISHED = "published", _("已发布")
        WITHDRAWN = "withdrawn", _("已撤回")

    organisation = models.ForeignKey(Organisation, verbose_name=_("实施机关"), on_delete=models.PROTECT,
                                     related_name="service_items")
    code = models.CharField(_("事项编码"), max_length=60, unique=True)
    name = models.CharField(_("事项名称"), max_length=200)
    kind = models.CharField(_("事项类型"), max_length=40, blank=True, help_text=_("如 行政许可、行政给付、公共服务"))
    basis_text = models.TextField(_("设定依据"), blank=True)
    basis_documents = models.ManyToManyField(Document, blank=True, related_name="+", verbose_name=_("依据文件"))
    conditions = models.TextField(_("申请条件"), blank=True)
    materials = models.JSONField(_("办理材料"), default=list, blank=True,
                                 help_text=_('[{"name", "form": "原件/复印件", "copies", "source", "sample"}]'))
    location = models.CharField(_("办理地点"), max_length=300, blank=True)
    hours = models.CharField(_("办理时间"), max_length=200, blank=True)
    phone = models.CharField(_("联系电话"), max_length=64, blank=True)
    process = models.JSONField(_("办理流程"), default=list, blank=True, help_text=_("步骤，依次办理"))
    legal_limit = models.CharField(_("法定办结时限"), max_length=60, blank=True)
    promised_limit = models.CharField(_("承诺办结时限"), max_length=60, blank=True)
    fee = models.CharField(_("收费标准"), max_length=300, blank=True, help_text=_("不收费的写“不收费”"))
    fee_basis = models.CharField(_("收费依据"), max_length=300, blank=True)
    consult = models.CharField(_("咨询方式"), max_length=300, blank=True)
    complaint = models.CharField(_("投诉方式"), max_length=300, blank=True)
    online_url = models.URLField(_("网上办理地址"), blank=True)
    audiences = models.JSONField(_("服务对象"), default=list, blank=True)
    life_stages = models.JSONField(_("生命周期分类"), default=list, blank=True)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.DRAFT)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("办事指南")
        ordering = ["organisation__sort_order", "organisation__pk", "code"]

    def __str__(self) -> str:
        return self.name


class ServicePackage(models.Model):
    """一件事: the items of several departments a person or a company goes through for one life event, in order."""

    organisation = models.ForeignKey(Organisation, verbose_name=_("牵头机关"), on_delete=models.PROTECT, related_name="+")
    slug = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    audience = models.CharField(_("服务对象"), max_length=20, default="person")
    life_stage = models.CharField(_("生命周期"), max_length=20)
    description = models.TextField(_("说明"), blank=True)
    items = models.ManyToManyField(ServiceItem, through="ServicePackageItem", related_name="packages")
    published = models.BooleanField(_("已发布"), default=False)

    class Meta:
        verbose_name = _("一件事")
        ordering = ["audience", "life_stage", "pk"]

    def __str__(self) -> str:
        return self.name


class ServicePackageItem(models.Model):
    package = models.ForeignKey(ServicePackage, on_delete=models.CASCADE, related_name="steps")
    item = models.ForeignKey(ServiceItem, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["package", "position"]
        constraints = [models.UniqueConstraint(fields=["package", "item"], name="catalog_package_item_unique")]

    def __str__(self) -> str:
        return f"{self.package_id}/{self.position}: {self.item_id}"


# --- 政府公报 (the gazette) -----------------------------------------------------------------------------------


def gazette_pdf_path(instance: GazetteIssue, filename: str) -> str:
    return f"gazette/{instance.organisation.code}/{instance.year}-{instance.number:02d}.pdf"


class GazetteIssue(models.Model):
    """One issue of the 政府公报 (seed 001 (十四)): 年, 期, 总期号, publication date, the documents in order."""

    class State(models.TextChoices):
        DRAFT = "draft", _("编辑中")
        PUBLISHED = "published", _("已出版")

    organisation = models.ForeignKey(Organisation, verbose_name=_("主办机关"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("年"))
    number = models.PositiveSmallIntegerField(_("期"))
    total_number = models.PositiveIntegerField(_("总期号"))
    published_on = models.DateField(_("出版日期"))
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.DRAFT)
    pdf = models.FileField(_("PDF"), upload_to=gazette_pdf_path, blank=True, max_length=300)
    pages = models.PositiveSmallIntegerField(_("页数"), default=0)

    class Meta:
        verbose_name = _("政府公报")
        ordering = ["-year", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year", "number"], name="catalog_gazette_issue_unique"),
            models.UniqueConstraint(fields=["organisation", "total_number"], name="catalog_gazette_total_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.year}年第{self.number}期（总第{self.total_number}期）"


class GazetteArticle(models.Model):
    """A library document in an issue, under a section (政府令、政府文件、部门文件、人事任免 …), with the page it
    starts on in the issue's PDF (set when the PDF is generated)."""

    issue = models.ForeignKey(GazetteIssue, on_delete=models.CASCADE, related_name="articles")
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="+")
    section = models.CharField(_("栏目"), max_length=40)
    position = models.PositiveSmallIntegerField(default=0)
    page = models.PositiveSmallIntegerField(_("起始页码"), null=True, blank=True)

    class Meta:
        ordering = ["issue", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["issue", "document"], name="catalog_gazette_article_unique")]

    def __str__(self) -> str:
        return f"{self.issue_id} · {self.section} · {self.document_id}"
