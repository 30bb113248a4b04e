from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ApiKey(models.Model):
    """A key with which an integrator's system reads the API on behalf of a staff user.

    Why our own model rather than DRF's `authtoken`: DRF stores the token itself in the database (one
    leaked backup exposes every key), allows one token per user and has no expiry or revocation record.
    Here only a SHA-256 digest of the key is stored (the key is 256 random bits, so a fast hash is
    enough; a slow password hash would only slow every request), a user may hold several named keys
    (one per integrating system), and keys expire and are revoked with a date, never deleted, so the
    audit trail can name the key. The key is shown once, at creation: `gk_<prefix>_<secret>`; the
    prefix is stored in clear to find the row and to tell keys apart in lists.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_keys")
    name = models.CharField(_("用途"), max_length=100, help_text=_("如：省级政务公开平台文件汇聚"))
    prefix = models.CharField(max_length=16, unique=True)
    key_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("有效期至"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)

    class Meta:
        verbose_name = _("API 密钥")
        verbose_name_plural = _("API 密钥")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"gk_{self.prefix}… ({self.name})"
