"""Tracking codes and secrets that citizens read, type on a phone and read aloud on the telephone.

One alphabet without 0/O and 1/I/L; codes and secrets come from server-side randomness only
(`secrets`), never from anything the browser sends. Used by applications (依申请公开) and
interaction (留言) alike, as are the forms' idempotency keys (issue 15.4): a key is issued with the form,
bound to the session that got it (`portal/formkeys.py`), and only its digest is stored with what it filed,
so a double submit or Back + resubmit returns the first record and files nothing.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Callable

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def tracking_code_new(prefix: str, *, taken: Callable[[str], bool], length: int = 8) -> str:
    """`prefix` + `length` random characters, not yet `taken` (ten tries, then an error)."""
    for _ in range(10):
        code = prefix + "".join(secrets.choice(ALPHABET) for _ in range(length))
        if not taken(code):
            return code
    raise RuntimeError("could not find a free tracking code")


def secret_new() -> str:
    """Twelve random characters in three groups (XXXX-XXXX-XXXX); store only its hash."""
    chars = "".join(secrets.choice(ALPHABET) for _ in range(12))
    return "-".join(chars[i : i + 4] for i in range(0, 12, 4))


def secret_normalise(secret: str) -> str:
    """Upper case, separators and spaces dropped: what the citizen typed, as it was hashed."""
    return re.sub(r"[^A-Z0-9]", "", (secret or "").upper())


IDEMPOTENCY_KEY_RE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


def idempotency_key_new() -> str:
    return secrets.token_urlsafe(24)


def idempotency_digest(key: str, *, scope: str = "") -> str:
    """What is stored of a form's idempotency key (never the key itself); `scope` keeps forms apart."""
    return hashlib.sha256(f"{scope}{key}".encode()).hexdigest()
