"""A small character trigram language model of official prose, and the confusion sets it ranks.

The model is built from the real corpora in ``settings.SHARED_DIR/data`` (laws and government work
reports, Q&A answers, replies to messages, the seed documents) by ``gongkai compliance_build_lm`` and stored in ``settings.COMPLIANCE_LM_PATH``; nothing of
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

FORMAT_VERSION = 4
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


# The official prose the model learns from, in ``shared_dir``: (file, field) of JSON Lines (gzip or not).
# Laws and government work reports; the government Q&A base's answers and the replies to citizens'
# messages are official writing of the same offices (with them, on half A of the development file,
# sentence precision and recall both rose at every threshold of the sweep and false alarms on held-out
# work reports fell by about 5%: bench/check_quality.py --false-alarms).
CORPORA = (("data/laws.jsonl.gz", "body"), ("data/gov_work_reports.jsonl.gz", "content"),
           ("data/qa_dev.jsonl", "answer"), ("data/messages_with_replies.jsonl", "答复意见"))


def corpus_texts(shared_dir: Path, limit_chars: int | None = None, *, keep=None) -> Iterator[str]:
    """The official prose the model learns from (CORPORA, then the seed documents ``seeds/*.txt``).

    ``keep(name, index)`` may leave texts out (the bench holds some out to count false alarms)."""
    seen = 0

    def sources():
        for name, key in CORPORA:
            path = shared_dir / name
            if not path.exists():
                continue
            opener = gzip.open if name.endswith(".gz") else open
            with opener(path, "rt", encoding="utf-8") as fh:
                for index, line in enumerate(fh):
                    yield name, index, json.loads(line).get(key) or ""
        for index, path in enumerate(sorted((shared_dir / "seeds").glob("*.txt"))):
            yield "seeds", index, path.read_text(encoding="utf-8")

    for name, index, text in sources():
        if keep is not None and not keep(name, index):
            continue
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
    # The subset of each confusion set that shares a reading (the rest is similar in shape only).
    same_sound: dict[str, str] = field(default_factory=dict)
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
                "confusions": self.confusions, "same_sound": self.same_sound, "words": self.words}
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
                   confusions=data["confusions"], same_sound=data["same_sound"], words=data["words"])


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


def build_confusions(vocabulary: dict[str, int], min_count: int = 30) -> tuple[dict[str, str], dict[str, str]]:
    """Similar-sound and similar-shape candidates for every character, among the common characters of
    official prose (seen at least `min_count` times); and, apart, the similar-sound ones. Rare or
    unseen characters get candidates too: a wrong character is often a rare one (菓家 for 国家)."""
    from pypinyin import Style, pinyin

    common = {c for c, n in vocabulary.items() if n >= min_count and _CJK.match(c)}
    strokes = {c: s for c, s in _char_similar_data("char_order.dict").items() if _CJK.match(c) and s}
    everyone = sorted(common | {c for c in vocabulary if _CJK.match(c)} | set(strokes))
    readings = {c: pinyin(c, style=Style.NORMAL, heteronym=True)[0] for c in everyone}
    by_reading: dict[str, set[str]] = {}
    for char in common:
        for r in readings[char]:
            by_reading.setdefault(r, set()).add(char)
    sound: dict[str, set[str]] = {}
    for char in everyone:
        found = set().union(*(by_reading.get(r, set()) for r in readings[char])) - {char}
        if found:
            sound[char] = found
    # Shape: stroke orders equal up to one stroke, or one contained in the other at either end
    # (a component added or dropped: 贝/员, 去/法, 言/信, 也/地, 木/术).
    by_stroke: dict[str, set[str]] = {}
    deletions: dict[str, set[str]] = {}
    for char in common:
        s = strokes.get(char)
        if not s:
            continue
        by_stroke.setdefault(s, set()).add(char)
        for k in range(len(s)):
            deletions.setdefault(s[:k] + s[k + 1:], set()).add(char)
    shape: dict[str, set[str]] = {}
    for char, s in strokes.items():
        similar: set[str] = set(by_stroke.get(s, ()))
        similar |= deletions.get(s, set())  # one stroke more
        for k in range(len(s)):
            variant = s[:k] + s[k + 1:]
            similar |= deletions.get(variant, set()) | by_stroke.get(variant, set())  # one stroke different/less
        if len(s) >= 3:
            for cut in range(1, 4):  # a component of up to three strokes at the start or the end
                if len(s) - cut >= 3:
                    similar |= by_stroke.get(s[cut:], set()) | by_stroke.get(s[:-cut], set())
        for other in similar - {char}:
            shape.setdefault(char, set()).add(other)
            if other in common and char in common:
                shape.setdefault(other, set()).add(char)
    for a, b in CURATED_PAIRS:
        if a in common and b in common:
            sound.setdefault(a, set()).add(b)
            sound.setdefault(b, set()).add(a)
    confusions = {c: "".join(sorted(sound.get(c, set()) | shape.get(c, set()))) for c in set(sound) | set(shape)}
    same_sound = {c: "".join(sorted(s)) for c, s in sound.items()}
    return confusions, same_sound


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


def build(*, shared_dir: Path, limit_chars: int | None = None, min_count: int = 2, keep=None) -> CharLM:
    uni, bi, tri, total = count_ngrams(corpus_texts(shared_dir, limit_chars, keep=keep), min_count=min_count)
    confusions, same_sound = build_confusions(uni)
    return CharLM(uni=uni, bi=bi, tri=tri, total=total, confusions=confusions, same_sound=same_sound,
                  words=lexicon_words())
