"""Writes of the API package: issuing and revoking API keys (both audited)."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from gongkai.core.models import User
from gongkai.core.services import audit_record

from .models import ApiKey

KEY_PREFIX = "gk_"


def api_key_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def api_key_create(*, user: User, name: str, by: User | None, expires_at: dt.datetime | None = None) -> tuple[ApiKey, str]:
    """Issue a key for `user`; returns the row and the key, which is never shown again."""
    if not name.strip():
        raise ValidationError("请说明 API 密钥的用途。")
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError("有效期必须晚于当前时间。")
    prefix = secrets.token_hex(6)
    key = f"{KEY_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    api_key = ApiKey.objects.create(user=user, name=name.strip(), prefix=prefix, key_hash=api_key_digest(key), expires_at=expires_at)
    audit_record(actor=by, action="api_key.create", obj=user, after={"api_key": str(api_key), "expires_at": expires_at.isoformat() if expires_at else None})
    return api_key, key


@transaction.atomic
def api_key_revoke(*, api_key: ApiKey, by: User | None) -> ApiKey:
    if api_key.revoked_at is None:
        api_key.revoked_at = timezone.now()
        api_key.save(update_fields=["revoked_at"])
        audit_record(actor=by, action="api_key.revoke", obj=api_key.user, after={"api_key": str(api_key)})
    return api_key
