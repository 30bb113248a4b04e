"""Push-tag suggestion quality on the laws corpus: body keywords (baseline) against the body classifier.

    .venv/bin/python bench/subscriptions_tagging.py [--limit N]

The labelled set: each law's tags are what the keyword table (subscriptions/conf.py) finds in its TITLE
(weak labels: the title says whom a law is about — 《残疾人保障法》 → 残疾人; nobody tagged these by hand).
Both methods see only the BODY, with the title removed, and must recover the title's tags: the situation of
a document published without tags. Split by the MD5 of the source path: half to train, a quarter to tune
the per-tag thresholds (dev), a quarter to report (test). Figures are micro-averaged over tags.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from _common import machine, setup_django  # noqa: E402

SHARED = Path(os.environ.get("GONGKAI_SHARED_DIR", Path(__file__).resolve().parent.parent.parent / "shared"))
DATA = SHARED / "data" / "laws.jsonl.gz"


def split_of(key: str) -> str:
    n = int(hashlib.md5(key.encode()).hexdigest(), 16) % 4
    return "train" if n < 2 else ("dev" if n == 2 else "test")


def prf(pairs) -> tuple[float, float, float, int]:
    tp = fp = fn = 0
    for predicted, gold in pairs:
        tp += len(predicted & gold)
        fp += len(predicted - gold)
        fn += len(gold - predicted)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0), tp + fn


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--limit", type=int, default=None, help="read only the first N laws")
    args = parser.parse_args()
    if not DATA.exists():
        sys.exit(f"{DATA} is missing: set GONGKAI_SHARED_DIR to the shared folder (see its data/README.md).")
    setup_django()
    from gongkai.subscriptions import conf  # noqa: PLC0415 — after Django's set-up
    from gongkai.subscriptions.tagging import BODY_CHARS, Tagger, keyword_tags, text_terms  # noqa: PLC0415

    started = time.perf_counter()
    rows = {"train": [], "dev": [], "test": []}
    with gzip.open(DATA, "rt", encoding="utf-8") as fh:
        for n, line in enumerate(fh):
            if args.limit and n >= args.limit:
                break
            record = json.loads(line)
            title = record["title"]
            body = (record.get("body") or "").replace(title, "")[:BODY_CHARS]
            gold = keyword_tags(text_terms(title))
            rows[split_of(record.get("source_path") or title)].append((text_terms(body), gold))
    cut = time.perf_counter() - started
    model = Tagger.fit(rows["train"])
    model.tune(rows["dev"])
    print(f"# push-tag suggestion on {DATA.name} · {machine()}")
    print(f"laws: train {len(rows['train'])}, dev {len(rows['dev'])}, test {len(rows['test'])}; "
          f"labelled (≥1 title tag): {sum(1 for s in rows.values() for _t, g in s if g)}; "
          f"tags with a model: {len(model.weights)} of {len(conf.TAGS)}; analyzer {cut:.1f}s")
    print(f"{'split':5} {'method':22} {'P':>6} {'R':>6} {'F1':>6} {'gold':>6}")
    for split in ("dev", "test"):
        results = {
            "body keywords (base)": [(keyword_tags(terms), gold) for terms, gold in rows[split]],
            "classifier (NB)": [(set(model.predict(terms)), gold) for terms, gold in rows[split]],
        }
        for name, pairs in results.items():
            p, r, f, g = prf(pairs)
            print(f"{split:5} {name:22} {p:6.3f} {r:6.3f} {f:6.3f} {g:6d}")
    print("\ntest, per dimension (classifier | body keywords):")
    for dimension, label in conf.DIMENSIONS.items():
        def only(tags, d=dimension):
            return {t for t in tags if t.partition(":")[0] == d}
        nb = prf([(only(set(model.predict(t))), only(g)) for t, g in rows["test"]])
        kw = prf([(only(keyword_tags(t)), only(g)) for t, g in rows["test"]])
        print(f"  {label:6} P {nb[0]:.3f} R {nb[1]:.3f} F1 {nb[2]:.3f} | P {kw[0]:.3f} R {kw[1]:.3f} F1 {kw[2]:.3f}"
              f"  (gold {nb[3]})")
    per_tag = defaultdict(list)
    for terms, gold in rows["test"]:
        predicted = set(model.predict(terms))
        for key in conf.TAG_BY_KEY:
            per_tag[key].append((predicted & {key}, gold & {key}))
    best = sorted(((prf(v)[3], k, prf(v)) for k, v in per_tag.items()), reverse=True)[:8]
    print("\ntest, the most frequent tags (classifier):")
    for g, key, (p, r, f, _g) in best:
        print(f"  {conf.tag_label(key):24} P {p:.3f} R {r:.3f} F1 {f:.3f} (gold {g})")


if __name__ == "__main__":
    main()
