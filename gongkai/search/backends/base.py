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
    # Quoted text inside a longer question: optional phrases (they rank higher, select nothing alone).
    optional_phrases: list[list[str]] = field(default_factory=list)
    # Terms so frequent in the library that they only count in the ranking (selectors.common_terms):
    # a document must hold one of the other terms, or all of these when every term is common.
    common: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.terms or self.phrases)

    @property
    def sequences(self) -> list[list[str]]:
        """The optional phrases: the word sequence, then quoted text that is not required."""
        return [p for p in (self.sequence, *self.optional_phrases) if len(p) > 1]

    @property
    def rare(self) -> list[str]:
        return [t for t in self.terms if t not in self.common]

    @property
    def split(self) -> bool:
        """Whether the common-terms rule applies (it never does with a required phrase)."""
        return bool(self.common) and not self.phrases


class Backend:
    vendor = ""
    # The SearchEntry column that holds a document's full text (PostgreSQL's tsvector), written in the
    # entry's own INSERT from `rows` ((document id, value) pairs, value cast by `entry_value_sql`);
    # None: the full text lives in a table of its own, written by `insert` / `write` (SQLite's FTS5).
    entry_column: str | None = None
    entry_value_sql = "%s"

    def schema_sql(self) -> list[str]:
        raise NotImplementedError

    def drop_sql(self) -> list[str]:
        raise NotImplementedError

    def rows(self, items: list[IndexedText]) -> list[tuple]:
        """The stored form of analysed texts, as `write`/`insert` (or the entry's INSERT, see
        `entry_column`) take it: plain strings, so that a rebuild's worker process can build them and
        hand them over cheaply."""
        raise NotImplementedError

    def write(self, cursor, rows: list[tuple]) -> None:
        """Replace the full-text rows of these documents (their SearchEntry rows exist; not called
        when `entry_column` is set)."""
        raise NotImplementedError

    def insert(self, cursor, rows: list[tuple]) -> None:
        """Write the full-text rows of documents the index does not hold yet (a rebuild)."""
        self.write(cursor, rows)

    def delete(self, cursor, document_ids: list[int]) -> None:
        raise NotImplementedError

    def clear(self, cursor) -> None:
        raise NotImplementedError

    def scale_schema_sql(self) -> list[str]:
        return []

    def scale_drop_sql(self) -> list[str]:
        return []

    def match_sql(self, query: MatchQuery) -> tuple[str, list]:
        """SQL selecting (id, s) of every document matching the words of `query` (all optional),
        s a relevance score (higher is better). Used by the benchmarks as the bare engine."""
        raise NotImplementedError

    def matched_ids(self, cursor, query: MatchQuery) -> list[int]:
        """Ids of the documents `query` matches (the common-terms rule applied), unordered."""
        raise NotImplementedError

    def ranked(self, cursor, query: MatchQuery, limit: int) -> list[tuple[int, float]]:
        """The `limit` best (id, score) of the matching documents, best first (fewer: all of them)."""
        raise NotImplementedError

    def scores(self, cursor, query: MatchQuery, document_ids: list[int]) -> dict[int, float]:
        """Scores of these documents (those among them that `query` matches)."""
        raise NotImplementedError

    def document_frequencies(self, cursor, terms: list[str], *, above: float = 0,
                             size: int | None = None) -> dict[str, int]:
        """How many indexed documents hold each term (in any field). `above`: only whether a count
        exceeds it matters, so a backend may estimate counts far from it (PostgreSQL does, from the
        share of a library of `size` documents)."""
        raise NotImplementedError

    def count_upto(self, cursor, query: MatchQuery, limit: int) -> int:
        """How many documents `query` matches, counted up to `limit` (the index stops there)."""
        raise NotImplementedError

    def rebuilt(self, cursor) -> None:
        """After a full rebuild (e.g. refresh the planner's statistics)."""
