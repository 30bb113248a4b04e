"""Reads of the Q&A base: the matcher over published entries (`qa_ask`, `qa_suggest`), the entries
citing a document, and the lists staff curate."""

from __future__ import annotations

import datetime
import threading

from django.db.models import Count, Max
from django.utils import timezone

from . import conf
from .matcher import Index
from .models import Entry, EntryState

_lock = threading.Lock()
_cache: dict = {}


def _index() -> tuple[Index, dict]:
    published = Entry.objects.filter(state=EntryState.PUBLISHED)
    version = tuple(published.aggregate(n=Count("id"), t=Max("updated_at")).values())
    with _lock:
        if _cache.get("version") != version:
            rows = list(published.values_list("id", "external_id", "question", "alternatives", "answer", "department"))
            _cache["index"] = Index([(r[0], " ".join([r[2], *r[3]]), f"{r[4]} {r[5]}") for r in rows])
            _cache["meta"] = {r[0]: (r[1], r[2]) for r in rows}
            _cache["version"] = version
        return _cache["index"], _cache["meta"]


def qa_ask(question: str, limit: int = conf.MAX_ANSWERS, threshold: float | None = None) -> dict:
    """`{"answers": [{"id", "external_id", "question", "score", "sources"} …], "abstained": bool}` —
    the one function behind `gongkai ask`, the portal and the API."""
    index, meta = _index()
    hits = index.ask(question, limit=limit)
    threshold = conf.ABSTAIN_BELOW if threshold is None else threshold
    sources: dict[int, list] = {}
    for entry_id, doc_id, title in Entry.sources.through.objects.filter(
        entry_id__in=[h[0] for h in hits]
    ).values_list("entry_id", "document_id", "document__title"):
        sources.setdefault(entry_id, []).append({"id": doc_id, "title": title})
    answers = [
        {"id": key, "external_id": meta[key][0], "question": meta[key][1], "score": round(rel, 4),
         "sources": sources.get(key, [])}
        for key, _raw, rel in hits
    ]
    return {"answers": answers, "abstained": not answers or answers[0]["score"] < threshold}


def qa_suggest(question: str, limit: int = 3) -> list[dict]:
    """Up to `limit` published entries that answer `question` ([] when the matcher abstains): each
    `{"id", "question", "score"}`. Stable signature, used by the interaction mailbox before sending."""
    result = qa_ask(question, limit=limit)
    if result["abstained"]:
        return []
    return [{"id": a["id"], "question": a["question"], "score": a["score"]} for a in result["answers"]]


def qa_entries_citing(document) -> list[Entry]:
    """Published entries citing `document` (the document page lists them)."""
    return list(Entry.objects.filter(sources=document, state=EntryState.PUBLISHED))


def qa_published():
    return Entry.objects.filter(state=EntryState.PUBLISHED)


def qa_flagged():
    return Entry.objects.filter(state=EntryState.FLAGGED)


def qa_stale(days: int = conf.STALE_AFTER_DAYS):
    cutoff = timezone.now() - datetime.timedelta(days=days)
    return Entry.objects.filter(state=EntryState.PUBLISHED, updated_at__lt=cutoff) | qa_flagged()
