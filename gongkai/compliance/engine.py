"""The full rule set, assembled once per process: wording (shipped + administrators' rules), formats,
personal data and, when its model has been built, the statistical wrong-character detector."""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

from . import conf
from .charlm import CharLM
from .checks import CheckContext, Hit, formats
from .checks.pii import PiiChecker, PiiPolicy
from .checks.typos import TypoChecker
from .checks.wording import WordingChecker, WordingRuleSpec, shipped_rules

log = logging.getLogger(__name__)
_lock = threading.Lock()
_cached: dict[str, object] = {}
RULES_TTL_SECONDS = 60


def rule_specs() -> list[WordingRuleSpec]:
    """Shipped rules with the administrators' rows applied (same pattern replaces; inactive removes)."""
    from django.db import DatabaseError

    from .models import WordingRule

    by_pattern = {rule.pattern: rule for rule in shipped_rules()}
    try:
        rows = list(WordingRule.objects.all())
    except DatabaseError:  # `gongkai check` on a machine without a migrated database
        rows = []
    for row in rows:
        if not row.is_active:
            by_pattern.pop(row.pattern, None)
            continue
        by_pattern[row.pattern] = WordingRuleSpec(
            pattern=row.pattern, suggestion=row.suggestion, category=row.category, severity=row.severity,
            effective_from=row.effective_from, not_preceded_by=tuple(row.not_preceded_by or ()),
            not_followed_by=tuple(row.not_followed_by or ()), exceptions=tuple(row.exceptions or ()),
            note=row.note, code=f"custom:{row.pattern}",
        )
    return list(by_pattern.values())


def lm_path() -> Path:
    return Path(settings.COMPLIANCE_LM_PATH)


@dataclass(frozen=True)
class TypoModelState:
    """Whether the wrong-character model is there, and if not, whether this machine can build it."""

    available: bool
    buildable: bool
    path: Path

    @property
    def warning(self) -> str:
        """Empty when the model is in use; otherwise what is missing and how to build it, in plain Chinese."""
        if self.available:
            return ""
        text = f"错别字检测模型未构建（{self.path}），目前只检查用语、格式和个人信息，不检查错别字。"
        if self.buildable:
            return text + "运行 `gongkai compliance_build_lm` 构建（约 1–2 分钟）。"
        corpus = Path(settings.SHARED_DIR) / "data" / "laws.jsonl.gz"
        return text + f"构建需要法规语料 {corpus}：放好后运行 `gongkai compliance_build_lm`。"


def typo_model_state(*, load: bool = True) -> TypoModelState:
    """`load=False` only looks for the file (for `gongkai check`, which should not read 100 MB)."""
    corpus = Path(settings.SHARED_DIR) / "data" / "laws.jsonl.gz"
    available = (load_lm() is not None) if load else lm_path().exists()
    return TypoModelState(available=available, buildable=corpus.exists(), path=lm_path())


def typo_model_build(*, limit_chars: int | None = None, progress=None) -> CharLM:
    """Build the model from the corpora and make every checker of this process use it."""
    from . import charlm

    if progress:
        progress("正在构建错别字检测模型（约 1–2 分钟）……")
    limit_chars = limit_chars or settings.COMPLIANCE_LM_BUILD_LIMIT_CHARS
    lm = charlm.build(shared_dir=Path(settings.SHARED_DIR), limit_chars=limit_chars)
    lm.save(lm_path())
    checker_reset()
    if progress:
        progress(f"错别字检测模型已保存：{lm_path()}")
    return lm


def load_lm() -> CharLM | None:
    path = lm_path()
    key = f"lm:{path}"
    if key not in _cached:
        with _lock:
            if key not in _cached:
                lm = None
                if path.exists():
                    try:
                        lm = CharLM.load(path)
                    except (OSError, ValueError) as exc:
                        log.warning("wrong-character model not loaded: %s", exc)
                _cached[key] = lm
    return _cached[key]  # type: ignore[return-value]


@dataclass
class Checker:
    wording: WordingChecker
    pii: PiiChecker
    typos: TypoChecker | None = None
    built_at: float = field(default_factory=time.monotonic)

    def check(self, text: str, context: CheckContext | None = None, *, typos: bool = True) -> list[Hit]:
        hits = self.wording.check(text, context)
        hits += formats.check(text, context)
        hits += self.pii.check(text, context)
        if typos and self.typos is not None:
            taken = {(h.start, h.end) for h in hits}
            covered = [(h.start, h.end) for h in hits]
            for hit in self.typos.check(text, context):
                if (hit.start, hit.end) in taken or any(s <= hit.start < e for s, e in covered):
                    continue
                hits.append(hit)
        hits.sort(key=lambda h: (h.start, h.end))
        return hits


PRECISE = "precise"
THOROUGH = "thorough"


def typo_thresholds(sensitivity: str = PRECISE) -> tuple[float, float | None]:
    """(threshold, word threshold) of the wrong-character model for a sensitivity.

    Two levels, both measured by bench/check_quality.py (chosen on half A of the development file,
    reported on half B; false alarms per 10,000 characters of real official text the model did not
    learn from, printed with `--false-alarms`):
    - ``precise``, the automatic checks on save and publication and the library scan: few false alarms
      (about 3.4 per 10,000 characters) at the price of recall (sentence recall about 0.48);
    - ``thorough``, proofreading on request (`gongkai check`, 仔细校对 in the workspace): a candidate
      that makes a lexicon word where the written character makes none needs a smaller gain; sentence
      recall 0.71 at precision 0.906 on half B, with about 9 times the false alarms on real
      documents — for a person who reads every suggestion, not for a gate.
    """
    if sensitivity == THOROUGH:
        return conf.typo_thorough()
    if sensitivity != PRECISE:
        raise ValueError(f"unknown sensitivity {sensitivity!r}")
    return conf.typo_threshold(), None


def build_checker(*, rules: list[WordingRuleSpec] | None = None, with_typos: bool = True,
                  sensitivity: str = PRECISE) -> Checker:
    lm = load_lm() if with_typos else None
    threshold, word_threshold = typo_thresholds(sensitivity)
    return Checker(
        wording=WordingChecker(rules if rules is not None else rule_specs()),
        pii=PiiChecker(PiiPolicy.from_settings()),
        typos=TypoChecker(lm, threshold=threshold, word_threshold=word_threshold) if lm is not None else None,
    )


def checker(sensitivity: str = PRECISE) -> Checker:
    """The process-wide checker; rebuilt when administrators change rules, or after a minute."""
    key = "checker" if sensitivity == PRECISE else f"checker:{sensitivity}"
    current = _cached.get(key)
    if current is None or time.monotonic() - current.built_at > RULES_TTL_SECONDS:  # type: ignore[union-attr]
        current = build_checker(sensitivity=sensitivity)
        _cached[key] = current
    return current  # type: ignore[return-value]


def checker_reset() -> None:
    for key in [k for k in _cached if k.startswith(("lm:", "checker"))]:
        _cached.pop(key)


def check_text(text: str, *, written_on=None, title: str = "", typos: bool = True,
               sensitivity: str = PRECISE) -> list[Hit]:
    return checker(sensitivity).check(text, CheckContext(written_on=written_on, title=title), typos=typos)
