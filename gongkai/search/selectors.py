"""Reads of the search index: `search_documents` (results, facets, snippets) and `search_suggest`.

The full-text match comes from the backend; visibility, filters, boosts, facet counts and paging
are one SQL statement written here once, identical on SQLite and PostgreSQL.
"""

from __future__ import annotations

import math
import re
import time
from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection

from gongkai import text
from gongkai.core.selectors import organisations_for_user
from gongkai.documents.models import Document
from gongkai.documents.selectors import documents_with_details

from .backends import MatchQuery, get_backend
from .query import ParsedQuery, parse_query
from .services import html_to_text, issuer_names_cache, search_dictionary_refresh, suggestion_key
from .snippets import snippet_html

FACETS = ("issuer", "topic", "genre", "validity", "year")
SORTS = ("relevance", "date", "date_asc")  # date: newest first; date_asc: oldest first
DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = getattr(settings, "API_MAX_PAGE_SIZE", 100)
PINNED_BONUS = 1e6  # a document whose 发文字号/索引号 is in the query comes first
VALID_BOOST = 1.1  # currently valid documents a little above repealed or expired ones
RECENCY_BOOST = 0.1  # up to +10% for the newest documents (linear from 2000 to 2030)
# The result set is what the words match. The best RERANK_DEPTH of them are then reordered with the
# query's characters (BM25 over characters, statistics taken over those candidates), which bridges
# segmentation mismatches (震中/地震, 雪天/下雪). Matching characters in the engine instead would select
# nearly the whole library and rank it slowly. Measured on qa_dev (docs/text-analysis.md).
RERANK_DEPTH = 50
CHAR_WEIGHT = 0.75  # of the normalised character score, next to the normalised word score (1.0)
BM25_K1, BM25_B = 1.2, 0.75


@dataclass
class SearchHit:
    document: Document
    score: float
    snippet: str = ""
    pinned: bool = False


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
    # When nothing was found: a broader query that finds something, and how many it finds.
    relaxed_query: str | None = None
    relaxed_count: int = 0


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


def _filters(filters: dict) -> tuple[list[str], list]:
    clauses, params = [], []
    if filters.get("issuer"):
        clauses.append("EXISTS (SELECT 1 FROM search_searchissuer i WHERE i.entry_id = e.document_id AND i.name = %s)")
        params.append(filters["issuer"])
    if filters.get("topic"):
        clauses.append("(e.topic = %s OR e.subtopic = %s)")
        params += [filters["topic"], filters["topic"]]
    for name in ("genre", "validity", "year"):
        if filters.get(name) not in (None, ""):
            clauses.append(f"e.{name} = %s")
            params.append(filters[name])
    return clauses, params


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


