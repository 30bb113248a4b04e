"""Tracking codes and secrets that citizens read, type on a phone and read aloud on the telephone.

One alphabet without 0/O and 1/I/L; codes and secrets come from server-side randomness only
(`secrets`), never from anything the browser sends. Used by applications (依申请公开) and
interaction (留言) alike.
"""

from __future__ import annotations

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
