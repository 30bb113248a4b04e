"""Reads of the search index: `search_documents` (results, facets, snippets) and `search_suggest`.

The full-text match and its ranking come from the backend; visibility, filters, boosts, facet
counts and date order are array operations on the index's fields in memory (`columns`), written
here once for SQLite and PostgreSQL.
"""

from __future__ import annotations

import math
import re
import time
from dataclasses import dataclass, field, replace

import numpy as np
from django.conf import settings
from django.db import connection

from gongkai import text
from gongkai.core.html import html_to_text
from gongkai.core.selectors import organisations_for_user
from gongkai.documents.models import Document
from gongkai.documents.selectors import documents_with_details

from . import spelling
from .backends import MatchQuery, get_backend
from .columns import NO_DATE, Columns, columns
from .conf import (
    BM25_B,
    BM25_K1,
    CHAR_WEIGHT,
    COMMON_TERM_MIN_DOCS,
    COMMON_TERM_RATIO,
    RERANK_DEPTH,
    RESCORE_WINDOW,
)
from .query import ParsedQuery, parse_query, suggestion_key, title_keys
from .services import issuer_names_cache, search_dictionary_refresh
from .snippets import snippet_html

FACETS = ("issuer", "topic", "genre", "validity", "year", "tag")
SORTS = ("relevance", "date", "date_asc")  # date: newest first; date_asc: oldest first
DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = getattr(settings, "API_MAX_PAGE_SIZE", 100)
FEW_RESULTS = 10  # a query finding fewer than this is searched as its correction, when it has one
PINNED_BONUS = 1e6  # a document whose 发文字号/索引号 is in the query comes first
TITLE_BONUS = 1e5  # then a document the query names: its title or short title (劳动合同法 ↔ 《中华人民共和国劳动合同法》)
TITLE_MAX_DOCUMENTS = 20  # a "name" held by more documents than this names none of them
# Ranking defaults (conf.py). The result set is what the words match; the best RERANK_DEPTH of them are
# reordered with the query's characters (BM25 over characters, statistics taken over those candidates),
# which bridges segmentation mismatches (震中/地震, 雪天/下雪). Measured on qa_dev (docs/text-analysis.md).


@dataclass
class SearchHit:
    document: Document
    score: float
    snippet: str = ""
    pinned: bool = False
    named: bool = False  # the query is this document's title or short title (issue 17.2)


@dataclass
class SearchResult:
    count: int
    hits: list[SearchHit]
    facets: dict[str, list[dict]]
    page: int
    page_size: int
    query: ParsedQuery | None = None
    # Filters recognised in the query text and applied ({"issuer": …, "year": …}).
    understood: dict = field(default_factory=dict)
    # The quoted phrases matched nothing, so these results are for the query without its quotes
    # (in Chinese text “” often mark a name or a term rather than a demand for the exact wording).
    quotes_ignored: bool = False
    # When nothing was found within the filters: the query without them finds this many.
    relaxed_query: str | None = None
    relaxed_count: int = 0
    # Did you mean (issue 17.3): a correction of mistyped words from the index's vocabulary (spelling.py).
    suggestion: str | None = None
    # The original found little, so these results are for `suggestion`; this is what was typed.
    corrected_from: str | None = None


def _issuer_names() -> list[str]:
    if time.monotonic() - issuer_names_cache["at"] > 60:
        with connection.cursor() as cursor:
            cursor.execute("SELECT DISTINCT name FROM search_searchissuer")
            names = [row[0] for row in cursor.fetchall()]
        issuer_names_cache.update(at=time.monotonic(), names=[n for n in names if len(n) >= 3])
    return issuer_names_cache["names"]


def _visibility(user) -> tuple[str, list]:
    """The public sees published, proactively disclosed documents; staff also see their organisations' others."""
    if user is None or not user.is_authenticated:
        return "e.is_public", []
    org_ids = list(organisations_for_user(user=user).values_list("pk", flat=True))
    if not org_ids:
        return "e.is_public", []
    return f"(e.is_public OR e.organisation_id IN ({', '.join(['%s'] * len(org_ids))}))", org_ids


