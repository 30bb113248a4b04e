"""Q&A matcher quality on qa_dev: MRR@10, P@1, abstention trade-off, p95 latency; jieba BM25 baseline.

    .venv/bin/python bench/qa_quality.py [--size N]

Index: answers and departments (the entries' own questions are the queries, not indexed). The split is
by the MD5 of the question (even = tune, odd = test). Everything tuned (the bigram weight, the abstention
threshold) is chosen on `tune`; the figures that count are those printed for `test`.

Unanswerable questions, two kinds: (1) held-out — a fixed fifth of the split's entries (again by hash) is
left out of the index and their questions are asked; qa_dev has near-duplicate entries, so some of these
are in fact answered by a sibling entry (the "near-duplicate" column counts answers whose text shares most
of its words with the held-out entry's answer); (2) off-base — subjects of citizen messages of another
city (messages_with_replies.jsonl), which the base cannot answer. The right answer to both is to abstain.

Latency: p95 per question over an index of 10,000 entries (qa_dev answers, message replies, law articles).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import math
import os
import re
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import jieba  # noqa: E402

from gongkai import text  # noqa: E402
from gongkai.qa import conf, matcher  # noqa: E402
from gongkai.qa.matcher import Index  # noqa: E402

# The same place config/settings.py calls SHARED_DIR: GONGKAI_SHARED_DIR, else ../shared beside the repository.
SHARED = Path(os.environ.get("GONGKAI_SHARED_DIR", Path(__file__).resolve().parent.parent.parent / "shared"))
DATA = SHARED / "data" / "qa_dev.jsonl"
MESSAGES = SHARED / "data" / "messages_with_replies.jsonl"
LAWS = SHARED / "data" / "laws.jsonl.gz"
COVERAGE = 0.90  # the operating point: 90% of answerable questions answered


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


def split_of(rows, want):
    split = [i for i, r in enumerate(rows) if h(r["question"]) % 2 == want]
    held = {i for i in split if (h(rows[i]["question"]) // 2) % 5 == 0}
    records = [(i, "", f"{r['answer']} {r.get('department', '')}") for i, r in enumerate(rows) if i not in held]
    queries = [(i, rows[i]["question"]) for i in split if i not in held]
    return records, queries, sorted(held)


def near_duplicate(a: str, b: str) -> bool:
    return matcher.cosine(Counter(text.words(a)), Counter(text.words(b))) >= conf.DUPLICATE_ABOVE


def evaluate(name, index, rows, queries, held, off_base):
    rr, p1, times, pos = [], [], [], []
    for key, q in queries:
        t = time.perf_counter()
        hits = index.ask(q, limit=10)
        times.append(time.perf_counter() - t)
        keys = [k for k, *_ in hits]
        rank = keys.index(key) + 1 if key in keys else 0
        rr.append(1 / rank if rank else 0)
        p1.append(rank == 1)
        pos.append((hits[0][2] if hits else 0.0, rank == 1))
    neg = []
    for i in held:
        hits = index.ask(rows[i]["question"], limit=1)
        neg.append((hits[0][2] if hits else 0.0, bool(hits) and near_duplicate(rows[hits[0][0]]["answer"], rows[i]["answer"])))
    off = [(hits[0][2] if (hits := index.ask(q, limit=1)) else 0.0) for q in off_base]
    times.sort()
    p95 = times[int(0.95 * (len(times) - 1))] * 1000
    mrr = sum(rr) / len(rr)
    print(f"  {name:24s} MRR@10 {mrr:.4f}  P@1 {sum(p1) / len(p1):.4f}  p95 {p95:.2f} ms")
    return mrr, pos, neg, off


def at_threshold(t, pos, neg, off):
    cov = sum(s >= t for s, _ in pos) / len(pos)
    ok = sum(s >= t and right for s, right in pos) / len(pos)
    wrong = sum(s >= t for s, _ in neg) / max(1, len(neg))
    wrong_not_dup = sum(s >= t and not dup for s, dup in neg) / max(1, len(neg))
    wrong_off = sum(s >= t for s in off) / max(1, len(off))
    return cov, ok, wrong, wrong_not_dup, wrong_off


def tradeoff(pos, neg, off, thresholds):
    print("    threshold  coverage  correct-answered  wrong(held-out)  wrong(held-out, not near-dup)  wrong(off-base)")
    for t in thresholds:
        cov, ok, wrong, nd, wo = at_threshold(t, pos, neg, off)
        print(f"    {t:9.3f}  {cov:8.3f}  {ok:16.3f}  {wrong:15.3f}  {nd:29.3f}  {wo:15.3f}")


def threshold_for_coverage(pos, coverage):
    scores = sorted(s for s, _ in pos)
    return scores[int((1 - coverage) * len(scores))]


def latency_at(n, rows):
    """p95 ms per question over an index of n entries built from the data the project has."""
    records = [(f"qa{i}", "", r["answer"]) for i, r in enumerate(rows)]
    if MESSAGES.exists():
        for i, line in enumerate(MESSAGES.read_text(encoding="utf-8").splitlines()):
            m = json.loads(line)
            records.append((f"m{i}", m["留言主题"], m["答复意见"][:600]))
    if LAWS.exists() and len(records) < n:
        with gzip.open(LAWS, "rt", encoding="utf-8") as fh:
            for i, line in enumerate(fh):
                law = json.loads(line)
                for j, article in enumerate(re.split(r"\n(?=第[一二三四五六七八九十百]+条)", law["body"])[1:]):
                    records.append((f"l{i}.{j}", law["title"], article[:600]))
                    if len(records) >= n:
                        break
                if len(records) >= n:
                    break
    records = records[:n]
    index = Index(records)
    times = []
    for r in rows[:500]:
        t = time.perf_counter()
        index.ask(r["question"])
        times.append(time.perf_counter() - t)
    times.sort()
    return len(records), times[int(0.95 * (len(times) - 1))] * 1000


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", type=int, default=0, help="use only the first N rows (quick run)")
    ap.add_argument("--no-latency", action="store_true")
    args = ap.parse_args()
    if not DATA.exists():
        sys.exit(f"{DATA} not found: put the shared data beside the repository or set GONGKAI_SHARED_DIR")
    rows = [json.loads(x) for x in DATA.read_text(encoding="utf-8").splitlines() if x.strip()]
    if args.size:
        rows = rows[: args.size]
    subjects = [json.loads(x)["留言主题"] for x in MESSAGES.read_text(encoding="utf-8").splitlines()] if MESSAGES.exists() else []
    text.dictionary_add([*conf.SYNONYMS, *conf.SYNONYMS.values()])
    jieba.lcut("预热")
    results = {}
    for name, want in (("tune", 0), ("test", 1)):
        records, queries, held = split_of(rows, want)
        off_base = [s for s in subjects if h(s) % 2 == want][:300]
        print(f"qa_dev split={name}: {len(records)} entries indexed, {len(queries)} answerable, "
              f"{len(held)} held-out and {len(off_base)} off-base unanswerable")
        evaluate("jieba-BM25 (baseline)", JiebaBM25(records), rows, queries, held, off_base)
        saved = matcher.BIGRAM_WEIGHT
        matcher.BIGRAM_WEIGHT = 0.0
        evaluate("qa-matcher words only", Index(records), rows, queries, held, off_base)
        matcher.BIGRAM_WEIGHT = saved
        results[name] = evaluate("qa-matcher (words+bigrams)", Index(records), rows, queries, held, off_base)
    _, pos, neg, off = results["tune"]
    chosen = threshold_for_coverage(pos, COVERAGE)
    print(f"\nthreshold at {COVERAGE:.0%} coverage on tune: {chosen:.3f}  (configured conf.ABSTAIN_BELOW = {conf.ABSTAIN_BELOW})")
    for name in ("tune", "test"):
        print(f"  trade-off on {name}:")
        tradeoff(*results[name][1:], sorted({0.10, 0.15, 0.20, 0.25, 0.30, conf.ABSTAIN_BELOW}))
    cov, ok, wrong, nd, wo = at_threshold(conf.ABSTAIN_BELOW, *results["test"][1:])
    print(f"\nTEST at conf.ABSTAIN_BELOW={conf.ABSTAIN_BELOW}: coverage {cov:.3f}, correct-answered {ok:.3f}, "
          f"wrong-answer rate held-out {wrong:.3f} (not near-duplicate {nd:.3f}), off-base {wo:.3f}")
    if not args.no_latency:
        n, p95 = latency_at(10_000, rows)
        print(f"latency: p95 {p95:.2f} ms per question at {n} entries")


if __name__ == "__main__":
    main()
