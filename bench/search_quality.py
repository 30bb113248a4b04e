"""Search quality: MRR@10 and Recall@10 of the platform's search next to a baseline, in one process.

    .venv/bin/python bench/search_quality.py            # SQLite (FTS5)
    DATABASE_URL=postgres://… .venv/bin/python bench/search_quality.py   # PostgreSQL backend

Baseline (same process, same data): plain jieba segmentation into an FTS5 `unicode61` table with the
same fields (title, 发文字号+发文机关, body), query = OR of the query's segmented terms, `bm25()`.
Ours: the full service `search_documents` (analyzer, field weights, character field, query
understanding, boosts, facets and snippets) on a throw-away database.

Every set is printed for its two halves, split by the MD5 of the query (even: "tune", odd: "test"):
changes to the ranking are tuned on the tune half only, and the test half is the figure to report.
`--losses FILE` writes, for the tune half only, the queries whose answer the baseline has in its top 10
and ours has not (recall losses) and those ours ranks lower, with both rankings' titles.

Each line also prints the difference in MRR@10 with its 95% confidence interval (paired bootstrap over
the queries, 10,000 resamples, seeded) and on how many queries ours ranks the answer higher or lower:
"clearly better" means an interval above zero, not a single lucky figure.

Sets:
1. qa_dev — ../shared/data/qa_dev.jsonl: every answer is a document (body = answer, issuer = the
   answering department, no title); each question is a query; relevant = the document(s) with its
   answer text.
2. laws known-item — built deterministically from ../shared/data/laws.jsonl.gz (all 3,471 texts are
   indexed, title/body/issuer from the corpus, 发文字号 = the 令 number in its promulgation line when
   there is one). 300 distinct titles are drawn with random.Random(20261123); for each:
   - "short title": the title without its jurisdiction prefix (中华人民共和国, 山东省, 最高人民法院关于 …)
     and without its closing genre word (条例, 办法, 规定 …), as people remember a regulation;
   - "body phrase": 8-16 characters from the middle of the text's middle article (unquoted);
   - "doc number": for the texts with a 令 number, written sloppily (国务院令152号, no 第);
   - "exact name": the title without its jurisdiction prefix but with its genre word (劳动合同法,
     行政复议法实施条例), as a law is named — its relatives must not rank above it (issue 17.2).
   Relevant = any version of the regulation (same title): the corpus holds several dated versions.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import random
import re
import sqlite3
import time

import jieba
from _search_common import (
    DATA,
    drop_database,
    fresh_database,
    issuer_of,
    laws,
    load_documents,
    machine,
    markdown_to_html,
)

jieba.setLogLevel(logging.WARNING)

PREFIX_RE = re.compile(
    r"^(?:中华人民共和国|最高人民法院、最高人民检察院关于|最高人民法院关于|最高人民检察院关于|国务院关于|"
    r"(?:山东|河南|浙江|广东)省|(?:上海|北京|重庆)市)"
)
GENRE_SUFFIX_RE = re.compile(r"(?:实施细则|实施办法|若干规定|条例|办法|规定|细则|决定|规则|法)$")
ORDER_RE = re.compile(r"(?:中华人民共和国)?([\u4e00-\u9fff]{2,12}令)第(\d+)号")


def reciprocal_ranks(rankings: list[list[int]], relevant: list[set[int]]) -> list[float]:
    """Per query: 1/rank of the first relevant document in the top 10, 0 if none."""
    return [next((1 / pos for pos, doc in enumerate(ranked[:10], start=1) if doc in rel), 0.0)
            for ranked, rel in zip(rankings, relevant, strict=True)]


def mrr_recall(rankings: list[list[int]], relevant: list[set[int]]) -> tuple[float, float]:
    rr = reciprocal_ranks(rankings, relevant)
    return sum(rr) / len(rr), sum(1 for x in rr if x) / len(rr)


def paired_bootstrap(ours: list[float], base: list[float], *, resamples: int = 10_000) -> tuple[float, float]:
    """95% confidence interval of mean(ours - base) over queries resampled with replacement (seeded)."""
    import numpy as np

    diff = np.array(ours) - np.array(base)
    rng = np.random.default_rng(20261123)
    # 1,000 resamples at a time: the whole index matrix would take ~170 MB for 1,041 queries.
    means = np.concatenate([diff[rng.integers(0, len(diff), (min(1000, resamples - done), len(diff)))].mean(axis=1)
                            for done in range(0, resamples, 1000)])
    low, high = np.percentile(means, [2.5, 97.5])
    return float(low), float(high)


class Baseline:
    """Plain jieba → FTS5 unicode61, OR of segmented terms, bm25()."""

    def __init__(self):
        self.db = sqlite3.connect(":memory:")
        self.db.execute("CREATE VIRTUAL TABLE f USING fts5(title, meta, body, tokenize='unicode61')")

    @staticmethod
    def cut(text: str) -> str:
        return " ".join(w for w in jieba.cut(text) if w.strip())

    def add(self, rowid: int, title: str, meta: str, body: str) -> None:
        self.db.execute("INSERT INTO f(rowid, title, meta, body) VALUES (?, ?, ?, ?)",
                        (rowid, self.cut(title), self.cut(meta), self.cut(body)))

    def search(self, query: str) -> list[int]:
        terms = sorted({w for w in jieba.cut(query) if re.search(r"\w", w)})
        if not terms:
            return []
        expr = " OR ".join('"' + t.replace('"', '""') + '"' for t in terms)
        return [r[0] for r in self.db.execute("SELECT rowid FROM f WHERE f MATCH ? ORDER BY bm25(f) LIMIT 10", (expr,))]


def ours(query: str) -> list[int]:
    from gongkai.search.selectors import search_documents

    return [h.document.pk for h in search_documents(q=query, page_size=10).hits]


LOSSES: list[str] = []
TITLES: dict[int, str] = {}


def half(query: str) -> str:
    return "tune" if int(hashlib.md5(query.encode()).hexdigest(), 16) % 2 == 0 else "test"


def evaluate(name: str, queries: list[tuple[str, set[int]]], baseline: Baseline, *, by_kind=None) -> None:
    t0 = time.perf_counter()
    base = [baseline.search(q) for q, _rel in queries]
    t1 = time.perf_counter()
    mine = [ours(q) for q, _rel in queries]
    t2 = time.perf_counter()
    for part in ("tune", "test"):
        chosen = [i for i, (q, _r) in enumerate(queries) if half(q) == part]
        report(f"{name} [{part}]", [queries[i] for i in chosen], [base[i] for i in chosen], [mine[i] for i in chosen],
               t1 - t0, t2 - t1, len(queries))
        if part == "tune":
            for i in chosen:
                q, rel = queries[i]
                b = next((k for k, d in enumerate(base[i][:10], 1) if d in rel), 0)
                o = next((k for k, d in enumerate(mine[i][:10], 1) if d in rel), 0)
                if b and (not o or o > b):
                    LOSSES.append(f"{name}\t{q}\tbaseline {b} ours {o or '-'}\n  ours: "
                                  + " | ".join(TITLES.get(d, str(d))[:30] for d in mine[i][:5])
                                  + "\n  base: " + " | ".join(TITLES.get(d, str(d))[:30] for d in base[i][:5]))


def report(name: str, queries, base, mine, base_s: float, ours_s: float, total: int) -> None:
    t0, t1, t2 = 0.0, base_s, base_s + ours_s
    rel = [r for _q, r in queries]
    b_mrr, b_rec = mrr_recall(base, rel)
    o_mrr, o_rec = mrr_recall(mine, rel)
    b_rr, o_rr = reciprocal_ranks(base, rel), reciprocal_ranks(mine, rel)
    low, high = paired_bootstrap(o_rr, b_rr)
    pairs = list(zip(o_rr, b_rr, strict=True))
    wins, losses = sum(o > b for o, b in pairs), sum(o < b for o, b in pairs)
    print(f"{name:34s} {len(queries):5d}  baseline MRR@10 {b_mrr:.4f} R@10 {b_rec:.4f}   "
          f"ours MRR@10 {o_mrr:.4f} R@10 {o_rec:.4f}   ({(t1 - t0) / total * 1000:.1f} vs "
          f"{(t2 - t1) / total * 1000:.1f} ms/query)\n"
          f"{'':40s} difference {o_mrr - b_mrr:+.4f}, 95% CI {low:+.4f} … {high:+.4f} (paired bootstrap); "
          f"better on {wins} queries, worse on {losses}")


def qa_set():
    from gongkai.search.services import search_reindex

    rows = [json.loads(line) for line in (DATA / "qa_dev.jsonl").open(encoding="utf-8")]
    ids = load_documents([
        {"title": "", "body": f"<p>{r['answer']}</p>", "issuer": r.get("department") or "", "genre": "other"}
        for r in rows
    ])
    search_reindex()
    baseline = Baseline()
    by_answer: dict[str, set[int]] = {}
    for doc_id, r in zip(ids, rows, strict=True):
        baseline.add(doc_id, "", r.get("department") or "", r["answer"])
        by_answer.setdefault(r["answer"], set()).add(doc_id)
    TITLES.update({doc_id: r["answer"][:30] for doc_id, r in zip(ids, rows, strict=True)})
    evaluate("qa_dev (questions → answers)", [(r["question"], by_answer[r["answer"]]) for r in rows], baseline)


def laws_set():
    import datetime as dt

    from django.utils import timezone

    from gongkai.search.services import search_reindex

    corpus = laws()
    items = []
    for r in corpus:
        number = next((f"{m[1]}第{m[2]}号" for line in r["meta_lines"] if (m := ORDER_RE.search(line))), "")
        day = dt.date.fromisoformat(r["version_date"]) if r.get("version_date") else dt.date(2000, 1, 1)
        items.append({"title": r["title"], "body": markdown_to_html(r["body"]), "doc_number": number,
                      "issuer": issuer_of(r["category"]), "category": r["category"], "genre": "law",
                      "published_at": timezone.make_aware(dt.datetime.combine(day, dt.time(9)))})
    ids = load_documents(items)
    search_reindex()
    baseline = Baseline()
    by_title: dict[str, set[int]] = {}
    for doc_id, it, r in zip(ids, items, corpus, strict=True):
        baseline.add(doc_id, it["title"], f"{it['doc_number']} {it['issuer']}", r["body"])
        by_title.setdefault(it["title"], set()).add(doc_id)
    TITLES.update({doc_id: it["title"] for doc_id, it in zip(ids, items, strict=True)})
    rng = random.Random(20261123)
    titles = sorted(by_title)
    sample = rng.sample(titles, 300)
    first = {it["title"]: (it, r) for it, r in zip(items, corpus, strict=True)}
    short, phrase, number, named = [], [], [], []
    for title in sample:
        it, r = first[title]
        rel = by_title[title]
        core = GENRE_SUFFIX_RE.sub("", PREFIX_RE.sub("", re.sub(r"[（(].*?[)）]", "", title)))
        if len(core) >= 2:
            short.append((core, rel))
        name = PREFIX_RE.sub("", title)
        if len(name) >= 3:
            named.append((name, rel))
        articles = [p for p in r["body"].split("\n") if len(p) > 40 and not p.startswith("#")]
        if articles:
            article = re.sub(r"^第[一二三四五六七八九十百零]+条\s*", "", articles[len(articles) // 2])
            mid = len(article) // 2
            length = rng.randint(8, 16)
            phrase.append((article[mid:mid + length], rel))
        if it["doc_number"]:
            number.append((it["doc_number"].replace("第", ""), rel))
    evaluate("laws known-item: short title", short, baseline)
    evaluate("laws known-item: body phrase", phrase, baseline)
    evaluate("laws known-item: sloppy doc number", number, baseline)
    evaluate("laws known-item: exact name", named, baseline)
    evaluate("laws known-item: all", short + phrase + number + named, baseline)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("sets", nargs="*", default=["qa", "laws"], help="qa, laws (default: both)")
    parser.add_argument("--losses", help="write the tune half's losses against the baseline to this file")
    args = parser.parse_args()
    print(machine())
    print(f"{'set':34s} {'n':>5s}")
    wanted = args.sets
    for build in [{"qa": qa_set, "laws": laws_set}[w] for w in wanted]:
        old = fresh_database()
        try:
            build()
        finally:
            drop_database(old)
    if args.losses:
        with open(args.losses, "w", encoding="utf-8") as f:
            f.write("\n".join(LOSSES) + "\n")


if __name__ == "__main__":
    main()
