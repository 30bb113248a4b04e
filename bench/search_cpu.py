"""CPU per uncached search: the in-process cost of `search_documents` for the portal's query mix
(facets and snippets included, page of 10), next to the bare engine's query in the same run.

    .venv/bin/python bench/search_cpu.py [--docs 100000] [--profile 25]
    DATABASE_URL=postgres://… .venv/bin/python bench/search_cpu.py      # PostgreSQL: test_<db>

The library is `search_scale.py`'s (deterministic recombination of the laws corpus), kept between runs
in a file (SQLite: <DATA_DIR>/bench_search_cpu_<docs>.sqlite3; PostgreSQL: the database
test_<name>_cpu<docs>): the first run builds and indexes it (minutes), later runs reuse it, so two
versions of the code can be compared on the same library (`--rebuild` builds it again).

Figures: CPU seconds of this process (`time.process_time`, user + system) per query — what a web
worker spends — and wall time, as median and p95 over the 200 queries after a warm-up pass. The bare
engine is the words-OR query ranked by bm25()/ts_rank, top 10, no facets, visibility or snippets.
`--profile N` prints the N most expensive functions (cumulative) of the query mix under cProfile.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import random
import sys
import time

from _search_common import connection, machine
from search_scale import build_items, build_queries, percentile


def median(values: list[float]) -> float:
    return percentile(values, 50)


def library(n: int, rebuild: bool):
    """(items, paragraphs) of the deterministic library, stored and indexed unless it already is."""
    from _search_common import load_documents
    from django.conf import settings
    from django.db import transaction

    from gongkai.documents.models import Document
    from gongkai.search.services import search_reindex

    if connection.vendor == "sqlite":
        connection.settings_dict["TEST"]["NAME"] = str(settings.DATA_DIR / f"bench_search_cpu_{n}.sqlite3")
    else:
        connection.settings_dict["TEST"]["NAME"] = f"test_{connection.settings_dict['NAME']}_cpu{n}"
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=not rebuild, serialize=False)
    rng = random.Random(20261123)
    items, paragraphs = build_items(n, rng)
    if Document.objects.count() != n:
        t = time.perf_counter()
        if Document.objects.exists():  # another size or a broken build: start again (documents are never deleted)
            connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False, serialize=False)
        for start in range(0, n, 5000):
            with transaction.atomic():
                load_documents(items[start:start + 5000])
        search_reindex(batch_size=500)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        print(f"library built and indexed in {time.perf_counter() - t:.0f} s")
    return items, paragraphs, rng


def timed(fn, queries) -> tuple[list[float], list[float]]:
    cpu, wall = [], []
    for q in queries:
        c, w = time.process_time(), time.perf_counter()
        fn(q)
        cpu.append((time.process_time() - c) * 1000)
        wall.append((time.perf_counter() - w) * 1000)
    return cpu, wall


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--profile", type=int, default=0, help="print the N most expensive functions")
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    items, paragraphs, rng = library(args.docs, args.rebuild)
    from gongkai import text
    from gongkai.search.backends import MatchQuery, get_backend
    from gongkai.search.selectors import search_documents

    print(machine())
    queries = build_queries(items, paragraphs, rng)
    strings = [q for _kind, q in queries]
    backend = get_backend()

    def ours(q: str) -> None:
        search_documents(q=q, page_size=10)

    def bare(q: str) -> None:
        words = text.query_terms(q)
        if not words:
            return
        sql, params = backend.match_sql(MatchQuery(terms=words))
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT id FROM ({sql}) m ORDER BY s DESC LIMIT 10", params)
            cursor.fetchall()

    for q in strings[::10]:
        ours(q)  # warm-up: the columns snapshot, the analyzer's dictionary
    if args.profile:
        profile = cProfile.Profile()
        profile.enable()
        for q in strings:
            ours(q)
        profile.disable()
        pstats.Stats(profile, stream=sys.stdout).sort_stats("cumulative").print_stats(args.profile)
        return
    cpu, wall = timed(ours, strings)
    bare_cpu, bare_wall = timed(bare, strings)
    print(f"{len(strings)} queries (the portal mix of search_scale.py) at {args.docs} documents, {connection.vendor}")
    print(f"{'':28s} {'CPU median':>11s} {'CPU p95':>9s} {'wall median':>12s} {'wall p95':>9s}   (ms per query)")
    print(f"{'bare engine (words OR)':28s} {median(bare_cpu):11.2f} {percentile(bare_cpu, 95):9.2f} "
          f"{median(bare_wall):12.2f} {percentile(bare_wall, 95):9.2f}")
    print(f"{'search_documents':28s} {median(cpu):11.2f} {percentile(cpu, 95):9.2f} "
          f"{median(wall):12.2f} {percentile(wall, 95):9.2f}")
    kinds: dict[str, list[float]] = {}
    for (kind, _q), c in zip(queries, cpu, strict=True):
        kinds.setdefault(kind, []).append(c)
    for kind, values in kinds.items():
        print(f"    {kind:11s} n={len(values):3d} CPU median {median(values):7.2f} ms  p95 {percentile(values, 95):7.2f} ms")


if __name__ == "__main__":
    main()
