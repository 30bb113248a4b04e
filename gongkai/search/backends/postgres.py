"""PostgreSQL full text: a `tsvector` column of the pre-segmented terms with weights A (title),
B (发文字号, 发文机关) and C (body), a GIN index, and `ts_rank` with field weights
and length normalisation. The tsvector is written literally ('term':pos + weight), so PostgreSQL's
own parser — which does not know Chinese — never re-tokenises our terms."""

from __future__ import annotations

import numpy as np

from .base import WEIGHT_BODY, WEIGHT_META, WEIGHT_TITLE, Backend, IndexedText, MatchQuery

TABLE = "search_searchentry"
MAX_POSITION = 16383
MAX_POSITIONS_PER_TERM = 256
# ts_rank's weight array is {D, C, B, A}, each in [0, 1]: scale ours so the title gets 1.0.
RANK_WEIGHTS = "{" + ", ".join(f"{w / WEIGHT_TITLE:.4f}" for w in (0.0, WEIGHT_BODY, WEIGHT_META, WEIGHT_TITLE)) + "}"


def lexeme(term: str) -> str:
    return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"


def tsvector_literal(item: IndexedText) -> str:
    positions: dict[str, list[str]] = {}
    pos = 0
    for weight, terms in (("A", item.title), ("B", item.meta), ("C", item.body)):
        pos += 1  # a gap between fields, so a phrase never spans two of them
        for term in terms:
            pos = min(pos + 1, MAX_POSITION)
            slots = positions.setdefault(term, [])
            if len(slots) < MAX_POSITIONS_PER_TERM:
                slots.append(f"{pos}{weight}")
    return " ".join(f"{lexeme(term)}:{','.join(slots)}" for term, slots in positions.items())


def tsquery_literal(query: MatchQuery) -> str:
    phrases = ["(" + " <-> ".join(f"{lexeme(t)}:ABC" for t in p) + ")" for p in query.phrases if p]
    optional = [f"{lexeme(t)}:ABC" for t in query.terms]
    if query.sequence:
        optional.append("(" + " <-> ".join(f"{lexeme(t)}:ABC" for t in query.sequence) + ")")
    if phrases:
        return " & ".join(phrases) + " & (" + " | ".join([*phrases, *optional]) + ")"
    return " | ".join(optional)


def match_tsquery_literal(query: MatchQuery) -> str:
    """Which documents match: with the common-terms rule, one of the rare terms, or every term when all are common.
    (PostgreSQL ranks with a separate query, `tsquery_literal`, so nothing is counted twice.)"""
    if not query.split:
        return tsquery_literal(query)
    if query.rare:
        return " | ".join(f"{lexeme(t)}:ABC" for t in query.rare)
    return " & ".join(f"{lexeme(t)}:ABC" for t in query.common)


class PostgresBackend(Backend):
    vendor = "postgresql"

    def schema_sql(self) -> list[str]:
        return [
            f"ALTER TABLE {TABLE} ADD COLUMN vector tsvector",
            f"CREATE INDEX search_entry_vector ON {TABLE} USING gin (vector)",
            "CREATE INDEX search_suggestion_key_prefix ON search_searchsuggestion (key text_pattern_ops)",
        ]

    def scale_schema_sql(self) -> list[str]:
        # Suggestions walk their keys in byte order (selectors.search_suggest): an index in the "C" collation.
        return ["DROP INDEX IF EXISTS search_suggestion_key_prefix",
                'CREATE INDEX search_suggestion_key_c ON search_searchsuggestion (key COLLATE "C")']

    def scale_drop_sql(self) -> list[str]:
        return ["DROP INDEX IF EXISTS search_suggestion_key_c",
                "CREATE INDEX search_suggestion_key_prefix ON search_searchsuggestion (key text_pattern_ops)"]

    def drop_sql(self) -> list[str]:
        return [
            "DROP INDEX IF EXISTS search_suggestion_key_prefix",
            "DROP INDEX IF EXISTS search_entry_vector",
            f"ALTER TABLE {TABLE} DROP COLUMN IF EXISTS vector",
        ]

    def rows(self, items: list[IndexedText]) -> list[tuple]:
        return [(tsvector_literal(i), i.document_id) for i in items]

    def write(self, cursor, rows: list[tuple]) -> None:
        cursor.executemany(f"UPDATE {TABLE} SET vector = %s::tsvector WHERE document_id = %s", rows)

    def delete(self, cursor, document_ids: list[int]) -> None:
        pass  # the vector lives on the entry row, which the caller deletes

    def clear(self, cursor) -> None:
        cursor.execute(f"UPDATE {TABLE} SET vector = NULL")

    def match_sql(self, query: MatchQuery) -> tuple[str, list]:
        return (
            f"SELECT document_id AS id, ts_rank('{RANK_WEIGHTS}', vector, q, 1) AS s "
            f"FROM {TABLE}, CAST(%s AS tsquery) AS q WHERE vector @@ q",
            [tsquery_literal(query)],
        )

    def matched_ids(self, cursor, query: MatchQuery) -> np.ndarray:
        cursor.execute(f"SELECT string_agg(document_id::text, ',') FROM {TABLE} WHERE vector @@ CAST(%s AS tsquery)",
                       [match_tsquery_literal(query)])
        joined = cursor.fetchone()[0]
        return np.array(joined.split(","), dtype=np.int64) if joined else np.zeros(0, dtype=np.int64)

    def ranked(self, cursor, query: MatchQuery, limit: int) -> list[tuple[int, float]]:
        cursor.execute(
            f"SELECT document_id, ts_rank('{RANK_WEIGHTS}', vector, CAST(%s AS tsquery), 1) AS s FROM {TABLE} "
            "WHERE vector @@ CAST(%s AS tsquery) ORDER BY s DESC, document_id LIMIT %s",
            [tsquery_literal(query), match_tsquery_literal(query), limit],
        )
        return [(i, float(s)) for i, s in cursor.fetchall()]

    def scores(self, cursor, query: MatchQuery, document_ids: list[int]) -> dict[int, float]:
        if not document_ids:
            return {}
        cursor.execute(
            f"SELECT document_id, ts_rank('{RANK_WEIGHTS}', vector, CAST(%s AS tsquery), 1) FROM {TABLE} "
            "WHERE vector @@ CAST(%s AS tsquery) AND document_id = ANY(%s)",
            [tsquery_literal(query), match_tsquery_literal(query), list(document_ids)],
        )
        return {i: float(s) for i, s in cursor.fetchall()}

    def document_frequencies(self, cursor, terms: list[str]) -> dict[str, int]:
        if not terms:
            return {}
        one = f"SELECT CAST(%s AS text), count(*) FROM {TABLE} WHERE vector @@ CAST(%s AS tsquery)"
        cursor.execute(" UNION ALL ".join([one] * len(terms)), [p for t in terms for p in (t, lexeme(t))])
        return dict(cursor.fetchall())
