"""Search backends: the full-text half of the index, per database.

Both receive the same pre-analysed fields (`IndexedText`) and answer the same `match` question, so
that filters, facets, visibility and paging — written once in `gongkai.search.selectors` as plain
SQL over the `SearchEntry` table — behave identically on SQLite and PostgreSQL.
"""

from __future__ import annotations

from django.db import connection

from .base import Backend, IndexedText, MatchQuery


def get_backend(using_connection=None) -> Backend:
    conn = using_connection or connection
    if conn.vendor == "postgresql":
        from .postgres import PostgresBackend

        return PostgresBackend()
    if conn.vendor == "sqlite":
        from .sqlite import SqliteBackend

        return SqliteBackend()
    raise NotImplementedError(f"no search backend for {conn.vendor}")


def create_full_text_schema(apps, schema_editor) -> None:
    """Migration step: create the FTS5 table (SQLite) or the tsvector column and GIN index (PostgreSQL)."""
    for statement in get_backend(schema_editor.connection).schema_sql():
        schema_editor.execute(statement)


def drop_full_text_schema(apps, schema_editor) -> None:
    for statement in get_backend(schema_editor.connection).drop_sql():
        schema_editor.execute(statement)


def create_scale_schema(apps, schema_editor) -> None:
    """Migration step: what searching a large library needs (SQLite: an fts5vocab table for document
    frequencies; PostgreSQL: suggestion keys indexed in byte order)."""
    for statement in get_backend(schema_editor.connection).scale_schema_sql():
        schema_editor.execute(statement)


def drop_scale_schema(apps, schema_editor) -> None:
    for statement in get_backend(schema_editor.connection).scale_drop_sql():
        schema_editor.execute(statement)


def create_rank_schema(apps, schema_editor) -> None:
    """Migration step: an index that orders matches by rank, where the database offers one (PostgreSQL
    with the RUM extension); nothing elsewhere."""
    backend = get_backend(schema_editor.connection)
    if hasattr(backend, "create_rank_index"):
        backend.create_rank_index(schema_editor.connection)


def drop_rank_schema(apps, schema_editor) -> None:
    backend = get_backend(schema_editor.connection)
    if hasattr(backend, "drop_rank_index"):
        backend.drop_rank_index(schema_editor.connection)


__all__ = ["Backend", "IndexedText", "MatchQuery", "get_backend", "create_full_text_schema", "drop_full_text_schema",
           "create_scale_schema", "drop_scale_schema", "create_rank_schema", "drop_rank_schema"]
