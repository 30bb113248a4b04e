"""Statistical wrong-character detection (错别字): confusion sets ranked by a character language model.

For each Chinese character whose local context the model finds unlikely, every similar-sounding or
similar-looking candidate is put in its place; the candidate is proposed only if the three trigrams
around the position become far more probable (`threshold`, in natural-log units) and the candidate's
context is attested in official prose. Precision comes first: the threshold was chosen on one half
of the development file and checked on the other (bench/check_quality.py). A second, lower threshold
(`word_threshold`, the thorough level of engine.typo_thresholds) applies where the candidate makes a word
of the lexicon and the written character makes none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..charlm import CharLM, normalise
from . import CheckContext, Hit, HitKind, Severity

_CJK = re.compile(r"[\u4e00-\u9fff]")


@dataclass
class TypoChecker:
    lm: CharLM
    threshold: float = 11.0
    # Candidates similar in shape only need a larger gain: on half A of the development file they were
    # right 76% of the time at the base threshold against 88% for same-sound candidates.
    shape_margin: float = 2.0
    # A position whose trigram was seen this often in official prose is not examined.
    seen_enough: int = 2
    # At least one of the candidate's bigrams with its neighbours must have been seen this often.
    min_support: int = 2
    # A word of the lexicon covering the position protects it (place and company names, terms),
    # unless the candidate makes a word this many times more frequent.
    word_ratio: float = 20.0
    # A character that forms common bigrams with both neighbours is not examined (2.4x faster, same
    # result on half A of the development file).
    both_bigrams: int = 20
    # A candidate that makes a word of the lexicon where the written character makes none needs only
    # this gain (None: no second tier). Chosen on half A of the development file (bench/check_quality.py).
    word_threshold: float | None = None

    def _word_freq(self, text: str, i: int, char: str) -> int:
        words = self.lm.words
        best = 0
        for length in (2, 3, 4):
            for a in range(max(0, i - length + 1), min(i, len(text) - length) + 1):
                w = text[a:i] + char + text[i + 1:a + length]
                f = words.get(w, 0)
                if f > best:
                    best = f
        return best

    def suspects(self, text: str) -> list[tuple[int, str, float]]:
        """(position, best candidate, gain) for every position judged wrong.

        Two passes: neighbouring wrong characters spoil each other's context (菓家…二登奖), so the text
        is checked again with the first pass's corrections applied.
        """
        first = self._suspects(text)
        if not first:
            return first
        corrected = list(text)
        for i, cand, _ in first:
            corrected[i] = cand
        seen = {i for i, _, _ in first}
        return sorted(first + [s for s in self._suspects("".join(corrected)) if s[0] not in seen])

    def _suspects(self, text: str) -> list[tuple[int, str, float]]:
        lm = self.lm
        norm = normalise(text)
        if len(norm) != len(text):  # normalisation maps runs to one mark; work on a same-length copy
            norm = "".join(c if _CJK.match(c) else ("0" if c.isdigit() else "\n") for c in text)
        tri, bi = lm.tri, lm.bi
        confusions = lm.confusions
        found = []
        n = len(norm)
        for i, char in enumerate(norm):
            cands = confusions.get(char)
            if not cands:
                continue
            left = norm[i - 1] if i else "\n"
            right = norm[i + 1] if i + 1 < n else "\n"
            if tri.get(left + char + right, 0) >= self.seen_enough:
                continue
            if bi.get(left + char, 0) >= self.both_bigrams and bi.get(char + right, 0) >= self.both_bigrams:
                continue
            base = lm.window(norm, i, char)
            sounds = lm.same_sound.get(char, "")
            best, best_gain, best_margin = "", 0.0, 0.0
            written_word = None
            for cand in cands:
                if bi.get(left + cand, 0) < self.min_support and bi.get(cand + right, 0) < self.min_support:
                    continue
                gain = lm.window(norm, i, cand) - base
                extra = 0.0 if cand in sounds else self.shape_margin
                margin = gain - self.threshold - extra
                if margin < 0 and self.word_threshold is not None and gain - extra >= self.word_threshold:
                    if written_word is None:
                        written_word = self._word_freq(norm, i, char) if lm.words else 1
                    if not written_word and self._word_freq(norm, i, cand):
                        margin = gain - self.word_threshold - extra
                if margin >= 0 and (not best or margin > best_margin):
                    best, best_gain, best_margin = cand, gain, margin
            if best:
                if lm.words:
                    protected = self._word_freq(norm, i, char)
                    if protected and self._word_freq(norm, i, best) < protected * self.word_ratio:
                        continue
                found.append((i, best, best_gain))
        return found

    def check(self, text: str, context: CheckContext | None = None) -> list[Hit]:
        hits = []
        for i, cand, gain in self.suspects(text):
            hits.append(Hit(kind=HitKind.TYPO, rule="confusion_lm", start=i, end=i + 1, text=text[i],
                            suggestion=cand, severity=Severity.WARNING,
                            message=f"疑似错别字：“{text[i]}”可能应为“{cand}”（置信度 {gain:.1f}）"))
        return hits
