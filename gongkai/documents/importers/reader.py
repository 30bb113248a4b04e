"""Reading JSON Lines files, plain or gzip-compressed, line by line with their line numbers."""

from __future__ import annotations

import gzip
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

GZIP_MAGIC = b"\x1f\x8b"


@dataclass
class RawLine:
    """One non-blank line of the input: its number (1-based), the decoded object or why it is unreadable."""

    line_no: int
    data: dict[str, Any] | None
    error: str = ""
    size: int = 0  # bytes of input text, for MB/s


def open_text(path: Path) -> io.TextIOBase:
    """Open a text file, transparently decompressing gzip (recognised by its magic bytes, not its name)."""
    with open(path, "rb") as probe:
        compressed = probe.read(2) == GZIP_MAGIC
    if compressed:
        return gzip.open(path, "rt", encoding="utf-8", errors="strict")
    return open(path, encoding="utf-8", errors="strict")


def read_jsonl(path: Path, *, limit: int | None = None) -> Iterator[RawLine]:
    """Yield each non-blank line as a RawLine; bad JSON is a RawLine with an error, not an exception."""
    count = 0
    with open_text(path) as stream:
        line_no = 0
        while True:
            try:
                text = stream.readline()
            except UnicodeDecodeError as exc:
                yield RawLine(line_no + 1, None, f"不是有效的 UTF-8 文本：{exc.reason}")
                return
            if not text:
                return
            line_no += 1
            if not text.strip():
                continue
            if limit is not None and count >= limit:
                return
            count += 1
            size = len(text.encode("utf-8"))
            try:
                data = json.loads(text)
            except json.JSONDecodeError as exc:
                yield RawLine(line_no, None, f"JSON 格式错误（第 {exc.colno} 列）：{exc.msg}", size)
                continue
            if not isinstance(data, dict):
                yield RawLine(line_no, None, "每行必须是一个 JSON 对象。", size)
                continue
            yield RawLine(line_no, data, "", size)
