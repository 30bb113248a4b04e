"""SQLite FTS5: pre-segmented terms, space-joined, in an FTS5 table with three columns (title,
发文字号/发文机关, body); `bm25()` with column weights ranks. The `unicode61` tokenizer only splits on
the spaces we put (and on symbols, identically on both sides), so the segmentation is ours.

FTS5 matches and ranks with one expression, and `bm25()` scores every phrase written in it — a term
written twice counts twice. So the common-terms rule (a document must hold a rare term; common
terms only add to the score) is ranked as two disjoint expressions, `R AND (O)` and `R NOT (O)`
(R: the required terms, O: the optional ones), in which every term is written once: the scores are
exactly those of the plain all-optional expression, computed only for the documents R selects."""

from __future__ import annotations

import numpy as np

from .base import WEIGHT_BODY, WEIGHT_META, WEIGHT_TITLE, Backend, IndexedText, MatchQuery

TABLE = "search_fts"
VOCABULARY = "search_fts_vocab"
SCORE = f"-bm25({TABLE}, {WEIGHT_TITLE}, {WEIGHT_META}, {WEIGHT_BODY})"


def fts_quote(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def parse_ids(joined: str | None) -> np.ndarray:
    return np.array(joined.split(","), dtype=np.int64) if joined else np.zeros(0, dtype=np.int64)


class SqliteBackend(Backend):
    vendor = "sqlite"

    def schema_sql(self) -> list[str]:
        return [f"CREATE VIRTUAL TABLE {TABLE} USING fts5(title, meta, body, tokenize='unicode61 remove_diacritics 0')"]

    def drop_sql(self) -> list[str]:
        return [f"DROP TABLE IF EXISTS {TABLE}"]

    def scale_schema_sql(self) -> list[str]:
        return [f"CREATE VIRTUAL TABLE {VOCABULARY} USING fts5vocab({TABLE}, row)"]

    def scale_drop_sql(self) -> list[str]:
        return [f"DROP TABLE IF EXISTS {VOCABULARY}"]

    def rows(self, items: list[IndexedText]) -> list[tuple]:
        return [(i.document_id, " ".join(i.title), " ".join(i.meta), " ".join(i.body)) for i in items]

    def write(self, cursor, rows: list[tuple]) -> None:
        self.delete(cursor, [row[0] for row in rows])
        self.insert(cursor, rows)

    def insert(self, cursor, rows: list[tuple]) -> None:
        cursor.executemany(f"INSERT INTO {TABLE}(rowid, title, meta, body) VALUES (%s, %s, %s, %s)", rows)

    def delete(self, cursor, document_ids: list[int]) -> None:
        if document_ids:
            marks = ", ".join(["%s"] * len(document_ids))
            cursor.execute(f"DELETE FROM {TABLE} WHERE rowid IN ({marks})", document_ids)

    def clear(self, cursor) -> None:
        # A new table rather than DELETE: deleting every row leaves the FTS5 index full of delete markers
        # that every later insert merges with (a rebuild took half as long again, measured).
        for statement in [*self.drop_sql(), *self.schema_sql()]:
            cursor.execute(statement)

    @staticmethod
    def expression(query: MatchQuery) -> str:
        """Every word optional (ranked by how many and how well they match); phrases required."""
        phrases = [fts_quote(" ".join(p)) for p in query.phrases if p]
        optional = [fts_quote(t) for t in query.terms]
        optional += [fts_quote(" ".join(sequence)) for sequence in query.sequences]
        if phrases:
            # Every phrase is required; the optional terms still count in the ranking.
            return " AND ".join(phrases) + " AND (" + " OR ".join([*phrases, *optional]) + ")"
        return " OR ".join(optional)

    @classmethod
    def match_expression(cls, query: MatchQuery) -> str:
        """Which documents match: with the common-terms rule, one of the rare terms, or every term when all are common."""
        if not query.split:
            return cls.expression(query)
        if query.rare:
            return " OR ".join(fts_quote(t) for t in query.rare)
        return " AND ".join(fts_quote(t) for t in query.common)

    @classmethod
    def rank_expressions(cls, query: MatchQuery) -> list[str]:
        """Disjoint expressions that together select `match_expression` and score like `expression`."""
        required = cls.match_expression(query)
        if not query.split:
            return [required]
        optional = [fts_quote(t) for t in query.common] if query.rare else []
        optional += [fts_quote(" ".join(sequence)) for sequence in query.sequences]
        if not optional:
            return [required]
        either = " OR ".join(optional)
        return [f"({required}) AND ({either})", f"({required}) NOT ({either})"]

    def match_sql(self, query: MatchQuery) -> tuple[str, list]:
        return f"SELECT rowid AS id, {SCORE} AS s FROM {TABLE} WHERE {TABLE} MATCH %s", [self.expression(query)]

    def matched_ids(self, cursor, query: MatchQuery) -> np.ndarray:
        # One string instead of a row per document: fetching 30,000 rows costs more than matching them.
        cursor.execute(f"SELECT group_concat(rowid) FROM {TABLE} WHERE {TABLE} MATCH %s", [self.match_expression(query)])
        return parse_ids(cursor.fetchone()[0])

    def ranked(self, cursor, query: MatchQuery, limit: int) -> list[tuple[int, float]]:
        rows: list[tuple[int, float]] = []
        for expression in self.rank_expressions(query):
            cursor.execute(f"SELECT rowid, {SCORE} AS s FROM {TABLE} WHERE {TABLE} MATCH %s ORDER BY s DESC LIMIT %s",
                           [expression, limit])
            rows.extend(cursor.fetchall())
        rows.sort(key=lambda r: (-r[1], r[0]))
        return rows[:limit]

    def scores(self, cursor, query: MatchQuery, document_ids: list[int]) -> dict[int, float]:
        if not document_ids:
            return {}
        marks = ", ".join(["%s"] * len(document_ids))
        found: dict[int, float] = {}
        for expression in self.rank_expressions(query):
            cursor.execute(f"SELECT rowid, {SCORE} FROM {TABLE} WHERE {TABLE} MATCH %s AND rowid IN ({marks})",
                           [expression, *document_ids])
            found.update(cursor.fetchall())
        return found

    def count_upto(self, cursor, query: MatchQuery, limit: int) -> int:
        cursor.execute(f"SELECT count(*) FROM (SELECT 1 FROM {TABLE} WHERE {TABLE} MATCH %s LIMIT %s)",
                       [self.match_expression(query), limit])
        return cursor.fetchone()[0]

    def document_frequencies(self, cursor, terms: list[str], *, above: float = 0,
                             size: int | None = None) -> dict[str, int]:
        if not terms:
            return {}
        cursor.execute(f"SELECT term, doc FROM {VOCABULARY} WHERE term IN ({', '.join(['%s'] * len(terms))})", terms)
        return dict(cursor.fetchall())
