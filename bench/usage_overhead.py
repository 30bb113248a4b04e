"""What counting a visit costs the cached document page (issue 24: at most 5 % of its throughput).

    PYTHONPATH=. .venv/bin/python bench/usage_overhead.py [--requests 2000] [--rounds 5]
    PYTHONPATH=. .venv/bin/python bench/usage_overhead.py --mode with|without|setup --requests 20000

In one process, on a throw-away test database: one published document, its page rendered once into
the page cache, then served from the cache through the whole middleware stack by Django's test client,
in alternating rounds with and without `gongkai.portal.usage.UsageMiddleware` (the deployment's flush
thresholds and its flusher thread). Prints requests/s of each (median of the rounds), the difference, and
checks that every counted view reached the database. The in-memory cache of the test settings is faster
than the file cache of a deployment, so the relative cost printed is an upper bound.

On a loaded machine the in-process rounds are noisy. `--mode` runs one side only (`setup`: no requests),
for a whole-process A/B timer run in turn (A with, B without, pair by pair); then
cost = (time(with) − time(without)) ÷ (time(without) − time(setup)).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.test_settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from bench._common import machine  # noqa: E402

MIDDLEWARE = "gongkai.portal.usage.UsageMiddleware"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--mode", choices=["both", "with", "without", "setup"], default="both")
    args = parser.parse_args()
    setup_test_environment()
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    from gongkai.core.services import organisation_create  # noqa: PLC0415 (after the test database exists)
    from gongkai.documents import services  # noqa: PLC0415
    from gongkai.oversight.models import UsageDaily  # noqa: PLC0415
    from gongkai.oversight.services import usage_flush  # noqa: PLC0415

    org = organisation_create(name="测试市人民政府", code="BENCH0001", kind="government")
    doc = services.document_create(organisation=org, by=None, title="关于做好2026年春季学期开学工作的通知",
                                   body="<p>" + "各学校要认真做好开学准备工作。" * 200 + "</p>")
    services.document_submit(document=doc, by=None)
    services.document_approve(document=doc, by=None)
    doc = services.document_publish(document=doc, by=None)
    url = f"/zhengce/{doc.index_no}/"
    without = [m for m in settings.MIDDLEWARE if m != MIDDLEWARE]
    assert MIDDLEWARE in settings.MIDDLEWARE
    client = Client()
    time.sleep(6)  # past the search settle time, so the page is stored in the cache
    assert client.get(url).status_code == 200

    from gongkai.oversight import conf  # noqa: PLC0415

    def run(middleware) -> float:
        # The deployment's flush thresholds (the test settings never flush on their own).
        with override_settings(MIDDLEWARE=middleware, OVERSIGHT_USAGE_FLUSH_EVERY=conf.USAGE_FLUSH_EVERY,
                               OVERSIGHT_USAGE_FLUSH_SECONDS=conf.USAGE_FLUSH_SECONDS):
            c = Client()
            c.get(url)
            start = time.perf_counter()
            for _ in range(args.requests):
                c.get(url)
            return args.requests / (time.perf_counter() - start)

    if args.mode != "both":
        if args.mode != "setup":
            run(settings.MIDDLEWARE if args.mode == "with" else without)
        return

    base, counted = [], []
    for _ in range(args.rounds):
        base.append(run(without))
        counted.append(run(settings.MIDDLEWARE))
    time.sleep(0.5)  # the flusher thread's last write of the rounds
    usage_flush()
    hits = sum(UsageDaily.objects.filter(kind="document").values_list("count", flat=True))
    expected = args.rounds * (args.requests + 1) + 1
    assert hits == expected, f"document views counted {hits}, served with counting {expected}"
    # The request-path work alone (what the middleware adds to one view), timed directly: steadier than the
    # difference of two throughputs on a loaded machine.
    from django.test import RequestFactory  # noqa: PLC0415

    from gongkai.portal.usage import UsageMiddleware  # noqa: PLC0415

    request = RequestFactory().get(url)
    with override_settings(OVERSIGHT_USAGE_FLUSH_EVERY=conf.USAGE_FLUSH_EVERY,
                           OVERSIGHT_USAGE_FLUSH_SECONDS=conf.USAGE_FLUSH_SECONDS):
        n = 20000
        start = time.perf_counter()
        for _ in range(n):
            UsageMiddleware.record(request, request.path, None)
        record_us = 1e6 * (time.perf_counter() - start) / n
        time.sleep(0.5)
    usage_flush()
    expected += n
    hits = sum(UsageDaily.objects.filter(kind="document").values_list("count", flat=True))
    assert hits == expected, f"document views counted {hits}, recorded {expected}"
    b, c = statistics.median(base), statistics.median(counted)
    print(f"# {machine()}")
    print(f"cached document page, {args.requests} requests × {args.rounds} rounds (median requests/s)")
    print(f"{'without usage counting':<28}{b:>10.0f}")
    print(f"{'with usage counting':<28}{c:>10.0f}")
    print(f"{'cost':<28}{100 * (b - c) / b:>9.1f} %   (issue 24 limit: 5 %; document views counted: {hits} of {expected})")
    print(f"{'recording one view':<28}{record_us:>9.1f} µs = {100 * record_us * b / 1e6:.1f} % of one cached page "
          f"({1e6 / b:.0f} µs)")


if __name__ == "__main__":
    main()
