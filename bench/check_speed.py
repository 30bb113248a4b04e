"""Speed of the content checks on the laws corpus (../shared/data/laws.jsonl.gz, ≈60 MB of text).

Prints, from one run on the same texts:
- a bare multi-pattern pass: pyahocorasick over every text with the same dictionary as the wording
  rules, doing nothing with the matches;
- the full rule set of the nightly sweep: wording rules (date- and boundary-aware), 发文字号/date/
  密级 formats and personal data, each document with its own version date;
- the statistical wrong-character model on a sample (it runs at save and before publication, and in
  the sweep only when COMPLIANCE_SWEEP_TYPOS is on).
Then every personal-data hit in the corpus with its context: these are false positives to review
(statute texts contain no real personal data), and the findings per rule.

    .venv/bin/python bench/check_speed.py
"""

import datetime as dt
import gzip
import json
import sys
import time
from collections import Counter

import ahocorasick
from _common import machine, setup_django

setup_django()

from django.conf import settings  # noqa: E402

from gongkai.compliance import engine  # noqa: E402
from gongkai.compliance.checks import CheckContext, HitKind  # noqa: E402

SAMPLE_CHARS = 300_000


def load_corpus():
    path = settings.SHARED_DIR / "data" / "laws.jsonl.gz"
    if not path.exists():
        sys.exit(f"{path} is absent")
    docs = []
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            record = json.loads(line)
            written = dt.date.fromisoformat(record["version_date"]) if record.get("version_date") else None
            docs.append((record["title"], record["body"], written))
    return docs


def main():
    docs = load_corpus()
    texts = [body for _, body, _ in docs]
    megabytes = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    chars = sum(len(t) for t in texts)
    checker = engine.build_checker(with_typos=False)
    print(f"machine: {machine()}")
    print(f"corpus: {len(docs)} documents, {chars:,} characters, {megabytes:.1f} MB (UTF-8)")
    print(f"rules: {len(checker.wording.rules)} wording rules + formats + personal data")

    automaton = ahocorasick.Automaton()
    for rule in checker.wording.rules:
        automaton.add_word(rule.pattern, rule.pattern)
    automaton.make_automaton()
    started = time.perf_counter()
    bare_matches = 0
    for text in texts:
        for _ in automaton.iter(text):
            bare_matches += 1
    bare = time.perf_counter() - started

    started = time.perf_counter()
    hits_by_doc = []
    for title, body, written in docs:
        hits_by_doc.append(checker.check(body, CheckContext(written_on=written, title=title), typos=False))
    full = time.perf_counter() - started

    print(f"bare Aho-Corasick pass:   {bare:6.2f} s  {megabytes / bare:7.1f} MB/s  ({bare_matches:,} raw matches)")
    print(f"full rule set (no typos): {full:6.2f} s  {megabytes / full:7.1f} MB/s  "
          f"= {bare / full:.0%} of the bare pass  (target: < 10 s, >= 25%)")

    lm_checker = engine.build_checker()
    if lm_checker.typos is not None:
        sample = "".join(texts)[:SAMPLE_CHARS]
        started = time.perf_counter()
        typo_hits = lm_checker.typos.check(sample)
        elapsed = time.perf_counter() - started
        print(f"wrong-character model:    {elapsed:6.2f} s for {SAMPLE_CHARS:,} characters "
              f"({SAMPLE_CHARS / elapsed:,.0f} chars/s, {len(typo_hits)} suspects)")
    else:
        print("wrong-character model: not built (python -m gongkai compliance_build_lm)")

    by_rule = Counter(hit.rule for hits in hits_by_doc for hit in hits)
    print("findings per rule on the corpus (date-aware; the statute texts are the platform's 'clean' text):")
    for rule, count in by_rule.most_common(25):
        print(f"  {count:6d}  {rule}")
    pii = [(docs[i][0], docs[i][1], h) for i, hits in enumerate(hits_by_doc) for h in hits
           if h.kind == HitKind.PERSONAL_DATA]
    print(f"personal-data hits on the laws corpus (false positives): {len(pii)} in {len(docs)} documents")
    for title, body, hit in pii[:40]:
        context = body[max(0, hit.start - 20):hit.end + 10].replace("\n", " ")
        print(f"  {hit.rule:15s} {hit.text:22s} 《{title[:30]}》 …{context}…")


if __name__ == "__main__":
    main()
