"""Load benchmark of the public portal, served by the production stack (`gongkai serve`: gunicorn + whitenoise).

    .venv/bin/python bench/portal_load.py [--documents 3000] [--duration 15] [--connections 32]

Builds a throw-away data folder with ≥3,000 published documents (created through the document services,
as staff would), starts `gongkai serve` on a free loopback port, and drives it with wrk (Debian package
`wrk`; a built-in asyncio HTTP/1.1 keep-alive client when wrk is absent) at 32 connections for:
the document page (500 different documents), the policy-library search page (mixed queries, filters and
pages; once as repeated addresses, once with every address new so nothing comes from the page cache),
the home page, and a static file (the ceiling of the same stack). Prints requests/s and
p50/p99 latency. Only loopback traffic; every run is bounded by --duration.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WORDS = ["养老服务", "补贴", "学生资助", "义务教育", "社会保障", "就业创业", "营商环境", "安全生产", "食品药品", "城市规划",
         "住房保障", "医疗保险", "乡村振兴", "生态环境", "政务公开", "行政许可", "财政预算", "政府采购", "应急预案", "公共文化",
         "交通运输", "知识产权", "科技创新", "人才引进", "市场监管", "劳动关系", "社会救助", "残疾人", "退役军人", "数字政府"]
KINDS = ["关于进一步做好{a}工作的通知", "关于印发{a}和{b}实施办法的通知", "{a}管理办法", "关于加强{a}与{b}的意见",
         "关于{a}有关事项的公告", "{a}专项行动方案"]
QUERIES = ["养老", "补贴", "学生资助", "营商环境", "安全生产 检查", "住房保障", "医疗保险 报销", "乡村振兴", "应急预案",
           "政府采购", "数字政府", "人才引进 补贴", "不存在的词语", "通知", "管理办法", "社会救助 标准"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def body_text(rng: random.Random) -> str:
    paragraphs = []
    for n in range(rng.randint(6, 14)):
        words = "、".join(rng.sample(WORDS, 3))
        paragraphs.append(
            f"<p>{n + 1}、围绕{words}等重点领域，各地各部门要压实责任，细化措施，确保各项政策落地见效。"
            f"对符合条件的对象按规定给予支持，做好政策宣传解读和咨询服务工作，主动接受社会监督。</p>"
        )
    return "".join(paragraphs)


def populate(count: int) -> None:
    """Create `count` published documents (and some interpretations) through the services."""
    import django

    django.setup()
    from django.db import transaction
    from django.utils import timezone

    from gongkai.core.models import Organisation
    from gongkai.core.services import organisation_create
    from gongkai.documents import services
    from gongkai.documents.models import Document, Topic

    if Document.objects.count() >= count:
        return
    gov = organisation_create(name="基准市人民政府", code="BENCH0000", kind=Organisation.Kind.GOVERNMENT,
                              disclosure_office_name="基准市政务公开办", phone="010-00000000")
    orgs = [gov] + [organisation_create(name=f"基准市第{i}局", code=f"BENCH000{i}", parent=gov) for i in range(1, 7)]
    topics = list(Topic.objects.filter(parent__isnull=False))
    rng = random.Random(20261123)
    start = time.perf_counter()
    for batch in range(0, count, 100):
        with transaction.atomic():
            for i in range(batch, min(count, batch + 100)):
                org = orgs[i % len(orgs)]
                a, b = rng.sample(WORDS, 2)
                genre = "normative" if i % 10 == 0 else "notice"
                doc = services.document_create(
                    organisation=org, by=None, title=rng.choice(KINDS).format(a=a, b=b), genre=genre,
                    doc_number=f"基{org.code[-1]}发〔{2015 + i % 11}〕{i + 1}号", topic=rng.choice(topics),
                    body=body_text(rng), summary=f"明确{a}的对象、标准和程序。", consultation_department=org.name,
                    consultation_phone="010-00000000", written_on=timezone.localdate(),
                )
                if genre == "normative":
                    interp = services.interpretation_create(documents=[doc], organisation=org, by=None,
                                                            title=f"《{doc.title}》政策解读", body=body_text(rng))
                    services.interpretation_publish(interpretation=interp, by=None)
                services.document_submit(document=doc, by=None)
                services.document_approve(document=doc, by=None)
                services.document_publish(document=doc, by=None)
    print(f"created {count} documents in {time.perf_counter() - start:.0f} s", flush=True)


def paths_for(base_env: dict) -> dict[str, list[str]]:
    out = subprocess.run(
        [sys.executable, "-c", (
            "import django; django.setup();"
            "from gongkai.documents.selectors import documents_public as d;"
            "from django.contrib.staticfiles.storage import staticfiles_storage as s;"
            "print(s.url('portal/css/site.css'));"
            "[print(x) for x in d().order_by('?').values_list('index_no', flat=True)[:500]]"
        )],
        env=base_env, cwd=ROOT, check=True, capture_output=True, text=True,
    ).stdout.split()
    static, index_nos = out[0], out[1:]
    rng = random.Random(7)
    search = []
    for q in QUERIES:
        search.append(f"/zhengce/?q={quote(q)}")
        search.append(f"/zhengce/?q={quote(q)}&page=2")
        search.append(f"/zhengce/?q={quote(q)}&genre=normative&sort=newest")
        search.append(f"/zhengce/?q={quote(q)}&issuer={quote(f'基准市第{rng.randint(1, 6)}局')}")
    search += ["/zhengce/", "/zhengce/?sort=oldest", f"/zhengce/?topic={quote('卫生、体育')}", "/zhengce/?validity=valid&page=3"]
    return {
        "document page": [f"/zhengce/{quote(i, safe='/')}/" for i in index_nos],
        "search page (mixed)": search,
        "home page": ["/"],
        "static file (ceiling)": [static],
        # Every request a different address (an ignored parameter), so none is served from the page cache:
        # what a search nobody made before costs. Last: its backlog would spill into the next scenario.
        "search page (uncached)": [f"{path}{'&' if '?' in path else '?'}n={n}" for n in range(400) for path in search],
    }


def redis_reachable(url: str) -> bool:
    from urllib.parse import urlparse

    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or 6379), timeout=1):
            return True
    except OSError:
        return False


def run_wrk(url: str, paths: list[str], connections: int, duration: int) -> dict:
    script = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)
    lua_paths = ",".join('"' + p.replace('"', '\\"') + '"' for p in paths)
    script.write(
        f"local paths = {{{lua_paths}}}\nlocal i = math.random(#paths)\n"
        "request = function()\n  i = i % #paths + 1\n  return wrk.format('GET', paths[i])\nend\n"
    )
    script.close()
    out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", "-s", script.name, url],
                         capture_output=True, text=True, timeout=duration + 60).stdout
    os.unlink(script.name)

    def ms(label: str) -> float:
        m = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        value, unit = float(m.group(1)), m.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)), "p50": ms("50"), "p99": ms("99"),
            "errors": int(errors.group(1)) if errors else 0, "tool": "wrk"}


async def _asyncio_load(host: str, port: int, paths: list[str], connections: int, duration: int) -> dict:
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
            length = int(re.search(rb"(?i)content-length:\s*(\d+)", head).group(1))
            await reader.readexactly(length)
            latencies.append((time.perf_counter() - t0) * 1000)
            errors += status >= 400
        writer.close()

    start = time.perf_counter()
    await asyncio.gather(*(worker(n) for n in range(connections)))
    elapsed = time.perf_counter() - start
    latencies.sort()
    return {"rps": len(latencies) / elapsed, "p50": latencies[len(latencies) // 2],
            "p99": latencies[int(len(latencies) * 0.99)], "errors": errors, "tool": "asyncio client"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=3000)
    parser.add_argument("--duration", type=int, default=15, help="seconds per scenario")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_WORKERS", 2 * (os.cpu_count() or 1))),
                        help="as `gongkai serve`: two per core by default")
    parser.add_argument("--threads", type=int, default=int(os.environ.get("WEB_THREADS", "2")))
    parser.add_argument("--data-dir", help="reuse this data folder (kept); a temporary one otherwise")
    parser.add_argument("--redis", default=os.environ.get("BENCH_REDIS_URL", ""),
                        help="page cache on Redis (e.g. redis://127.0.0.1:6379/9, flushed first); '' = the embedded default, files in the data folder")
    parser.add_argument("--scenarios", default="", help="comma-separated first words of the scenarios to run "
                        "(e.g. 'document,static'); all by default")
    parser.add_argument("--populate-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.populate_only:
        populate(args.documents)
        return

    load_before = os.getloadavg()[0]
    data_dir = Path(args.data_dir) if args.data_dir else Path(tempfile.mkdtemp(prefix="gongkai-bench-"))
    data_dir.mkdir(parents=True, exist_ok=True)
    port = free_port()
    env = {**os.environ, "GONGKAI_DATA_DIR": str(data_dir), "DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": "false",
           "ALLOWED_HOSTS": "127.0.0.1", "SECRET_KEY": "bench-only-not-secret", "LOG_LEVEL": "WARNING",
           "SITE_URL": f"http://127.0.0.1:{port}", "PYTHONPATH": str(ROOT)}
    if args.redis and redis_reachable(args.redis):
        env["REDIS_URL"] = args.redis
        subprocess.run([sys.executable, "-c", f"import redis; redis.Redis.from_url({args.redis!r}).flushdb()"], check=True)
    else:
        env.pop("REDIS_URL", None)
    gongkai = [sys.executable, "-m", "gongkai"]
    subprocess.run([*gongkai, "migrate", "--noinput", "-v0"], env=env, cwd=ROOT, check=True)
    subprocess.run([*gongkai, "collectstatic", "--noinput", "-v0"], env=env, cwd=ROOT, check=True)
    subprocess.run([sys.executable, __file__, "--populate-only", "--documents", str(args.documents)], env=env, cwd=ROOT,
                   check=True)
    server = subprocess.Popen([*gongkai, "serve", "--bind", f"127.0.0.1:{port}", "--no-tasks", "--workers",
                               str(args.workers), "--threads", str(args.threads)],
                              env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/", timeout=2).read()
                break
            except OSError:
                time.sleep(0.2)
        scenarios = paths_for(env)
        if args.scenarios:
            wanted = tuple(w.strip() for w in args.scenarios.split(",") if w.strip())
            scenarios = {name: paths for name, paths in scenarios.items() if name.startswith(wanted)}
        passes = 1  # the page cache is shared by the workers (files in the data folder, or Redis)
        for name, paths in scenarios.items():
            if "uncached" in name:
                continue
            for path in paths:
                for _ in range(passes):
                    urllib.request.urlopen(base + path, timeout=30).read()
        results = {}
        for name, paths in scenarios.items():
            time.sleep(3)  # let the previous scenario's requests drain
            if shutil.which("wrk"):
                results[name] = run_wrk(base, paths, args.connections, args.duration)
            else:
                results[name] = asyncio.run(_asyncio_load("127.0.0.1", port, paths, args.connections, args.duration))
    finally:
        server.terminate()
        server.wait(timeout=30)
        if not args.data_dir:
            shutil.rmtree(data_dir, ignore_errors=True)

    db = "PostgreSQL" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "SQLite"
    print(f"\nmachine: {platform.node()} · {platform.machine()} · {os.cpu_count()} CPUs · Python {platform.python_version()}"
          f" · {db} · {args.documents} documents")
    cache = "Redis page cache" if "REDIS_URL" in env else "file page cache"
    load = os.getloadavg()[0]
    print(f"load average (1 min): {load_before:.1f} before starting, {load:.1f} at the end of the measurement "
          "(the server and the load tool count too; other processes on the machine share its CPUs)")
    tool = next(iter(results.values()))["tool"]
    print(f"server: gongkai serve (gunicorn gthread, {args.workers} workers × {args.threads} threads, whitenoise, {cache})"
          f" · {args.connections} connections · {args.duration} s per scenario · tool: {tool}")
    print(f"{'scenario':<24}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}{'errors':>8}")
    for name, r in results.items():
        print(f"{name:<24}{r['rps']:>10.0f}{r['p50']:>10.1f}{r['p99']:>10.1f}{r['errors']:>8}")
    if "static file (ceiling)" in results and "document page" in results:
        ceiling = results["static file (ceiling)"]["rps"]
        print(f"document page / static ceiling: {results['document page']['rps'] / ceiling:.0%}"
              f" (target ≥ 50%, p99 ≤ 100 ms); search p99 target ≤ 300 ms")


if __name__ == "__main__":
    main()
