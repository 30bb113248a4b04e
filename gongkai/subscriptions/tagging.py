"""Whom a document concerns: tags suggested from its text, for the publisher to confirm.

Two parts, both over the shared analyzer (`gongkai.text`: the words of the text and the dictionary words
inside them, so 小微企业 also yields 企业):

- **keywords** (`keyword_tags`): a tag applies when one of its keywords (conf.TAGS) is among the words.
  Applied to a title, subject words and summary they are precise; applied to a whole body they fire on
  every passing mention.
- **a classifier** (`Tagger`): one-vs-rest multinomial naive Bayes over the words of the body, with a
  threshold per tag tuned on a development split. It is trained on the library's documents whose tags a
  publisher confirmed, and, where those are few, on the weak labels the keywords give their titles
  (`gongkai subscriptions_train_tagger`). `bench/subscriptions_tagging.py` measures it on a held-out split.
"""

from __future__ import annotations

import gzip
import json
import math
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from django.conf import settings

from gongkai import text

from . import conf

BODY_CHARS = 4000  # the classifier reads the first characters of a body (where the scope is stated)
MIN_DOCUMENT_FREQUENCY = 3
MIN_POSITIVES = 5  # a tag with fewer training examples gets no model (keywords only)


def text_terms(value: str) -> list[str]:
    """The words of a text and the dictionary words inside the long ones (the search's index terms)."""
    found = text.words(value or "")
    return found + text.parts(found)


# A keyword is cut by the analyzer as the text is; it matches where its words occur in a row (小微企业 is
# cut 小微/企业, and must be found as those two words in a row, not as 企业 anywhere).
_KEYWORD_INDEX: dict[str, list[tuple[tuple[str, ...], str]]] = {}


def _keyword_index() -> dict[str, list[tuple[tuple[str, ...], str]]]:
    if not _KEYWORD_INDEX:
        for tag in conf.TAGS:
            for keyword in tag.keywords:
                cut = tuple(text.words(keyword)) or (text.normalise(keyword),)
                _KEYWORD_INDEX.setdefault(cut[0], []).append((cut, tag.key))
    return _KEYWORD_INDEX


def keyword_tags(terms: list[str]) -> set[str]:
    """The tags whose keywords occur among `terms` (from `text_terms`, in text order)."""
    index = _keyword_index()
    found: set[str] = set()
    for i, term in enumerate(terms):
        for cut, key in index.get(term, ()):
            if key not in found and (len(cut) == 1 or tuple(terms[i:i + len(cut)]) == cut):
                found.add(key)
    return found


_AUDIENCE_INDEX = {text.normalise(kw): audience for audience, kws in conf.AUDIENCE_KEYWORDS.items() for kw in kws}


def keyword_audiences(terms: Iterable[str], tags: Iterable[str] = ()) -> set[str]:
    found = {_AUDIENCE_INDEX[t] for t in set(terms) if t in _AUDIENCE_INDEX}
    for key in tags:
        dimension = key.partition(":")[0]
        found.add("person" if dimension in conf.PERSON_DIMENSIONS else "legal_person")
    return found


