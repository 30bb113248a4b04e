"""A small character trigram language model of official prose, and the confusion sets it ranks.

The model is built from the real corpora in ``settings.SHARED_DIR/data`` (laws and government work
reports) by ``gongkai compliance_build_lm`` and stored in ``settings.COMPLIANCE_LM_PATH``; nothing of
the corpora enters the repository. Confusion sets are derived without the network from two pinned
packages: ``pypinyin`` (characters sharing a toneless reading) and ``char-similar`` (stroke orders,
for characters of similar shape such as 贝/员, 去/法, 木/术), plus a short curated list.
"""

from __future__ import annotations

import gzip
import importlib.util
import json
import math
import pickle
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

FORMAT_VERSION = 3
BOUNDARY = "\n"
_CJK = re.compile(r"[\u4e00-\u9fff]")
_DIGITS = re.compile(r"[0-9０-９]+")
_LATIN = re.compile(r"[A-Za-zＡ-Ｚａ-ｚ]+")
_SPACE = re.compile(r"[\s#*>|`_\-]+")

# Confusions common in official writing that neither reading nor shape explains (或 whose reading
# differs only by tone and is already covered; kept so the list is explicit).
CURATED_PAIRS = [
    ("的", "地"), ("的", "得"), ("地", "得"), ("定", "订"), ("部", "布"), ("止", "至"), ("既", "即"),
    ("做", "作"), ("象", "像"), ("须", "需"), ("必", "毕"), ("权", "利"), ("己", "已"), ("已", "以"),
    ("在", "再"), ("则", "责"), ("练", "炼"), ("励", "厉"), ("暴", "曝"), ("渡", "度"), ("坚", "艰"),
    ("竟", "竞"), ("辨", "辩"), ("辩", "辫"), ("候", "侯"), ("账", "帐"), ("截", "载"), ("戴", "带"),
]


def normalise(text: str) -> str:
    """Map digits to 0, Latin runs to a, markup and white space to the boundary mark."""
    text = _DIGITS.sub("0", text)
    text = _LATIN.sub("a", text)
    return _SPACE.sub(BOUNDARY, text)


def corpus_texts(shared_dir: Path, limit_chars: int | None = None) -> Iterator[str]:
    """The official prose the model learns from: laws (bodies) and government work reports."""
    seen = 0
    for name, key in (("laws.jsonl.gz", "body"), ("gov_work_reports.jsonl.gz", "content")):
        path = shared_dir / "data" / name
        if not path.exists():
            continue
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            for line in fh:
                text = json.loads(line).get(key) or ""
                yield text
                seen += len(text)
                if limit_chars is not None and seen >= limit_chars:
                    return


