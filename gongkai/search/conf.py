"""Defaults of the search ranking, each with where it was measured (docs/text-analysis.md).

Read by `columns` (the per-document boost held in memory) and `selectors` (query rules, reranking):
one place, so that neither module imports the other for a number."""

from __future__ import annotations

from django.conf import settings

VALID_BOOST = 1.1  # currently valid documents a little above repealed or expired ones
RECENCY_BOOST = 0.1  # up to +10% for the newest documents (linear from 2000 to 2030)
# Boosts and the character reranking reorder the engine's best RESCORE_WINDOW matches (selectors._best).
RESCORE_WINDOW = 200
# The common-terms rule (selectors.common_terms): a word in more than this share of the library, and in
# more than COMMON_TERM_MIN_DOCS documents, only adds to the score. Settings, measured in docs/text-analysis.md.
COMMON_TERM_RATIO = getattr(settings, "SEARCH_COMMON_TERM_RATIO", 0.05)
COMMON_TERM_MIN_DOCS = getattr(settings, "SEARCH_COMMON_TERM_MIN_DOCS", 1000)
# The best RERANK_DEPTH word matches are reordered with the query's characters (selectors._rerank_by_characters).
RERANK_DEPTH = 50
CHAR_WEIGHT = 0.75  # of the normalised character score, next to the normalised word score (1.0)
BM25_K1, BM25_B = 1.2, 0.75
