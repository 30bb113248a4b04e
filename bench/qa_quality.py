"""Q&A matcher quality on qa_dev: MRR@10, P@1, abstention trade-off, p95 latency; jieba BM25 baseline.

    .venv/bin/python bench/qa_quality.py [--size N] [--split tune|test]

Index: answers and departments (the entries' own questions are the queries, not indexed). The split
is by the MD5 of the question (even = tune, odd = test); thresholds are chosen on `tune`, reported on
`test`. Unanswerable questions: a fixed fifth of the split's entries (again by hash) is left out of the
index and their questions are asked — the right answer is to abstain.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import jieba  # noqa: E402

from gongkai import text  # noqa: E402
from gongkai.qa import conf  # noqa: E402
from gongkai.qa.matcher import Index  # noqa: E402

# The same place config/settings.py calls SHARED_DIR: GONGKAI_SHARED_DIR, else ../shared beside the repository.
SHARED = Path(os.environ.get("GONGKAI_SHARED_DIR", Path(__file__).resolve().parent.parent.parent / "shared"))
DATA = SHARED / "data" / "qa_dev.jsonl"


def h(s: str) -> int:
    return int(hashlib.md5(s.encode()).hexdigest(), 16)


class JiebaBM25:
    def __init__(self, records):
        self.keys = [r[0] for r in records]
        docs = [jieba.lcut(r[2]) for r in records]
        self.tf = [Counter(d) for d in docs]
        self.len = [len(d) for d in docs]
        self.avg = sum(self.len) / len(self.len)
        df = Counter(w for t in self.tf for w in t)
        n = len(docs)
        self.idf = {w: math.log(1 + (n - d + 0.5) / (d + 0.5)) for w, d in df.items()}
        self.post = defaultdict(list)
        for i, t in enumerate(self.tf):
            for w, c in t.items():
                self.post[w].append((i, c))

    def ask(self, q, limit=10):
        s = defaultdict(float)
        for w in set(jieba.lcut(q)):
            for i, c in self.post.get(w, ()):
                s[i] += self.idf[w] * c * 2.2 / (c + 1.2 * (0.25 + 0.75 * self.len[i] / self.avg))
        best = sorted(s.items(), key=lambda kv: -kv[1])[:limit]
        return [(self.keys[i], v, v) for i, v in best]


def evaluate(name, index, queries, unanswerable):
    rr, p1, times, pos_scores, neg_scores = [], [], [], [], []
    for key, q in queries:
        t = time.perf_counter()
        hits = index.ask(q, limit=10)
        times.append(time.perf_counter() - t)
        keys = [k for k, *_ in hits]
        rank = keys.index(key) + 1 if key in keys else 0
        rr.append(1 / rank if rank else 0)
        p1.append(rank == 1)
        pos_scores.append((hits[0][2] if hits else 0.0, rank == 1))
    for q in unanswerable:
        hits = index.ask(q, limit=10)
        neg_scores.append(hits[0][2] if hits else 0.0)
    times.sort()
    p95 = times[int(0.95 * (len(times) - 1))] * 1000
    print(f"{name:10s} MRR@10 {sum(rr) / len(rr):.4f}  P@1 {sum(p1) / len(p1):.4f}  p95 {p95:.2f} ms  "
          f"(n={len(queries)}, unanswerable={len(unanswerable)})")
    return pos_scores, neg_scores


def tradeoff(pos, neg, thresholds):
    print("  threshold  coverage(answerable)  correct-answered  wrong-answer-rate(unanswerable)")
    for t in thresholds:
        cov = sum(s >= t for s, _ in pos) / len(pos)
        ok = sum(s >= t and right for s, right in pos) / len(pos)
        wrong = sum(s >= t for s in neg) / max(1, len(neg))
        print(f"  {t:9.2f}  {cov:20.3f}  {ok:16.3f}  {wrong:30.3f}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", type=int, default=0, help="use only the first N rows (quick run)")
    ap.add_argument("--split", default="test", choices=["tune", "test"])
    args = ap.parse_args()
    if not DATA.exists():
        sys.exit(f"{DATA} not found: put the shared data beside the repository or set GONGKAI_SHARED_DIR")
    rows = [json.loads(x) for x in DATA.read_text(encoding="utf-8").splitlines() if x.strip()]
    if args.size:
        rows = rows[: args.size]
    text.dictionary_add([*conf.SYNONYMS, *conf.SYNONYMS.values()])
    want = 0 if args.split == "tune" else 1
    split = [i for i, r in enumerate(rows) if h(r["question"]) % 2 == want]
    held = {i for i in split if (h(rows[i]["question"]) // 2) % 5 == 0}
    records = [(i, "", f"{r['answer']} {r.get('department', '')}") for i, r in enumerate(rows) if i not in held]
    queries = [(i, rows[i]["question"]) for i in split if i not in held]
    unanswerable = [rows[i]["question"] for i in held]
    jieba.lcut("预热")
    print(f"qa_dev split={args.split}: {len(records)} entries indexed")
    evaluate("jieba-BM25", JiebaBM25(records), queries, unanswerable)
    t = time.perf_counter()
    ours = Index(records)
    print(f"index built in {time.perf_counter() - t:.2f} s")
    pos, neg = evaluate("qa-matcher", ours, queries, unanswerable)
    tradeoff(pos, neg, [0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5])
    print(f"configured threshold (conf.ABSTAIN_BELOW) = {conf.ABSTAIN_BELOW}")


if __name__ == "__main__":
    main()
