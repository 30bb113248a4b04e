"""The Q&A matcher: an in-memory two-field BM25 over the entries, cut by the shared analyzer.

Fields: the question with its alternative phrasings (weight `QUESTION_WEIGHT`) and the answer with the
department. Colloquial terms are mapped to official ones (`conf.SYNONYMS`) on both sides. The
abstention score is the best entry's score divided by what the query would score if every one of its
terms matched (unknown terms count with the highest idf), so it lies in [0, 1] whatever the base size.
Measured in bench/qa_quality.py, explained in docs/qa.md.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass

from gongkai import text

from . import conf

K1 = 1.2
B = 0.75
QUESTION_WEIGHT = 1.0
ANSWER_WEIGHT = 1.0


def terms(value: str) -> list[str]:
    out = text.words(value)
    extra = [conf.SYNONYMS[w] for w in out if w in conf.SYNONYMS]
    return out + extra


@dataclass
class _Field:
    postings: dict[str, list[tuple[int, int]]]
    lengths: list[int]
    avg: float


def _field(docs: list[list[str]]) -> _Field:
    postings: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for i, ws in enumerate(docs):
        for w, n in Counter(ws).items():
            postings[w].append((i, n))
    lengths = [len(ws) for ws in docs]
    return _Field(dict(postings), lengths, (sum(lengths) / len(lengths)) if lengths else 1.0)


class Index:
    """Built from (key, question_text, answer_text) records; `ask` returns [(key, score, relative)]."""

    def __init__(self, records: list[tuple]) -> None:
        self.keys = [r[0] for r in records]
        self.n = len(records)
        self.fields = [
            (QUESTION_WEIGHT, _field([terms(r[1]) for r in records])),
            (ANSWER_WEIGHT, _field([terms(r[2]) for r in records])),
        ]
        df: Counter = Counter()
        for _, f in self.fields:
            for w, p in f.postings.items():
                df[w] = max(df[w], len(p))
        self.idf = {w: math.log(1 + (self.n - d + 0.5) / (d + 0.5)) for w, d in df.items()}
        self.max_idf = math.log(1 + (self.n + 0.5) / 0.5) if self.n else 1.0

    def ask(self, question: str, limit: int = conf.MAX_ANSWERS) -> list[tuple]:
        qs = list(dict.fromkeys(terms(question)))
        if not qs or not self.n:
            return []
        scores: dict[int, float] = defaultdict(float)
        for weight, f in self.fields:
            if not f.avg:
                continue
            for w in qs:
                idf = self.idf.get(w)
                if idf is None or w not in f.postings:
                    continue
                for i, tf in f.postings[w]:
                    norm = 1 - B + B * f.lengths[i] / f.avg
                    scores[i] += weight * idf * tf * (K1 + 1) / (tf + K1 * norm)
        ceiling = sum(self.idf.get(w, self.max_idf) for w in qs) * sum(w for w, _ in self.fields)
        best = sorted(scores.items(), key=lambda kv: -kv[1])[:limit]
        return [(self.keys[i], s, min(1.0, s / ceiling)) for i, s in best]
