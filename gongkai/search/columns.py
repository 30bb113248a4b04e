"""The index's filter fields in memory, as numpy arrays: what visibility, filters, facets, boosts
and date order need, so that a query that matches most of the library costs array operations
instead of a join and six GROUP BYs over tens of thousands of rows.

`columns()` returns the snapshot, brought up to date first: one small query on `SearchChange` per
call; when the index was written since, only the entries of the newer changes are read again
(`SearchEntry.change_id`); after a full rebuild, a rollback that reused a change id (its token
differs), or on first use, everything is read. Index writers record their change in the same
transaction as their rows (`services.search_index_documents`), so what the snapshot holds is always
what has been committed — a withdrawn document leaves the public results with the next query.

Memory: about 60 bytes per document plus the 发文机关 pairs (100,000 documents ≈ 8 MB per process).
"""

from __future__ import annotations

import threading

import numpy as np
from django.db import connection

from .conf import RECENCY_BOOST, VALID_BOOST
from .models import SearchChange

CATEGORIES = ("genre", "validity", "topic", "subtopic")
# The per-document arrays besides ids and codes, with the value of a document not loaded yet.
_GROW_FILL = {"alive": False, "public": False, "organisation": 0, "year": 0, "published": 0, "boost": 1.0}
_lock = threading.Lock()


class Categories:
    """Text values of one field as small integer codes; code 0 is the empty value."""

    def __init__(self) -> None:
        self.values: list[str] = [""]
        self.codes: dict[str, int] = {"": 0}

    def code(self, value: str | None) -> int:
        value = value or ""
        code = self.codes.get(value)
        if code is None:
            code = self.codes[value] = len(self.values)
            self.values.append(value)
        return code

    def lookup(self, value: str) -> int:
        """The code of a value, or -1 when no document has it."""
        return self.codes.get(value, -1)