def _selection(cols: Columns, *, user, filters: dict, within) -> np.ndarray:
    """Positions the user may see that pass the filters (a boolean mask over the columns)."""
    selected = cols.alive.copy()
    org_ids = []
    if user is not None and user.is_authenticated:
        org_ids = list(organisations_for_user(user=user).values_list("pk", flat=True))
    selected &= (cols.public | np.isin(cols.organisation, org_ids)) if org_ids else cols.public
    if filters.get("issuer"):
        selected &= cols.issuer_mask(filters["issuer"])
    if filters.get("tag"):  # 适用对象 (SearchTag): 服务对象, 生命周期, the publisher's confirmed push tags
        selected &= cols.tag_mask(filters["tag"])
    if filters.get("topic"):
        codes, categories = cols.codes, cols.categories
        selected &= ((codes["topic"] == categories["topic"].lookup(filters["topic"]))
                     | (codes["subtopic"] == categories["subtopic"].lookup(filters["topic"])))
    for name in ("genre", "validity"):
        if filters.get(name):
            selected &= cols.codes[name] == cols.categories[name].lookup(filters[name])
    if filters.get("year") not in (None, ""):
        try:
            selected &= cols.year == int(filters["year"])
        except (TypeError, ValueError):
            selected[:] = False
    if within is not None:
        selected &= cols.mask_of(list(within.values_list("pk", flat=True)))
    return selected


def common_terms(match: MatchQuery, cols: Columns) -> list[str]:
    """The query's words held by more than COMMON_TERM_RATIO of the library (and COMMON_TERM_MIN_DOCS
    documents): they count in the ranking but select nothing on their own — the common-terms rule of
    Lucene/Elasticsearch. Below that size every word selects, as in a small library it is cheap."""
    size = len(cols)
    if match.phrases or not match.terms or size <= COMMON_TERM_MIN_DOCS:
        return []
    cutoff = max(COMMON_TERM_MIN_DOCS, COMMON_TERM_RATIO * size)
    missing = [t for t in match.terms if t not in cols.frequencies]
    if missing:
        with connection.cursor() as cursor:
            found = get_backend().document_frequencies(cursor, missing, above=cutoff, size=size)
        cols.frequencies.update({t: found.get(t, 0) for t in missing})
    return [t for t in match.terms if cols.frequencies[t] > cutoff]


def _pinned_ids(parsed: ParsedQuery) -> list[int]:
    if not (parsed.doc_number_keys or parsed.index_nos):
        return []
    clauses, params = [], []
    if parsed.doc_number_keys:
        clauses.append(f"doc_number_key IN ({', '.join(['%s'] * len(parsed.doc_number_keys))})")
        params += parsed.doc_number_keys
    if parsed.index_nos:
        clauses.append(f"index_no IN ({', '.join(['%s'] * len(parsed.index_nos))})")
        params += parsed.index_nos
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT document_id FROM search_searchentry WHERE {' OR '.join(clauses)}", params)
        return [row[0] for row in cursor.fetchall()]


def _named_ids(parsed: ParsedQuery) -> list[int]:
    """Documents whose title (or short title: without 中华人民共和国, 国务院关于 …, its issuer) the query
    is, up to punctuation, 《》 and spaces — looked up in the suggestion keys (`services._suggestion_keys`)."""
    keys = title_keys(parsed.raw)
    if not keys or parsed.doc_number_keys or parsed.index_nos:
        return []
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT DISTINCT entry_id FROM search_searchsuggestion WHERE key IN ({', '.join(['%s'] * len(keys))}) "
                       f"LIMIT {TITLE_MAX_DOCUMENTS + 1}", keys)
        ids = [row[0] for row in cursor.fetchall()]
    return ids if len(ids) <= TITLE_MAX_DOCUMENTS else []


def _pins(parsed: ParsedQuery) -> dict[int, float]:
    """Documents placed first, with their bonus: those the query's 发文字号/索引号 find, then those it names."""
    pins = dict.fromkeys(_named_ids(parsed), TITLE_BONUS)
    pins.update(dict.fromkeys(_pinned_ids(parsed), PINNED_BONUS))
    return pins


