"""Subscribers, their profiles and subscriptions, the tags of documents, pushes and the e-mail queue.

A subscriber is a public account with no real-name data: an e-mail address (encrypted at rest, looked up by
an HMAC digest), optionally a phone number, the consent given and when. Deleting a subscriber deletes every
row that belongs to it (个人信息保护法 第四十七条: deletion is real).
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.core.crypto import EncryptedJSONField
from gongkai.core.models import Organisation
from gongkai.documents.models import Document, Topic


def _secret() -> str:
    return secrets.token_urlsafe(16)


class Subscriber(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("待验证")
        ACTIVE = "active", _("已验证")
        DISABLED = "disabled", _("邮箱已停用（退信）")

    class Frequency(models.TextChoices):
        IMMEDIATE = "immediate", _("即时推送")
        DAILY = "daily", _("每日汇总")
        WEEKLY = "weekly", _("每周汇总")
        NONE = "none", _("不发邮件（仅订阅源）")

    # {"email": "...", "phone": "..."}: encrypted (core.crypto), never logged, never on a public page.
    contact = EncryptedJSONField(_("联系方式"), default=dict)
    email_digest = models.CharField(max_length=64, unique=True, editable=False)
    state = models.CharField(_("状态"), max_length=12, choices=State.choices, default=State.PENDING, db_index=True)
    frequency = models.CharField(_("推送频率"), max_length=12, choices=Frequency.choices, default=Frequency.DAILY)
    consent_version = models.CharField(_("同意的告知版本"), max_length=20)
    consent_at = models.DateTimeField(_("同意时间"))
    verified_at = models.DateTimeField(_("验证时间"), null=True, blank=True)
    # Part of every signed link: changing it (or deleting the account) voids all links sent before.
    link_secret = models.CharField(max_length=32, default=_secret, editable=False)
    # Part of the sign-in link; replaced when one is used, so a sign-in link works once (and only the newest).
    login_nonce = models.CharField(max_length=32, default=_secret, editable=False)
    bounce_count = models.PositiveSmallIntegerField(default=0)
    last_mail_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("订阅用户")
        verbose_name_plural = _("订阅用户")

    def __str__(self) -> str:  # never the address
        return f"订阅用户 {self.pk}"

    @property
    def email(self) -> str:
        return (self.contact or {}).get("email", "")


class Profile(models.Model):
    """Who the subscriber is: a person (life stages, groups) or an enterprise (industry, size, stage …)."""

    class Kind(models.TextChoices):
        PERSON = "person", _("个人")
        ENTERPRISE = "enterprise", _("企业")

    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="profiles")
    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices)
    name = models.CharField(_("名称"), max_length=60, help_text=_("给这个画像起个名字，如“我”“父母”“我的小店”；不要填写实名"))
    region = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                               verbose_name=_("所在地区"))
    tags = models.JSONField(_("画像标签"), default=list, help_text=_("conf.TAGS 的键，如 stage:就业、industry:H"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("画像")
        verbose_name_plural = _("画像")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name

    @property
    def audience(self) -> str:
        return "person" if self.kind == self.Kind.PERSON else "legal_person"


class Subscription(models.Model):
    class Kind(models.TextChoices):
        PROFILE = "profile", _("画像")
        SEARCH = "search", _("检索条件")
        TOPIC = "topic", _("主题分类")
        COLUMN = "column", _("机关专栏")
        DOCUMENT = "document", _("文件动态")
        CONSULTATION = "consultation", _("意见征集反馈")
        DATASET = "dataset", _("数据集更新")

    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="subscriptions")
    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices)
    label = models.CharField(_("名称"), max_length=200)
    profile = models.ForeignKey(Profile, null=True, blank=True, on_delete=models.CASCADE, related_name="subscriptions")
    # A saved search: {"q": "...", "issuer": "...", "topic": "...", "genre": "...", "validity": "...", "year": "..."}
    # — the query and its filters, never a result list.
    query = models.JSONField(_("检索条件"), default=dict, blank=True)
    topic = models.ForeignKey(Topic, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    document = models.ForeignKey(Document, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    consultation_id = models.PositiveIntegerField(null=True, blank=True, db_index=True)
    dataset_id = models.PositiveIntegerField(null=True, blank=True, db_index=True)
    # The last state of the followed consultation/dataset already told (feedback time, dataset version).
    seen_marker = models.CharField(max_length=64, blank=True, editable=False)
    feed_token = models.CharField(max_length=32, unique=True, default=_secret, editable=False)
    is_active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("订阅")
        verbose_name_plural = _("订阅")
        ordering = ["id"]
        indexes = [models.Index(fields=["kind", "is_active"])]

    def __str__(self) -> str:
        return self.label


class DocumentTags(models.Model):
    """Whom a document concerns, in the profile vocabulary (conf.TAGS): suggested from its text, then
    confirmed (or changed) by the publisher. Only confirmed tags — or, while none are confirmed, the
    document's own 服务对象/生命周期分类 plus the suggestion — are used for matching."""

    class State(models.TextChoices):
        SUGGESTED = "suggested", _("系统建议")
        CONFIRMED = "confirmed", _("已确认")

    document = models.OneToOneField(Document, on_delete=models.CASCADE, related_name="subscription_tags")
    audiences = models.JSONField(default=list)
    tags = models.JSONField(default=list)
    suggested = models.JSONField(default=list, help_text=_("系统建议的标签及得分"))
    state = models.CharField(max_length=12, choices=State.choices, default=State.SUGGESTED)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    confirmed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("文件推送标签")
        verbose_name_plural = _("文件推送标签")

    def __str__(self) -> str:
        return f"{self.document_id}: {', '.join(self.tags)}"


