"""Records of 政民互动 (issue 21): boxes (信箱/咨询/投诉建议), messages (留言) and their events.

A message's state and due date are derived from its ordered events (`clock.py`), like an application's;
the columns `status`, `due_on`, `replied_at` hold the last derivation so lists can filter on them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.core.crypto import EncryptedJSONField
from gongkai.core.models import Organisation

from .conf import BOX_KINDS, INVALID_REASONS


def SET_PARENT_ORGANISATION(collector, field, sub_objs, using):  # noqa: N802 (named like Django's SET_NULL)
    """A message whose department is deleted (or merged away) stays with the parent (issue 21)."""
    parents = dict(Organisation.objects.using(using).filter(pk__in={o.organisation_id for o in sub_objs})
                   .values_list("pk", "parent_id"))
    by_parent: dict[int | None, list] = {}
    for obj in sub_objs:
        by_parent.setdefault(parents.get(obj.organisation_id), []).append(obj)
    for parent_id, objs in by_parent.items():
        if parent_id is None:
            models.PROTECT(collector, field, objs, using)
        collector.add_field_update(field, parent_id, objs)


class Mailbox(models.Model):
    """A box of an organisation where the public leaves messages: 领导信箱 of the 县长, a department's 咨询,
    投诉建议. Its reply standard (working days) and whether replies are published are its own data."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="mailboxes",
                                     verbose_name=_("机关"))
    kind = models.CharField(_("类型"), max_length=20, choices=list(BOX_KINDS.items()))
    name = models.CharField(_("名称"), max_length=100)
    slug = models.SlugField(_("网址标识"), max_length=60, unique=True)
    reply_days = models.PositiveSmallIntegerField(_("答复时限（工作日）"))
    publish_replies = models.BooleanField(_("公开答复"), default=True)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("留言信箱")
        verbose_name_plural = _("留言信箱")
        ordering = ["organisation__path", "kind", "id"]

    def __str__(self) -> str:
        return self.name


class Message(models.Model):
    """A citizen's message (留言) to a box, with its handling, reply, publication and rating."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("待受理")
        ACCEPTED = "accepted", _("办理中")
        INVALID = "invalid", _("无效留言")
        REPLIED = "replied", _("已答复")
        PUBLISHED = "published", _("已答复并公开")

    mailbox = models.ForeignKey(Mailbox, on_delete=models.PROTECT, related_name="messages", verbose_name=_("信箱"))
    organisation = models.ForeignKey(Organisation, on_delete=SET_PARENT_ORGANISATION, related_name="+",
                                     verbose_name=_("办理机关"))
    tracking_code = models.CharField(_("查询码"), max_length=20, unique=True)
    secret_hash = models.CharField(max_length=200, blank=True)
    external_id = models.CharField(_("原系统编号"), max_length=40, unique=True, null=True, blank=True)
    subject = models.CharField(_("主题"), max_length=200)
    text = models.TextField(_("内容"))
    contact = EncryptedJSONField(_("联系方式（加密）"), blank=True, default=dict)
    consent_publish = models.BooleanField(_("同意公开"), default=False)
    submitted_at = models.DateTimeField(_("留言时间"))
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.SUBMITTED)
    invalid_reason = models.CharField(_("无效原因"), max_length=20, choices=list(INVALID_REASONS.items()), blank=True)
    due_on = models.DateField(_("答复期限"), null=True, blank=True)
    reply_text = models.TextField(_("答复意见"), blank=True)
    replied_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    published_at = models.DateTimeField(_("公开时间"), null=True, blank=True)
    rating = models.PositiveSmallIntegerField(_("评价"), null=True, blank=True)
    late_replies = models.PositiveSmallIntegerField(_("逾期答复次数"), default=0)
    reopened = models.BooleanField(_("已因评价重新办理"), default=False)
    group_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="grouped",
                                 verbose_name=_("合并答复于"))

    class Meta:
        verbose_name = _("留言")
        verbose_name_plural = _("留言")
        ordering = ["-submitted_at", "-id"]
        indexes = [models.Index(fields=["organisation", "status", "submitted_at"])]

    def __str__(self) -> str:
        return f"留言 {self.tracking_code}"

    # The compliance checks read an item's title/body/organisation/published_at/created_at.
    @property
    def title(self) -> str:
        return self.subject

    @property
    def body(self) -> str:
        return self.reply_text

    @property
    def created_at(self):
        return self.submitted_at


class MessageEvent(models.Model):
    """One step of a message: submitted, accepted, rejected, forwarded, handed_back, replied, published,
    rated, reopened. Append-only; the clock is derived from these."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="events")
    type = models.CharField(max_length=20)
    at = models.DateTimeField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    by_name = models.CharField(max_length=150, blank=True)
    fields = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.type} {self.message_id}"