def _execute(*, match: MatchQuery, pinned: dict[int, float], user, filters: dict, sort: str, limit: int, offset: int,
             facets: bool, rerank: MatchQuery | None = None, within=None,
             common_rule: bool = True) -> tuple[int, list[tuple[int, float]], dict[str, list[dict]]]:
    """Count, facet counts and the page of (document id, score).

    The engine answers which documents match and, best first, how well; visibility, filters, facets
    and date order are array operations on the in-memory columns (`columns`)."""
    cols = columns()
    if match and common_rule:
        match = replace(match, common=common_terms(match, cols))
    selected = _selection(cols, user=user, filters=filters, within=within)
    backend = get_backend()
    with connection.cursor() as cursor:
        result = selected
        if match or pinned:
            found = cols.mask_of(backend.matched_ids(cursor, match)) if match else np.zeros(len(cols.ids), dtype=bool)
            if pinned:
                found |= cols.mask_of(list(pinned))
            result = found & selected
        count = int(result.sum())
        if count == 0 and match.split:
            # No visible document holds the rare words (or all the common ones): every word selects.
            return _execute(match=replace(match, common=[]), pinned=pinned, user=user, filters=filters, sort=sort,
                            limit=limit, offset=offset, facets=facets, rerank=rerank, within=within, common_rule=False)
        reranking = bool(rerank) and sort == "relevance" and offset + limit <= RERANK_DEPTH
        if sort == "relevance" and (match or pinned):
            hits = _best(cursor, cols, match, pinned, result, RERANK_DEPTH if reranking else offset + limit)
        else:
            hits = _by_date(cursor, cols, match, pinned, result, sort, offset + limit)
    if reranking and len(hits) > 1:
        hits = _rerank_by_characters(hits, rerank.chars)
    if sort == "relevance":
        hits.sort(key=lambda h: (h[1], h[2], h[0]), reverse=True)
    hits = hits[offset:offset + limit]
    facet_lists = {}
    if facets:
        counts = cols.facets(result)
        facet_lists = {
            name: sorted(({"value": v, "count": n} for v, n in counts[name].items()), key=lambda f: (-f["count"], f["value"]))
            for name in FACETS
        }
        facet_lists["year"].sort(key=lambda f: f["value"], reverse=True)
    return count, [(h[0], h[1]) for h in hits], facet_lists


def _hit(cols: Columns, position: int, raw: float, pin: float) -> tuple:
    """(id, score, published, boost, pin) of a candidate."""
    boost = float(cols.boost[position])
    return int(cols.ids[position]), raw * boost + pin, int(cols.published[position]), boost, pin


def _best(cursor, cols: Columns, match: MatchQuery, pinned: dict[int, float], result: np.ndarray,
          depth: int) -> list[tuple]:
    """The `depth` best results: pinned documents first (`pinned`: id → bonus), then the engine's best raw scores within
    the visible, filtered results, the RESCORE_WINDOW best of which are multiplied by their boosts
    (the rescore window of Elasticsearch: boosts reorder the best matches, they do not pull a weak
    match up from deep in a broad result)."""
    backend = get_backend()
    pinned_positions = cols.positions(list(pinned))
    pinned_here = [(p, i) for p, i in zip(pinned_positions, pinned, strict=True) if p >= 0 and result[p]]
    raw_pinned = backend.scores(cursor, match, [i for _p, i in pinned_here]) if match and pinned_here else {}
    hits = [_hit(cols, p, raw_pinned.get(i, 0.0), pinned[i]) for p, i in pinned_here]
    if not match:
        return hits
    ordinary = result.copy()
    ordinary[[p for p, _i in pinned_here]] = False
    window = max(RESCORE_WINDOW, depth)
    wanted = min(window, int(ordinary.sum()))
    batch = window
    while True:
        rows = backend.ranked(cursor, match, batch)
        positions = cols.positions(np.array([r[0] for r in rows], dtype=np.int64))
        raw = np.array([r[1] for r in rows], dtype=np.float64)
        keep = positions >= 0
        keep[keep] = ordinary[positions[keep]]
        if len(rows) < batch or int(keep.sum()) >= wanted:  # every match read, or enough of them
            break
        batch = max(batch * 16, len(ordinary))  # filters left too few in the window: read them all
    positions, raw = positions[keep][:window], raw[keep][:window]
    scores = raw * cols.boost[positions]
    if len(scores) > depth:
        best = np.argpartition(-scores, depth - 1)[:depth]
        positions, raw = positions[best], raw[best]
    return hits + [_hit(cols, int(p), float(r), 0.0) for p, r in zip(positions, raw, strict=True)]


def _by_date(cursor, cols: Columns, match: MatchQuery, pinned: dict[int, float], result: np.ndarray, sort: str,
             depth: int) -> list[tuple]:
    """The first `depth` results by publication date (newest or oldest first; undated last), then id."""
    positions = np.flatnonzero(result)
    published, ids = cols.published[positions], cols.ids[positions]
    if sort == "date_asc":
        key = np.where(published == NO_DATE, np.iinfo(np.int64).max, published)
    else:
        key = -np.maximum(published, NO_DATE + 1)  # negated: newest first, undated last
        ids = -ids
    if len(key) > 4 * depth:  # only the candidates up to the depth-th key need sorting
        threshold = np.partition(key, depth - 1)[depth - 1]
        near = key <= threshold
        positions, key, ids = positions[near], key[near], ids[near]
    page = positions[np.lexsort((ids, key))][:depth]
    raw = {}
    if match:
        raw = get_backend().scores(cursor, match, [int(i) for i in cols.ids[page]])
    return [_hit(cols, int(p), raw.get(int(cols.ids[p]), 0.0), pinned.get(int(cols.ids[p]), 0.0)) for p in page]


