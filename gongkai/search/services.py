"""Writes of the search index. Documents reach the index through `search_index_documents` — called
after every lifecycle change by the documents package (`document_refresh_state`, on commit), and by
`gongkai reindex` for a full rebuild. Nothing else writes the index."""

from __future__ import annotations

import collections
import contextlib
import functools
import multiprocessing
import os
import time
import uuid
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from gongkai import text
from gongkai.core.html import html_to_text
from gongkai.core.models import Organisation
from gongkai.documents.models import LIFE_STAGES, DisclosureAttribute, Document, DocumentIssuer, Status

from . import hooks
from .backends import IndexedText, get_backend
from .models import SearchChange
from .query import SUGGESTION_KEY_LENGTH, TITLE_MARKS_RE, doc_number_key, suggestion_key

# Title beginnings that nobody types first (suggestions also match the title without them).
TITLE_PREFIXES = ("中华人民共和国", "国务院办公厅关于", "国务院关于", "关于")
_org_terms_checked = [0.0, -1]
CHANGE_LOCK = 7_460_001  # pg_advisory_xact_lock key of index writers
# Issuer names known to the index, for query understanding; refreshed after a minute or on a write here.
issuer_names_cache: dict = {"at": -1e9, "names": []}


def search_issuer_names_forget() -> None:
    issuer_names_cache["at"] = -1e9


def search_dictionary_refresh(*, max_age: float = 30.0) -> None:
    """Keep the analyzer's dictionary in step with the platform's organisation names (cheap to call often)."""
    now = time.monotonic()
    if now - _org_terms_checked[0] < max_age:
        return
    _org_terms_checked[0] = now
    count = Organisation.objects.count()
    if count != _org_terms_checked[1]:
        _org_terms_checked[1] = count
        names = Organisation.objects.values_list("name", "short_name")
        text.dictionary_add(n for pair in names for n in pair if n)


def _indexed_text(document: _Source | Document, issuers: list[str], body: str) -> IndexedText:
    return _analyse([_raw_text(document, issuers, body)])[0]


@functools.lru_cache(maxsize=4096)
def _issuer_key(name: str) -> str:
    return suggestion_key(name)


def _suggestion_keys(document: _Source | Document, issuers: list[str], number_key: str) -> set[str]:
    title = suggestion_key(document.title)
    keys = {title}
    for prefix in (*TITLE_PREFIXES, *(_issuer_key(i) for i in issuers)):
        if prefix and title.startswith(prefix) and len(title) > len(prefix) + 1:
            short = title[len(prefix):]
            keys.add(short)
            if short.startswith("关于") and len(short) > 3:
                keys.add(short[2:])
    # The same keys without 《》 and quotes, as a title is typed (selectors: a query naming a document).
    keys |= {TITLE_MARKS_RE.sub("", k) for k in keys}
    if number_key:
        keys.add(number_key[:SUGGESTION_KEY_LENGTH])
    return {k for k in keys if k}


@dataclass(slots=True)
class _Source:
    """What the index reads of a document (one row of `_SOURCE_FIELDS`), without building the model."""

    pk: int
    title: str
    doc_number: str
    subject_words: str
    category: str
    summary: str
    body: str
    status: str
    disclosure_attribute: str
    organisation_id: int
    index_no: str
    genre: str
    validity: str
    published_at: object
    written_on: object
    topic_name: str | None
    topic_parent_name: str | None
    issuers: list[str]
    tags: list[str]

    def issuer_names(self) -> list[str]:
        return self.issuers


_SOURCE_FIELDS = (
    "pk", "title", "doc_number", "subject_words", "category", "summary", "body", "status", "disclosure_attribute",
    "organisation_id", "index_no", "genre", "validity", "published_at", "written_on", "topic__name", "topic__parent__name",
)


def own_tags(audiences, life_stages) -> list[str]:
    """A document's own 适用对象 tags: its 服务对象 and 生命周期分类 (documents.LIFE_STAGES)."""
    keys = [f"audience:{a}" for a in audiences or [] if a in LIFE_STAGES]
    keys += [f"stage:{s}" if s in LIFE_STAGES["person"] else f"estage:{s}" for s in life_stages or []
             if s in LIFE_STAGES["person"] or s in LIFE_STAGES["legal_person"]]
    return list(dict.fromkeys(keys))


def _tags(ids: list[int], own: dict[int, list[str]]) -> dict[int, list[str]]:
    """The facet tags of these documents: their own, replaced by what a package above holds for them
    (`hooks.document_tags`: the publisher's confirmed push tags)."""
    tags = dict(own)
    for answer in hooks.document_tags(document_ids=ids):
        for document_id, keys in (answer or {}).items():
            tags[document_id] = [str(k)[:60] for k in dict.fromkeys(keys)]
    return tags