def _execute(*, match: MatchQuery, pinned: list[int], user, filters: dict, sort: str, limit: int, offset: int,
             facets: bool, rerank: MatchQuery | None = None, within=None) -> tuple[int, list[tuple[int, float]], dict[str, list[dict]]]:
    """One statement: count, facet counts and the page of (document id, score)."""
    params: list = []
    pin_marks = ", ".join(["%s"] * len(pinned))
    if match:
        match_sql, match_params = get_backend().match_sql(match)
        if pinned:
            m_sql = (f"SELECT id, MAX(s) AS s FROM ({match_sql} UNION ALL SELECT document_id AS id, 0.0 AS s "
                     f"FROM search_searchentry WHERE document_id IN ({pin_marks})) u GROUP BY id")
            params += [*match_params, *pinned]
        else:
            m_sql = match_sql
            params += match_params
    elif pinned:
        m_sql = f"SELECT document_id AS id, 0.0 AS s FROM search_searchentry WHERE document_id IN ({pin_marks})"
        params += pinned
    else:
        m_sql = "SELECT document_id AS id, 0.0 AS s FROM search_searchentry"
    vis_sql, vis_params = _visibility(user)
    filter_clauses, filter_params = _filters(filters)
    if within is not None:
        within_sql, within_params = within.values("pk").query.sql_with_params()
        filter_clauses.append(f"e.document_id IN ({within_sql})")
        filter_params = [*filter_params, *within_params]
    where = " AND ".join([vis_sql, *filter_clauses])
    bonus = f"CASE WHEN e.document_id IN ({pin_marks}) THEN {PINNED_BONUS} ELSE 0 END" if pinned else "0"
    boost = (f"(CASE WHEN e.validity = 'valid' THEN {VALID_BOOST} ELSE 1.0 END) * (1.0 + {RECENCY_BOOST} * "
             "CAST(CASE WHEN e.year IS NULL OR e.year <= 2000 THEN 0 WHEN e.year >= 2030 THEN 30 ELSE e.year - 2000 END "
             "AS DOUBLE PRECISION) / 30.0)")
    v_sql = (
        "SELECT id, genre, validity, year, topic, subtopic, published_at, raw * boost + pin AS s, boost, pin FROM "
        "(SELECT e.document_id AS id, e.genre, e.validity, e.year, e.topic, e.subtopic, e.published_at, "
        f"CAST(m.s AS DOUBLE PRECISION) AS raw, {boost} AS boost, {bonus} AS pin "
        f"FROM m JOIN search_searchentry e ON e.document_id = m.id WHERE {where}) b"
    )
    params += [*vis_params, *filter_params, *pinned]
    order = {"relevance": "s DESC, published_at DESC NULLS LAST, id DESC", "date": "published_at DESC NULLS LAST, id DESC",
             "date_asc": "published_at ASC NULLS LAST, id ASC"}[sort]
    parts = ["SELECT 'count' AS k, '' AS val, CAST(COUNT(*) AS DOUBLE PRECISION) AS n, '' AS x FROM v"]
    if facets:
        parts += [
            "SELECT 'genre', genre, COUNT(*), '' FROM v GROUP BY genre",
            "SELECT 'validity', validity, COUNT(*), '' FROM v GROUP BY validity",
            "SELECT 'year', CAST(year AS TEXT), COUNT(*), '' FROM v WHERE year IS NOT NULL GROUP BY year",
            "SELECT 'topic', topic, COUNT(*), '' FROM v WHERE topic <> '' GROUP BY topic",
            "SELECT 'topic', subtopic, COUNT(*), '' FROM v WHERE subtopic <> '' GROUP BY subtopic",
            "SELECT 'issuer', i.name, COUNT(*), '' FROM v JOIN search_searchissuer i ON i.entry_id = v.id GROUP BY i.name",
        ]
    parts.append(
        "SELECT 'hit', CAST(id AS TEXT), s, COALESCE(CAST(published_at AS TEXT), '') || '|' || CAST(boost AS TEXT) "
        "|| '|' || CAST(pin AS TEXT) FROM "
        f"(SELECT id, s, published_at, boost, pin FROM v ORDER BY {order} "
        "LIMIT %s OFFSET %s) h"
    )
    reranking = bool(rerank) and sort == "relevance" and offset + limit <= RERANK_DEPTH
    params += [RERANK_DEPTH, 0] if reranking else [limit, offset]
    sql = (f"WITH m AS MATERIALIZED ({m_sql}), v AS MATERIALIZED ({v_sql}) "
           + " UNION ALL ".join(parts))
    count, hits, facet_counts = 0, [], {name: {} for name in FACETS}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    for kind, value, number, extra in rows:
        if kind == "count":
            count = int(number)
        elif kind == "hit":
            published, boost_value, pin_value = extra.rsplit("|", 2)
            hits.append((int(value), float(number), published, float(boost_value), float(pin_value)))
        else:
            facet_counts[kind][value] = int(number)
    if reranking and len(hits) > 1:
        hits = _rerank_by_characters(hits, rerank.chars)
    if sort == "relevance":
        hits.sort(key=lambda h: (h[1], h[2], h[0]), reverse=True)
    elif sort == "date":
        hits.sort(key=lambda h: (h[2] != "", h[2], h[0]), reverse=True)
    else:
        hits.sort(key=lambda h: (h[2] == "", h[2], h[0]))
    if reranking:
        hits = hits[offset:offset + limit]
    facet_lists = {
        name: sorted(({"value": v, "count": n} for v, n in values.items()), key=lambda f: (-f["count"], f["value"]))
        for name, values in facet_counts.items()
    } if facets else {}
    if facets:
        facet_lists["year"].sort(key=lambda f: f["value"], reverse=True)
    return count, [(h[0], h[1]) for h in hits], facet_lists