def _rerank_by_characters(hits: list[tuple], query_chars: list[str]) -> list[tuple]:
    """hits: (id, score, published, boost, pin). New score: word score and character BM25, each
    normalised by its best value among the candidates, weighted 1 : CHAR_WEIGHT; boosts and pins kept."""
    # The stored HTML as it is: tags and entities hold no Chinese characters, so the counts and the length
    # in characters are those of the text, without converting 50 bodies (a law runs to 17,000 characters).
    ids = [h[0] for h in hits]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, title, summary, body FROM {Document._meta.db_table} "
                       f"WHERE id IN ({', '.join(['%s'] * len(ids))})", ids)
        texts = cursor.fetchall()
    wanted = set(query_chars)
    counts, lengths = {}, {}
    for pk, title, summary, body in texts:
        counts[pk], lengths[pk] = text.char_counts(f"{title}\n{summary}\n{body}", wanted)
    average = (sum(lengths.values()) / len(lengths)) if lengths else 1.0
    df = {c: sum(1 for cnt in counts.values() if cnt.get(c)) for c in wanted}
    n = len(counts)
    char_score = {}
    for pk, cnt in counts.items():
        norm = BM25_K1 * (1 - BM25_B + BM25_B * lengths[pk] / (average or 1.0))
        char_score[pk] = sum(
            math.log(1 + (n - df[c] + 0.5) / (df[c] + 0.5)) * cnt[c] * (BM25_K1 + 1) / (cnt[c] + norm)
            for c in wanted if cnt.get(c)
        )
    best_word = max((h[1] - h[4] for h in hits), default=0.0) or 1.0
    best_char = max(char_score.values(), default=0.0) or 1.0
    return [(i, (s - pin) / best_word + CHAR_WEIGHT * char_score.get(i, 0.0) / best_char * b + pin, p, b, pin)
            for i, s, p, b, pin in hits]


def search_documents(
    *,
    q: str = "",
    user=None,
    issuer: str | None = None,
    topic: str | None = None,
    genre: str | None = None,
    validity: str | None = None,
    year: int | None = None,
    tag: str | None = None,
    sort: str = "relevance",
    page: int = 1,
    page_size: int = DEFAULT_PAGE_SIZE,
    facets: bool = True,
    snippets: bool = True,
    within=None,
    correct: bool = True,
) -> SearchResult:
    """Search the documents `user` may see (the public when None) for `q`, with filters and facets.

    `within`: an optional Document queryset the results must also belong to (the API's other filters).
    `correct`: search the correction of mistyped words (`suggestion`, spelling.py) when the query finds
    little; False: the words as typed (the correction is still offered).
    """
    if sort not in SORTS:
        raise ValueError(f"sort must be one of {SORTS}")
    page, page_size = max(1, int(page)), max(1, min(int(page_size), MAX_PAGE_SIZE))
    filters = {"issuer": issuer, "topic": topic, "genre": genre, "validity": validity, "year": year, "tag": tag}
    search_dictionary_refresh()
    q = (q or "").strip()
    parsed = parse_query(q, issuer_names=_issuer_names() if q and not issuer else None) if q else None
    understood: dict = {}
    if parsed and parsed.issuer and not issuer:
        understood["issuer"] = parsed.issuer
    if parsed and parsed.year and not year:
        understood["year"] = parsed.year
    match = parsed.match if parsed else MatchQuery()
    pinned = _pins(parsed) if parsed else {}
    effective_sort = sort if (match or pinned or sort != "relevance") else "date"

    def run(applied: dict, for_facets: bool = facets):
        return _execute(match=match, rerank=match if match.chars else None, pinned=pinned, user=user,
                        filters={**filters, **applied}, sort=effective_sort, limit=page_size,
                        offset=(page - 1) * page_size, facets=for_facets, within=within)

    count, hits, facet_lists = run(understood)
    if count == 0 and understood:
        # A recognised issuer or year that leaves nothing was not meant as a filter.
        understood = {}
        if parsed and parsed.year:
            parsed = parse_query(q.replace(str(parsed.year), f" {parsed.year} ", 1), issuer_names=None)
            parsed.year = None
            match = parsed.match
        count, hits, facet_lists = run({})
    quotes_ignored = False
    if count == 0 and match.phrases:
        # (Recognised filters that left nothing were dropped above, before the quotes.)
        parsed = parse_query(_unquoted(q), issuer_names=None)
        match, pinned = parsed.match, _pins(parsed)
        count, hits, facet_lists = run(understood)
        quotes_ignored = count > 0
    suggestion, corrected_from = None, None
    if parsed and match and not match.phrases and not (parsed.doc_number_keys or parsed.index_nos):
        with connection.cursor() as cursor:
            replacements = spelling.corrections(parsed.remainder, cursor=cursor, backend=get_backend())
        if replacements:
            suggestion = spelling.corrected(q, replacements)
            if correct and count < FEW_RESULTS:
                better = parse_query(suggestion, issuer_names=_issuer_names() if not issuer else None)
                previous = (parsed, match, pinned, count, hits, facet_lists)
                parsed, match, pinned = better, better.match, _pins(better)
                count, hits, facet_lists = run(understood)
                if count > previous[3]:
                    corrected_from = q
                else:
                    parsed, match, pinned, count, hits, facet_lists = previous
    result = SearchResult(count=count, hits=[], facets=facet_lists, page=page, page_size=page_size, query=parsed,
                          understood=understood, quotes_ignored=quotes_ignored, suggestion=suggestion,
                          corrected_from=corrected_from)
    documents = documents_with_details(Document.objects.filter(pk__in=[i for i, _s in hits])).in_bulk()
    highlight = [*match.terms, *(w for p in match.phrases for w in p)] if parsed else []
    for document_id, score in hits:
        document = documents.get(document_id)
        if document is None:
            continue
        is_pinned, is_named = score >= PINNED_BONUS, PINNED_BONUS > score >= TITLE_BONUS
        snippet = ""
        if snippets:
            snippet = snippet_html(html_to_text(document.summary + "\n" + document.body), highlight)
        bonus = PINNED_BONUS if is_pinned else TITLE_BONUS if is_named else 0.0
        result.hits.append(SearchHit(document=document, score=round(score - bonus, 6), snippet=snippet,
                                     pinned=is_pinned, named=is_named))
    if count == 0 and parsed and any(v not in (None, "") for v in filters.values()):
        result.relaxed_count = _count_without_filters(parsed, user=user)
        result.relaxed_query = q if result.relaxed_count else None
    return result


