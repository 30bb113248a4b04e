"""The embedded CJK fonts of the platform's PDFs (GB/T 9704: 仿宋 body, 黑体/宋体 headings)."""

import io

import pypdf
from reportlab.pdfgen import canvas

from gongkai.core import pdf_fonts


def _font_files(pdf: bytes) -> dict[str, str]:
    """BaseFont name -> the kind of embedded font stream (/FontFile2 TrueType, /FontFile3 CFF)."""
    found = {}
    for page in pypdf.PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is None and "/DescendantFonts" in font:
                descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor is not None else {}
            kind = next((k for k in ("/FontFile2", "/FontFile3", "/FontFile") if k in descriptor), "")
            found[str(font["/BaseFont"])] = kind
    return found


def test_register_fonts_embeds_a_truetype_cjk_body_and_heading_face():
    fonts = pdf_fonts.register_fonts()
    assert fonts.embedded, "the font package pylopdf-fonts-zh-cn (a dependency) should give an embeddable face"
    assert fonts.body == pdf_fonts.BODY_NAME and fonts.heading == pdf_fonts.HEADING_NAME
    assert fonts.body_face and fonts.heading_face
    assert pdf_fonts.register_fonts() is fonts  # idempotent

    out = io.BytesIO()
    c = canvas.Canvas(out)
    c.setFont(fonts.heading, 22)
    c.drawString(60, 760, "政府信息公开申请答复书")
    c.setFont(fonts.body, 16)
    c.drawString(60, 720, "根据《中华人民共和国政府信息公开条例》第三十六条第（二）项，2026年12月29日。")
    c.save()
    pdf = out.getvalue()

    files = {name: kind for name, kind in _font_files(pdf).items() if "Gongkai" in name}  # not the default Helvetica
    assert len(files) == 2, files
    assert all(kind == "/FontFile2" for kind in files.values()), files
    text = pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "政府信息公开申请答复书" in text and "第三十六条第（二）项" in text


def test_register_fonts_covers_gbk_hanzi_and_fullwidth_punctuation():
    fonts = pdf_fonts.register_fonts()
    face = pdf_fonts.pdfmetrics.getFont(fonts.body).face
    for char in "龘鑫垚焱（），。、；：“”《》〔〕—１２":
        assert ord(char) in face.charToGlyph, char


def test_truetype_copy_is_cached_and_keyed_by_source(tmp_path, monkeypatch):
    monkeypatch.setenv("GONGKAI_FONT_CACHE", str(tmp_path))
    monkeypatch.setattr(pdf_fonts, "_BODY_RANGES", ((0x20, 0x7F), (0x4E00, 0x4E20)))
    body, _ = pdf_fonts._sources()
    first = pdf_fonts.truetype_copy(body, "TestFace")
    assert first.parent == tmp_path and first.read_bytes()[:4] == b"\0\1\0\0"  # TrueType, not CFF
    mtime = first.stat().st_mtime_ns
    assert pdf_fonts.truetype_copy(body, "TestFace") == first and first.stat().st_mtime_ns == mtime
    assert not list(tmp_path.glob("*.part"))


def test_register_fonts_falls_back_to_stsong_light_with_a_warning(monkeypatch, caplog):
    monkeypatch.setattr(pdf_fonts, "_registered", None)
    monkeypatch.setattr(pdf_fonts, "_sources", lambda: (None, None))
    fonts = pdf_fonts.register_fonts()
    assert fonts == pdf_fonts.FontSet("STSong-Light", "STSong-Light", False, "STSong-Light", "STSong-Light")
    assert "STSong-Light" in caplog.text
