"""Models of public intake and of the staff case pages (issue 5, items 1-3).

Kept apart from `models.py` (the case engine) and imported from there so Django finds them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .outcomes import OUTCOME_CHOICES


class PublicAccess(models.Model):
    """How the applicant follows an online application: tracking code + secret, or their account.

    Only a hash of the secret is stored (Django's password hasher). The idempotency key of the form
    that filed the application is stored as a SHA-256 digest: a second POST of the same form (a double
    click, a retried request) finds this row and files nothing new.
    """

    application = models.OneToOneField("applications.Application", on_delete=models.CASCADE, related_name="public_access")
    secret_hash = models.CharField(_("查询密码（散列）"), max_length=200)
    idempotency_digest = models.CharField(max_length=64, unique=True, null=True, blank=True)
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("申请人账号"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("申请查询凭据")
        verbose_name_plural = _("申请查询凭据")

    def __str__(self) -> str:
        return f"查询凭据 {self.application_id}"


class CaseNote(models.Model):
    """An internal note of the staff on a case (内部备注). Never shown to the applicant."""

    application = models.ForeignKey("applications.Application", on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    author_name = models.CharField(_("记录人"), max_length=150)
    text = models.TextField(_("内容"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("内部备注")
        verbose_name_plural = _("内部备注")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"备注 {self.application_id}/{self.pk}"


class LegalReview(models.Model):
    """The legal adviser's sign-off (法律顾问审核) of a proposed determination before it is sent.

    The handler proposes an outcome with its reasons; a legal reviewer of the organisation (or of an
    ancestor) approves or returns it. An approved review is used up by the determination it allowed.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("待审核")
        APPROVED = "approved", _("审核通过")
        RETURNED = "returned", _("退回修改")

    application = models.ForeignKey("applications.Application", on_delete=models.CASCADE, related_name="legal_reviews")
    outcome = models.CharField(_("拟办理结果"), max_length=40, choices=OUTCOME_CHOICES)
    draft = models.TextField(_("拟答复意见及理由"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    requested_by_name = models.CharField(max_length=150)
    requested_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PENDING)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reviewer_name = models.CharField(max_length=150, blank=True)
    comment = models.TextField(_("审核意见"), blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    used_at = models.DateTimeField(_("已用于答复"), null=True, blank=True)

    class Meta:
        verbose_name = _("法律审核")
        verbose_name_plural = _("法律审核")
        ordering = ["requested_at", "id"]

    def __str__(self) -> str:
        return f"法律审核 {self.application_id}/{self.pk}"
