"""The embedded Chinese fonts of every PDF the platform writes (letters, reports, the gazette).

GB/T 9704-2012 sets official documents in 仿宋 (body) with 小标宋/黑体 headings, and a PDF that is
handed to a citizen must carry its fonts: a reader without the font would substitute one (or show
boxes), so the document would not look as the agency issued it. ReportLab embeds TrueType (glyf)
outlines only, while the free CJK fonts ship as OpenType/CFF; so the chosen faces are converted once to
TrueType (quadratic outlines, fontTools' cu2qu) and cached on disk, then registered with ReportLab,
which embeds the subset a document uses (a /FontFile2 stream).

Where the faces come from, in order:
1. a 仿宋 face installed on the system — the Fandol fonts (Debian `fonts-fandol`: FandolFang for the
   body, FandolHei for headings) — when present;
2. the Noto Serif SC / Noto Sans SC fonts of the PyPI package `pylopdf-fonts-zh-cn` (a dependency, SIL
   OFL 1.1): 宋体 style for the body, 黑体 style for headings;
3. the system Noto Serif/Sans CJK collections (/usr/share/fonts/opentype/noto);
4. finally the Adobe-GB1 CID font STSong-Light, which PDF readers provide but which is *not* embedded
   (`FontSet.embedded` is False and a warning is logged).

API: ``register_fonts() -> FontSet`` (idempotent, cheap after the first call in a process).
The cache folder is ``$GONGKAI_FONT_CACHE`` or ``$XDG_CACHE_HOME/gongkai/fonts`` (``~/.cache/…``);
the first conversion takes some 10-40 s per face, later processes read the cached file.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from dataclasses import dataclass
from pathlib import Path

from fontTools.fontBuilder import FontBuilder
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTCollection
from fontTools.ttLib import TTFont as FTFont
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont

try:  # the font package is a dependency, but a site may remove it and use system fonts instead
    import pylopdf_fonts_zh_cn
except ImportError:  # pragma: no cover - depends on the installation
    pylopdf_fonts_zh_cn = None

log = logging.getLogger(__name__)

BODY_NAME = "GongkaiBody"
HEADING_NAME = "GongkaiHeading"
FALLBACK_FONT = "STSong-Light"
_CONVERTER_VERSION = "1"

# Characters kept in the converted faces: ASCII, Latin-1, general punctuation, enclosed numerals, CJK
# symbols and punctuation, the CJK Unified Ideographs block (all of GBK's hanzi) and full-width forms.
_BODY_RANGES = ((0x20, 0x7F), (0xA0, 0x100), (0x2000, 0x2070), (0x2100, 0x2200), (0x2460, 0x2500),
                (0x3000, 0x3040), (0x4E00, 0xA000), (0xFF00, 0xFFF0))
_SYSTEM_DIRS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), Path("/usr/share/texmf/fonts"),
                Path("/usr/share/texlive/texmf-dist/fonts"))


@dataclass(frozen=True)
class FontSet:
    body: str  # ReportLab font name for body text (仿宋 where available)
    heading: str  # ReportLab font name for titles and headings (黑体/宋体)
    embedded: bool  # True when both faces are embedded TrueType fonts
    body_face: str = ""  # what the body face is, e.g. "FandolFang (仿宋)"
    heading_face: str = ""


@dataclass(frozen=True)
class _Source:
    path: Path
    index: int  # font number inside a .ttc/.otc collection
    face: str


_lock = threading.Lock()
_registered: FontSet | None = None


def cache_dir() -> Path:
    if os.environ.get("GONGKAI_FONT_CACHE"):
        return Path(os.environ["GONGKAI_FONT_CACHE"])
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "gongkai" / "fonts"


def _find_system(*names: str) -> Path | None:
    for folder in _SYSTEM_DIRS:
        if not folder.is_dir():
            continue
        for name in names:
            found = next(iter(sorted(folder.rglob(name))), None)
            if found:
                return found
    return None


def _package_fonts() -> tuple[Path | None, Path | None]:
    if pylopdf_fonts_zh_cn is None:
        return None, None
    serif, sans = pylopdf_fonts_zh_cn.serif_path(), pylopdf_fonts_zh_cn.sans_path()
    return (serif if serif.is_file() else None), (sans if sans.is_file() else None)


def _collection_index(path: Path, wanted: str = "SC") -> int:
    """The index of the simplified-Chinese member of a Noto CJK collection (else 0)."""
    if path.suffix.lower() not in (".ttc", ".otc"):
        return 0
    collection = TTCollection(str(path), lazy=True)
    for i, font in enumerate(collection.fonts):
        family = font["name"].getDebugName(1) or ""
        if family.endswith(" " + wanted):
            return i
    return 0


def _sources() -> tuple[_Source | None, _Source | None]:
    """(body, heading) sources in the order of the module docstring."""
    body = heading = None
    fang = _find_system("FandolFang-Regular.otf")
    hei = _find_system("FandolHei-Regular.otf", "FandolHei-Bold.otf")
    if fang:
        body = _Source(fang, 0, "FandolFang (仿宋)")
    if hei:
        heading = _Source(hei, 0, "FandolHei (黑体)")
    serif, sans = _package_fonts()
    if body is None and serif:
        body = _Source(serif, 0, "Noto Serif SC (宋体)")
    if heading is None and sans:
        heading = _Source(sans, 0, "Noto Sans SC (黑体)")
    if body is None:
        path = _find_system("NotoSerifCJK-Regular.ttc", "NotoSerifSC-Regular.otf")
        if path:
            body = _Source(path, _collection_index(path), "Noto Serif CJK SC (宋体)")
    if heading is None:
        path = _find_system("NotoSansCJK-Regular.ttc", "NotoSansSC-Regular.otf", "NotoSerifCJK-Bold.ttc")
        if path:
            heading = _Source(path, _collection_index(path), "Noto Sans CJK SC (黑体)")
    return body, heading


def _wanted_codepoints() -> set[int]:
    return {u for lo, hi in _BODY_RANGES for u in range(lo, hi)}


def _convert(source: _Source, family: str, target: Path) -> None:
    """Write a TrueType (glyf) copy of `source` restricted to the wanted characters to `target`."""
    src = FTFont(str(source.path), fontNumber=source.index, lazy=True)
    wanted = _wanted_codepoints()
    cmap = {u: g for u, g in src.getBestCmap().items() if u in wanted}
    order = [".notdef", *sorted(set(cmap.values()) - {".notdef"}, key=src.getGlyphID)]
    glyph_set, hmtx = src.getGlyphSet(), src["hmtx"]
    glyphs = {}
    for name in order:
        pen = TTGlyphPen(None)
        glyph_set[name].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))
        glyphs[name] = pen.glyph()
    builder = FontBuilder(src["head"].unitsPerEm, isTTF=True)
    builder.setupGlyphOrder(order)
    builder.setupCharacterMap(cmap)
    builder.setupGlyf(glyphs)
    builder.setupHorizontalMetrics({name: hmtx[name] for name in order})
    builder.setupHorizontalHeader(ascent=src["hhea"].ascent, descent=src["hhea"].descent)
    builder.setupNameTable({"familyName": family, "styleName": "Regular",
                            "copyright": src["name"].getDebugName(0) or "",
                            "licenseDescription": src["name"].getDebugName(13) or "SIL Open Font License 1.1"})
    os2 = src["OS/2"]
    builder.setupOS2(sTypoAscender=os2.sTypoAscender, sTypoDescender=os2.sTypoDescender,
                     sTypoLineGap=os2.sTypoLineGap, usWinAscent=os2.usWinAscent, usWinDescent=os2.usWinDescent,
                     fsType=0)
    builder.setupPost()
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(f".{os.getpid()}.{threading.get_ident()}.part")
    builder.save(str(partial))
    os.replace(partial, target)  # atomic: concurrent processes never read a half-written file


def truetype_copy(source: _Source, family: str) -> Path:
    """The cached TrueType copy of `source` (made on first use)."""
    stat = source.path.stat()
    key = hashlib.sha256(f"{_CONVERTER_VERSION}|{source.path}|{source.index}|{stat.st_size}|{stat.st_mtime_ns}"
                         .encode()).hexdigest()[:16]
    target = cache_dir() / f"{family}-{key}.ttf"
    if not target.is_file():
        log.info("converting %s to TrueType for PDF embedding (once per machine) -> %s", source.path, target)
        _convert(source, family, target)
    return target


def register_fonts() -> FontSet:
    """Register the body and heading faces with ReportLab and say which they are."""
    global _registered
    if _registered is not None:
        return _registered
    with _lock:
        if _registered is not None:
            return _registered
        body, heading = _sources()
        try:
            if body is None:
                raise FileNotFoundError("no CJK serif font found")
            pdfmetrics.registerFont(TTFont(BODY_NAME, str(truetype_copy(body, BODY_NAME))))
            heading_name, heading_face = BODY_NAME, body.face
            if heading is not None:
                pdfmetrics.registerFont(TTFont(HEADING_NAME, str(truetype_copy(heading, HEADING_NAME))))
                heading_name, heading_face = HEADING_NAME, heading.face
            _registered = FontSet(BODY_NAME, heading_name, True, body.face, heading_face)
        except Exception as exc:  # a broken or missing font must not stop letters from being issued
            log.warning("no embeddable CJK font (%s); PDFs fall back to the unembedded %s", exc, FALLBACK_FONT)
            pdfmetrics.registerFont(UnicodeCIDFont(FALLBACK_FONT))
            _registered = FontSet(FALLBACK_FONT, FALLBACK_FONT, False, FALLBACK_FONT, FALLBACK_FONT)
        return _registered
