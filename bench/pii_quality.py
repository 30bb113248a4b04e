"""Personal-data check: recall and false alarms on a generated set, and false alarms on the real corpora.

    .venv/bin/python bench/pii_quality.py [--per-kind 2000] [--seed 7] [--no-corpora]

The generated set plants numbers in sentences of the kinds found in published decisions and notices:
valid ID numbers (new region codes and region codes younger than their holder), mobiles of applicants
after 联系电话, bank cards, and decoys that must stay quiet (wrong check digits, never-issued region
codes, impossible dates, Luhn failures, an office's published consultation line). Every figure is
printed for the current checker and, in the same run, for the previous rules (python-stdnum's
`ric.is_valid`, which checks the region against the birth year, and the contact-line exemption that
ignored who the number belongs to). The real corpora (laws, government work reports, seeds in
../shared) contain office phone numbers and long official numbers but no personal data, so every
finding there is a false alarm.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import json
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from stdnum import luhn, numdb  # noqa: E402
from stdnum.cn import ric  # noqa: E402

from gongkai.compliance.checks import CheckContext, pii  # noqa: E402

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"
NAMES = ["张伟", "王芳", "李娜", "刘洋", "陈静", "杨磊", "赵敏", "黄勇", "周杰", "吴霞", "欧阳明", "徐丽"]
APPLICANT = ["申请人{name}，公民身份号码{id}，现申请公开相关信息。", "当事人{name}（身份证号：{id}）逾期未缴纳罚款。",
             "经审核，{name}，身份证号码{id}，符合临时救助条件。"]
MOBILE = ["申请人联系电话：{m}。", "投诉人{name}的联系电话：{m}，请承办单位及时回复。", "当事人联系方式{m}，现已结案。"]
OFFICE = ["如有疑问，请拨打政策咨询电话：{m}。", "联系人：县政务公开办，联系电话：{m}。"]
CARD = ["补助资金已打入{name}的银行卡号{c}。", "请将款项汇至账号{c}。"]


def region_codes() -> tuple[list[str], list[tuple[str, int]]]:
    """(codes valid all along, (code, first year) for codes created later), from python-stdnum's list."""
    always, later = [], []
    path = Path(numdb.__file__).parent / "cn" / "loc.dat"
    province = ""
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        if not line.startswith(" "):
            province = line.split()[0]
            continue
        part, _, rest = line.strip().partition(" ")
        county = rest.split('county="', 1)[-1].split('"', 1)[0]
        code = province + part
        if len(code) != 6 or code.endswith("00"):
            continue
        first = county.split(",")[0]
        if first.startswith("[") and first[1:5].isdigit():
            later.append((code, int(first[1:5])))
        elif not first.startswith("["):
            always.append(code)
    return always, later


def make_id(region: str, year: int, rng: random.Random, *, break_check: bool = False) -> str:
    body = f"{region}{year:04d}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(0, 999):03d}"
    check = ric.calc_check_digit(body + "0")
    if break_check:
        check = "0" if check != "0" else "1"
    return body + check


def make_mobile(rng: random.Random) -> str:
    return rng.choice(["138", "139", "150", "186", "177", "199"]) + f"{rng.randint(0, 99_999_999):08d}"


def make_card(rng: random.Random, *, valid: bool = True) -> str:
    body = "6222" + "".join(str(rng.randint(0, 9)) for _ in range(14))
    check = luhn.calc_check_digit(body)
    return body + (check if valid else str((int(check) + 1) % 10))


def generated(rng: random.Random, per_kind: int) -> list[tuple[str, str, bool]]:
    """(kind, sentence, personal?) — personal ones must be found, the others must stay quiet."""
    always, later = region_codes()
    cases = []
    for _ in range(per_kind):
        name = rng.choice(NAMES)
        code = rng.choice(always)
        cases.append(("id_new_region", rng.choice(APPLICANT).format(name=name, id=make_id(code, rng.randint(1950, 2005), rng)), True))
        code, first = rng.choice([c for c in later if c[1] > 1952])
        year = rng.randint(1940, first - 1)  # born before the county's code existed
        cases.append(("id_region_younger_than_holder", rng.choice(APPLICANT).format(name=name, id=make_id(code, year, rng)), True))
        cases.append(("mobile_of_a_person", rng.choice(MOBILE).format(name=name, m=make_mobile(rng)), True))
        cases.append(("bank_card", rng.choice(CARD).format(name=name, c=make_card(rng)), True))
        cases.append(("decoy_check_digit", rng.choice(APPLICANT).format(name=name, id=make_id(rng.choice(always), 1980, rng, break_check=True)), False))
        cases.append(("decoy_never_issued_region", rng.choice(APPLICANT).format(name=name, id=make_id("990" + f"{rng.randint(100, 999)}", 1980, rng)), False))
        cases.append(("decoy_luhn", rng.choice(CARD).format(name=name, c=make_card(rng, valid=False)), False))
        cases.append(("office_line", rng.choice(OFFICE).format(m=make_mobile(rng)), False))
    return cases


