"""Search speed at scale: indexing throughput, query latency with facets and snippets, suggestions.

    .venv/bin/python bench/search_scale.py [--docs 100000]                      # SQLite (file database)
    DATABASE_URL=postgres://… .venv/bin/python bench/search_scale.py [--docs N]  # PostgreSQL (test_<db>)

The library is built by deterministic recombination of real text (random.Random(20261123)): every
paragraph (≥ 20 characters, headings dropped) and every title of ../shared/data/laws.jsonl.gz form a
pool; document i gets a title "<issuer>关于<a real title, its genre word cut off>的<genre>", 3-8 random
paragraphs as its body (≈1,300 characters), an issuer from 40 names, a topic, a genre, a year
2005-2025, a unique 发文字号 and 10% repealed. Documents are bulk-inserted (not timed), then:

- indexing: `search_reindex()` (analysis + index rows + full-text write), next to the bare engine's
  insert of the same pre-segmented text into an identical FTS5 table / a tsvector+GIN table, timed
  alone in the same run;
- queries: 200 fixed queries (60 two-word keyword queries from titles, 50 citizen questions from
  qa_dev, 40 sloppy 发文字号, 30 broad one-word queries matching most of the library, 20 quoted
  phrases from bodies) through `search_documents` (public visibility, facets, snippets, page of 10),
  after a warm-up pass, next to the bare engine query (words OR, bm25/ts_rank, top 10, no facets);
- suggestions: 200 prefixes (2-6 characters of titles, and of 发文字号) through `search_suggest`;
- peak memory: the process's maximum resident set size.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import resource
import sys
import time

from _search_common import DATA, connection, drop_database, laws, machine, markdown_to_html

ISSUER_NAMES = [f"{city}{dept}" for city in ("临海市", "灌南县", "青岛市崂山区", "宿州市", "示例市")
                for dept in ("人民政府", "人民政府办公室", "教育局", "财政局", "卫生健康委员会", "住房和城乡建设局",
                             "市场监督管理局", "数据资源局")]
AGENCY = {name: name[:2] + ["政", "政办", "教", "财", "卫", "建", "市监", "数"][i % 8] + "发"
          for i, name in enumerate(ISSUER_NAMES)}
GENRES = [("notice", "通知"), ("opinion", "意见"), ("normative", "办法"), ("decision", "决定"), ("reply", "批复")]
BROAD = ["规定", "管理", "应当", "人民政府", "部门", "工作", "有关", "单位", "法律", "责任", "条例", "实施",
         "国家", "办法", "组织", "情况", "负责", "社会", "相关", "依法", "行政", "服务", "监督", "标准", "建设",
         "安全", "发展", "制度", "机关", "信息"]


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def build_items(n: int, rng: random.Random):
    import datetime as dt

    from django.utils import timezone

    from gongkai.documents.models import Topic

    corpus = laws()
    paragraphs = [p.strip() for r in corpus for p in r["body"].split("\n")
                  if len(p.strip()) >= 20 and not p.lstrip().startswith("#")]
    cores = [re.sub(r"(?:条例|办法|规定|细则|决定|规则|法)$", "", re.sub(r"^中华人民共和国", "", r["title"]))
             for r in corpus]
    topics = list(Topic.objects.values_list("code", flat=True))
    seq: dict[tuple[str, int], int] = {}
    items = []
    for _ in range(n):
        issuer = rng.choice(ISSUER_NAMES)
        genre, genre_word = rng.choice(GENRES)
        year = rng.randint(2005, 2025)
        seq[(issuer, year)] = seq.get((issuer, year), 0) + 1
        body = "\n".join(rng.choice(paragraphs) for _ in range(rng.randint(3, 8)))
        items.append({
            "title": f"{issuer}关于{rng.choice(cores)}的{genre_word}",
            "body": markdown_to_html(body), "issuer": issuer, "genre": genre,
            "doc_number": f"{AGENCY[issuer]}〔{year}〕{seq[(issuer, year)]}号",
            "topic_code": rng.choice(topics), "validity": "repealed" if rng.random() < 0.1 else "valid",
            "published_at": timezone.make_aware(dt.datetime(year, rng.randint(1, 12), rng.randint(1, 28), 9)),
        })
    return items, paragraphs


def build_queries(items, paragraphs, rng: random.Random) -> list[tuple[str, str]]:
    from gongkai import text

    queries = []
    for _ in range(60):
        words = [w for w in text.words(rng.choice(items)["title"]) if len(w) >= 2 and w not in ISSUER_NAMES]
        queries.append(("keywords", " ".join(rng.sample(words, min(2, len(words))))))
    questions = [json.loads(line)["question"] for line in (DATA / "qa_dev.jsonl").open(encoding="utf-8")]
    queries += [("question", q) for q in rng.sample(questions, 50)]
    for _ in range(40):
        number = rng.choice(items)["doc_number"]
        queries.append(("doc_number", rng.choice([number.replace("〔", "[").replace("〕", "]"),
                                                  number.replace("〔", "").replace("〕", " "), number])))
    queries += [("broad", w) for w in BROAD]
    for _ in range(20):
        p = rng.choice(paragraphs)
        start = rng.randint(0, max(0, len(p) - 12))
        queries.append(("phrase", f'"{p[start:start + rng.randint(6, 10)]}"'))
    return queries


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=100_000)
    args = parser.parse_args()
    from django.conf import settings

    if connection.vendor == "sqlite":
        connection.settings_dict["TEST"]["NAME"] = str(settings.DATA_DIR / "bench_search_scale.sqlite3")
    old = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        run(args.docs)
    finally:
        drop_database(old)


def run(n: int) -> None:
    from _search_common import load_documents

    from gongkai import text
    from gongkai.core.html import html_to_text
    from gongkai.search.backends import get_backend
    from gongkai.search.selectors import search_documents, search_suggest
    from gongkai.search.services import _indexed_text, search_reindex

    print(machine())
    rng = random.Random(20261123)
    t = time.perf_counter()
    items, paragraphs = build_items(n, rng)
    from django.db import transaction as tx

    for start in range(0, n, 5000):
        with tx.atomic():
            load_documents(items[start:start + 5000])
    text_mb = sum(len((it["title"] + html_to_text(it["body"])).encode()) for it in items) / 1e6
    print(f"library: {n} documents, {text_mb:.1f} MB of text (UTF-8), built and stored in {time.perf_counter() - t:.0f} s")

    t = time.perf_counter()
    search_reindex(batch_size=500)
    index_s = time.perf_counter() - t
    print(f"indexing (full service: analysis + index rows + full-text write): {index_s:.1f} s = "
          f"{text_mb / index_s:.2f} MB/s, {n / index_s:.0f} docs/s")

    # Bare engine: the same pre-segmented text into an identical full-text table; only the inserts are timed.
    from django.db import transaction

    from gongkai.documents.models import Document

    backend = get_backend()
    bare_s = 0.0
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("CREATE VIRTUAL TABLE bare_fts USING fts5(title, meta, body, tokenize='unicode61 remove_diacritics 0')")
        else:
            cursor.execute("CREATE TABLE bare_ts (id bigint primary key, v tsvector)")
            cursor.execute("CREATE INDEX bare_ts_v ON bare_ts USING gin (v)")
        ids = list(Document.objects.order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(ids), 500):
            batch = list(Document.objects.filter(pk__in=ids[start:start + 500]).prefetch_related("issuers"))
            texts = [_indexed_text(d, [i.name for i in d.issuers.all()], html_to_text(d.body)) for d in batch]
            rows = [(x.document_id, " ".join(x.title), " ".join(x.meta), " ".join(x.body)) for x in texts]
            t = time.perf_counter()
            with transaction.atomic():  # one transaction per batch, as the index service does
                if connection.vendor == "sqlite":
                    cursor.executemany("INSERT INTO bare_fts(rowid, title, meta, body) VALUES (%s, %s, %s, %s)", rows)
                else:
                    cursor.executemany(
                        "INSERT INTO bare_ts (id, v) VALUES (%s, setweight(to_tsvector('simple', %s), 'A') || "
                        "setweight(to_tsvector('simple', %s), 'B') || setweight(to_tsvector('simple', %s), 'C'))",
                        rows)
            bare_s += time.perf_counter() - t
    print(f"bare engine insert of the same pre-segmented text: {bare_s:.1f} s = {text_mb / bare_s:.2f} MB/s, "
          f"{n / bare_s:.0f} docs/s → ours is {bare_s / index_s * 100:.0f}% of bare")
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bare_fts" if connection.vendor == "sqlite" else "DROP TABLE bare_ts")
        cursor.execute("ANALYZE")

    queries = build_queries(items, paragraphs, rng)
    for _kind, q in queries[::10]:
        search_documents(q=q, page_size=10)  # warm-up
    timings: dict[str, list[float]] = {}
    for kind, q in queries:
        t = time.perf_counter()
        search_documents(q=q, page_size=10)
        timings.setdefault(kind, []).append((time.perf_counter() - t) * 1000)
    every = [x for v in timings.values() for x in v]
    print(f"queries through search_documents (facets + snippets, page of 10), {len(every)} queries: "
          f"p50 {percentile(every, 50):.1f} ms, p95 {percentile(every, 95):.1f} ms, p99 {percentile(every, 99):.1f} ms")
    for kind, values in timings.items():
        print(f"    {kind:11s} n={len(values):3d} p50 {percentile(values, 50):7.1f} ms  p95 {percentile(values, 95):7.1f} ms"
              f"  max {max(values):7.1f} ms")
    bare = []
    with connection.cursor() as cursor:
        for _kind, q in queries:
            words = text.query_terms(q)
            if not words:
                continue
            from gongkai.search.backends import MatchQuery

            sql, params = backend.match_sql(MatchQuery(terms=words))
            t = time.perf_counter()
            cursor.execute(f"SELECT id FROM ({sql}) m ORDER BY s DESC LIMIT 10", params)
            cursor.fetchall()
            bare.append((time.perf_counter() - t) * 1000)
    print(f"bare engine query (words OR, ranked, top 10, no facets/snippets), {len(bare)} queries: "
          f"p50 {percentile(bare, 50):.1f} ms, p95 {percentile(bare, 95):.1f} ms, p99 {percentile(bare, 99):.1f} ms")

    prefixes = []
    for _ in range(150):
        title = rng.choice(items)["title"]
        title = title.split("关于", 1)[-1] if rng.random() < 0.5 else title
        prefixes.append(title[:rng.randint(2, 6)])
    prefixes += [rng.choice(items)["doc_number"][:rng.randint(3, 8)] for _ in range(50)]
    sug = []
    for p in prefixes:
        t = time.perf_counter()
        search_suggest(prefix=p)
        sug.append((time.perf_counter() - t) * 1000)
    print(f"suggestions, {len(sug)} prefixes: p50 {percentile(sug, 50):.1f} ms, p95 {percentile(sug, 95):.1f} ms, "
          f"p99 {percentile(sug, 99):.1f} ms")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (max RSS of this process): {peak:.0f} MB")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
