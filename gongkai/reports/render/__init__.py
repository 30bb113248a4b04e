"""Every output format of the annual report, behind one function."""

from __future__ import annotations

import json

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json; charset=utf-8",
    "html": "text/html; charset=utf-8",
}


def report_file(data: dict, fmt: str) -> bytes:
    """The report `data` (builder.report_data) as a file of format `fmt` (a key of CONTENT_TYPES)."""
    if fmt == "pdf":
        from .pdf import render_pdf

        return render_pdf(data)
    if fmt == "docx":
        from .docx import render_docx

        return render_docx(data)
    if fmt == "xlsx":
        from .xlsx import render_xlsx

        return render_xlsx(data, data.get("checks"))
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=2, default=str).encode()
    if fmt == "html":
        from .html import render_html

        return render_html(data).encode()
    raise ValueError(f"unknown report format: {fmt}")
