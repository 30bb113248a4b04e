"""Wording rules (错敏字、严重表述错误): a dictionary of wrong or obsolete expressions.

All patterns go into one Aho-Corasick automaton, so the cost of a pass hardly depends on the number
of rules. A match is then kept only if
- the text was written on or after the rule's `effective_from` (an obsolete institution name is
  right in a document written before the reform), and
- it is not part of a longer word: 监察部 does not fire inside 监察部门, 农业部 not inside 农业部门,
  and 原国土资源部 (an explicit historical reference) is left alone.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import ahocorasick

from . import CheckContext, Hit, HitKind, Severity

RULES_FILE = Path(__file__).resolve().parent.parent / "data" / "wording_rules.json"
# Common wrong words of official writing (部暑 → 部署), with their source in the file.
WRONG_WORDS_FILE = RULES_FILE.with_name("wrong_words.json")
# A sentence that dates what it tells (“2001年4月3日信息产业部、文化部……发布”) is history: the old
# name was right on that date. Looked for between the match and the start of its sentence.
_EARLIER_DATE = re.compile(r"([0-9]{4})年(?:([0-9]{1,2})月)?")
_SENTENCE_END = "。；;！？\n"
HISTORY_WINDOW = 60


@dataclass(frozen=True)
class WordingRuleSpec:
    """One rule as the checker uses it (from the shipped file or from a database row)."""

    pattern: str
    suggestion: str
    category: str = "expression"  # institution | expression | custom
    severity: str = Severity.WARNING
    effective_from: dt.date | None = None
    not_preceded_by: tuple[str, ...] = ()
    not_followed_by: tuple[str, ...] = ()
    exceptions: tuple[str, ...] = ()
    note: str = ""
    verified: bool = False
    code: str = field(default="")

    @property
    def rule_id(self) -> str:
        return self.code or f"{self.category}:{self.pattern}"


@cache
def shipped_rules() -> tuple[WordingRuleSpec, ...]:
    """The curated rule set shipped with the platform (gongkai/compliance/data/wording_rules.json)."""
    data = json.loads(RULES_FILE.read_text(encoding="utf-8"))
    reforms = data["reforms"]
    institution = data["defaults"]["institution"]
    ministry = data["defaults"]["ministry"]
    rules: list[WordingRuleSpec] = []
    for item in data["institutions"]:
        reform = reforms[item["reform"]]
        followed = list(item.get("not_followed_by", institution["not_followed_by"]))
        if item.get("ministry"):
            followed += ministry["not_followed_by"]
        rules.append(WordingRuleSpec(
            pattern=item["pattern"], suggestion=item["suggestion"], category="institution",
            severity=item.get("severity", institution["severity"]),
            effective_from=dt.date.fromisoformat(reform["effective_from"]),
            not_preceded_by=tuple(item.get("not_preceded_by", institution["not_preceded_by"])),
            not_followed_by=tuple(followed), exceptions=tuple(item.get("exceptions", ())),
            note=f"{item['reform']}：{reform['source']}", verified=bool(item.get("verified")),
        ))
    for item in data["expressions"]:
        rules.append(WordingRuleSpec(
            pattern=item["pattern"], suggestion=item["suggestion"], category="expression",
            severity=item.get("severity", Severity.WARNING),
            not_preceded_by=tuple(item.get("not_preceded_by", ())),
            not_followed_by=tuple(item.get("not_followed_by", ())), exceptions=tuple(item.get("exceptions", ())),
        ))
    known = {rule.pattern for rule in rules}
    wrong_words = json.loads(WRONG_WORDS_FILE.read_text(encoding="utf-8"))
    for item in wrong_words["words"]:
        if item["wrong"] not in known:
            rules.append(WordingRuleSpec(pattern=item["wrong"], suggestion=item["right"], category="expression",
                                         note=wrong_words["source"], code=f"wrong_word:{item['wrong']}"))
    return tuple(rules)


class WordingChecker:
    """Finds every rule's pattern in a text in one pass and applies the date and boundary conditions."""

    def __init__(self, rules: tuple[WordingRuleSpec, ...] | list[WordingRuleSpec]):
        self.rules = list(rules)
        self.automaton = ahocorasick.Automaton()
        by_pattern: dict[str, list[int]] = {}
        for index, rule in enumerate(self.rules):
            by_pattern.setdefault(rule.pattern, []).append(index)
        for pattern, indexes in by_pattern.items():
            self.automaton.add_word(pattern, (len(pattern), tuple(indexes)))
        if by_pattern:
            self.automaton.make_automaton()
        self.empty = not by_pattern

    @staticmethod
    def _excluded(text: str, start: int, end: int, rule: WordingRuleSpec) -> bool:
        for before in rule.not_preceded_by:
            if text.startswith(before, max(0, start - len(before)), start) and start >= len(before):
                return True
        for after in rule.not_followed_by:
            if text.startswith(after, end):
                return True
        for exception in rule.exceptions:
            offset = exception.find(rule.pattern)
            while offset >= 0:
                if start - offset >= 0 and text.startswith(exception, start - offset):
                    return True
                offset = exception.find(rule.pattern, offset + 1)
        return False

    @staticmethod
    def _dated_before(text: str, start: int, day: dt.date) -> bool:
        window_start = max(0, start - HISTORY_WINDOW)
        for stop in _SENTENCE_END:
            cut = text.rfind(stop, window_start, start)
            if cut >= 0:
                window_start = cut + 1
        for m in _EARLIER_DATE.finditer(text, window_start, start):
            year, month = int(m[1]), int(m[2] or 1)
            if 1949 <= year and (year, month) < (day.year, day.month):
                return True
        return False

    def check(self, text: str, context: CheckContext | None = None) -> list[Hit]:
        if self.empty or not text:
            return []
        written_on = (context.written_on if context else None) or dt.date.today()
        hits: list[Hit] = []
        for end_index, (length, indexes) in self.automaton.iter(text):
            end = end_index + 1
            start = end - length
            for index in indexes:
                rule = self.rules[index]
                if rule.effective_from and written_on < rule.effective_from:
                    continue
                if self._excluded(text, start, end, rule):
                    continue
                if rule.effective_from and self._dated_before(text, start, rule.effective_from):
                    continue
                message = (f"“{rule.pattern}”已在机构改革中更名或调整，{rule.note}" if rule.category == "institution"
                           else f"“{rule.pattern}”是常见误写")
                hits.append(Hit(kind=HitKind.WORDING, rule=rule.rule_id, start=start, end=end, text=rule.pattern,
                                suggestion=rule.suggestion, severity=rule.severity, message=message))
                break
        return _longest(hits)


def _longest(hits: list[Hit]) -> list[Hit]:
    """Of overlapping hits keep the longest (国家卫生和计划生育委员会 over 卫生和计划生育委员会)."""
    hits.sort(key=lambda h: (h.start, -(h.end - h.start)))
    kept: list[Hit] = []
    last_end = -1
    for hit in hits:
        if hit.start >= last_end:
            kept.append(hit)
            last_end = hit.end
    return kept
