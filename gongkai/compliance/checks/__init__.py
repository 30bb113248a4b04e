"""Content checks on plain text: wording rules, formats, personal data and wrong characters.

Each checker takes text (and the date the text was written, for date-aware rules) and returns `Hit`s
with character offsets. The checkers know nothing about the database; `gongkai.compliance.services`
turns hits into stored findings.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass


class Severity:
    SEVERE = "severe"
    WARNING = "warning"
    INFO = "info"

    ORDER = {SEVERE: 0, WARNING: 1, INFO: 2}


class HitKind:
    WORDING = "wording"
    FORMAT = "format"
    PERSONAL_DATA = "personal_data"
    TYPO = "typo"
    SECRET = "secret"
    LINK = "link"
    REPORTED = "reported"  # reported by the public (我为政府网站找错); never closed by a later check


@dataclass(frozen=True)
class Hit:
    """One problem found in a text: `text[start:end]` and what to write instead."""

    kind: str
    rule: str
    start: int
    end: int
    text: str
    suggestion: str
    severity: str
    message: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class CheckContext:
    """What the checkers may know about the text: when it was written and what kind of item it is."""

    written_on: dt.date | None = None
    title: str = ""
    exempt_phones: frozenset[str] = frozenset()
