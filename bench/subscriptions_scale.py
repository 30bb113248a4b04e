"""Matching a day's documents against 100,000 subscribers and 1,000 saved searches: the index against the
naive loop over every subscription, side by side.

    .venv/bin/python bench/subscriptions_scale.py [--subscribers 100000] [--searches 1000] [--documents 200]

Documents: the first N laws of the shared corpus (their push tags suggested from title and body as on
publication: keywords, no trained model; their words cut by the shared analyzer — that cost is included).
Subscribers: generated profiles (60 % persons: 1-3 life stages, a group for one in four; 40 % enterprises:
1-2 stages, an industry, a size, a type for one in five; a region for half of them), seeded. Saved searches:
one or two words of law titles, a third with a filter. The naive loop applies the same rules to every
(subscription, document) pair; it is what a query per subscriber would at best cost without the database.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from _common import machine, setup_django  # noqa: E402

SHARED = Path(os.environ.get("GONGKAI_SHARED_DIR", Path(__file__).resolve().parent.parent.parent / "shared"))
DATA = SHARED / "data" / "laws.jsonl.gz"
REGIONS = ["/1/", "/1/2/", "/1/3/", "/1/4/", "/5/", "/5/6/", "/5/7/", "/8/", "/8/9/", "/8/10/"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--subscribers", type=int, default=100_000)
    parser.add_argument("--searches", type=int, default=1000)
    parser.add_argument("--documents", type=int, default=200)
    parser.add_argument("--naive-sample", type=int, default=10_000,
                        help="the naive loop runs over this many subscribers and is scaled up (it takes minutes)")
    args = parser.parse_args()
    if not DATA.exists():
        sys.exit(f"{DATA} is missing: set GONGKAI_SHARED_DIR to the shared folder (see its data/README.md).")
    setup_django()
    from gongkai import text  # noqa: PLC0415 — after Django's set-up
    from gongkai.subscriptions import conf, tagging  # noqa: PLC0415
    from gongkai.subscriptions.matching import (  # noqa: PLC0415
        DocumentFacts,
        SubscriptionIndex,
        profile_match,
        search_match,
    )

    rng = random.Random(25)
    laws = []
    with gzip.open(DATA, "rt", encoding="utf-8") as fh:
        for line in fh:
            laws.append(json.loads(line))
            if len(laws) >= args.documents:
                break

    started = time.perf_counter()
    docs = []
    for n, law in enumerate(laws):
        body = law.get("body") or ""
        suggestion = tagging.suggest(title=law["title"], body_text=body, model=None)
        docs.append(DocumentFacts(
            id=n, title=law["title"], url="", organisation_id=n % 7, jurisdiction=rng.choice(["", *REGIONS[:4]]),
            genre="law", validity="valid", year=(law.get("version_date") or "2020")[:4],
            tags=frozenset(suggestion["tags"]), words=frozenset(tagging.text_terms(law["title"] + "\n" + body))))
    facts_seconds = time.perf_counter() - started

    person_tags = [t.key for t in conf.tags_of("stage")]
    groups = [t.key for t in conf.tags_of("group")]
    estages = [t.key for t in conf.tags_of("estage")]
    industries = [t.key for t in conf.tags_of("industry")]
    sizes = [t.key for t in conf.tags_of("size")]
    features = [t.key for t in conf.tags_of("feature")]
    profiles = []
    for i in range(args.subscribers):
        region = rng.choice(REGIONS) if rng.random() < 0.5 else ""
        if rng.random() < 0.6:
            tags = rng.sample(person_tags, rng.randint(1, 3)) + ([rng.choice(groups)] if rng.random() < 0.25 else [])
            profiles.append((i, i, "我", "person", region, tags))
        else:
            tags = (rng.sample(estages, rng.randint(1, 2)) + [rng.choice(industries), rng.choice(sizes)]
                    + ([rng.choice(features)] if rng.random() < 0.2 else []))
            profiles.append((i, i, "我的企业", "legal_person", region, tags))
    title_words = [w for law in laws for w in text.words(law["title"]) if len(w) >= 2]
    queries = []
    for j in range(args.searches):
        query = {"q": " ".join(rng.sample(title_words, rng.randint(1, 2)))}
        if j % 3 == 0:
            query["genre"] = "law"
        queries.append((args.subscribers + j, j, query))

    started = time.perf_counter()
    index = SubscriptionIndex()
    for sid, subscriber, name, audience, region, tags in profiles:
        index.add_profile(subscription_id=sid, subscriber_id=subscriber, name=name, audience=audience,
                          region_path=region, tags=tags)
    for sid, subscriber, query in queries:
        index.add_search(subscription_id=sid, subscriber_id=subscriber, query=query)
    build_seconds = time.perf_counter() - started
    started = time.perf_counter()
    matches = sum(len(index.match_new(d)) for d in docs)
    match_seconds = time.perf_counter() - started

    # The naive loop: every subscription against every document, same rules, on a sample, scaled up.
    sample = SubscriptionIndex()
    for sid, subscriber, name, audience, region, tags in profiles[:args.naive_sample]:
        sample.add_profile(subscription_id=sid, subscriber_id=subscriber, name=name, audience=audience,
                           region_path=region, tags=tags)
    entries = list({id(e): e for lst in sample.by_tag.values() for e in lst}.values())
    search_entries = [e for lst in index.by_anchor.values() for e in lst] + index.filters_only
    started = time.perf_counter()
    naive = sum(1 for d in docs for e in entries if profile_match(e, d))
    profile_seconds = time.perf_counter() - started
    started = time.perf_counter()
    naive_searches = sum(1 for d in docs for e in search_entries if search_match(e, d))
    search_seconds = time.perf_counter() - started
    scale = args.subscribers / min(args.naive_sample, args.subscribers)
    naive_seconds = profile_seconds * scale + search_seconds
    sample_matches = sum(len([m for m in sample.match_new(d) if m.subscription_id < args.naive_sample]) for d in docs)

    print(f"# subscription matching · {machine()}")
    print(f"{args.subscribers} profiles, {args.searches} saved searches, {len(docs)} documents "
          f"(tagged: {sum(1 for d in docs if d.tags)}); document facts (analyzer, tags) {facts_seconds:.1f}s")
    print(f"{'method':34} {'seconds':>9} {'pushes':>9}")
    print(f"{'index: build':34} {build_seconds:9.2f}")
    print(f"{'index: match':34} {match_seconds:9.2f} {matches:9d}")
    print(f"{'index: total (build+match)':34} {build_seconds + match_seconds:9.2f}")
    print(f"{'naive loop (profiles scaled)':34} {naive_seconds:9.2f} {'':>9}"
          f"   ({profile_seconds:.2f}s for {min(args.naive_sample, args.subscribers)} profiles, {search_seconds:.2f}s "
          f"for all searches: {naive_searches} search pushes)")
    print(f"check: the sample's profile matches agree: index {sample_matches}, naive {naive}")


if __name__ == "__main__":
    main()
