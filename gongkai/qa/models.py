"""The policy Q&A base (政策问答库): curated entries with the official answer and its sources."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class EntryState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")
    FLAGGED = "flagged", _("待复核")  # a source was repealed or expired: hidden until re-approved


class Entry(models.Model):
    question = models.TextField(_("问题"))
    alternatives = models.JSONField(_("其他问法"), default=list, blank=True)
    answer = models.TextField(_("答复"))
    department = models.CharField(_("答复部门"), max_length=200, blank=True)
    external_id = models.CharField(_("外部编号"), max_length=200, blank=True, db_index=True)
    digest = models.CharField(_("摘要值"), max_length=64, unique=True)
    sources = models.ManyToManyField("documents.Document", blank=True, related_name="qa_entries")
    topics = models.JSONField(_("主题"), default=list, blank=True)
    audiences = models.JSONField(_("服务对象/人生阶段"), default=list, blank=True)
    # Articles of the sources where known: {"<document id>": "第十二条"}.
    source_articles = models.JSONField(_("来源条款"), default=dict, blank=True)
    organisation = models.ForeignKey("core.Organisation", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+", verbose_name=_("答复机关"))
    origin = models.CharField(_("来源"), max_length=60, blank=True)  # staff, import, interpretation:<id>, message:<id>
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    state = models.CharField(_("状态"), max_length=20, choices=EntryState.choices, default=EntryState.DRAFT)
    flag_reason = models.CharField(_("复核原因"), max_length=300, blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    helpful_yes = models.PositiveIntegerField(default=0)
    helpful_no = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("问答条目")

    def __str__(self) -> str:
        return self.question[:40]
