"""SQLite FTS5: pre-segmented terms, space-joined, in an FTS5 table with three columns (title,
发文字号/发文机关, body); `bm25()` with column weights ranks. The `unicode61` tokenizer only splits on
the spaces we put (and on symbols, identically on both sides), so the segmentation is ours."""

from __future__ import annotations

from .base import WEIGHT_BODY, WEIGHT_META, WEIGHT_TITLE, Backend, IndexedText, MatchQuery

TABLE = "search_fts"


def fts_quote(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


class SqliteBackend(Backend):
    vendor = "sqlite"

    def schema_sql(self) -> list[str]:
        return [f"CREATE VIRTUAL TABLE {TABLE} USING fts5(title, meta, body, tokenize='unicode61 remove_diacritics 0')"]

    def drop_sql(self) -> list[str]:
        return [f"DROP TABLE IF EXISTS {TABLE}"]

    def write(self, cursor, items: list[IndexedText]) -> None:
        self.delete(cursor, [item.document_id for item in items])
        cursor.executemany(
            f"INSERT INTO {TABLE}(rowid, title, meta, body) VALUES (%s, %s, %s, %s)",
            [(i.document_id, " ".join(i.title), " ".join(i.meta), " ".join(i.body)) for i in items],
        )

    def delete(self, cursor, document_ids: list[int]) -> None:
        if document_ids:
            marks = ", ".join(["%s"] * len(document_ids))
            cursor.execute(f"DELETE FROM {TABLE} WHERE rowid IN ({marks})", document_ids)

    def clear(self, cursor) -> None:
        cursor.execute(f"DELETE FROM {TABLE}")

    @staticmethod
    def expression(query: MatchQuery) -> str:
        phrases = [fts_quote(" ".join(p)) for p in query.phrases if p]
        optional = [fts_quote(t) for t in query.terms]
        if query.sequence:
            optional.append(fts_quote(" ".join(query.sequence)))
        if phrases:
            # Every phrase is required; the optional terms still count in the ranking.
            return " AND ".join(phrases) + " AND (" + " OR ".join([*phrases, *optional]) + ")"
        return " OR ".join(optional)

    def match_sql(self, query: MatchQuery) -> tuple[str, list]:
        return (
            f"SELECT rowid AS id, -bm25({TABLE}, {WEIGHT_TITLE}, {WEIGHT_META}, {WEIGHT_BODY}) AS s "
            f"FROM {TABLE} WHERE {TABLE} MATCH %s",
            [self.expression(query)],
        )
