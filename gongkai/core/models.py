from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Organisation(models.Model):
    """A government body (机关/单位): a government, one of its departments, or an office.

    Organisations form a tree; an intensive platform (集约化平台) hosts many governments side by side.
    `path` is the materialised path of primary keys ("/1/4/9/") so descendants are one indexed
    prefix query on SQLite and PostgreSQL alike. It is maintained by `organisation_create`/`_move`.
    """

    class Kind(models.TextChoices):
        GOVERNMENT = "government", _("人民政府")
        DEPARTMENT = "department", _("政府部门")
        OFFICE = "office", _("内设机构/派出机构")
        OTHER = "other", _("其他")

    name = models.CharField(_("名称"), max_length=200)
    short_name = models.CharField(_("简称"), max_length=60, blank=True)
    code = models.CharField(
        _("机构代码"), max_length=32, unique=True, help_text=_("用于索引号，如 9 位组织机构代码或 18 位统一社会信用代码")
    )
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices, default=Kind.DEPARTMENT)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级机关"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = models.CharField(max_length=255, db_index=True, editable=False, default="/")
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    index_no_pattern = models.CharField(
        _("索引号格式"),
        max_length=80,
        blank=True,
        help_text=_("可用 {code} {year} {month} {seq}，如 {code}/{year}-{seq:05d}；留空用平台默认格式"),
    )
    # Contact details (第二十条（二）) and the disclosure office (公开指南, 第十二条).
    address = models.CharField(_("办公地址"), max_length=255, blank=True)
    postcode = models.CharField(_("邮政编码"), max_length=10, blank=True)
    office_hours = models.CharField(_("办公时间"), max_length=255, blank=True)
    phone = models.CharField(_("联系电话"), max_length=64, blank=True)
    fax = models.CharField(_("传真"), max_length=64, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    website = models.URLField(_("网站"), blank=True)
    head_name = models.CharField(_("负责人"), max_length=64, blank=True)
    functions = models.TextField(_("机关职能"), blank=True)
    disclosure_office_name = models.CharField(_("政府信息公开工作机构"), max_length=200, blank=True)
    disclosure_office_address = models.CharField(_("公开工作机构办公地址"), max_length=255, blank=True)
    disclosure_office_hours = models.CharField(_("公开工作机构办公时间"), max_length=255, blank=True)
    disclosure_office_phone = models.CharField(_("公开工作机构联系电话"), max_length=64, blank=True)
    disclosure_office_fax = models.CharField(_("公开工作机构传真"), max_length=64, blank=True)
    disclosure_office_email = models.EmailField(_("公开工作机构电子邮箱"), blank=True)
    disclosure_office_web = models.URLField(_("互联网联系方式"), blank=True)
    # Remedy clause of reply letters (RULES §9): who hears reconsiderations and which court.
    reconsideration_body = models.CharField(_("行政复议机关"), max_length=200, blank=True)
    court = models.CharField(_("管辖人民法院"), max_length=200, blank=True)
    annual_report_includes_descendants = models.BooleanField(_("年报含下级机关"), default=False)
    # Whether the body receives 依申请公开 applications (条例 第二十七条: 行政机关). Off for an external source
    # such as the national laws corpus, which is no administrative body of this platform.
    handles_applications = models.BooleanField(
        _("受理政府信息公开申请"), default=True,
        help_text=_("关闭后，该机关不出现在申请表、年度报告和内容检查的机关列表中（如外部文件来源）"),
    )
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("机关")
        verbose_name_plural = _("机关")
        ordering = ["path", "sort_order", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def depth(self) -> int:
        return self.path.count("/") - 2


class User(AbstractUser):
    """A staff member or a registered member of the public.

    What a staff member may see and change follows from their memberships (organisation + role);
    a user with no membership is a member of the public.
    """

    display_name = models.CharField(_("姓名"), max_length=64, blank=True)
    phone = models.CharField(_("电话"), max_length=32, blank=True)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.display_name or self.get_username()


class Role(models.TextChoices):
    PLATFORM_ADMIN = "platform_admin", _("平台管理员")
    OFFICE_ADMIN = "office_admin", _("政务公开办管理员")
    EDITOR = "editor", _("信息员/起草人")
    REVIEWER = "reviewer", _("审核人")
    SIGNER = "signer", _("签发人")
    CONFIDENTIALITY_REVIEWER = "confidentiality_reviewer", _("保密审查人")
    LEGAL_REVIEWER = "legal_reviewer", _("法律顾问")
    HANDLER = "handler", _("依申请公开办理人")


class Membership(models.Model):
    """A user's role in an organisation. A user may hold several roles in several organisations."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("角色"), max_length=32, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("任职")
        verbose_name_plural = _("任职")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation", "role"], name="membership_unique_role"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.organisation} · {self.get_role_display()}"


class IndexNoCounter(models.Model):
    """The last sequence number handed out for an organisation's 索引号 in a year.

    Incremented under a row lock inside the transaction that creates the document, so numbers are
    unique and gap-free even when editors create documents at the same moment.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveIntegerField()
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year"], name="index_counter_unique_year"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id}/{self.year}: {self.last_value}"


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("审计日志只能追加，不能修改。")

    def delete(self):
        raise PermissionError("审计日志只能追加，不能删除。")


class AuditEvent(models.Model):
    """One entry of the append-only audit log: who did what to which object, when, before and after.

    Written only through `audit_record`; rows are never updated or deleted (the model and its queryset
    refuse, and on PostgreSQL a trigger refuses too).
    """

    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    actor_name = models.CharField(_("操作人"), max_length=150, blank=True)
    action = models.CharField(_("操作"), max_length=64, db_index=True)
    object_type = models.CharField(_("对象类型"), max_length=64, blank=True, db_index=True)
    object_id = models.CharField(_("对象"), max_length=64, blank=True, db_index=True)
    object_repr = models.CharField(_("对象名称"), max_length=300, blank=True)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    before = models.JSONField(_("变更前"), null=True, blank=True)
    after = models.JSONField(_("变更后"), null=True, blank=True)
    note = models.TextField(_("说明"), blank=True)
    ip_address = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)
    # A look at personal data (issue 15.8): changes nothing the public sees, so it is not part of the
    # public pages' content version (gongkai/core/pagecache.py) and a staff member reading cases does
    # not empty the portal's page cache.
    access_only = models.BooleanField(_("仅查阅"), default=False)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = _("审计日志")
        verbose_name_plural = _("审计日志")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id", "at"]),
                   models.Index(fields=["access_only", "id"], name="core_audit_access_only_id")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("审计日志只能追加，不能修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("审计日志只能追加，不能删除。")


class CalendarYear(models.Model):
    """One year's holiday arrangement (节假日安排) as an administrator entered it.

    The State Council's General Office publishes each year's arrangement (《国务院办公厅关于YYYY年部分
    节假日安排的通知》, a 国办发明电) around November of the year before. Years covered by the
    `chinesecalendar` package need no row; a row here overrides the package for its year, so a wrong
    or missing arrangement can be corrected. `revision` counts the changes of this year's data and is
    part of the calendar version stored with every computed deadline.
    """

    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    source = models.CharField(_("依据通知"), max_length=200, help_text=_("如：国办发明电〔2026〕X号"))
    title = models.CharField(_("通知标题"), max_length=200, blank=True)
    note = models.TextField(_("说明"), blank=True)
    revision = models.PositiveIntegerField(_("修订次数"), default=0, editable=False)
    entered_by = models.ForeignKey(
        User, verbose_name=_("录入人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        editable=False,
    )
    entered_at = models.DateTimeField(_("录入时间"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("工作日历年度")
        verbose_name_plural = _("工作日历年度")
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year} 年（{self.source}）"


class CalendarDay(models.Model):
    """A day that differs from the ordinary Monday-to-Friday week in its year's arrangement.

    A holiday (放假) is a day off, whether or not it falls on a weekend; a make-up working day
    (调休上班) is a Saturday or Sunday on which people work, and it counts toward deadlines.
    """

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("放假")
        WORKDAY = "workday", _("调休上班")

    calendar_year = models.ForeignKey(
        CalendarYear, verbose_name=_("年度"), on_delete=models.CASCADE, related_name="days"
    )
    date = models.DateField(_("日期"), unique=True)
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("节日"), max_length=60, help_text=_("如：春节；调休上班日填所调的节日"))

    class Meta:
        verbose_name = _("节假日/调休日")
        verbose_name_plural = _("节假日/调休日")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name} {self.get_kind_display()}"


class CalendarState(models.Model):
    """The single row whose `token` changes whenever any calendar year or day changes.

    Every process keeps the working-day calendar in memory and compares this token (one indexed
    read, at most once per `CALENDAR_RECHECK_SECONDS`) to know when to reload. A random token
    rather than a counter: a change rolled back in one process can never be mistaken for a
    different change committed later in another.
    """

    token = models.CharField(max_length=32, default="initial")
    changed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.token


class RateLimitHit(models.Model):
    """One counted request of a rate-limited public action (gongkai.core.ratelimit).

    `key_digest` is an HMAC of the client address or of the applicant's identity — never the value
    itself, so the table holds no personal data. Rows older than the longest window are swept.
    """

    scope = models.CharField(max_length=40)
    key_digest = models.CharField(max_length=64)
    at = models.DateTimeField(db_index=True)

    class Meta:
        indexes = [models.Index(fields=["scope", "key_digest", "at"])]

    def __str__(self) -> str:
        return f"{self.scope} {self.at:%Y-%m-%d %H:%M}"


class SiteIdentity(models.Model):
    """The identification of the government website shown in every public page's footer (《政府网站发展指引》
    国办发〔2017〕47号: 主办单位, 承办单位, 网站标识码, ICP 备案号, 公安机关备案号, 党政机关网站标识, 网站找错).
    One row per platform (pk 1), edited by the platform administrator in the admin."""

    sponsor = models.CharField(_("主办单位"), max_length=200, blank=True)
    organiser = models.CharField(_("承办单位"), max_length=200, blank=True)
    site_code = models.CharField(_("网站标识码"), max_length=20, blank=True, help_text=_("10 位，如 1100000088"))
    icp_record = models.CharField(_("ICP备案号"), max_length=60, blank=True, help_text=_("如 京ICP备05070218号"))
    police_record = models.CharField(_("公安机关备案号"), max_length=60, blank=True,
                                     help_text=_("如 京公网安备11010202000001号"))
    party_gov_mark_url = models.URLField(_("党政机关网站标识链接"), blank=True,
                                         help_text=_("开办单位在党政机关网站标识系统中的证书地址"))
    error_report_email = models.EmailField(_("网站找错联系邮箱"), blank=True,
                                           help_text=_("尚无“网站找错”页面时，找错链接发往此邮箱"))

    class Meta:
        verbose_name = _("网站标识（页脚）")
        verbose_name_plural = _("网站标识（页脚）")

    def __str__(self) -> str:
        return self.sponsor or "网站标识"


class PasswordHistory(models.Model):
    """A password a user had (its hash only) and when it was set: the change period and the no-reuse rule
    of 等保2.0 三级 身份鉴别 (gongkai.core.lockout, gongkai.core.conf)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField(max_length=128)
    set_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-set_at", "-id"]
        verbose_name = _("历史密码")
        verbose_name_plural = _("历史密码")

    def __str__(self) -> str:
        return f"{self.user_id} {self.set_at:%Y-%m-%d}"
