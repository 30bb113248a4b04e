"""The catalogue as XLSX, streamed.

`catalogue_xlsx` writes the Office Open XML package itself (ECMA-376 SpreadsheetML: one worksheet of inline
strings, written row by row into a deflated ZIP member), so memory is bounded by one database chunk and the
time is that of the query plus string joining. The first version used openpyxl's write-only workbook, which
builds a cell object and an lxml element per value: 31.8 s for 100,000 entries against the aim of 10 s
(`bench/catalog_build.py` prints both side by side; `catalogue_xlsx_openpyxl` is kept for that comparison and
for the tests that read the new file back with openpyxl).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable
from xml.sax.saxutils import escape

from openpyxl import Workbook

from gongkai.core.models import Organisation
from gongkai.core.textclean import text_clean

from . import conf
from .selectors import catalogue_rows

HEADER = ["目录类别", *conf.CATALOGUE_ELEMENTS]
SHEET_TITLE = "政府信息公开目录"
# Column widths in characters (目录类别, 索引, 名称, 内容概述, 生成日期).
WIDTHS = (28, 26, 60, 60, 12)

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
    '</Types>')
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>'
    '</Relationships>')
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
    '</Relationships>')
# Style 0: normal; 1: bold (title and header row).
_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<fonts count="2"><font><sz val="11"/><name val="等线"/></font><font><b/><sz val="11"/><name val="等线"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    '</styleSheet>')
_COLUMNS = "ABCDE"


def _workbook(title: str) -> str:
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            f'<sheets><sheet name="{escape(title)}" sheetId="1" r:id="rId1"/></sheets></workbook>')


def _core(title: str, creator: str) -> str:
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/">'
            f'<dc:title>{escape(title)}</dc:title><dc:creator>{escape(creator)}</dc:creator></cp:coreProperties>')


def _cell(ref: str, value: str, style: int = 0) -> str:
    if not value:
        return ""
    s = f' s="{style}"' if style else ""
    return f'<c r="{ref}"{s} t="inlineStr"><is><t xml:space="preserve">{escape(text_clean(value))}</t></is></c>'


def _row(number: int, values: Iterable[str], style: int = 0) -> str:
    cells = "".join(_cell(f"{col}{number}", v, style) for col, v in zip(_COLUMNS, values, strict=False))
    return f'<row r="{number}">{cells}</row>'


def catalogue_xlsx(*, organisation: Organisation, out) -> int:
    """Write the organisation's 政府信息公开目录 to the binary file `out`; returns the number of entries.

    One sheet: a title row, the header (目录类别 and the four elements of 条例 第十二条), then every entry
    grouped by heading in structure order (`catalogue_rows`, one streamed query)."""
    title = f"{organisation.name}政府信息公开目录"
    n = 0
    # Level 1 deflate: the text is highly repetitive, the file stays small and compression is not the cost.
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        zf.writestr("[Content_Types].xml", _CONTENT_TYPES)
        zf.writestr("_rels/.rels", _ROOT_RELS)
        zf.writestr("docProps/core.xml", _core(title, organisation.name))
        zf.writestr("xl/workbook.xml", _workbook(SHEET_TITLE))
        zf.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        zf.writestr("xl/styles.xml", _STYLES)
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            cols = "".join(f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>' for i, w in enumerate(WIDTHS, 1))
            sheet.write(('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                         '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                         '<sheetViews><sheetView workbookViewId="0"><pane ySplit="2" topLeftCell="A3" state="frozen"/>'
                         f'</sheetView></sheetViews><cols>{cols}</cols><sheetData>'
                         + _row(1, [title], 1) + _row(2, HEADER, 1)).encode())
            buf: list[str] = []
            number = 2
            for row in catalogue_rows(organisation=organisation):
                number += 1
                generated = row.generated_on.isoformat() if row.generated_on else ""
                buf.append(_row(number, (row.heading, row.index_no, row.title, row.summary, generated)))
                if len(buf) >= conf.EXPORT_CHUNK:
                    sheet.write("".join(buf).encode())
                    buf.clear()
            sheet.write(("".join(buf) + "</sheetData></worksheet>").encode())
            n = number - 2
    return n


def catalogue_xlsx_bytes(*, organisation: Organisation) -> bytes:
    buf = io.BytesIO()
    catalogue_xlsx(organisation=organisation, out=buf)
    return buf.getvalue()


def catalogue_xlsx_openpyxl(*, organisation: Organisation, out) -> int:
    """The first version (openpyxl write-only workbook), kept as the bench's baseline."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=SHEET_TITLE)
    ws.append([f"{organisation.name}政府信息公开目录"])
    ws.append(HEADER)
    n = 0
    for row in catalogue_rows(organisation=organisation):
        ws.append([row.heading, row.index_no, row.title, row.summary,
                   row.generated_on.isoformat() if row.generated_on else ""])
        n += 1
    wb.save(out)
    return n