@contextlib.contextmanager
def previous_rules():
    """The rules before this change: stdnum's region-at-birth check, contact lines exempt whoever's they are."""
    saved = pii.resident_id_is_valid, pii.PiiPolicy.person_words
    pii.resident_id_is_valid = lambda number: ric.is_valid(number.upper())
    pii.PiiPolicy.person_words = ()
    try:
        yield
    finally:
        pii.resident_id_is_valid, pii.PiiPolicy.person_words = saved


def score(cases) -> dict[str, tuple[int, int]]:
    checker = pii.PiiChecker(pii.PiiPolicy())
    result: dict[str, list[int]] = {}
    for kind, sentence, _personal in cases:
        found = bool(checker.check(sentence))
        counts = result.setdefault(kind, [0, 0])
        counts[0] += found
        counts[1] += 1
    return {k: (v[0], v[1]) for k, v in result.items()}


def corpora():
    laws = SHARED / "data" / "laws.jsonl.gz"
    if laws.exists():
        with gzip.open(laws, "rt", encoding="utf-8") as fh:
            for line in fh:
                record = json.loads(line)
                yield record["title"], record["body"]
    reports = SHARED / "data" / "gov_work_reports.jsonl.gz"
    if reports.exists():
        with gzip.open(reports, "rt", encoding="utf-8") as fh:
            for line in fh:
                record = json.loads(line)
                yield record["title"], record["content"]
    for seed in sorted((SHARED / "seeds").glob("*.txt")):
        yield seed.stem, seed.read_text(encoding="utf-8")


def corpus_alarms() -> tuple[dict[str, int], int, float]:
    checker = pii.PiiChecker(pii.PiiPolicy())
    alarms: dict[str, int] = {}
    chars = 0
    started = time.perf_counter()
    for title, body in corpora():
        chars += len(body)
        for hit in checker.check(body, CheckContext(title=title)):
            alarms[hit.rule] = alarms.get(hit.rule, 0) + 1
    return alarms, chars, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-kind", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-corpora", action="store_true")
    args = parser.parse_args()
    cases = generated(random.Random(args.seed), args.per_kind)
    now = score(cases)
    with previous_rules():
        before = score(cases)
    print(f"generated set: {len(cases):,} sentences, seed {args.seed}")
    print(f"{'kind':34} {'must be found':>13} {'previous rules':>15} {'current':>10}")
    totals = {True: [0, 0, 0], False: [0, 0, 0]}
    for kind, personal in dict.fromkeys((k, p) for k, _, p in cases):
        b, n = before[kind], now[kind]
        totals[personal][0] += b[0]
        totals[personal][1] += n[0]
        totals[personal][2] += n[1]
        print(f"{kind:34} {'yes' if personal else 'no (decoy)':>13} {b[0] / b[1]:>14.1%} {n[0] / n[1]:>10.1%}")
    t, f = totals[True], totals[False]
    print(f"recall on planted personal numbers: previous {t[0] / t[2]:.3f}, current {t[1] / t[2]:.3f}")
    print(f"false alarms on decoys:             previous {f[0] / f[2]:.3f}, current {f[1] / f[2]:.3f}")
    if args.no_corpora:
        return
    now_alarms, chars, seconds = corpus_alarms()
    with previous_rules():
        before_alarms, _, _ = corpus_alarms()
    print(f"real corpora (laws, work reports, seeds): {chars / 1e6:.1f} M characters, {seconds:.1f} s "
          f"({chars / 1e6 / seconds:.1f} M chars/s)")
    print(f"false alarms: previous {sum(before_alarms.values())} {before_alarms}, "
          f"current {sum(now_alarms.values())} {now_alarms}")


if __name__ == "__main__":
    main()
