"""Text of attached files, piece by piece, for the content checks (issue: attachments were not scanned).

A spreadsheet of benefit recipients with their ID numbers is the classic leak from a government site,
so attachments are checked like the body. Each file is read in pieces with its place ("第3页",
"名单!C12", "第12段"), streamed so that a large spreadsheet is never held in memory at once:
- PDF: pypdf, one piece per page;
- DOCX: python-docx, paragraphs and table rows;
- XLSX: openpyxl in read-only mode, one piece per row (cells joined by a tab, so a name in one cell
  and an ID number in the next are seen together, as a reader sees them), the cell kept per offset;
- CSV/TXT: UTF-8 or GB18030 (the encoding Chinese office software writes), one piece per line/row.
Other types (images, OFD, old .doc/.xls) are not read; `Unreadable` says so, so the check can report
that the file was not checked instead of passing it silently.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

READABLE = ("pdf", "docx", "xlsx", "csv", "txt")
# A cell or line longer than this is cut: personal numbers are short, and a pathological cell must not
# make one piece huge.
MAX_PIECE = 20_000


class Unreadable(Exception):
    """The file's text cannot be read (unknown type, damaged or encrypted file)."""


@dataclass
class Piece:
    """A piece of an attachment's text and where it is; `cells` maps offsets to cell names (spreadsheets)."""

    location: str
    text: str
    cells: list[tuple[int, str]] = field(default_factory=list)

    def place(self, offset: int) -> str:
        """The location of the character at `offset` (the cell for spreadsheets)."""
        name = ""
        for start, cell in self.cells:
            if start > offset:
                break
            name = cell
        if name and self.location:
            return f"{self.location}!{name}"
        return name or self.location


def _column(index: int) -> str:
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def _lines(stream: BinaryIO) -> Iterator[str]:
    """Decoded lines; the encoding is chosen on the first 64 KB (UTF-8 unless it does not decode)."""
    head = stream.read(65536)
    try:
        head.decode("utf-8-sig")
        encoding = "utf-8-sig"
    except UnicodeDecodeError as exc:
        encoding = "utf-8-sig" if exc.start >= len(head) - 4 else "gb18030"  # a character cut at the edge
    stream.seek(0)
    yield from io.TextIOWrapper(stream, encoding=encoding, errors="replace", newline="")


def _pdf(stream: BinaryIO) -> Iterator[Piece]:
    from pypdf import PdfReader  # noqa: PLC0415 (read only for PDF attachments)
    from pypdf.errors import PdfReadError  # noqa: PLC0415

    try:
        reader = PdfReader(stream)
        if reader.is_encrypted:
            raise Unreadable("PDF 已加密，无法读取文字")
        for number, page in enumerate(reader.pages, 1):
            yield Piece(f"第{number}页", (page.extract_text() or "")[:MAX_PIECE * 10])
    except (PdfReadError, ValueError, KeyError) as exc:
        raise Unreadable(f"PDF 无法读取：{exc}") from exc


def _docx(stream: BinaryIO) -> Iterator[Piece]:
    import docx  # noqa: PLC0415 (read only for Word attachments)

    try:
        document = docx.Document(stream)
    except Exception as exc:  # python-docx raises zipfile/KeyError/ValueError variants for damaged files
        raise Unreadable(f"Word 文件无法读取：{exc}") from exc
    for number, paragraph in enumerate(document.paragraphs, 1):
        if paragraph.text.strip():
            yield Piece(f"第{number}段", paragraph.text[:MAX_PIECE])
    for t, table in enumerate(document.tables, 1):
        for r, row in enumerate(table.rows, 1):
            yield _row_piece(f"表{t}第{r}行", [cell.text for cell in row.cells], lambda c, r=r: f"{_column(c)}{r}")


def _row_piece(location: str, values: list, cell_name) -> Piece:
    text, cells = [], []
    offset = 0
    for c, value in enumerate(values):
        if value is None or value == "":
            continue
        value = str(value)[:MAX_PIECE]
        cells.append((offset, cell_name(c)))
        text.append(value)
        offset += len(value) + 1
    return Piece(location, "\t".join(text), cells)


def _xlsx(stream: BinaryIO) -> Iterator[Piece]:
    import openpyxl  # noqa: PLC0415 (read only for spreadsheet attachments)

    try:
        workbook = openpyxl.load_workbook(stream, read_only=True, data_only=True)
    except Exception as exc:  # damaged or not a workbook: zipfile.BadZipFile, KeyError, InvalidFileException
        raise Unreadable(f"Excel 文件无法读取：{exc}") from exc
    try:
        for sheet in workbook.worksheets:
            for r, row in enumerate(sheet.iter_rows(values_only=True), 1):
                piece = _row_piece(sheet.title, list(row), lambda c, r=r: f"{_column(c)}{r}")
                if piece.text:
                    yield piece
    finally:
        workbook.close()


def _csv(stream: BinaryIO) -> Iterator[Piece]:
    for r, row in enumerate(csv.reader(_lines(stream)), 1):
        piece = _row_piece("", row, lambda c, r=r: f"{_column(c)}{r}")
        if piece.text:
            yield piece


def _txt(stream: BinaryIO) -> Iterator[Piece]:
    for number, line in enumerate(_lines(stream), 1):
        if line.strip():
            yield Piece(f"第{number}行", line.rstrip("\r\n")[:MAX_PIECE])


_READERS = {"pdf": _pdf, "docx": _docx, "xlsx": _xlsx, "csv": _csv, "txt": _txt}


def pieces(stream: BinaryIO, extension: str) -> Iterator[Piece]:
    """The text of a file in pieces with their places; raises Unreadable for a type that is not read."""
    reader = _READERS.get(extension.lower().lstrip("."))
    if reader is None:
        raise Unreadable(f"不读取 .{extension} 文件的文字")
    yield from reader(stream)


def path_pieces(path: Path) -> Iterator[Piece]:
    with path.open("rb") as stream:
        yield from pieces(stream, path.suffix)
