"""Reading JSON Lines files, plain or gzip-compressed, line by line with their line numbers."""

from __future__ import annotations

import gzip
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gongkai.core.textclean import data_clean

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


def open_bytes(path: Path) -> io.BufferedIOBase:
    """Open a file for reading bytes, transparently decompressing gzip (recognised by its magic bytes)."""
    with open(path, "rb") as probe:
        compressed = probe.read(2) == GZIP_MAGIC
    return gzip.open(path, "rb") if compressed else open(path, "rb")


def read_jsonl(path: Path, *, limit: int | None = None) -> Iterator[RawLine]:
    """Yield each non-blank line as a RawLine; bad JSON is a RawLine with an error, not an exception.

    Lines are decoded one at a time, so an invalid UTF-8 byte is reported on its own line and the other
    lines are still read (issue 15.10). Control characters in the values are removed at this door
    (`core.textclean`, issue 15.3)."""
    count = 0
    with open_bytes(path) as stream:
        for line_no, raw in enumerate(stream, start=1):
            try:
                text = raw.decode("utf-8-sig" if line_no == 1 else "utf-8")
            except UnicodeDecodeError as exc:
                if limit is not None and count >= limit:
                    return
                count += 1
                yield RawLine(line_no, None, f"不是有效的 UTF-8 文本（第 {exc.start + 1} 个字节）：{exc.reason}", len(raw))
                continue
            if not text.strip():
                continue
            if limit is not None and count >= limit:
                return
            count += 1
            size = len(raw)
            try:
                data = json.loads(text)
            except json.JSONDecodeError as exc:
                yield RawLine(line_no, None, f"JSON 格式错误（第 {exc.colno} 列）：{exc.msg}", size)
                continue
            if not isinstance(data, dict):
                yield RawLine(line_no, None, "每行必须是一个 JSON 对象。", size)
                continue
            yield RawLine(line_no, data_clean(data), "", size)