class Columns:
    def __init__(self) -> None:
        self.change_id = -1
        self.token = ""
        self.ids = np.zeros(0, dtype=np.int64)
        self.alive = np.zeros(0, dtype=bool)
        self.public = np.zeros(0, dtype=bool)
        self.organisation = np.zeros(0, dtype=np.int64)
        self.year = np.zeros(0, dtype=np.int32)  # 0: no year
        self.published = np.zeros(0, dtype=np.int64)  # microseconds since 1970; NO_DATE when unknown
        self.boost = np.zeros(0, dtype=np.float64)
        self.codes = {name: np.zeros(0, dtype=np.int32) for name in CATEGORIES}
        self.categories = {name: Categories() for name in CATEGORIES}
        self.issuers = Categories()
        # One (position, issuer code) pair per 发文机关 of a document (联合发文 have several); code -1: replaced.
        self.issuer_position = np.zeros(0, dtype=np.int64)
        self.issuer_code = np.zeros(0, dtype=np.int32)
        # The same for the 适用对象 tags (SearchTag: audience:person, stage:就业, industry:H …).
        self.tags = Categories()
        self.tag_position = np.zeros(0, dtype=np.int64)
        self.tag_code = np.zeros(0, dtype=np.int32)
        self._sorted: tuple[np.ndarray, np.ndarray] | None = None
        # Document frequencies of terms read for this snapshot (selectors.common_terms).
        self.frequencies: dict[str, int] = {}

    def __len__(self) -> int:
        return int(self.alive.sum())

    def positions(self, document_ids) -> np.ndarray:
        """Positions of these documents, aligned with them: -1 for an id the index does not hold."""
        ids = np.asarray(document_ids, dtype=np.int64)
        if self._sorted is None:
            order = np.argsort(self.ids, kind="stable")
            self._sorted = (self.ids[order], order)
        sorted_ids, order = self._sorted
        if not len(sorted_ids):
            return np.full(len(ids), -1, dtype=np.int64)
        at = np.minimum(np.searchsorted(sorted_ids, ids), len(sorted_ids) - 1)
        return np.where(sorted_ids[at] == ids, order[at], -1)

    def mask_of(self, document_ids) -> np.ndarray:
        positions = self.positions(document_ids)
        return self.mask(positions[positions >= 0])

    def mask(self, positions: np.ndarray) -> np.ndarray:
        selected = np.zeros(len(self.ids), dtype=bool)
        selected[positions] = True
        return selected

    def issuer_mask(self, name: str) -> np.ndarray:
        code = self.issuers.lookup(name)
        return self.mask(self.issuer_position[self.issuer_code == code]) if code >= 0 else self.mask(np.zeros(0, np.int64))

    def tag_mask(self, key: str) -> np.ndarray:
        code = self.tags.lookup(key)
        return self.mask(self.tag_position[self.tag_code == code]) if code >= 0 else self.mask(np.zeros(0, np.int64))

    def facets(self, selected: np.ndarray) -> dict[str, dict[str, int]]:
        """Counts per value of each facet over the selected positions."""
        out: dict[str, dict[str, int]] = {}
        for name, field in (("genre", "genre"), ("validity", "validity")):
            out[name] = _count(np.bincount(self.codes[field][selected]), self.categories[field].values)
        topics = _count(np.bincount(self.codes["topic"][selected]), self.categories["topic"].values)
        topics.update(_count(np.bincount(self.codes["subtopic"][selected]), self.categories["subtopic"].values))
        out["topic"] = topics
        years, counts = np.unique(self.year[selected], return_counts=True)
        out["year"] = {str(int(y)): int(c) for y, c in zip(years, counts, strict=True) if y}
        live = self.issuer_code >= 0
        chosen = selected[self.issuer_position[live]]
        out["issuer"] = _count(np.bincount(self.issuer_code[live][chosen]), self.issuers.values)
        live = self.tag_code >= 0
        chosen = selected[self.tag_position[live]]
        out["tag"] = _count(np.bincount(self.tag_code[live][chosen]), self.tags.values)
        return out

    # --- loading ------------------------------------------------------------------------------

    def _grow(self, new_ids: np.ndarray) -> None:
        """Room for documents the snapshot did not hold, at the end."""
        self.ids = np.concatenate([self.ids, new_ids])
        for name, fill in _GROW_FILL.items():
            old = getattr(self, name)
            setattr(self, name, np.concatenate([old, np.full(len(new_ids), fill, dtype=old.dtype)]))
        for name in CATEGORIES:
            self.codes[name] = np.concatenate([self.codes[name], np.zeros(len(new_ids), dtype=np.int32)])
        self._sorted = None

    def load(self, rows: list[tuple], issuer_rows: list[tuple], *, replace: bool, tag_rows: list[tuple] = ()) -> None:
        """rows: (document_id, is_public, organisation_id, genre, validity, year, topic, subtopic, published ISO, change_id)."""
        if replace:
            fresh = Columns()
            self.__dict__.update(fresh.__dict__)
        self._sorted = None
        self.frequencies = {}
        if not rows:
            return
        at = self.positions([r[0] for r in rows])
        new = at < 0
        if new.any():
            at[new] = np.arange(len(self.ids), len(self.ids) + int(new.sum()))
            self._grow(np.array([r[0] for r in rows], dtype=np.int64)[new])
        self.alive[at] = True
        self.public[at] = [bool(r[1]) for r in rows]
        self.organisation[at] = [r[2] for r in rows]
        for index, name in enumerate(CATEGORIES):
            column = (3, 4, 6, 7)[index]
            categories = self.categories[name]
            self.codes[name][at] = [categories.code(r[column]) for r in rows]
        years = np.array([r[5] or 0 for r in rows], dtype=np.int32)
        self.year[at] = years
        self.published[at] = np.array([r[8] or "NaT" for r in rows], dtype="datetime64[us]").astype(np.int64)
        self.boost[at] = _boost(self.codes["validity"][at] == self.categories["validity"].code("valid"), years)
        # 发文机关: drop the old pairs of these documents, add the new ones.
        if not replace and len(self.issuer_position):
            self.issuer_code[np.isin(self.issuer_position, at)] = -1
        if issuer_rows:
            self.issuer_position = np.concatenate([self.issuer_position, self.positions([e for e, _n in issuer_rows])])
            self.issuer_code = np.concatenate(
                [self.issuer_code, np.array([self.issuers.code(n) for _e, n in issuer_rows], dtype=np.int32)])
        # 适用对象 tags: the same.
        if not replace and len(self.tag_position):
            self.tag_code[np.isin(self.tag_position, at)] = -1
        if tag_rows:
            self.tag_position = np.concatenate([self.tag_position, self.positions([e for e, _k in tag_rows])])
            self.tag_code = np.concatenate(
                [self.tag_code, np.array([self.tags.code(k) for _e, k in tag_rows], dtype=np.int32)])


