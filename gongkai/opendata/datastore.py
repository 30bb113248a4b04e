"""The datastore: each tabular resource version's rows in one table of typed columns in the platform's
own database (`opendata_ds_<file id>`), as CKAN's datastore does on PostgreSQL — typed columns with an
index each make filtered queries fast on both databases (docs/opendata.md has the measurements).

Column names inside the table are c1..cN; the field names the publisher gave live in the resource's
schema, so no user text ever reaches SQL except as a bound parameter.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import DataError, connection, transaction

from gongkai.compliance.checks.pii import PiiChecker, PiiPolicy, mask

from .tables import Table, TableError, convert, infer_types

CHUNK = 5000
MAX_INDEXED_COLUMNS = 12
MAX_HITS_PER_COLUMN = 1000
_SQL_TYPES = {"integer": ("INTEGER", "BIGINT"), "number": ("REAL", "DOUBLE PRECISION"),
              "date": ("TEXT", "DATE"), "text": ("TEXT", "TEXT")}
_CANDIDATE = re.compile(r"[0-9]{11}|@|住|户籍")
ADDRESS_HEADERS = ("住址", "地址", "居住地", "户籍")
# A cell of an address column is checked as if announced ("住址：…"), so that an address below
# 乡镇、街道 level is found as the compliance checks find it in prose.
ADDRESS_PREFIX = "住址："


def _prefix(header: str) -> str:
    return ADDRESS_PREFIX if any(word in header for word in ADDRESS_HEADERS) else ""
NAME_HEADERS = ("姓名", "名字", "联系人", "户主", "申请人", "负责人姓名")
SENSITIVE_HEADERS = {"身份证": "id_number", "手机": "mobile", "银行卡": "bank_card", "家庭住址": "address",
                     "住址": "address", "家庭地址": "address"}


def _pii() -> PiiChecker:
    """The personal-data checks of compliance (the same the content checks use), with the platform's policy."""
    return PiiChecker(PiiPolicy.from_settings())


def table_name(file_id: int) -> str:
    return f"opendata_ds_{int(file_id)}"


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _sql_type(kind: str) -> str:
    return _SQL_TYPES[kind][1 if connection.vendor == "postgresql" else 0]


@dataclass
class ColumnScan:
    """Personal data found in one column: counts per rule and masked samples with their row numbers."""

    hits: dict[str, int] = field(default_factory=dict)
    samples: dict[str, list[dict]] = field(default_factory=dict)

    def add(self, rule: str, row: int, text: str, suggestion: str) -> None:
        self.hits[rule] = self.hits.get(rule, 0) + 1
        samples = self.samples.setdefault(rule, [])
        if len(samples) < 3:
            samples.append({"row": row, "value": suggestion})

    @property
    def total(self) -> int:
        return sum(self.hits.values())


@dataclass
class LoadReport:
    table: str
    fields: list[dict]
    row_count: int
    errors: list[dict]
    privacy: list[dict]


def _schema(header: list[str], types: list[str], errors: list[dict]) -> list[dict]:
    fields = []
    seen: set[str] = set()
    for i, (name, kind) in enumerate(zip(header, types, strict=True), start=1):
        label = name
        if not label:
            label = f"字段{i}"
            errors.append({"code": "blank-header", "column": label, "message": f"第 {i} 列没有表头，已命名为“{label}”。"})
        if label in seen:
            errors.append({"code": "duplicate-header", "column": label, "message": f"第 {i} 列表头“{label}”重复，已改名。"})
            label = f"{label}_{i}"
        seen.add(label)
        fields.append({"id": label, "type": kind, "column": f"c{i}", "title": "", "description": ""})
    return fields


def _scan_cells(scans: list[ColumnScan], rows: list[list[str]], first_row: int, kinds: list[str],
                prefixes: list[str]) -> None:
    """Run the personal-data checks over every cell of the text columns (integers of up to 10 digits,
    numbers and dates cannot hold an ID, phone or card number); a chunk without an 11-digit run or an
    @ in a column is skipped in one regex pass."""
    pii = _pii()
    for c, scan in enumerate(scans):
        if scan.total >= MAX_HITS_PER_COLUMN or kinds[c] != "text":
            continue
        prefix = prefixes[c]
        if not prefix and not _CANDIDATE.search("\n".join(row[c] for row in rows if c < len(row))):
            continue
        for offset, row in enumerate(rows):
            value = row[c] if c < len(row) else ""
            if not value or not (prefix or _CANDIDATE.search(value)):
                continue
            value = prefix + value
            for hit in pii.check(value):
                scan.add(hit.rule, first_row + offset, hit.text, hit.suggestion)