def _unquoted(q: str) -> str:
    return re.sub(r'["“”「」]', " ", text.normalise(q)).strip()  # ＂ is " once normalised


def _count_without_filters(parsed: ParsedQuery, *, user) -> int:
    """How many documents the query finds without the filters (quotes dropped when they find nothing)."""
    for candidate in (parsed, parse_query(_unquoted(parsed.raw))):
        count, _hits, _f = _execute(match=candidate.match, pinned=_pins(candidate), user=user, filters={},
                                    sort="relevance", limit=1, offset=0, facets=False)
        if count or not candidate.match.phrases:
            return count
    return 0


def search_suggest(*, prefix: str, user=None, limit: int = 8) -> list[dict]:
    """Titles (and 发文字号) starting with what was typed so far, newest first: [{"id", "title", "doc_number"}]."""
    key = suggestion_key(prefix)
    if not key:
        return []
    from .query import doc_number_key

    keys = {key, doc_number_key(prefix)} if re.search(r"\d", key) else {key}
    vis_sql, vis_params = _visibility(user)
    # Byte order on both databases (PostgreSQL's default collation orders differently, and then its
    # key index can serve neither the range nor the order): the index "search_suggestion_key_c".
    key_sql = 's.key COLLATE "C"' if connection.vendor == "postgresql" else "s.key"
    # Per key, walk the key index in order and stop early: cheap even when the prefix matches half the library.
    ranges = " UNION ALL ".join(
        f"SELECT * FROM (SELECT entry_id, key FROM search_searchsuggestion s WHERE {key_sql} >= %s AND {key_sql} < %s "
        f"ORDER BY {key_sql} LIMIT %s) k{n}" for n in range(len(keys)))
    key_params = [p for k in sorted(keys) for p in (k, k + "\U0010ffff", limit * 8)]
    sql = (
        "SELECT e.document_id, e.title, e.doc_number, s.key FROM "
        f"({ranges}) s JOIN search_searchentry e ON e.document_id = s.entry_id WHERE {vis_sql}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*key_params, *vis_params])
        rows = sorted(cursor.fetchall(), key=lambda r: (len(r[3]), r[3]))
    seen: dict[int, dict] = {}
    for document_id, title, doc_number, _key in rows:
        if document_id not in seen:
            seen[document_id] = {"id": document_id, "title": title, "doc_number": doc_number}
    return list(seen.values())[:limit]
