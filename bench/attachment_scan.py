"""The content checks on a large spreadsheet attachment: time and memory.

A 50 MB XLSX benefit-recipient list (姓名, 身份证号 masked as it should be, 联系电话 masked, 住址 down to
the village, amounts), generated with openpyxl's write-only mode, with personal numbers planted in clear
in a few rows — the classic leak. Printed side by side in the same run:
- the bare reading: openpyxl read-only iteration over every row (what any scan must at least pay);
- the scan: `compliance.services.attachment_hits`, the function the publication gate calls;
with each pass's time, throughput and the growth of the process's peak memory, and how many planted
numbers the scan found (with their cells).

    .venv/bin/python bench/attachment_scan.py [--mb 50] [--planted 40]
"""

import argparse
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

from _common import machine, setup_django

setup_django()

from gongkai.compliance import services  # noqa: E402
from gongkai.compliance.checks import HitKind  # noqa: E402

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜秀敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂英华玉萍红鹏飞建国文辉斌宇浩凯秀云佳琪欣怡子涵梓轩雨泽"
VILLAGES = ["东风村", "新华村", "红星村", "和平村", "胜利村", "光明村", "永安村", "长青村", "前进村", "团结村"]
TOWNS = ["城关镇", "双桥镇", "河口镇", "白沙乡", "青山镇", "石门乡"]
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
MOBILE_PREFIXES = ("130", "133", "135", "138", "139", "150", "152", "158", "166", "177", "180", "186", "189", "199")
REGIONS = ("320102", "320104", "321302", "340102", "440103", "510104", "110105", "330102")


def id_number(rng: random.Random) -> str:
    """A valid 18-digit resident ID (GB 11643-1999 check digit) of a real region code."""
    body = (rng.choice(REGIONS) + f"{rng.randint(1940, 2005)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
            + f"{rng.randint(0, 999):03d}")
    check = "10X98765432"[sum(int(d) * w for d, w in zip(body, WEIGHTS, strict=True)) % 11]
    return body + check


def generate(path: Path, target_mb: float, planted: int, rng: random.Random) -> tuple[int, dict[int, str]]:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("发放名单")
    ws.append(["序号", "姓名", "身份证号", "联系电话", "住址", "补助类别", "发放金额（元）", "备注"])
    # Rows per MB measured on a first chunk would need a second pass; the ratio of this layout is steady
    # (about 19,000 rows per compressed MB), so the target is reached within a few percent.
    rows = int(target_mb * 19_000)
    plant_at = set(rng.sample(range(1, rows + 1), min(planted, rows)))
    planted_ids: dict[int, str] = {}
    for n in range(1, rows + 1):
        ident = id_number(rng)
        phone = f"{rng.choice(MOBILE_PREFIXES)}{rng.randint(0, 99_999_999):08d}"
        if n in plant_at:
            planted_ids[n + 1] = ident  # spreadsheet row (the header is row 1)
            shown_id, shown_phone = ident, phone
        else:
            shown_id, shown_phone = ident[:6] + "********" + ident[-4:], phone[:3] + "****" + phone[-4:]
        name = rng.choice(SURNAMES) + rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.6 else "")
        ws.append([n, name, shown_id, shown_phone, f"{rng.choice(TOWNS)}{rng.choice(VILLAGES)}",
                   rng.choice(["城乡低保", "特困供养", "临时救助", "残疾人两项补贴"]), rng.randint(200, 1500), ""])
        if n % 200_000 == 0:
            print(f"  generated {n:,} of {rows:,} rows", file=sys.stderr, flush=True)
    wb.save(path)
    return rows, planted_ids


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class FileAttachment:
    """What attachment_hits reads of a library attachment: a name, an extension and a file to open."""

    def __init__(self, path: Path):
        from django.core.files import File

        self.original_name = path.name
        self.extension = path.suffix.lstrip(".")
        self.file = File(open(path, "rb"), name=str(path))  # noqa: SIM115 (closed by attachment_hits' with)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=float, default=50.0)
    parser.add_argument("--planted", type=int, default=40,
                        help="rows with the ID and phone in clear (the worst case: as many as there are rows)")
    args = parser.parse_args()
    print(f"machine: {machine()}")
    rng = random.Random(26)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "低保发放名单.xlsx"
        started = time.perf_counter()
        rows, planted = generate(path, args.mb, args.planted, rng)
        size = path.stat().st_size / 1e6
        print(f"file: {size:.1f} MB, {rows:,} rows × 8 columns, {len(planted)} rows with an ID and a phone in clear "
              f"(generated in {time.perf_counter() - started:.0f} s)")
        from openpyxl import load_workbook

        from gongkai.compliance import engine

        engine.checker()  # the rules and the wrong-character model are loaded once per process, not per file
        base_peak = peak_mb()
        started = time.perf_counter()
        wb = load_workbook(path, read_only=True, data_only=True)
        cells = sum(sum(1 for v in row if v is not None) for ws in wb.worksheets for row in ws.iter_rows(values_only=True))
        wb.close()
        bare = time.perf_counter() - started
        bare_peak = peak_mb()
        print(f"bare read-only reading: {bare:6.1f} s  {size / bare:5.2f} MB/s  {cells:,} cells   "
              f"peak memory +{bare_peak - base_peak:.0f} MB")
        started = time.perf_counter()
        found = services.attachment_hits(FileAttachment(path))
        scan = time.perf_counter() - started
        scan_peak = peak_mb()
        cells_hit = {loc.rsplit("!", 1)[-1] for _, hit, loc in found
                     if hit.kind == HitKind.PERSONAL_DATA and "id" in hit.rule and "!" in loc}
        found_rows = {int("".join(ch for ch in cell if ch.isdigit())) for cell in cells_hit}
        print(f"content-check scan:     {scan:6.1f} s  {size / scan:5.2f} MB/s  {len(found):,} findings   "
              f"peak memory +{max(0.0, scan_peak - bare_peak):.0f} MB over the bare reading "
              f"(process peak {scan_peak:.0f} MB)")
        print(f"scan / bare reading: {scan / bare:.2f}×")
        listed = min(len(planted), services.ATTACHMENT_HITS_PER_RULE)
        print(f"planted ID numbers found with their cell: {len(found_rows & set(planted))} of {len(planted)} rows "
              f"(at most {services.ATTACHMENT_HITS_PER_RULE} per rule are listed: {listed}); "
              f"findings in other rows: {len(found_rows - set(planted))}")
        kinds = {}
        for _, hit, _ in found:
            kinds[hit.rule] = kinds.get(hit.rule, 0) + 1
        print("findings by rule: " + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())))


if __name__ == "__main__":
    main()