def _sources(ids: list[int]) -> list[_Source]:
    """The documents to index, read as plain rows (model instances cost more than the analysis)."""
    issuers: dict[int, list[str]] = {}
    rows = DocumentIssuer.objects.filter(document_id__in=ids).order_by("document_id", "position", "id")
    for document_id, organisation_name, name in rows.values_list("document_id", "organisation__name", "name"):
        issuers.setdefault(document_id, []).append(organisation_name or name)
    rows = Document.objects.filter(pk__in=ids).order_by("pk").values_list(*_SOURCE_FIELDS, "audiences", "life_stages")
    own: dict[int, list[str]] = {}
    plain = []
    for *row, audiences, life_stages in rows:
        own[row[0]] = own_tags(audiences, life_stages)
        plain.append(row)
    tags = _tags([row[0] for row in plain], own)
    return [_Source(*row, issuers=issuers.get(row[0], []), tags=tags.get(row[0], [])) for row in plain]


def _entry(document: _Source, number_key: str, indexed_at) -> tuple:
    """The SearchEntry row of a document, as the INSERT's parameters but the last, change_id
    (`indexed_at`: the batch's time, adapted for the database)."""
    published = timezone.localtime(document.published_at) if document.published_at else None
    year = published.year if published else (document.written_on.year if document.written_on else None)
    if document.topic_parent_name:
        topic, subtopic = document.topic_parent_name, f"{document.topic_parent_name}\\{document.topic_name}"
    else:
        topic, subtopic = document.topic_name or "", ""
    adapt = connection.ops.adapt_datetimefield_value
    return (
        document.pk,
        document.organisation_id,
        document.status == Status.PUBLISHED and document.disclosure_attribute == DisclosureAttribute.PROACTIVE,
        document.title,
        document.doc_number,
        number_key,
        text.normalise(document.index_no),
        document.genre,
        document.validity,
        year,
        topic,
        subtopic,
        adapt(document.published_at) if document.published_at else None,
        indexed_at,
    )


def _record_change(cursor, *, full: bool = False) -> int:
    """A new SearchChange in the current transaction, in commit order (see SearchChange); its id."""
    if connection.vendor == "postgresql":
        # Writers one after another, so that change ids are taken in the order the writes commit.
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHANGE_LOCK])
    change = SearchChange.objects.create(token=uuid.uuid4().hex, rebuild=full)
    return change.id


def _delete_entries(cursor, ids: list[int]) -> None:
    backend = get_backend()
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        marks = ", ".join(["%s"] * len(chunk))
        backend.delete(cursor, chunk)
        cursor.execute(f"DELETE FROM search_searchissuer WHERE entry_id IN ({marks})", chunk)
        cursor.execute(f"DELETE FROM search_searchsuggestion WHERE entry_id IN ({marks})", chunk)
        cursor.execute(f"DELETE FROM search_searchtag WHERE entry_id IN ({marks})", chunk)
        cursor.execute(f"DELETE FROM search_searchentry WHERE document_id IN ({marks})", chunk)


@dataclass
class _Prepared:
    """A batch of documents made ready for the index: its entry, 发文机关 and suggestion rows, and the
    backend's full-text rows."""

    ids: list[int]
    entries: list[tuple]  # SearchEntry rows but their change id (see _entry)
    issuers: list[tuple[int, str]]
    suggestions: list[tuple[int, str]]
    tags: list[tuple[int, str]]
    texts: list[tuple]  # the backend's full-text rows (Backend.rows)


def _prepare(ids: list[int], sources: list[_Source]) -> _Prepared:
    """Everything but the database work (run in a worker process during a rebuild)."""
    prepared = _Prepared(ids=ids, entries=[], issuers=[], suggestions=[], tags=[], texts=[])
    raw = []
    indexed_at = connection.ops.adapt_datetimefield_value(timezone.now())
    for document in sources:
        names = document.issuer_names()
        number_key = doc_number_key(document.doc_number) if document.doc_number else ""
        prepared.entries.append(_entry(document, number_key, indexed_at))
        prepared.issuers.extend((document.pk, n[:200]) for n in dict.fromkeys(names))
        prepared.suggestions.extend((document.pk, k) for k in _suggestion_keys(document, names, number_key))
        prepared.tags.extend((document.pk, k) for k in document.tags)
        raw.append(_raw_text(document, names, html_to_text(document.body)))
    prepared.texts = get_backend().rows(_analyse(raw))
    return prepared


def _raw_text(document: _Source | Document, issuers: list[str], body: str) -> tuple[int, str, str, str]:
    meta = " ".join([document.doc_number, *issuers, document.subject_words, document.category])
    return document.pk, document.title, meta, f"{document.summary}\n{body}" if document.summary else body


def _analyse(raw: list[tuple[int, str, str, str]]) -> list[IndexedText]:
    """Words per field; the title is followed by the shorter words inside its long words
    (`text.parts`), so that 食堂 finds a title with 学校食堂 while queries keep the precise words.
    The body is not: its sub-words doubled the full-text insert time and query time at 100,000
    documents for no measurable gain in quality (docs/text-analysis.md)."""
    return [IndexedText(key, title + text.parts(title), meta, body) for key, title, meta, body in text.words_of_records(raw)]


