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

from .conf import BOX_KINDS, ERROR_REPORT_KINDS, INVALID_REASONS, SURVEY_KINDS


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


class ScannedFile:
    """What compliance.services.attachment_hits reads of an uploaded file: its name and extension (the model
    has `name` and `file`)."""

    @property
    def original_name(self) -> str:
        return self.name

    @property
    def extension(self) -> str:
        return self.name.rsplit(".", 1)[-1].lower() if "." in self.name else ""


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
    reply_days = models.PositiveSmallIntegerField(_("答复时限（工作日）"), null=True, blank=True,
                                                  help_text=_("收到留言时信箱的答复时限；之后修改信箱设置不影响本条"))
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+", verbose_name=_("承办人"))
    # The digest of the public form's idempotency key (core.tracking, issue 15.4): a resubmit files nothing.
    idempotency_digest = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    # Notices already sent for this message ("replied:<event id>", …): a retried task sends nothing twice.
    notices_sent = models.JSONField(default=list, blank=True, editable=False)

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


def message_attachment_path(instance: MessageAttachment, filename: str) -> str:
    return f"interaction/{instance.message.submitted_at:%Y/%m}/{filename}"


class MessageAttachment(ScannedFile, models.Model):
    """A file sent with a message: never public; checked for personal data and wording on arrival."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=message_attachment_path, max_length=300)
    name = models.CharField(_("文件名"), max_length=255)
    size = models.PositiveIntegerField(_("大小（字节）"))
    sha256 = models.CharField(max_length=64)
    scan = models.JSONField(_("内容检查结果"), default=list, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class ErrorReport(models.Model):
    """我为政府网站找错: a report about a page of the site. It arrives at the site's operator (网站主办单位),
    is forwarded (转办) to the page's owner, which replies and closes it with what was done."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("待转办")
        FORWARDED = "forwarded", _("办理中")
        CLOSED = "closed", _("已办结")

    tracking_code = models.CharField(_("查询码"), max_length=20, unique=True)
    kind = models.CharField(_("问题类型"), max_length=20, choices=list(ERROR_REPORT_KINDS.items()))
    page_url = models.CharField(_("页面地址"), max_length=500)
    page_title = models.CharField(_("页面标题"), max_length=300, blank=True)
    description = models.TextField(_("问题描述"))
    contact = EncryptedJSONField(_("联系方式（加密）"), blank=True, default=dict)
    operator = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("网站主办单位"))
    page_owner = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                   verbose_name=_("页面所属机关"))
    organisation = models.ForeignKey(Organisation, on_delete=SET_PARENT_ORGANISATION, related_name="+",
                                     verbose_name=_("办理机关"))
    submitted_at = models.DateTimeField(_("提交时间"))
    forward_days = models.PositiveSmallIntegerField(_("转办时限（工作日）"))
    reply_days = models.PositiveSmallIntegerField(_("答复时限（工作日）"))
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.RECEIVED)
    forward_due_on = models.DateField(_("转办期限"), null=True, blank=True)
    reply_due_on = models.DateField(_("答复期限"), null=True, blank=True)
    forwarded_at = models.DateTimeField(_("转办时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    outcome = models.CharField(_("办理结果"), max_length=20, blank=True)
    resolution = models.TextField(_("处理情况"), blank=True)
    on_time = models.BooleanField(_("按期办结"), null=True)

    class Meta:
        verbose_name = _("网站找错")
        verbose_name_plural = _("网站找错")
        ordering = ["-submitted_at", "-id"]
        indexes = [models.Index(fields=["organisation", "status", "submitted_at"])]

    def __str__(self) -> str:
        return f"找错 {self.tracking_code}"


class ErrorReportEvent(models.Model):
    """One step of an error report: submitted, forwarded, replied. Append-only."""

    report = models.ForeignKey(ErrorReport, on_delete=models.CASCADE, related_name="events")
    type = models.CharField(max_length=20)
    at = models.DateTimeField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    by_name = models.CharField(max_length=150, blank=True)
    fields = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.type} {self.report_id}"


class Interview(models.Model):
    """在线访谈: announced with time, guests and topic; questions collected before and during; a transcript
    of speaker turns published afterwards and kept as an archived page."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="interviews",
                                     verbose_name=_("主办机关"))
    title = models.CharField(_("访谈主题"), max_length=200)
    summary = models.TextField(_("内容简介"), blank=True)
    guests = models.TextField(_("嘉宾"), help_text=_("每行一位：姓名、职务"))
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    transcript_published_at = models.DateTimeField(_("文字实录发布时间"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("在线访谈")
        verbose_name_plural = _("在线访谈")
        ordering = ["-starts_at", "-id"]

    def __str__(self) -> str:
        return self.title

    @property
    def guest_list(self) -> list[str]:
        return [line.strip() for line in self.guests.splitlines() if line.strip()]


class InterviewQuestion(models.Model):
    """A question from the public, moderated before it is shown; answered live by a guest."""

    class State(models.TextChoices):
        PENDING = "pending", _("待审核")
        APPROVED = "approved", _("已采用")
        REJECTED = "rejected", _("未采用")

    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="questions")
    text = models.TextField(_("问题"))
    nickname = models.CharField(_("网友昵称"), max_length=30, blank=True)
    submitted_at = models.DateTimeField(_("提问时间"))
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.PENDING)
    answer = models.TextField(_("回答"), blank=True)
    answered_by = models.CharField(_("回答嘉宾"), max_length=100, blank=True)

    class Meta:
        ordering = ["submitted_at", "id"]

    def __str__(self) -> str:
        return self.text[:30]


class InterviewTurn(models.Model):
    """One speaker turn of the transcript (主持人 or a guest), in order."""

    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="turns")
    position = models.PositiveIntegerField()
    speaker = models.CharField(_("发言人"), max_length=100)
    text = models.TextField(_("发言"))

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{self.speaker}: {self.text[:20]}"


def interview_photo_path(instance: InterviewPhoto, filename: str) -> str:
    return f"interaction/interviews/{instance.interview_id}/{filename}"


class InterviewPhoto(ScannedFile, models.Model):
    """A photo of an interview (嘉宾、现场), shown on the interview page and its archive. Uploaded by staff with
    the library's size/type rules, checked by the content checks' attachment scan, stored under a random
    name; the alt text (for screen readers) is required."""

    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(upload_to=interview_photo_path, max_length=300)
    name = models.CharField(_("文件名"), max_length=255)
    size = models.PositiveIntegerField(_("大小（字节）"))
    sha256 = models.CharField(max_length=64)
    alt = models.CharField(_("图片说明（替代文本）"), max_length=200)
    caption = models.CharField(_("图注"), max_length=300, blank=True)
    position = models.PositiveIntegerField(default=0)
    scan = models.JSONField(_("内容检查结果"), default=list, blank=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.alt


    @property
    def content_type(self) -> str:
        return {"png": "image/png", "gif": "image/gif"}.get(self.extension, "image/jpeg")


class Survey(models.Model):
    """网上调查: a questionnaire with an open period; results (choice counts) published as a chart and CSV."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="surveys",
                                     verbose_name=_("主办机关"))
    title = models.CharField(_("调查主题"), max_length=200)
    intro = models.TextField(_("说明"), blank=True)
    opens_on = models.DateField(_("开始日期"))
    closes_on = models.DateField(_("截止日期"))
    results_public = models.BooleanField(_("公开调查结果"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("网上调查")
        verbose_name_plural = _("网上调查")
        ordering = ["-opens_on", "-id"]

    def __str__(self) -> str:
        return self.title


class SurveyQuestion(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveIntegerField()
    kind = models.CharField(_("题型"), max_length=10, choices=list(SURVEY_KINDS.items()))
    text = models.CharField(_("问题"), max_length=300)
    options = models.JSONField(default=list, blank=True)
    required = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text


class SurveyResponse(models.Model):
    """One person's answers. No identity: `voter` is a keyed hash of a random browser token."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    voter = models.CharField(max_length=64)
    submitted_at = models.DateTimeField()
    answers = models.JSONField(default=dict)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["survey", "voter"], name="interaction_survey_one_answer")]

    def __str__(self) -> str:
        return f"答卷 {self.pk}"