NO_DATE = np.iinfo(np.int64).min


def _boost(valid: np.ndarray, years: np.ndarray) -> np.ndarray:
    """conf.VALID_BOOST for valid documents, times up to 1 + conf.RECENCY_BOOST by year (2000 → 2030)."""
    recency = np.clip(years.astype(np.float64) - 2000.0, 0.0, 30.0)
    recency[years == 0] = 0.0
    return np.where(valid, VALID_BOOST, 1.0) * (1.0 + RECENCY_BOOST * recency / 30.0)


def _count(counts: np.ndarray, values: list[str]) -> dict[str, int]:
    return {values[code]: int(n) for code, n in enumerate(counts) if n and values[code]}


def _published_sql() -> str:
    if connection.vendor == "postgresql":
        return "to_char(published_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US')"
    return "CAST(published_at AS TEXT)"  # stored as UTC ISO text; the cast keeps Django's converter away


def _read(since: int | None) -> tuple[list[tuple], list[tuple], list[tuple]]:
    where = "" if since is None else " WHERE change_id > %s"
    params = [] if since is None else [since]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT document_id, is_public, organisation_id, genre, validity, year, topic, subtopic, "
            f"{_published_sql()}, change_id FROM search_searchentry{where}", params)
        rows = cursor.fetchall()
        if since is None:
            cursor.execute("SELECT entry_id, name FROM search_searchissuer")
        else:
            cursor.execute("SELECT i.entry_id, i.name FROM search_searchissuer i JOIN search_searchentry e "
                           "ON e.document_id = i.entry_id WHERE e.change_id > %s", params)
        issuer_rows = cursor.fetchall()
        if since is None:
            cursor.execute("SELECT entry_id, key FROM search_searchtag")
        else:
            cursor.execute("SELECT t.entry_id, t.key FROM search_searchtag t JOIN search_searchentry e "
                           "ON e.document_id = t.entry_id WHERE e.change_id > %s", params)
        return rows, issuer_rows, cursor.fetchall()


_columns = Columns()


def columns() -> Columns:
    """The columns of the index as committed now (see the module's description)."""
    global _columns
    current = _columns
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, token, rebuild FROM {SearchChange._meta.db_table} WHERE id >= %s ORDER BY id",
                       [max(current.change_id, 0)])
        changes = cursor.fetchall()
    if current.change_id == 0 and not changes:
        return current
    if current.change_id > 0 and len(changes) == 1 and changes[0][:2] == (current.change_id, current.token):
        return current
    with _lock:
        if current is not _columns:  # another thread refreshed meanwhile
            return _columns
        known = current.change_id > 0 and bool(changes) and changes[0][:2] == (current.change_id, current.token)
        newer = changes[1:] if known else changes
        fresh = Columns()
        if known and not any(rebuild for _i, _t, rebuild in newer):
            fresh.__dict__.update({k: v for k, v in current.__dict__.items()})
            fresh.categories = current.categories  # codes only ever grow: sharing is safe
            fresh.issuers = current.issuers
            fresh.tags = current.tags
            fresh.codes = dict(current.codes)
            rows, issuer_rows, tag_rows = _read(current.change_id)
            _copy_arrays(fresh)
            fresh.load(rows, issuer_rows, replace=False, tag_rows=tag_rows)
            fresh.change_id, fresh.token = changes[-1][0], changes[-1][1]
        else:
            # The newest change first, then the rows: rows written meanwhile are read again next time.
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT id, token FROM {SearchChange._meta.db_table} ORDER BY id DESC LIMIT 1")
                newest = cursor.fetchone()
            rows, issuer_rows, tag_rows = _read(None)
            fresh.load(rows, issuer_rows, replace=True, tag_rows=tag_rows)
            fresh.change_id, fresh.token = newest if newest else (0, "")
        _columns = fresh
        return fresh


def _copy_arrays(columns_: Columns) -> None:
    """Copy the arrays before an incremental load: a query of another thread may still read the old snapshot."""
    for name in ("ids", *_GROW_FILL, "issuer_position", "issuer_code", "tag_position", "tag_code"):
        setattr(columns_, name, getattr(columns_, name).copy())
    columns_.codes = {name: array.copy() for name, array in columns_.codes.items()}