def _write(prepared: _Prepared, *, fresh: bool = False) -> int:
    """Replace the index rows of a prepared batch (`fresh`: the index holds none of them, nothing to delete)."""
    with transaction.atomic(), connection.cursor() as cursor:
        change_id = _record_change(cursor)
        if not fresh:
            _delete_entries(cursor, prepared.ids)
        backend = get_backend()
        columns = ("document_id, organisation_id, is_public, title, doc_number, doc_number_key, index_no, genre, "
                   "validity, year, topic, subtopic, published_at, indexed_at, change_id")
        values, rows = ", ".join(["%s"] * 15), [(*entry, change_id) for entry in prepared.entries]
        if backend.entry_column:
            full_text = dict(prepared.texts)
            columns, values = f"{columns}, {backend.entry_column}", f"{values}, {backend.entry_value_sql}"
            rows = [(*row, full_text.get(row[0])) for row in rows]
        # Plain executemany rather than bulk_create: the index is written often and in bulk (reindex).
        cursor.executemany(f"INSERT INTO search_searchentry ({columns}) VALUES ({values})", rows)
        cursor.executemany("INSERT INTO search_searchissuer (entry_id, name) VALUES (%s, %s)", prepared.issuers)
        cursor.executemany("INSERT INTO search_searchsuggestion (entry_id, key) VALUES (%s, %s)", prepared.suggestions)
        if prepared.tags:
            cursor.executemany("INSERT INTO search_searchtag (entry_id, key) VALUES (%s, %s)", prepared.tags)
        if backend.entry_column is None:
            if fresh:
                backend.insert(cursor, prepared.texts)
            else:
                backend.write(cursor, prepared.texts)
    search_issuer_names_forget()
    return len(prepared.entries)


def search_index_documents(*, document_ids: Iterable[int]) -> int:
    """(Re)index these documents, whatever their state: visibility is decided at query time."""
    ids = list(dict.fromkeys(document_ids))
    if not ids:
        return 0
    search_dictionary_refresh()
    return _write(_prepare(ids, _sources(ids)))


def search_index_document(*, document_id: int) -> None:
    search_index_documents(document_ids=[document_id])


def search_index_on_commit(*, document_id: int) -> None:
    """Index the document once the current transaction commits (immediately outside a transaction)."""
    transaction.on_commit(lambda: search_index_document(document_id=document_id))


def search_reindex(*, batch_size: int = 200, progress: Callable[[int, int], None] | None = None,
                   workers: int | None = None) -> int:
    """Rebuild the whole index from the documents, in batches; `progress(done, total)` after each.

    With a second CPU, a worker process prepares the next batch (cuts its text into words, builds its
    rows) while this one reads and writes the database (`workers`: None decides by the CPU count, 0 never)."""
    search_dictionary_refresh(max_age=0)
    ids = list(Document.objects.order_by("pk").values_list("pk", flat=True))
    with transaction.atomic(), connection.cursor() as cursor:
        change_id = _record_change(cursor, full=True)
        cursor.execute("DELETE FROM search_searchchange WHERE id < %s", [change_id])
        get_backend().clear(cursor)
        cursor.execute("DELETE FROM search_searchissuer")
        cursor.execute("DELETE FROM search_searchsuggestion")
        cursor.execute("DELETE FROM search_searchtag")
        cursor.execute("DELETE FROM search_searchentry")
    batches = [ids[start:start + batch_size] for start in range(0, len(ids), batch_size)]
    if workers is None:
        forking = "fork" in multiprocessing.get_all_start_methods()
        workers = 1 if forking and (os.cpu_count() or 1) > 1 and len(batches) > 2 else 0
    done = 0
    with _analysis_pool(workers) as pool:
        stream = _analysed(batches, pool, ahead=workers)
        finished = False
        while not finished:
            # Several batches per transaction: each commit makes FTS5 flush and merge its segments.
            with transaction.atomic():
                in_transaction = 0
                for prepared in stream:
                    done += _write(prepared, fresh=True)
                    in_transaction += len(prepared.ids)
                    if progress:
                        progress(done, len(ids))
                    if in_transaction >= REBUILD_TRANSACTION_DOCUMENTS:
                        break
                else:
                    finished = True
    with connection.cursor() as cursor:
        get_backend().rebuilt(cursor)
    return done


REBUILD_TRANSACTION_DOCUMENTS = 5000


def _analysis_pool(workers: int):
    if not workers:
        return contextlib.nullcontext(None)
    # Forked workers inherit the configured Django and the dictionary as it is now.
    return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"))


def _analysed(batches: list[list[int]], pool, *, ahead: int):
    """Prepared batches in order; with a pool, the next batches are prepared meanwhile."""
    pending: collections.deque = collections.deque()
    for batch in batches:
        sources = _sources(batch)
        pending.append(pool.submit(_prepare, batch, sources) if pool else _prepare(batch, sources))
        while len(pending) > ahead:
            yield _result(pending.popleft())
    while pending:
        yield _result(pending.popleft())


def _result(item: _Prepared | Future) -> _Prepared:
    return item.result() if isinstance(item, Future) else item
