"""Plain-text documents copied from government websites (../shared/seeds/*.txt) → canonical records.

The texts carry the sites' navigation around the document ("当前位置", "字号", "阅读人次" …). The
heuristics below strip it and take the title, the issuer, the date and the 发文字号 from what is left.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from ..doc_numbers import doc_number_normalise
from .text import dates_in

NOISE_RE = re.compile(
    r"^(当前位置|首页|>|收藏|字号|【|阅读|更新时间|说明[:：]|发布日期|发表时间|政策图解|扫描二维码|正在阅读|进入老年模式|"
    r"本文来源|Top$|分享|打印|关闭)"
)
TITLE_WORDS = ("通知", "意见", "要点", "细则", "总结", "安排", "办法", "规定", "方案", "决定")
ORG_SUFFIX_RE = re.compile(r"^[\u4e00-\u9fff]{2,30}(人民政府办公室|人民政府办公厅|人民政府|办公室|局|委员会|中心)$")
LABELLED_RE = {
    "issuer": re.compile(r"^发文机关\s+(\S+)"),
    "doc_number": re.compile(r"发文字号\s+(\S+号)"),
    "written_on": re.compile(r"成文日期\s+(\d{4}-\d{2}-\d{2})"),
}
STAMP_DATE_RE = re.compile(r"(?:发布日期|发表时间|更新时间)[:：]\s*(\d{4}-\d{2}-\d{2})")
# The metadata box of a gov.cn-style page: its lines are metadata, not body text.
BOX_RE = re.compile(r"^(生效日期|废止日期|政策咨询部门|政策咨询电话|主题分类|有效性|规范性文件号|索引号|发文机关|发文字号|成文日期)|"
                    r"发布日期[:：]")
CONSULT_RE = {
    "consultation_department": re.compile(r"政策咨询部门\s+(\S+)"),
    "consultation_phone": re.compile(r"政策咨询电话\s+([0-9-]{7,20})"),
}
SQUASHED_DATE_RE = re.compile(r"^(\d{4})(\d{3,4})$")  # "2021813": a date whose separators were lost
ORG_PREFIX_RE = re.compile(r"^([\u4e00-\u9fff]{2,30}?(?:人民政府办公室|人民政府|办公室|局|委员会))(?:关于|\d{4})")


def _squashed_date(line: str) -> str | None:
    """'2021813' → 2021-08-13, when exactly one split into month and day is a valid date."""
    m = SQUASHED_DATE_RE.match(line)
    if not m:
        return None
    rest, candidates = m[2], []
    for cut in (1, 2):
        try:
            candidates.append(dt.date(int(m[1]), int(rest[:cut]), int(rest[cut:])))
        except ValueError:
            continue
    return candidates[0].isoformat() if len(candidates) == 1 else None


def _genre(title: str) -> str:
    for word, genre in (("意见", "opinion"), ("通知", "notice"), ("决定", "decision"), ("总结", "report"),
                        ("报告", "report"), ("要点", "notice"), ("细则", "notice"), ("方案", "notice")):
        if word in title:
            return genre
    return "other"


def seed_to_canonical(path: Path, *, organisation: str) -> dict[str, Any]:
    text = path.read_text(encoding="utf-8")
    lines = [line.strip().replace("\u3000", " ").strip() for line in text.splitlines()]
    lines = [line for line in lines if line]
    found: dict[str, str] = {}
    for line in lines[:40]:
        for name, pattern in LABELLED_RE.items():
            if name not in found and (m := pattern.search(line)):
                found[name] = m[1]
        for name, pattern in CONSULT_RE.items():
            if name not in found and (m := pattern.search(line)):
                found[name] = m[1]
    content = [line for line in lines if not NOISE_RE.match(line) and not BOX_RE.search(line)]
    title_at = next((n for n, line in enumerate(content)
                     if 6 <= len(line) <= 60 and any(w in line for w in TITLE_WORDS) and line[-1] not in ":：。，,；"),
                    0)
    title = content[title_at]
    body_lines = content[title_at + 1 :]
    if body_lines and body_lines[0] == title:
        body_lines = body_lines[1:]

    issuer = found.get("issuer")
    if not issuer and (m := ORG_PREFIX_RE.match(title)):
        issuer = m[1]
    if not issuer:
        issuer = next((line for line in content if ORG_SUFFIX_RE.match(line)), "")

    written = found.get("written_on")
    if not written:
        standalone = [dates_in(line)[0] for line in lines if re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日", line)]
        stamped = [m[1] for line in lines if (m := STAMP_DATE_RE.search(line))]
        squashed = [day for line in lines if (day := _squashed_date(line))]
        written = (standalone[0].isoformat() if standalone else squashed[0] if squashed
                   else stamped[0] if stamped else None)
    doc_number = doc_number_normalise(found["doc_number"]) if found.get("doc_number") else None
    return {
        "external_id": f"seed:{path.stem}",
        "organisation": organisation,
        "title": title,
        "doc_number": doc_number or "",
        "issuers": [issuer] if issuer else [],
        "written_on": written,
        "published_at": written,
        "effective_on": written,
        "topic": "综合政务\\政务公开",
        "genre": _genre(title),
        "audiences": ["法人"],
        "subject_words": "政务公开",
        "consultation_department": found.get("consultation_department", ""),
        "consultation_phone": found.get("consultation_phone", ""),
        "source": issuer or "",
        "body_text": "\n".join(body_lines),
        "status": "published",
    }
