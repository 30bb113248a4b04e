from __future__ import annotations

from dataclasses import dataclass, field

# Field weights: title above 发文字号/发文机关 above body.
WEIGHT_TITLE = 10.0
WEIGHT_META = 4.0
WEIGHT_BODY = 1.0


@dataclass
class IndexedText:
    """A document's text after analysis: lists of terms per field (the same on both backends)."""

    document_id: int
    title: list[str]
    meta: list[str]
    body: list[str]


@dataclass
class MatchQuery:
    """What to match: optional words (OR), required phrases (each a word sequence), and an optional
    phrase of all the words in order. `chars` are not matched by the engines: the selectors use them
    to reorder the best candidates (see selectors.RERANK_DEPTH)."""

    terms: list[str] = field(default_factory=list)
    phrases: list[list[str]] = field(default_factory=list)
    chars: list[str] = field(default_factory=list)
    sequence: list[str] = field(default_factory=list)  # optional phrase: the query's words in order

    def __bool__(self) -> bool:
        return bool(self.terms or self.phrases)


class Backend:
    vendor = ""

    def schema_sql(self) -> list[str]:
        raise NotImplementedError

    def drop_sql(self) -> list[str]:
        raise NotImplementedError

    def write(self, cursor, items: list[IndexedText]) -> None:
        """Replace the full-text rows of these documents (their SearchEntry rows exist)."""
        raise NotImplementedError

    def delete(self, cursor, document_ids: list[int]) -> None:
        raise NotImplementedError

    def clear(self, cursor) -> None:
        raise NotImplementedError

    def match_sql(self, query: MatchQuery) -> tuple[str, list]:
        """SQL selecting (id, s) of matching documents, s a relevance score (higher is better)."""
        raise NotImplementedError

    def score_sql(self, query: MatchQuery, document_ids: list[int]) -> tuple[str, list]:
        """SQL selecting (id, s) for these documents only (those that match `query`)."""
        raise NotImplementedError
