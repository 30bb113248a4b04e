"""How alike two requests are: cosine similarity of character bigram counts.

Requests are short Chinese texts (“请公开2025年本局行政事业性收费项目清单”), so a segmenter adds little
and character n-grams are robust to wording order and to typos. The text is normalised first (NFKC:
full-width → half-width, lower case, punctuation and spaces dropped) and request boilerplate that every
application shares (“申请公开”, “政府信息”, “贵单位”…) is removed, so it does not make unrelated
requests look alike. Cosine of the bigram count vectors lies in [0, 1].

Thresholds (measured on the examples in tests/applications/test_letters_unified.py):
* `UNIFIED_THRESHOLD` 0.75 — "the same information": identical requests score 1.0; the same request
  re-worded or with another year usually scores 0.75-0.95; different information of the same
  organisation stays below 0.5.
* `CLUSTER_THRESHOLD` 0.6 — "similar requests" for the proactive-disclosure clusters.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter

UNIFIED_THRESHOLD = 0.75
CLUSTER_THRESHOLD = 0.6

BOILERPLATE = (
    "依申请公开", "申请公开", "请求公开", "要求公开", "请公开", "予以公开", "政府信息", "相关信息", "有关信息",
    "信息公开", "本人申请", "我申请", "申请人", "贵单位", "贵机关", "贵局", "贵委", "贵办", "本机关", "本局",
    "相关文件", "请提供", "提供", "获取", "查阅", "申请", "公开",
)
_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "").lower()
    text = _NON_WORD.sub("", text)
    for phrase in BOILERPLATE:
        text = text.replace(phrase, "")
    return text


def bigrams(text: str) -> Counter[str]:
    text = normalise(text)
    if len(text) < 2:
        return Counter([text]) if text else Counter()
    return Counter(text[i : i + 2] for i in range(len(text) - 1))


def cosine(a: Counter[str], b: Counter[str]) -> float:
    if not a or not b:
        return 0.0
    if len(a) > len(b):
        a, b = b, a
    dot = sum(n * b.get(g, 0) for g, n in a.items())
    if not dot:
        return 0.0
    return dot / (math.sqrt(sum(n * n for n in a.values())) * math.sqrt(sum(n * n for n in b.values())))


def request_text(*, info_title: str, description: str) -> str:
    """The text compared: the name/文号 of the information sought and its description."""
    return f"{info_title or ''} {description or ''}"


def similarity(a: str, b: str) -> float:
    return cosine(bigrams(a), bigrams(b))