def _privacy_findings(fields: list[dict], scans: list[ColumnScan]) -> list[dict]:
    found = []
    id_columns = [f["id"] for f, s in zip(fields, scans, strict=True) if s.hits.get("id_number")]
    messages = {"id_number": "居民身份证号码", "mobile": "手机号码", "bank_card": "银行卡号", "email": "电子邮箱地址",
                "uscc_individual": "个体工商户统一社会信用代码", "address": "详细住址",
                "home_address": "乡镇街道以下的详细住址", "name_with_number": "姓名与证件号码"}
    for f, scan in zip(fields, scans, strict=True):
        for rule, count in scan.hits.items():
            found.append({"column": f["id"], "rule": rule, "count": count, "samples": scan.samples.get(rule, []),
                          "message": f"字段“{f['id']}”含 {count} 处{messages.get(rule, rule)}，发布前须去标识化或说明公开依据"})
        if id_columns and any(word in f["id"] for word in NAME_HEADERS):
            found.append({"column": f["id"], "rule": "name_with_id", "count": 0, "samples": [],
                          "message": f"姓名字段“{f['id']}”与身份证号码字段（{'、'.join(id_columns)}）同表，可直接识别个人"})
        for word, rule in SENSITIVE_HEADERS.items():
            if word in f["id"] and not scan.hits:
                found.append({"column": f["id"], "rule": f"header_{rule}", "count": 0, "samples": [],
                              "message": f"字段名“{f['id']}”表明可能含{messages.get(rule, rule)}，请确认已去标识化"})
                break
    return found


