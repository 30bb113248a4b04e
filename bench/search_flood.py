"""A search flood against the production stack: does the document page keep its throughput? (issue 15.1)

    .venv/bin/python bench/search_flood.py [--documents 1500] [--duration 10] [--flood 32] [--connections 8]

Builds a throw-away data folder (the documents of bench/portal_load.py), starts `gongkai serve`, and measures
the cached document page (--connections keep-alive connections) alone, then while another process floods the
API search with --flood connections of uncached queries (every query new, as the probe of issue 15.1 did):

  guards off       EXPENSIVE_GUARDS=false — the platform before issue 15.1 (the baseline)
  one client       the guards as shipped: the flooding address is over its limit at once (429)
  many clients     the per-client limit lifted, as if the flood came from many addresses: only the
                   concurrency limit (EXPENSIVE_CONCURRENCY slots, 503 after EXPENSIVE_QUEUE_SECONDS) holds

Prints requests/s and p50/p99 of the document page and of the flood side by side with the page alone;
the target is document-page throughput during a flood ≥ 50% of its throughput without one.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

from _common import machine  # noqa: E402
from portal_load import WORDS, free_port  # noqa: E402


async def _read_body(reader, head: bytes) -> None:
    length = re.search(rb"(?i)\r\ncontent-length:\s*(\d+)", head)
    if length:
        await reader.readexactly(int(length.group(1)))
        return
    if re.search(rb"(?i)\r\ntransfer-encoding:\s*chunked", head):
        while True:
            size = int((await reader.readline()).strip().split(b";")[0], 16)
            await reader.readexactly(size + 2)
            if size == 0:
                return
    raise ValueError(f"no body length in {head[:200]!r}")


async def load(host: str, port: int, paths: list[str], connections: int, duration: int) -> dict:
    """Keep-alive HTTP/1.1 load on `connections` connections for `duration` seconds (lengths or chunks)."""
    latencies: list[float] = []
    errors = 0
    deadline = time.perf_counter() + duration

    async def worker(n: int) -> None:
        nonlocal errors
        reader, writer = await asyncio.open_connection(host, port)
        i = n
        while time.perf_counter() < deadline:
            path = paths[i % len(paths)]
            i += connections
            t0 = time.perf_counter()
            writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: keep-alive\r\n\r\n".encode())
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head.split(b" ", 2)[1])
            await _read_body(reader, head)
            latencies.append((time.perf_counter() - t0) * 1000)
            errors += status >= 400
            if re.search(rb"(?i)\r\nconnection:\s*close", head):
                writer.close()
                reader, writer = await asyncio.open_connection(host, port)
        writer.close()

    start = time.perf_counter()
    await asyncio.gather(*(worker(n) for n in range(connections)))
    elapsed = time.perf_counter() - start
    latencies.sort()
    if not latencies:
        return {"rps": 0.0, "count": 0, "p50": 0.0, "p99": 0.0, "errors": 0}
    return {"rps": len(latencies) / elapsed, "count": len(latencies), "p50": latencies[len(latencies) // 2],
            "p99": latencies[int(len(latencies) * 0.99)], "errors": errors}


def flood_paths() -> list[str]:
    pairs = [f"{a} {b}" for a, b in itertools.permutations(WORDS, 2)]
    return [f"/api/v1/documents?q={quote(q)}&page_size={size}" for size in range(10, 101, 10) for q in pairs]


def document_paths(env: dict) -> list[str]:
    out = subprocess.run(
        [sys.executable, "-c", "import django; django.setup();"
         "from gongkai.documents.selectors import documents_public as d;"
         "[print(x) for x in d().order_by('?').values_list('index_no', flat=True)[:300]]"],
        env=env, cwd=ROOT, check=True, capture_output=True, text=True).stdout.split()
    return [f"/zhengce/{quote(i, safe='/')}/" for i in out]


def start_server(env: dict, port: int, workers: int, threads: int) -> subprocess.Popen:
    server = subprocess.Popen([sys.executable, "-m", "gongkai", "serve", "--bind", f"127.0.0.1:{port}", "--no-tasks",
                               "--workers", str(workers), "--threads", str(threads)],
                              env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(150):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2).read()
            return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("the server did not start")


def measure(port: int, pages: list[str], connections: int, duration: int, flood: int) -> tuple[dict, dict | None]:
    """The document page's figures, and the flood's (None without one), measured at the same time."""
    flooder = None
    if flood:
        flooder = subprocess.Popen(
            [sys.executable, __file__, "--flood-only", "--port", str(port), "--flood", str(flood),
             "--duration", str(duration + 4)], cwd=ROOT, stdout=subprocess.PIPE, text=True)
        time.sleep(3)  # the flood is running before the page is measured
    page = asyncio.run(load("127.0.0.1", port, pages, connections, duration))
    flood_result = json.loads(flooder.communicate(timeout=duration + 120)[0]) if flooder else None
    return page, flood_result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=1500)
    parser.add_argument("--duration", type=int, default=10, help="seconds per measurement")
    parser.add_argument("--connections", type=int, default=8, help="connections asking for document pages")
    parser.add_argument("--flood", type=int, default=32, help="connections flooding the API search")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1))
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--data-dir", help="reuse this data folder (kept); a temporary one otherwise")
    parser.add_argument("--flood-only", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.flood_only:
        print(json.dumps(asyncio.run(load("127.0.0.1", args.port, flood_paths(), args.flood, args.duration))))
        return

    data_dir = Path(args.data_dir) if args.data_dir else Path(tempfile.mkdtemp(prefix="gongkai-flood-"))
    data_dir.mkdir(parents=True, exist_ok=True)
    base_env = {**os.environ, "GONGKAI_DATA_DIR": str(data_dir), "DJANGO_SETTINGS_MODULE": "config.settings",
                "DEBUG": "false", "ALLOWED_HOSTS": "127.0.0.1", "SECRET_KEY": "bench-only-not-secret",
                "LOG_LEVEL": "ERROR", "PYTHONPATH": str(ROOT)}
    base_env.pop("REDIS_URL", None)
    gongkai = [sys.executable, "-m", "gongkai"]
    results = {}
    try:
        subprocess.run([*gongkai, "migrate", "--noinput", "-v0"], env=base_env, cwd=ROOT, check=True)
        subprocess.run([*gongkai, "collectstatic", "--noinput", "-v0"], env=base_env, cwd=ROOT, check=True)
        subprocess.run([sys.executable, str(ROOT / "bench" / "portal_load.py"), "--populate-only", "--documents",
                        str(args.documents)], env=base_env, cwd=ROOT, check=True)
        pages = document_paths(base_env)
        setups = [
            ("guards off (before)", {"EXPENSIVE_GUARDS": "false"}),
            ("one client", {}),
            ("many clients", {"EXPENSIVE_LIMIT_PER_CLIENT": "100000000/60"}),
        ]
        for name, extra in setups:
            port = free_port()
            env = {**base_env, **extra, "SITE_URL": f"http://127.0.0.1:{port}"}
            server = start_server(env, port, args.workers, args.threads)
            try:
                for path in pages:  # the page cache is filled, as on a live site
                    urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=30).read()
                alone, _ = measure(port, pages, args.connections, args.duration, 0)
                time.sleep(2)
                during, flood = measure(port, pages, args.connections, args.duration, args.flood)
                results[name] = (alone, during, flood)
            finally:
                server.terminate()
                server.wait(timeout=60)
            time.sleep(3)
    finally:
        if not args.data_dir:
            shutil.rmtree(data_dir, ignore_errors=True)

    print(f"\nmachine: {machine()} · SQLite · {args.documents} documents · load average {os.getloadavg()[0]:.1f}")
    print(f"server: gongkai serve, {args.workers} workers × {args.threads} threads; document page on "
          f"{args.connections} connections, API-search flood (every query new) on {args.flood} connections, "
          f"{args.duration} s each")
    head = (f"{'setup':<22}{'page alone r/s':>15}{'p50':>8}{'page in flood r/s':>19}{'p50':>8}{'p99':>9}{'kept':>7}"
            f"{'flood r/s':>11}{'flood 2xx':>10}{'p50':>9}")
    print(head)
    for name, (alone, during, flood) in results.items():
        kept = during["rps"] / alone["rps"] if alone["rps"] else 0
        ok = flood["count"] - flood["errors"]
        print(f"{name:<22}{alone['rps']:>15.0f}{alone['p50']:>8.1f}{during['rps']:>19.1f}{during['p50']:>8.1f}"
              f"{during['p99']:>9.1f}{kept:>7.0%}{flood['rps']:>11.1f}{ok:>10}{flood['p50']:>9.1f}")
    print("latencies in ms; 'kept' = document-page throughput during the flood / without it (target ≥ 50%); "
          "flood 2xx = searches answered (the rest 429 or 503)")


if __name__ == "__main__":
    main()