class PendingMatch(models.Model):
    """Something happened that subscribers may want to hear of; the matcher takes these in batches."""

    class Event(models.TextChoices):
        PUBLISHED = "published", _("新发布")
        AMENDED = "amended", _("被修改")
        REPEALED = "repealed", _("被废止")
        EXPIRED = "expired", _("已失效")
        INTERPRETED = "interpreted", _("有新解读")
        CORRECTED = "corrected", _("已更正")

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="+")
    event = models.CharField(max_length=12, choices=Event.choices)
    related_document = models.ForeignKey(Document, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    interpretation_id = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    done_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.document_id} {self.event}"


class Message(models.Model):
    """One e-mail to one subscriber. Its idempotency key is unique: assembling the same message twice
    (two workers, a retried task) finds the row and sends nothing new; the state machine queued → sending
    → sent guarantees one successful send per row (docs/subscriptions.md)."""

    class Kind(models.TextChoices):
        VERIFY = "verify", _("邮箱验证")
        LOGIN = "login", _("登录链接")
        IMMEDIATE = "immediate", _("即时推送")
        DIGEST = "digest", _("汇总推送")

    class State(models.TextChoices):
        QUEUED = "queued", _("待发送")
        SENDING = "sending", _("发送中")
        SENT = "sent", _("已发送")
        FAILED = "failed", _("发送失败")

    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="messages")
    idempotency_key = models.CharField(max_length=120, unique=True)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    # The same message as HTML (templates/subscriptions/email/): sent as multipart/alternative with `body`.
    html_body = models.TextField(blank=True)
    unsubscribe_url = models.CharField(max_length=500, blank=True)
    state = models.CharField(max_length=12, choices=State.choices, default=State.QUEUED, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("推送邮件")
        verbose_name_plural = _("推送邮件")

    def __str__(self) -> str:
        return self.subject


class Push(models.Model):
    """One item pushed to one subscription, with the reason shown to the recipient."""

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="pushes")
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="pushes")
    # What was pushed: "doc:12:published", "doc:12:amended:40", "consultation:3:feedback", "dataset:5:v4".
    item_key = models.CharField(max_length=80)
    document = models.ForeignKey(Document, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(max_length=500)
    url = models.CharField(max_length=500)
    event = models.CharField(max_length=20)
    reason = models.CharField(max_length=300)
    matched = models.JSONField(default=list)  # the tag keys (or "search", "topic" …) that made it match
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    message = models.ForeignKey(Message, null=True, blank=True, on_delete=models.SET_NULL, related_name="pushes")
    not_relevant_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        constraints = [models.UniqueConstraint(fields=["subscription", "item_key"], name="subscriptions_push_once")]
        indexes = [models.Index(fields=["subscriber", "message"])]

    def __str__(self) -> str:
        return self.title


class FeedbackCount(models.Model):
    """“Not relevant” answers, counted per subscription kind and tag for evaluating the matching; kept
    when a subscriber deletes the account (it holds no personal data)."""

    day = models.DateField()
    kind = models.CharField(max_length=12)
    tag = models.CharField(max_length=60, blank=True)
    pushes = models.PositiveIntegerField(default=0)
    not_relevant = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["day", "kind", "tag"], name="subscriptions_feedback_once")]

    def __str__(self) -> str:
        return f"{self.day} {self.kind} {self.tag}"