def _rerank_by_characters(hits: list[tuple], query_chars: list[str]) -> list[tuple]:
    """hits: (id, score, published, boost, pin). New score: word score and character BM25, each
    normalised by its best value among the candidates, weighted 1 : CHAR_WEIGHT; boosts and pins kept."""
    texts = Document.objects.filter(pk__in=[h[0] for h in hits]).values_list("pk", "title", "summary", "body")
    counts = {pk: Counter(text.chars(f"{title}\n{summary}\n{html_to_text(body)}")) for pk, title, summary, body in texts}
    wanted = set(query_chars)
    lengths = {pk: sum(c.values()) for pk, c in counts.items()}
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
    sort: str = "relevance",
    page: int = 1,
    page_size: int = DEFAULT_PAGE_SIZE,
    facets: bool = True,
    snippets: bool = True,
    within=None,
) -> SearchResult:
    """Search the documents `user` may see (the public when None) for `q`, with filters and facets.

    `within`: an optional Document queryset the results must also belong to (the API's other filters).
    """
    if sort not in SORTS:
        raise ValueError(f"sort must be one of {SORTS}")
    page, page_size = max(1, int(page)), max(1, min(int(page_size), MAX_PAGE_SIZE))
    filters = {"issuer": issuer, "topic": topic, "genre": genre, "validity": validity, "year": year}
    search_dictionary_refresh()
    q = (q or "").strip()
    parsed = parse_query(q, issuer_names=_issuer_names() if q and not issuer else None) if q else None
    understood: dict = {}
    if parsed and parsed.issuer and not issuer:
        understood["issuer"] = parsed.issuer
    if parsed and parsed.year and not year:
        understood["year"] = parsed.year
    match = parsed.match if parsed else MatchQuery()
    pinned = _pinned_ids(parsed) if parsed else []
    if parsed and not match and not pinned and (parsed.issuer or parsed.year):
        pass  # the query was only a filter (e.g. "2018"): list what the filter selects
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
    result = SearchResult(count=count, hits=[], facets=facet_lists, page=page, page_size=page_size, query=parsed,
                          understood=understood)
    documents = documents_with_details(Document.objects.filter(pk__in=[i for i, _s in hits])).in_bulk()
    highlight = [*match.terms, *(w for p in match.phrases for w in p)] if parsed else []
    for document_id, score in hits:
        document = documents.get(document_id)
        if document is None:
            continue
        is_pinned = score >= PINNED_BONUS
        snippet = ""
        if snippets:
            snippet = snippet_html(html_to_text(document.summary + "\n" + document.body), highlight)
        result.hits.append(SearchHit(document=document, score=round(score - PINNED_BONUS if is_pinned else score, 6),
                                     snippet=snippet, pinned=is_pinned))
    if count == 0 and parsed:
        result.relaxed_query, result.relaxed_count = _relax(parsed, q, user=user, filters=filters)
    return result


def _relax(parsed: ParsedQuery, q: str, *, user, filters: dict) -> tuple[str | None, int]:
    """A broader query for an empty result: without quotes, then without the filters."""
    candidates: list[tuple[str, dict]] = []
    if parsed.match.phrases:
        candidates.append((re.sub(r'["“”《》「」]', " ", q).strip(), filters))
    if any(v not in (None, "") for v in filters.values()):
        candidates.append((q, {}))
    for candidate, candidate_filters in candidates:
        relaxed = parse_query(candidate)
        count, _hits, _f = _execute(match=relaxed.match, pinned=_pinned_ids(relaxed), user=user,
                                    filters=candidate_filters, sort="relevance", limit=1, offset=0, facets=False)
        if count:
            return candidate if candidate_filters else f"{candidate}（不限筛选条件）", count
    return None, 0


def search_suggest(*, prefix: str, user=None, limit: int = 8) -> list[dict]:
    """Titles (and 发文字号) starting with what was typed so far, newest first: [{"id", "title", "doc_number"}]."""
    key = suggestion_key(prefix)
    if not key:
        return []
    from .query import doc_number_key

    keys = {key, doc_number_key(prefix)} if re.search(r"\d", key) else {key}
    vis_sql, vis_params = _visibility(user)
    if connection.vendor == "postgresql":
        conditions = " OR ".join(["s.key LIKE %s"] * len(keys))
        key_params = [k.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%" for k in keys]
    else:
        conditions = " OR ".join(["(s.key >= %s AND s.key < %s)"] * len(keys))
        key_params = [p for k in keys for p in (k, k + "\U0010ffff")]
    # Walk the key index in order and stop early: cheap even when the prefix matches half the library.
    sql = (
        "SELECT e.document_id, e.title, e.doc_number, s.key FROM "
        f"(SELECT entry_id, key FROM search_searchsuggestion s WHERE {conditions} ORDER BY key LIMIT %s) s "
        f"JOIN search_searchentry e ON e.document_id = s.entry_id WHERE {vis_sql}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*key_params, limit * 8, *vis_params])
        rows = sorted(cursor.fetchall(), key=lambda r: (len(r[3]), r[3]))
    seen: dict[int, dict] = {}
    for document_id, title, doc_number, _key in rows:
        if document_id not in seen:
            seen[document_id] = {"id": document_id, "title": title, "doc_number": doc_number}
    return list(seen.values())[:limit]
