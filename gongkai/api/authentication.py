"""API-key authentication for integrators: `Authorization: Bearer gk_<prefix>_<secret>`.

Browsers use the platform's session (staff logged in to the workspace); other systems send a key
issued with `gongkai api-key create`. See `ApiKey` for why keys are our own hashed model.
"""

from __future__ import annotations

import datetime as dt
import hmac

from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from .models import ApiKey
from .services import KEY_PREFIX, api_key_digest

# last_used_at is a hint for administrators, not a log: write it at most this often per key.
LAST_USED_RESOLUTION = dt.timedelta(minutes=5)


def api_key_user(key: str):
    """(user, api_key) for a key `gk_<prefix>_<secret>`; AuthenticationFailed says why a key is refused.
    Also used by the CKAN action API, whose clients send the bare key."""
    if not key.startswith(KEY_PREFIX):
        raise exceptions.AuthenticationFailed("API 密钥格式不正确，应为 gk_…")
    prefix = key[len(KEY_PREFIX):].split("_", 1)[0]
    api_key = ApiKey.objects.select_related("user").filter(prefix=prefix).first()
    if api_key is None or not hmac.compare_digest(api_key.key_hash, api_key_digest(key)):
        raise exceptions.AuthenticationFailed("API 密钥无效。")
    now = timezone.now()
    if api_key.revoked_at is not None:
        raise exceptions.AuthenticationFailed("API 密钥已被吊销。")
    if api_key.expires_at is not None and api_key.expires_at <= now:
        raise exceptions.AuthenticationFailed("API 密钥已过期。")
    if not api_key.user.is_active:
        raise exceptions.AuthenticationFailed("API 密钥所属用户已停用。")
    if api_key.last_used_at is None or now - api_key.last_used_at > LAST_USED_RESOLUTION:
        ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=now)
    return api_key.user, api_key


class ApiKeyAuthentication(authentication.BaseAuthentication):
    keywords = ("bearer", "token")

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1").split()
        if not header or header[0].lower() not in self.keywords:
            return None
        if len(header) != 2 or not header[1].startswith(KEY_PREFIX):
            raise exceptions.AuthenticationFailed("API 密钥格式不正确，应为 Authorization: Bearer gk_…")
        return api_key_user(header[1])

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = ApiKeyAuthentication
    name = "apiKey"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "description": "API 密钥：Authorization: Bearer gk_…"}