def _insert(table: str, columns: list[str], rows: list[tuple]) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            raw = cursor.cursor
            with raw.copy(f"COPY {_q(table)} ({', '.join(_q(c) for c in columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        return
    marks = ", ".join(["%s"] * len(columns))
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {_q(table)} ({', '.join(_q(c) for c in columns)}) VALUES ({marks})", rows)


def datastore_load(*, file_id: int, table: Table, index: bool = True) -> LoadReport:
    """Create the table of one resource version and fill it; the caller's transaction makes it all or nothing.

    Ragged rows (more or fewer cells than the header) refuse the whole file with their row numbers;
    cells that do not fit their column's inferred type are stored empty and reported. The database
    converts the cells (SQLite's column affinity, PostgreSQL casts from a staging table loaded by COPY):
    converting half a million cells one by one in Python cost 20x the insert itself (docs/opendata.md).
    """
    header = table.header
    if not header or not any(header):
        raise TableError("表头为空：第一行应是字段名。")
    rows_iter = iter(table.rows)
    sample = list(itertools.islice(rows_iter, 10_000))
    types = infer_types(header, sample)
    errors: list[dict] = []
    fields = _schema(header, types, errors)
    name = table_name(file_id)
    postgres = connection.vendor == "postgresql"
    target = name + "_raw" if postgres else name
    columns = [f["column"] for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {_q(name)}")
        cols_sql = ", ".join(f"{_q(f['column'])} {_sql_type(f['type'])}" for f in fields)
        cursor.execute(f"CREATE TABLE {_q(name)} ({_q('_id')} INTEGER PRIMARY KEY, {cols_sql})")
        if postgres:
            raw_sql = ", ".join(f"{_q(c)} TEXT" for c in columns)
            cursor.execute(f"CREATE TEMPORARY TABLE {_q(target)} ({_q('_id')} INTEGER, {raw_sql}) ON COMMIT DROP")
    width = len(header)
    scans = [ColumnScan() for _ in fields]
    prefixes = [_prefix(f["id"]) for f in fields]
    ragged: list[int] = []
    count = 0
    row_no = 0
    for chunk in _chunks(itertools.chain(sample, rows_iter), CHUNK):
        out = []
        first = row_no + 2
        for row in chunk:
            row_no += 1
            if len(row) != width:
                if len(row) > width and not any(v.strip() for v in row[width:]):
                    row = row[:width]
                elif not any(v.strip() for v in row):
                    continue
                else:
                    ragged.append(row_no + 1)
                    if len(ragged) >= 20:
                        break
                    continue
            out.append([row_no, *[v.strip() or None for v in row]])
        if ragged:
            break
        _scan_cells(scans, chunk, first, types, prefixes)
        _insert(target, ["_id", *columns], out)
        count += len(out)
    if ragged:
        raise TableError(f"表格行长度不一致：第 {'、'.join(map(str, ragged[:10]))} 行的单元格数与表头（{width} 列）不符，"
                         "请修正后重新上传。")
    errors += _convert_in_database(name, target, fields, postgres)
    if index:
        with connection.cursor() as cursor:
            # Filters are equalities: continuous numbers are rarely filtered on, so they get no index.
            for f in [f for f in fields if f["type"] != "number"][:MAX_INDEXED_COLUMNS]:
                cursor.execute(f"CREATE INDEX {_q(name + '_' + f['column'])} ON {_q(name)} ({_q(f['column'])})")
            # Fresh statistics, or the planner guesses a scan over a table it has never seen filled.
            cursor.execute(f"ANALYZE {_q(name)}")
    return LoadReport(table=name, fields=fields, row_count=count, errors=errors,
                      privacy=_privacy_findings(fields, scans))


_PG_PATTERNS = {"integer": r"^-?(0|[1-9][0-9]{0,9})$", "number": r"^-?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?$",
                "date": r"^[12][0-9]{3}-[01][0-9]-[0-3][0-9]$"}
_SQLITE_BAD = {"integer": "typeof({c}) != 'integer'", "number": "typeof({c}) NOT IN ('integer', 'real')",
               "date": "(date({c}) IS NULL OR date({c}) != {c})"}


def _convert_in_database(name: str, source: str, fields: list[dict], postgres: bool) -> list[dict]:
    """Type cells in SQL, count empty cells and cells that do not fit (stored empty); returns the notes."""
    notes: list[dict] = []
    with connection.cursor() as cursor:
        for f in fields:
            c, kind = _q(f["column"]), f["type"]
            cursor.execute(f"SELECT COUNT(*) FROM {_q(source)} WHERE {c} IS NULL")
            empty = cursor.fetchone()[0]
            if empty:
                notes.append({"code": "missing-value", "column": f["id"], "count": empty,
                              "message": f"字段“{f['id']}”有 {empty} 个空值"})
            if kind == "text":
                continue
            bad = (f"{c} IS NOT NULL AND {c} !~ %s" if postgres else f"{c} IS NOT NULL AND " + _SQLITE_BAD[kind].format(c=c))
            params = [_PG_PATTERNS[kind]] if postgres else []
            cursor.execute(f"SELECT COUNT(*) FROM {_q(source)} WHERE {bad}", params)
            wrong = cursor.fetchone()[0]
            if wrong:
                cursor.execute(f"SELECT {_q('_id')} FROM {_q(source)} WHERE {bad} ORDER BY {_q('_id')} LIMIT 10", params)
                rows = [r[0] + 1 for r in cursor.fetchall()]
                notes.append({"code": "type-error", "column": f["id"], "count": wrong, "rows": rows,
                              "message": f"字段“{f['id']}”（{kind}）有 {wrong} 个值类型不符，已留空"})
                if not postgres:
                    cursor.execute(f"UPDATE {_q(source)} SET {c} = NULL WHERE {bad}")
        if postgres:
            casts = {"integer": "BIGINT", "number": "DOUBLE PRECISION", "date": "DATE"}
            selects = [_q("_id")]
            for f in fields:
                c = _q(f["column"])
                if f["type"] == "text":
                    selects.append(c)
                else:
                    selects.append(f"CASE WHEN {c} ~ %s THEN {c}::{casts[f['type']]} END")
            params = [_PG_PATTERNS[f["type"]] for f in fields if f["type"] != "text"]
            try:
                with transaction.atomic():
                    cursor.execute(f"INSERT INTO {_q(name)} SELECT {', '.join(selects)} FROM {_q(source)}", params)
            except DataError as exc:
                raise TableError(f"表格中有无法识别的值（如不存在的日期）：{exc}") from exc
            cursor.execute(f"DROP TABLE {_q(source)}")
    return notes


def _chunks(rows: Iterable[list[str]], size: int):
    it = iter(rows)
    while chunk := list(itertools.islice(it, size)):
        yield chunk


def datastore_drop(*, table: str) -> None:
    if table:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {_q(table)}")


class QueryError(ValueError):
    pass


def _field_map(fields: list[dict]) -> dict[str, dict]:
    return {f["id"]: f for f in fields}


def _typed(value, f: dict):
    if value is None:
        return None
    try:
        converted = convert(str(value), f["type"])
    except ValueError as exc:
        raise QueryError(f"字段“{f['id']}”的过滤值“{value}”不是 {f['type']} 类型") from exc
    return converted


def datastore_query(*, table: str, fields: list[dict], q: str | dict | None = None, filters: dict | None = None,
                    limit: int = 100, offset: int = 0, sort: str = "", select: list[str] | None = None
                    ) -> tuple[list[dict], int]:
    """Rows of a datastore table (as dicts keyed by field name, with `_id`) and the total matching."""
    by_id = _field_map(fields)
    where, params = [], []
    for key, value in (filters or {}).items():
        f = by_id.get(key)
        if f is None and key != "_id":
            raise QueryError(f"过滤字段不存在：{key}")
        column = "_id" if key == "_id" else f["column"]
        values = value if isinstance(value, list) else [value]
        typed = [int(v) for v in values] if key == "_id" else [_typed(v, f) for v in values]
        if len(typed) == 1:
            where.append(f"{_q(column)} = %s")
        else:
            where.append(f"{_q(column)} IN ({', '.join(['%s'] * len(typed))})")
        params += typed
    text_fields = [f for f in fields if f["type"] == "text"]
    if isinstance(q, dict):
        for key, value in q.items():
            f = by_id.get(key)
            if f is None:
                raise QueryError(f"检索字段不存在：{key}")
            where.append(f"CAST({_q(f['column'])} AS TEXT) LIKE %s")
            params.append(f"%{value}%")
    elif q:
        for term in str(q).split():
            ors = [f"CAST({_q(f['column'])} AS TEXT) LIKE %s" for f in (text_fields or fields)]
            where.append("(" + " OR ".join(ors) + ")")
            params += [f"%{term}%"] * len(ors)
    order = []
    for part in [p.strip() for p in sort.split(",") if p.strip()]:
        bits = part.split()
        key = bits[0].strip('"')
        direction = bits[1].lower() if len(bits) > 1 else "asc"
        if direction not in ("asc", "desc") or (key not in by_id and key != "_id"):
            raise QueryError(f"排序参数有误：{part}")
        order.append(f"{_q('_id' if key == '_id' else by_id[key]['column'])} {direction.upper()}")
    order.append(_q("_id"))
    chosen = [by_id[name] for name in select] if select else fields
    if select and any(name not in by_id for name in select):
        raise QueryError("fields 中有不存在的字段")
    where_sql = (" WHERE " + " AND ".join(where)) if where else ""
    cols = ", ".join([_q("_id")] + [_q(f["column"]) for f in chosen])
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {_q(table)}{where_sql}", params)
        total = cursor.fetchone()[0]
        cursor.execute(f"SELECT {cols} FROM {_q(table)}{where_sql} ORDER BY {', '.join(order)} LIMIT %s OFFSET %s",
                       [*params, int(limit), int(offset)])
        rows = cursor.fetchall()
    records = []
    for row in rows:
        record = {"_id": row[0]}
        for f, value in zip(chosen, row[1:], strict=True):
            record[f["id"]] = value.isoformat() if hasattr(value, "isoformat") else value
        records.append(record)
    return records, total


def datastore_mask_column(*, table: str, column: dict) -> int:
    """Replace every personal number or address in one column by its masked form; returns cells changed."""
    pii = _pii()
    col = _q(column["column"])
    changed = 0
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {_q('_id')}, {col} FROM {_q(table)} WHERE {col} IS NOT NULL")
        rows = cursor.fetchall()
    updates = []
    for row_id, value in rows:
        text = str(value)
        if column.get("mask_all"):
            new = mask(text, 1, 0) if len(text) > 1 else "*"
        else:
            prefix = _prefix(column["id"])
            new = prefix + text
            for hit in sorted(pii.check(new), key=lambda h: -h.start):
                new = new[:hit.start] + hit.suggestion + new[hit.end:]
            new = new[len(prefix):]
        if new != text:
            updates.append((new, row_id))
    if updates:
        with connection.cursor() as cursor:
            cursor.executemany(f"UPDATE {_q(table)} SET {col} = %s WHERE {_q('_id')} = %s", updates)
        changed = len(updates)
    return changed


def datastore_rows(*, table: str, fields: list[dict]) -> Iterable[list]:
    """Every row in order, for exports (a masked version's file)."""
    cols = ", ".join(_q(f["column"]) for f in fields)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {cols} FROM {_q(table)} ORDER BY {_q('_id')}")
        while batch := cursor.fetchmany(CHUNK):
            for row in batch:
                yield ["" if v is None else (v.isoformat() if hasattr(v, "isoformat") else v) for v in row]
