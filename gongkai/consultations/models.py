"""Records of public consultation (征求意见) and of the yearly major-decision catalogue (重大行政决策事项目录)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.core.crypto import EncryptedJSONField
from gongkai.core.models import Organisation


class PeriodRule(models.Model):
    """A period of the consultation rules (minimum consultation period per kind, feedback deadlines,
    hearing notice), seeded from `conf.py` with its source and editable by the office."""

    class Unit(models.TextChoices):
        DAYS = "days", _("日")
        WORKING_DAYS = "working_days", _("个工作日")
        MONTHS = "months", _("个月")

    key = models.CharField(max_length=40, unique=True)
    label = models.CharField(_("规则"), max_length=100)
    amount = models.PositiveIntegerField(_("期限"))
    unit = models.CharField(_("单位"), max_length=16, choices=Unit.choices)
    source = models.CharField(_("依据"), max_length=300)

    class Meta:
        verbose_name = _("征求意见期限规则")
        verbose_name_plural = _("征求意见期限规则")

    def __str__(self) -> str:
        return f"{self.label}：{self.amount}{self.get_unit_display()}"


class DecisionItem(models.Model):
    """One item of a government's yearly 重大行政决策事项目录 (major-decision catalogue), with its owner
    unit, legal basis, planned schedule and the step of the procedure it has reached (条例 第三章)."""

    class State(models.TextChoices):
        LISTED = "listed", _("列入目录")
        DRAFTING = "drafting", _("起草")
        CONSULTING = "consulting", _("征求意见")
        EXPERT_REVIEW = "expert_review", _("专家论证/风险评估")
        LEGALITY_REVIEW = "legality_review", _("合法性审查")
        COLLECTIVE_DISCUSSION = "collective_discussion", _("集体讨论")
        PUBLISHED = "published", _("公布")
        EVALUATED = "evaluated", _("评估")
        REMOVED = "removed", _("调出目录")

    catalogue_owner = models.ForeignKey(Organisation, verbose_name=_("目录编制机关"), on_delete=models.PROTECT,
                                        related_name="decision_catalogue_items")
    year = models.PositiveSmallIntegerField(_("年度"))
    number = models.PositiveSmallIntegerField(_("序号"))
    title = models.CharField(_("决策事项"), max_length=300)
    owner_unit = models.ForeignKey(Organisation, verbose_name=_("承办单位"), on_delete=models.PROTECT,
                                   related_name="decision_items_owned")
    legal_basis = models.TextField(_("决策依据"), blank=True)
    planned_schedule = models.CharField(_("计划完成时间"), max_length=100, blank=True)
    state = models.CharField(_("办理阶段"), max_length=24, choices=State.choices, default=State.LISTED)
    added_reason = models.CharField(_("年中增补理由"), max_length=500, blank=True)
    catalogue_published_at = models.DateTimeField(_("目录公布时间"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("重大行政决策事项")
        verbose_name_plural = _("重大行政决策事项")
        ordering = ["-year", "number"]
        constraints = [models.UniqueConstraint(fields=["catalogue_owner", "year", "number"],
                                               name="decision_item_unique_number")]

    def __str__(self) -> str:
        return f"{self.year}-{self.number} {self.title}"


class DecisionEvent(models.Model):
    """A recorded change of a catalogue item: added during the year, adjusted, moved to a step, removed."""

    item = models.ForeignKey(DecisionItem, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20)  # added / adjusted / state / removed / published
    state = models.CharField(max_length=24, blank=True)
    reason = models.CharField(max_length=500, blank=True)
    changes = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                           related_name="+")

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.item_id}:{self.kind}"


class DecisionMaterial(models.Model):
    """A material of a decision item (draft, explanation, background, expert review, risk assessment,
    result, later evaluation): a link, a library document or a text. Opinions and their adoption come
    from the item's consultations."""

    class Kind(models.TextChoices):
        DRAFT = "draft", _("决策草案")
        EXPLANATION = "explanation", _("起草说明")
        BACKGROUND = "background", _("背景材料")
        OPINIONS = "opinions", _("意见收集和采纳情况")
        EXPERT_REVIEW = "expert_review", _("专家论证")
        RISK_ASSESSMENT = "risk_assessment", _("风险评估")
        RESULT = "result", _("决策结果")
        EVALUATION = "evaluation", _("决策后评估")

    item = models.ForeignKey(DecisionItem, on_delete=models.CASCADE, related_name="materials")
    kind = models.CharField(_("材料类别"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("标题"), max_length=300)
    url = models.URLField(_("链接"), blank=True)
    document = models.ForeignKey("documents.Document", verbose_name=_("文件库文件"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    body = models.TextField(_("内容"), blank=True)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "added_at"]

    def __str__(self) -> str:
        return self.title


class Consultation(models.Model):
    """A draft put to the public for comment (征求意见): a major-decision draft, a rule draft or a
    normative-document draft, with its explanation, channels and period. Its public status is derived
    from the dates (open → closed → outcome published), never stored twice."""

    class Kind(models.TextChoices):
        MAJOR_DECISION = "major_decision", _("重大行政决策")
        RULE = "rule", _("规章")
        NORMATIVE = "normative", _("行政规范性文件")
        OTHER = "other", _("其他")

    class State(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PUBLISHED = "published", _("已发布")
        WITHDRAWN = "withdrawn", _("已撤回")

    organisation = models.ForeignKey(Organisation, verbose_name=_("起草单位"), on_delete=models.PROTECT,
                                     related_name="consultations")
    kind = models.CharField(_("草案类别"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("标题"), max_length=300)
    decision_item = models.ForeignKey(DecisionItem, verbose_name=_("重大行政决策事项"), null=True, blank=True,
                                      on_delete=models.SET_NULL, related_name="consultations")
    document = models.ForeignKey("documents.Document", verbose_name=_("正式文件"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+",
                                 help_text=_("印发后的正式文本在文件库中的条目"))
    draft_text = models.TextField(_("草案全文"))
    explanation = models.TextField(_("起草说明"))
    channels = models.JSONField(_("征求意见方式"), default=list)
    contact = models.TextField(_("意见反馈地址"), blank=True, help_text=_("电子邮箱、通信地址、传真号码等"))
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("截止日期"))
    short_period_reason = models.CharField(_("缩短期限的理由"), max_length=500, blank=True)
    state = models.CharField(_("状态"), max_length=12, choices=State.choices, default=State.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True)
    closed_early_on = models.DateField(_("提前结束日期"), null=True, blank=True)
    closed_reason = models.CharField(max_length=500, blank=True)
    original_ends_on = models.DateField(null=True, blank=True)  # the end date first published, once extended
    extension_reason = models.CharField(_("延长期限的理由"), max_length=500, blank=True)
    decision_issued_on = models.DateField(_("决策（文件）印发日期"), null=True, blank=True)
    feedback_summary = models.TextField(_("意见采纳情况说明"), blank=True)
    feedback_published_at = models.DateTimeField(_("采纳情况公布时间"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("征求意见")
        verbose_name_plural = _("征求意见")
        ordering = ["-starts_on", "-id"]
        indexes = [models.Index(fields=["state", "ends_on"])]

    def __str__(self) -> str:
        return self.title

    @property
    def last_day(self):
        """The last day comments are accepted (the end date, or the day it was closed early)."""
        return self.closed_early_on or self.ends_on


class Article(models.Model):
    """One article (条) of a draft, cut from its text so the public can comment on it alone."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="articles")
    position = models.PositiveIntegerField()
    label = models.CharField(max_length=40)  # 第十五条
    text = models.TextField()

    class Meta:
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["consultation", "position"], name="article_unique_position")]

    def __str__(self) -> str:
        return self.label


class Attachment(models.Model):
    """An attachment of a consultation (the full draft as a file, background material). Served by its
    unguessable token once the consultation is public; its text is checked for personal data on upload
    (`findings`), and a consultation with such a finding cannot be published until the file is replaced."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="attachments")
    name = models.CharField(max_length=200)
    file = models.FileField(upload_to="consultations/%Y/")
    token = models.CharField(max_length=32, unique=True, null=True)
    extension = models.CharField(max_length=16, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    findings = models.JSONField(default=list, blank=True)  # [{"kind", "rule", "message", "location"}]
    added_at = models.DateTimeField(auto_now_add=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")

    def __str__(self) -> str:
        return self.name

    @property
    def original_name(self) -> str:
        return self.name

    @property
    def blocks_publication(self) -> bool:
        return any(f.get("kind") == "personal_data" for f in self.findings)


class Hearing(models.Model):
    """A hearing (听证会) on the draft: announced with time, place and how participants are chosen, at
    least the configured days before (规章制定程序条例 第十六条); its minutes are attached afterwards."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="hearings")
    held_at = models.DateTimeField(_("举行时间"))
    place = models.CharField(_("地点"), max_length=300)
    participants_selection = models.TextField(_("参加人员产生方式"))
    announced_on = models.DateField(_("公告日期"))
    minutes = models.TextField(_("听证笔录"), blank=True)

    class Meta:
        ordering = ["held_at"]

    def __str__(self) -> str:
        return f"听证会 {self.held_at:%Y-%m-%d} {self.place}"


class OpinionGroup(models.Model):
    """One distinct opinion: a single comment, or every identical comment (campaign comments) grouped
    under one text as Regulations.gov does. Adoption feedback is given per group."""

    class Outcome(models.TextChoices):
        ADOPTED = "adopted", _("采纳")
        PARTLY = "partly", _("部分采纳")
        NOT_ADOPTED = "not_adopted", _("不予采纳")
        ALREADY = "already", _("已有规定")
        OUT_OF_SCOPE = "out_of_scope", _("不属于征求范围")

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="groups")
    article = models.ForeignKey(Article, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    text_hash = models.CharField(max_length=64)
    size = models.PositiveIntegerField(default=0)  # opinions in the group (cache kept by the services)
    outcome = models.CharField(_("采纳情况"), max_length=16, choices=Outcome.choices, blank=True)
    reason = models.TextField(_("理由"), blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["consultation", "article", "text_hash"],
                                               name="opinion_group_unique_text")]
        indexes = [models.Index(fields=["consultation", "outcome"])]

    def __str__(self) -> str:
        return f"意见组 {self.pk}（{self.size} 条）"


class Opinion(models.Model):
    """An opinion (意见) on a draft, from the public online or entered by staff from a letter, an e-mail,
    a fax or hearing minutes. Contact data is encrypted at rest and never shown on a public page."""

    class Channel(models.TextChoices):
        ONLINE = "online", _("网上征集")
        EMAIL = "email", _("电子邮件")
        LETTER = "letter", _("信函")
        FAX = "fax", _("传真")
        HEARING = "hearing", _("听证会")
        SURVEY = "survey", _("问卷调查")
        SYMPOSIUM = "symposium", _("座谈会")

    class State(models.TextChoices):
        PENDING = "pending", _("待审核")
        PUBLISHED = "published", _("已公开")
        REJECTED = "rejected", _("不予公开")

    class RejectReason(models.TextChoices):
        SPAM = "spam", _("垃圾信息")
        ABUSE = "abuse", _("辱骂、攻击性内容")
        OFF_TOPIC = "off_topic", _("与草案无关")
        PERSONAL_DATA = "personal_data", _("含个人信息")

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="opinions")
    article = models.ForeignKey(Article, null=True, blank=True, on_delete=models.SET_NULL, related_name="opinions")
    group = models.ForeignKey(OpinionGroup, on_delete=models.PROTECT, related_name="opinions")
    channel = models.CharField(_("渠道"), max_length=12, choices=Channel.choices, default=Channel.ONLINE)
    body = models.TextField(_("意见内容"))
    public_body = models.TextField(_("公开文本"), blank=True, help_text=_("去除个人信息后公开的文本"))
    contact = EncryptedJSONField(_("联系方式"), blank=True)
    wants_answer = models.BooleanField(default=False)
    personal_data_hits = models.JSONField(default=list, blank=True)
    state = models.CharField(_("审核状态"), max_length=10, choices=State.choices, default=State.PENDING)
    reject_reason = models.CharField(_("不予公开的理由"), max_length=16, choices=RejectReason.choices, blank=True)
    moderation_note = models.CharField(max_length=500, blank=True)
    moderated_at = models.DateTimeField(null=True, blank=True)
    moderated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    idempotency_digest = models.CharField(max_length=64, unique=True, null=True, blank=True)
    submitted_at = models.DateTimeField()
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("意见")
        verbose_name_plural = _("意见")
        ordering = ["submitted_at", "id"]
        indexes = [models.Index(fields=["consultation", "state"])]

    def __str__(self) -> str:
        return f"意见 {self.pk}"
