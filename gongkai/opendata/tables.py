"""Reading uploaded tables: encoding detection (UTF-8 or GBK/GB18030), CSV and XLSX rows, type inference.

Pure functions over files; nothing here touches the database.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO

SAMPLE_BYTES = 1 << 20
INFER_ROWS = 10_000
# Up to 10 digits: longer digit strings are identifiers (phone, ID and card numbers, codes), kept as text
# so that they can be masked and keep their leading zeros.
_INT = re.compile(r"-?(?:0|[1-9][0-9]{0,9})")
_NUM = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?|-?\.[0-9]+")
_DATE = re.compile(r"[12][0-9]{3}-[01][0-9]-[0-3][0-9]")


class TableError(ValueError):
    """A table that cannot be read: the message says what is wrong and where."""


def detect_encoding(head: bytes) -> str:
    """UTF-8 (with or without BOM) when the first megabyte decodes as UTF-8, else GB18030 (a superset of GBK)."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        codecs.getincrementaldecoder("gb18030")().decode(head, final=False)
        return "gb18030"
    except UnicodeDecodeError as exc:
        raise TableError("无法识别文件编码：既不是 UTF-8 也不是 GBK/GB18030，请另存为 UTF-8 编码的 CSV 后重新上传。") from exc


@dataclass
class Table:
    """Header and a row iterator of strings; `encoding` as detected."""

    header: list[str]
    rows: Iterator[list[str]]
    encoding: str = ""


def read_csv(stream: IO[bytes]) -> Table:
    head = stream.read(SAMPLE_BYTES)
    encoding = detect_encoding(head)
    stream.seek(0)
    text = io.TextIOWrapper(stream, encoding=encoding, newline="", errors="strict")
    sample = head[:65536].decode(encoding, errors="ignore")
    delimiter = "\t" if sample.count("\t") > sample.count(",") else ","
    reader = csv.reader(text, delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration as exc:
        raise TableError("文件是空的：没有表头行。") from exc
    except UnicodeDecodeError as exc:
        raise TableError(f"文件编码错误（按 {encoding} 读取失败）。") from exc

    def rows() -> Iterator[list[str]]:
        try:
            yield from reader
        except UnicodeDecodeError as exc:
            raise TableError(f"第 {reader.line_num + 1} 行附近编码错误：文件混用了不同编码（按 {encoding} 读取）。") from exc
        except csv.Error as exc:
            raise TableError(f"第 {reader.line_num} 行格式错误：{exc}") from exc

    return Table(header=[h.strip() for h in header], rows=rows(), encoding=encoding)


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_xlsx(stream: IO[bytes]) -> Table:
    import openpyxl  # noqa: PLC0415 - heavy, only for XLSX uploads

    try:
        book = openpyxl.load_workbook(stream, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise TableError(f"无法读取 Excel 文件：{exc}") from exc
    sheet = book.worksheets[0]
    it = sheet.iter_rows(values_only=True)
    try:
        header = [_cell(v).strip() for v in next(it)]
    except StopIteration as exc:
        raise TableError("工作表是空的：没有表头行。") from exc
    while header and header[-1] == "":
        header.pop()

    def rows() -> Iterator[list[str]]:
        for row in it:
            cells = [_cell(v) for v in row[: len(header)]]
            if any(cells):
                yield cells

    return Table(header=header, rows=rows(), encoding="")


def read_table(stream: IO[bytes], fmt: str) -> Table:
    fmt = fmt.upper()
    if fmt == "XLSX":
        return read_xlsx(stream)
    return read_csv(stream)


def value_type(value: str) -> str:
    if _INT.fullmatch(value):
        return "integer"
    if value.lstrip("-").isdigit():
        return "text"
    if _NUM.fullmatch(value):
        return "number"
    if _DATE.fullmatch(value):
        try:
            dt.date.fromisoformat(value)
            return "date"
        except ValueError:
            return "text"
    return "text"


_WIDER = {("integer", "number"): "number", ("number", "integer"): "number"}


@dataclass
class Inference:
    types: list[str] = field(default_factory=list)

    def feed(self, row: list[str]) -> None:
        for i, value in enumerate(row[: len(self.types)]):
            value = value.strip()
            if not value or self.types[i] == "text":
                continue
            found = value_type(value)
            current = self.types[i]
            if current == "":
                self.types[i] = found
            elif current != found:
                self.types[i] = _WIDER.get((current, found), "text")


def infer_types(header: list[str], rows: list[list[str]]) -> list[str]:
    inference = Inference(types=[""] * len(header))
    for row in rows:
        inference.feed(row)
    return [t or "text" for t in inference.types]


def _int(value: str) -> int:
    digits = value[1:] if value[:1] == "-" else value
    if not digits.isdigit() or len(digits) > 10 or (digits[0] == "0" and len(digits) > 1):
        raise ValueError(value)
    return int(value)


def _float(value: str) -> float:
    number = float(value)
    if "_" in value or not math.isfinite(number):
        raise ValueError(value)
    return number


def _date(value: str) -> str:
    if len(value) != 10 or value[4] != "-":
        raise ValueError(value)
    return dt.date.fromisoformat(value).isoformat()


CONVERTERS = {"integer": _int, "number": _float, "date": _date, "text": str}


def converter(kind: str):
    """A fast cell converter for a column type: stripped text in, value or None out, ValueError when it does not fit."""
    fn = CONVERTERS[kind]

    def run(value: str):
        value = value.strip()
        return fn(value) if value else None

    return run


def convert(value: str, kind: str):
    """The cell as a Python value of the column's type; raises ValueError when it does not fit."""
    value = value.strip()
    if value == "":
        return None
    if kind == "integer":
        if not _INT.fullmatch(value):
            raise ValueError(value)
        return int(value)
    if kind == "number":
        if not _NUM.fullmatch(value):
            raise ValueError(value)
        return float(value)
    if kind == "date":
        return dt.date.fromisoformat(value).isoformat()
    return value
