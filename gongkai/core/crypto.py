"""Encryption at rest for personal data (applicants, commenters, message senders, subscribers).

Fernet (AES-128-CBC + HMAC-SHA256, from `cryptography`) with keys from settings.FIELD_ENCRYPTION_KEY:
a comma-separated list of secrets, the first used to encrypt and all tried to decrypt (key rotation).
Each secret is stretched to a Fernet key with HKDF-SHA256, so any string works. When the setting is
empty the key is derived from SECRET_KEY — set FIELD_ENCRYPTION_KEY in production so that rotating
SECRET_KEY does not make stored applications unreadable.
"""

from __future__ import annotations

import base64
import json
from functools import lru_cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.db import models

PREFIX = "enc1:"


def _fernet_key(secret: str) -> bytes:
    raw = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"gongkai-field-encryption", info=b"fernet-v1").derive(
        secret.encode()
    )
    return base64.urlsafe_b64encode(raw)


@lru_cache(maxsize=8)
def _cipher(key_setting: str) -> MultiFernet:
    secrets_ = [s.strip() for s in key_setting.split(",") if s.strip()]
    return MultiFernet([Fernet(_fernet_key(s)) for s in secrets_])


def cipher() -> MultiFernet:
    return _cipher(settings.FIELD_ENCRYPTION_KEY or settings.SECRET_KEY)


def encrypt_text(value: str) -> str:
    return PREFIX + cipher().encrypt(value.encode()).decode()


def decrypt_text(value: str) -> str:
    if not value.startswith(PREFIX):
        raise ValueError("not an encrypted value")
    try:
        return cipher().decrypt(value[len(PREFIX) :].encode()).decode()
    except InvalidToken as exc:
        raise ValueError("加密数据无法解密：FIELD_ENCRYPTION_KEY 与加密时的密钥不一致。") from exc


class EncryptedJSONField(models.TextField):
    """A JSON value stored encrypted in a text column; the database never sees the plaintext.

    Encrypted values cannot be searched or filtered in SQL — by design: personal data is looked up
    through the case, never the other way round.
    """

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return {}
        return json.loads(decrypt_text(value))

    def to_python(self, value: Any):
        if isinstance(value, str) and value.startswith(PREFIX):
            return json.loads(decrypt_text(value))
        return value if value is not None else {}

    def get_prep_value(self, value):
        if value is None:
            value = {}
        return encrypt_text(json.dumps(value, ensure_ascii=False, sort_keys=True))

    def value_to_string(self, obj):
        return json.dumps(self.value_from_object(obj), ensure_ascii=False)
