"""The Q&A matcher: an in-memory BM25 over the entries, cut by the shared analyzer, in three fields.

Fields: the question with its alternative phrasings and the answer with the department, both in words
(`text.words`, colloquial terms mapped to official ones on both sides, `conf.SYNONYMS`), and the
character bigrams of both (`text.char_bigrams`, weight `BIGRAM_WEIGHT`), which bridge cuts that differ
between a question and its answer (暴雪天气 / 暴雪 天气). The abstention score is the best entry's score
divided by what the query would score if every one of its terms and bigrams matched in the question or
the answer (unknown ones count with the highest idf), so it lies in [0, 1] whatever the base size. Every component measured in
bench/qa_quality.py, explained in docs/qa.md (a dense LSA component and a learned abstention model were
measured and left out: they did not pay on the held-out split).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass

import numpy as np

from gongkai import text

from . import conf

K1 = 1.2
B = 0.75
QUESTION_WEIGHT = 1.0
ANSWER_WEIGHT = 1.0
# Tuned on the tune split of qa_dev (0, 0.3, 0.5, 1, 2 → MRR 0.749, 0.765, 0.768, 0.764, 0.756).
BIGRAM_WEIGHT = 0.5


def terms(value: str) -> list[str]:
    out = text.words(value)
    extra = [conf.SYNONYMS[w] for w in out if w in conf.SYNONYMS]
    return out + extra


def bigrams(value: str) -> list[str]:
    return text.char_bigrams(value)


def cosine(a: Counter, b: Counter) -> float:
    """Cosine of two bags of terms (near-duplicate entries, bench/qa_quality.py's near-duplicate column)."""
    dot = sum(n * b[w] for w, n in a.items() if w in b)
    norm = math.sqrt(sum(n * n for n in a.values()) * sum(n * n for n in b.values()))
    return dot / norm if norm else 0.0


@dataclass
class _Field:
    weight: float
    analyse: object
    # term → (entry positions, BM25 term weights tf·(k1+1)/(tf+k1·norm)), precomputed: a question costs one
    # vector add per term (p95 at 10,000 entries, bench/qa_quality.py).
    postings: dict[str, tuple[np.ndarray, np.ndarray]]
    avg: float
    idf: dict[str, float]
    max_idf: float


def _field(weight: float, analyse, docs: list[list[str]]) -> _Field:
    raw: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for i, ws in enumerate(docs):
        for w, n in Counter(ws).items():
            raw[w].append((i, n))
    lengths = [len(ws) for ws in docs]
    n = len(docs)
    avg = (sum(lengths) / n) if n else 0.0
    idf = {w: math.log(1 + (n - len(p) + 0.5) / (len(p) + 0.5)) for w, p in raw.items()}
    postings = {}
    for w, plist in raw.items():
        ids = np.fromiter((i for i, _ in plist), dtype=np.int32, count=len(plist))
        tf = np.fromiter((c for _, c in plist), dtype=np.float64, count=len(plist))
        norm = 1 - B + B * np.asarray([lengths[i] for i in ids], dtype=np.float64) / (avg or 1.0)
        postings[w] = (ids, tf * (K1 + 1) / (tf + K1 * norm))
    return _Field(weight, analyse, postings, avg, idf, math.log(1 + (n + 0.5) / 0.5) if n else 1.0)


class Index:
    """Built from (key, question_text, answer_text) records; `ask` returns [(key, score, relative)]."""

    def __init__(self, records: list[tuple]) -> None:
        self.keys = [r[0] for r in records]
        self.n = len(records)
        question_words = [terms(r[1]) for r in records]
        answer_words = [terms(r[2]) for r in records]
        # The two word fields share one idf (a term's rarity over the base, whichever field has it).
        self.fields = [
            _field(QUESTION_WEIGHT, terms, question_words),
            _field(ANSWER_WEIGHT, terms, answer_words),
            _field(BIGRAM_WEIGHT, bigrams, [bigrams(f"{r[1]} {r[2]}") for r in records]),
        ]
        shared = _field(1.0, terms, [q + a for q, a in zip(question_words, answer_words, strict=True)])
        for f in self.fields[:2]:
            f.idf, f.max_idf = shared.idf, shared.max_idf

    def ask(self, question: str, limit: int = conf.MAX_ANSWERS) -> list[tuple]:
        if not self.n:
            return []
        scores = np.zeros(self.n)
        analysed: dict[object, list[str]] = {}
        ceilings: dict[object, float] = {}
        for f in self.fields:
            qs = analysed.get(f.analyse)
            if qs is None:
                qs = analysed[f.analyse] = list(dict.fromkeys(f.analyse(question)))
            # The question and the answer field are alternatives: a query is fully matched by either, so
            # per analyser only the heaviest field counts (an exact question scores as high as an answer
            # that holds every term).
            top = f.weight * (K1 + 1) * sum(f.idf.get(w, f.max_idf) for w in qs) if f.avg else 0.0
            ceilings[f.analyse] = max(ceilings.get(f.analyse, 0.0), top)
            for w in qs:
                posting = f.postings.get(w)
                if posting is not None:
                    ids, weights = posting
                    scores[ids] += (f.weight * f.idf[w]) * weights
        ceiling = sum(ceilings.values())
        if not ceiling:
            return []
        k = min(limit, self.n)
        best = np.argpartition(-scores, k - 1)[:k] if k < self.n else np.arange(self.n)
        best = best[np.argsort(-scores[best], kind="stable")]
        return [(self.keys[i], float(scores[i]), min(1.0, float(scores[i]) / ceiling)) for i in best if scores[i] > 0]