@dataclass
class CharLM:
    """Interpolated character trigram model; counts of n-grams seen at least `min_count` times."""

    uni: dict[str, int]
    bi: dict[str, int]
    tri: dict[str, int]
    total: int
    confusions: dict[str, str] = field(default_factory=dict)
    words: dict[str, int] = field(default_factory=dict)
    version: int = FORMAT_VERSION

    l3: float = 0.6
    l2: float = 0.3
    l1: float = 0.1

    def logp(self, a: str, b: str, c: str) -> float:
        """log P(c | a b)."""
        uni, bi = self.uni, self.bi
        p = self.l1 * (uni.get(c, 0) + 0.5) / self.total
        nb = uni.get(b)
        if nb:
            p += self.l2 * bi.get(b + c, 0) / nb
            nab = bi.get(a + b)
            if nab:
                p += self.l3 * self.tri.get(a + b + c, 0) / nab
        return math.log(p)

    def window(self, text: str, i: int, char: str) -> float:
        """log-probability of the three trigrams that contain position i when it holds `char`."""
        l2 = text[i - 2] if i >= 2 else BOUNDARY
        l1 = text[i - 1] if i >= 1 else BOUNDARY
        r1 = text[i + 1] if i + 1 < len(text) else BOUNDARY
        r2 = text[i + 2] if i + 2 < len(text) else BOUNDARY
        return self.logp(l2, l1, char) + self.logp(l1, char, r1) + self.logp(char, r1, r2)

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        data = {"version": self.version, "uni": self.uni, "bi": self.bi, "tri": self.tri, "total": self.total,
                "confusions": self.confusions, "words": self.words}
        tmp = path.with_suffix(".tmp")
        with gzip.open(tmp, "wb", compresslevel=1) as fh:
            pickle.dump(data, fh, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(path)

    @classmethod
    def load(cls, path: Path) -> CharLM:
        # The file is one this platform wrote itself (build command), never user input.
        with gzip.open(path, "rb") as fh:
            data = pickle.load(fh)  # noqa: S301
        if data.get("version") != FORMAT_VERSION:
            raise ValueError(f"{path}: model format {data.get('version')} != {FORMAT_VERSION}; rebuild it")
        return cls(uni=data["uni"], bi=data["bi"], tri=data["tri"], total=data["total"],
                   confusions=data["confusions"], words=data.get("words", {}))


def count_ngrams(texts: Iterable[str], min_count: int = 2) -> tuple[dict, dict, dict, int]:
    uni: Counter[str] = Counter()
    bi: Counter[str] = Counter()
    tri: Counter[str] = Counter()
    for raw in texts:
        text = BOUNDARY + normalise(raw) + BOUNDARY
        uni.update(text)
        bi.update(map(str.__add__, text, text[1:]))
        tri.update(a + b + c for a, b, c in zip(text, text[1:], text[2:], strict=False))
    total = sum(uni.values())
    bi_kept = {k: v for k, v in bi.items() if v >= min_count}
    tri_kept = {k: v for k, v in tri.items() if v >= min_count}
    return dict(uni), bi_kept, tri_kept, total


def _char_similar_data(name: str) -> dict[str, str]:
    spec = importlib.util.find_spec("char_similar")
    if spec is None or not spec.submodule_search_locations:
        return {}
    path = Path(next(iter(spec.submodule_search_locations))) / "data" / name
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def build_confusions(vocabulary: dict[str, int], min_count: int = 30) -> dict[str, str]:
    """Similar-sound and similar-shape candidates for each common character, from readings and strokes."""
    from pypinyin import Style, pinyin

    common = [c for c, n in vocabulary.items() if n >= min_count and _CJK.match(c)]
    common_set = set(common)
    by_reading: dict[str, set[str]] = {}
    readings: dict[str, list[str]] = {}
    for char in common:
        readings[char] = pinyin(char, style=Style.NORMAL, heteronym=True)[0]
        for r in readings[char]:
            by_reading.setdefault(r, set()).add(char)
    confusions: dict[str, set[str]] = {c: set() for c in common}
    for char in common:
        for r in readings[char]:
            confusions[char] |= by_reading[r]
    # Shape: stroke orders equal up to one stroke, or one contained in the other at either end
    # (a component added or dropped: 贝/员, 去/法, 言/信, 也/地, 木/术).
    strokes = {c: s for c, s in _char_similar_data("char_order.dict").items() if c in common_set and s}
    by_stroke: dict[str, set[str]] = {}
    deletions: dict[str, set[str]] = {}
    for char, s in strokes.items():
        by_stroke.setdefault(s, set()).add(char)
        for k in range(len(s)):
            deletions.setdefault(s[:k] + s[k + 1:], set()).add(char)
    for char, s in strokes.items():
        similar: set[str] = set(by_stroke.get(s, ()))
        similar |= deletions.get(s, set())  # one stroke more
        for k in range(len(s)):
            similar |= deletions.get(s[:k] + s[k + 1:], set())  # one stroke different
        if len(s) >= 3:
            for cut in range(1, 4):  # a component of up to three strokes at the start or the end
                if len(s) - cut >= 3:
                    similar |= by_stroke.get(s[cut:], set()) | by_stroke.get(s[:-cut], set())
        for other in similar:
            confusions[char].add(other)
            confusions.setdefault(other, set()).add(char)
    for a, b in CURATED_PAIRS:
        if a in common_set and b in common_set:
            confusions[a].add(b)
            confusions[b].add(a)
    return {c: "".join(sorted(s - {c})) for c, s in confusions.items() if s - {c}}


def lexicon_words(min_freq: int = 3) -> dict[str, int]:
    """Words of two to four characters from jieba's dictionary (a pinned package), with frequencies."""
    spec = importlib.util.find_spec("jieba")
    if spec is None or not spec.submodule_search_locations:
        return {}
    path = Path(next(iter(spec.submodule_search_locations))) / "dict.txt"
    words: dict[str, int] = {}
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            parts = line.split()
            if len(parts) >= 2 and 2 <= len(parts[0]) <= 4 and int(parts[1]) >= min_freq and _CJK.match(parts[0]):
                words[parts[0]] = int(parts[1])
    return words


def build(*, shared_dir: Path, limit_chars: int | None = None, min_count: int = 2) -> CharLM:
    uni, bi, tri, total = count_ngrams(corpus_texts(shared_dir, limit_chars), min_count=min_count)
    return CharLM(uni=uni, bi=bi, tri=tri, total=total, confusions=build_confusions(uni), words=lexicon_words())
