"""SQLite FTS5: pre-segmented terms, space-joined, in an FTS5 table with four columns; `bm25()` with
column weights ranks. The `unicode61` tokenizer only splits on the spaces we put (and on symbols,
identically on both sides), so the segmentation is ours, not SQLite's."""

from __future__ import annotations

from .base import WEIGHT_BODY, WEIGHT_CHARS, WEIGHT_META, WEIGHT_TITLE, Backend, IndexedText, MatchQuery

TABLE = "search_fts"


def fts_quote(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


class SqliteBackend(Backend):
    vendor = "sqlite"

    def schema_sql(self) -> list[str]:
        return [
            f"CREATE VIRTUAL TABLE {TABLE} USING fts5(title, meta, body, chars, tokenize='unicode61 remove_diacritics 0')"
        ]

    def drop_sql(self) -> list[str]:
        return [f"DROP TABLE IF EXISTS {TABLE}"]

    def write(self, cursor, items: list[IndexedText]) -> None:
        self.delete(cursor, [item.document_id for item in items])
        cursor.executemany(
            f"INSERT INTO {TABLE}(rowid, title, meta, body, chars) VALUES (%s, %s, %s, %s, %s)",
            [(i.document_id, " ".join(i.title), " ".join(i.meta), " ".join(i.body), " ".join(i.chars)) for i in items],
        )

    def delete(self, cursor, document_ids: list[int]) -> None:
        if document_ids:
            marks = ", ".join(["%s"] * len(document_ids))
            cursor.execute(f"DELETE FROM {TABLE} WHERE rowid IN ({marks})", document_ids)

    def clear(self, cursor) -> None:
        cursor.execute(f"DELETE FROM {TABLE}")

    @staticmethod
    def expression(query: MatchQuery) -> str:
        words = "{title meta body}"
        phrases = [f"{words} : {fts_quote(' '.join(p))}" for p in query.phrases if p]
        optional = [f"{words} : {fts_quote(t)}" for t in query.terms]
        if query.sequence:
            optional.append(f"{words} : {fts_quote(' '.join(query.sequence))}")
        optional += [f"chars : {fts_quote(c)}" for c in query.chars]
        if phrases:
            # Every phrase is required; the optional terms still count in the ranking.
            return " AND ".join(phrases) + " AND (" + " OR ".join([*phrases, *optional]) + ")"
        return " OR ".join(optional)

    def match_sql(self, query: MatchQuery) -> tuple[str, list]:
        return (
            f"SELECT rowid AS id, -bm25({TABLE}, {WEIGHT_TITLE}, {WEIGHT_META}, {WEIGHT_BODY}, {WEIGHT_CHARS}) AS s "
            f"FROM {TABLE} WHERE {TABLE} MATCH %s",
            [self.expression(query)],
        )