class Tagger:
    """One-vs-rest multinomial naive Bayes over word counts, a threshold per tag."""

    def __init__(self, *, vocabulary: dict[str, int] | None = None, weights: dict[str, list[float]] | None = None,
                 bias: dict[str, float] | None = None, thresholds: dict[str, float] | None = None):
        self.vocabulary = vocabulary or {}
        self.weights = weights or {}
        self.bias = bias or {}
        self.thresholds = thresholds or {}

    # -- training ---------------------------------------------------------------------------------------
    @classmethod
    def fit(cls, examples: list[tuple[list[str], set[str]]], *, alpha: float = 0.5) -> Tagger:
        document_frequency: Counter = Counter()
        for terms, _labels in examples:
            document_frequency.update(set(terms))
        vocabulary = {w: i for i, w in enumerate(sorted(w for w, n in document_frequency.items()
                                                        if n >= MIN_DOCUMENT_FREQUENCY))}
        size = len(vocabulary)
        total = [0.0] * size
        vectors = []
        for terms, labels in examples:
            counts = Counter(vocabulary[t] for t in terms if t in vocabulary)
            vectors.append((counts, labels))
            for i, n in counts.items():
                total[i] += n
        all_total = sum(total)
        label_counts = Counter(label for _c, labels in vectors for label in labels)
        weights, bias = {}, {}
        for label, positives in label_counts.items():
            if positives < MIN_POSITIVES:
                continue
            pos = [0.0] * size
            for counts, labels in vectors:
                if label in labels:
                    for i, n in counts.items():
                        pos[i] += n
            pos_total = sum(pos)
            neg_total = all_total - pos_total
            weights[label] = [
                math.log((pos[i] + alpha) / (pos_total + alpha * size))
                - math.log((total[i] - pos[i] + alpha) / (neg_total + alpha * size))
                for i in range(size)
            ]
            bias[label] = math.log(positives / (len(examples) - positives + 1))
        return cls(vocabulary=vocabulary, weights=weights, bias=bias)

    def scores(self, terms: list[str]) -> dict[str, float]:
        """Per tag: the mean log-likelihood ratio of the known words (length-independent)."""
        counts = Counter(self.vocabulary[t] for t in terms if t in self.vocabulary)
        n = sum(counts.values())
        if not n:
            return {}
        return {label: sum(w[i] * c for i, c in counts.items()) / n for label, w in self.weights.items()}

    def tune(self, examples: list[tuple[list[str], set[str]]]) -> None:
        """Per tag, the threshold that maximises F1 on `examples` (a development split)."""
        scored = [(self.scores(terms), labels) for terms, labels in examples]
        for label in self.weights:
            pairs = sorted(((s.get(label, -99.0), label in labels) for s, labels in scored), reverse=True)
            positives = sum(1 for _s, p in pairs if p)
            best, best_threshold, tp = -1.0, max(s for s, _p in pairs) + 1 if pairs else 0.0, 0
            for k, (score, is_pos) in enumerate(pairs, start=1):
                tp += is_pos
                if positives and tp:
                    f1 = 2 * tp / (k + positives)
                    if f1 > best:
                        best, best_threshold = f1, score
            self.thresholds[label] = best_threshold

    def predict(self, terms: list[str]) -> dict[str, float]:
        """Tags whose score reaches their threshold, with the score."""
        return {label: round(score, 3) for label, score in self.scores(terms).items()
                if label in self.thresholds and score >= self.thresholds[label]}

    # -- storage ----------------------------------------------------------------------------------------
    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        data = {"vocabulary": list(self.vocabulary), "thresholds": self.thresholds, "bias": self.bias,
                "weights": {k: [round(x, 4) for x in v] for k, v in self.weights.items()}}
        tmp = path.with_suffix(".tmp")
        with gzip.open(tmp, "wt", encoding="utf-8") as fh:
            json.dump(data, fh, ensure_ascii=False)
        tmp.replace(path)

    @classmethod
    def load(cls, path: Path) -> Tagger:
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            data = json.load(fh)
        return cls(vocabulary={w: i for i, w in enumerate(data["vocabulary"])}, weights=data["weights"],
                   bias=data["bias"], thresholds=data["thresholds"])


def model_path() -> Path:
    return Path(settings.DATA_DIR) / "subscriptions" / "tagger.json.gz"


@lru_cache(maxsize=2)
def _model(path: str, mtime: float) -> Tagger:
    return Tagger.load(Path(path))


def model_get() -> Tagger | None:
    path = model_path()
    try:
        return _model(str(path), path.stat().st_mtime)
    except FileNotFoundError:
        return None


def suggest(*, title: str, body_text: str, summary: str = "", subject_words: str = "",
            model: Tagger | None = None) -> dict:
    """Suggested audiences and tags of a document: keywords of its title, subject words and summary, plus the
    classifier over its body. {"audiences": [...], "tags": [...], "scored": [[tag, score, why], ...]}."""
    head_terms = text_terms(" ".join([title, subject_words, summary]))
    found = {key: (1.0, "keyword") for key in keyword_tags(head_terms)}
    model = model if model is not None else model_get()
    body_terms = text_terms(body_text[:BODY_CHARS]) if body_text else []
    if model is not None and body_terms:
        for key, score in model.predict(head_terms + body_terms).items():
            found.setdefault(key, (score, "model"))
    tags = sorted(found, key=lambda k: list(conf.TAG_BY_KEY).index(k) if k in conf.TAG_BY_KEY else 999)
    audiences = keyword_audiences(head_terms + body_terms[:400], tags)
    return {"audiences": sorted(audiences), "tags": tags,
            "scored": [[k, found[k][0], found[k][1]] for k in tags]}
