"""Reads of the Q&A base: the matcher over published entries (`qa_ask`, `qa_suggest`), the entries
citing a document, and the lists staff curate."""

from __future__ import annotations

import datetime
import threading
from collections import Counter

from django.db.models import Count, Max
from django.utils import timezone

from . import conf
from .matcher import Index, cosine, terms
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


def qa_entry_public(pk: int) -> Entry | None:
    """A published entry with its sources and body, or None (drafts and flagged entries are not public)."""
    return (Entry.objects.filter(pk=pk, state=EntryState.PUBLISHED)
            .select_related("organisation").prefetch_related("sources").first())


def qa_entries_by_ids(ids: list[int]) -> list[Entry]:
    """Published entries in the order of `ids` (the matcher's ranking)."""
    found = {e.pk: e for e in Entry.objects.filter(pk__in=ids, state=EntryState.PUBLISHED).prefetch_related("sources")}
    return [found[i] for i in ids if i in found]


def qa_related(entry: Entry, limit: int = 5) -> list[Entry]:
    """Published entries the matcher finds for this entry's question, the entry itself left out."""
    hits = qa_ask(entry.question, limit=limit + 1)
    return qa_entries_by_ids([a["id"] for a in hits["answers"] if a["id"] != entry.pk][:limit])


def qa_facets() -> dict[str, list[tuple[str, int]]]:
    """Topics and audiences of the published entries with their counts, for browsing."""
    topics: dict[str, int] = {}
    audiences: dict[str, int] = {}
    for t, a in qa_published().values_list("topics", "audiences"):
        for x in t or ():
            topics[x] = topics.get(x, 0) + 1
        for x in a or ():
            audiences[x] = audiences.get(x, 0) + 1
    order = lambda d: sorted(d.items(), key=lambda kv: (-kv[1], kv[0]))  # noqa: E731
    return {"topics": order(topics), "audiences": order(audiences)}


def qa_browse(*, topic: str = "", audience: str = "", department: str = ""):
    """Published entries of a topic, an audience (life stage) or a department; JSON membership is
    tested in Python so that SQLite and PostgreSQL behave the same."""
    qs = qa_published().order_by("-updated_at", "id")
    if department:
        qs = qs.filter(department=department)
    if not (topic or audience):
        return qs
    ids = [pk for pk, t, a in qs.values_list("id", "topics", "audiences")
           if (not topic or topic in (t or ())) and (not audience or audience in (a or ()))]
    return qs.filter(pk__in=ids)


def qa_staff_list(*, state: str = "", q: str = ""):
    qs = Entry.objects.select_related("organisation", "reviewer").order_by("-updated_at", "-id")
    if state:
        qs = qs.filter(state=state)
    if q:
        qs = qs.filter(question__icontains=q)
    return qs


def qa_near_duplicates(*, threshold: float = conf.DUPLICATE_ABOVE, limit: int = 50) -> list[tuple[Entry, Entry, float]]:
    """Pairs of entries (any state but flagged) that say nearly the same: the matcher finds each entry's
    three nearest by its question, and a pair is kept when the cosine of their words (question and answer,
    the shared analyzer) is at least `threshold`. Shown side by side for staff to merge (issue 20)."""
    rows = list(Entry.objects.exclude(state=EntryState.FLAGGED)
                .values_list("id", "question", "alternatives", "answer", "department"))
    index = Index([(r[0], " ".join([r[1], *r[2]]), f"{r[3]} {r[4]}") for r in rows])
    bags = {r[0]: Counter(terms(f"{r[1]} {r[3]}")) for r in rows}
    pairs: dict[tuple[int, int], float] = {}
    for r in rows:
        for key, _raw, _rel in index.ask(r[1], limit=4):
            pair = (min(key, r[0]), max(key, r[0]))
            if key != r[0] and pair not in pairs:
                pairs[pair] = cosine(bags[pair[0]], bags[pair[1]])
    best = sorted(((p, v) for p, v in pairs.items() if v >= threshold), key=lambda kv: -kv[1])[:limit]
    entries = Entry.objects.in_bulk({i for pair, _ in best for i in pair})
    return [(entries[a], entries[b], round(v, 3)) for (a, b), v in best]
