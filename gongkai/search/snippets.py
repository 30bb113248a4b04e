"""Highlighted snippets, cut from the original text (not the segmented index text) around the
densest cluster of matched terms, HTML-escaped, with the terms in <mark>."""

from __future__ import annotations

import html
import re

SNIPPET_LENGTH = 120


def snippet_html(text: str, terms: list[str], *, length: int = SNIPPET_LENGTH) -> str:
    """The `length`-character window of `text` covering the most distinct terms, highlighted."""
    text = re.sub(r"\s+", " ", text).strip()
    terms = sorted({t for t in terms if t.strip()}, key=len, reverse=True)
    if not text:
        return ""
    if not terms:
        return html.escape(text[:length]) + ("…" if len(text) > length else "")
    pattern = re.compile("|".join(re.escape(t) for t in terms), re.I)
    hits = [(m.start(), m.end(), m.group(0).lower()) for m in pattern.finditer(text)]
    start = 0
    if hits:
        best, best_score = 0, -1.0
        right = 0
        # Two pointers over the hits: the window [hit i, hit i + length) with the best distinct-term weight.
        for i, (s, _e, _t) in enumerate(hits):
            right = max(right, i)
            while right + 1 < len(hits) and hits[right + 1][1] <= s + length:
                right += 1
            seen = {t for _s, _e2, t in hits[i:right + 1]}
            score = sum(len(t) for t in seen) + 0.001 * len(hits[i:right + 1])
            if score > best_score:
                best, best_score = i, score
        first = hits[best][0]
        start = max(0, first - length // 5)
        # Start at a sentence or clause boundary when one is near.
        boundary = max(text.rfind(c, start - 10, first) for c in "。；！？;")
        if boundary >= 0 and first - boundary < length // 2:
            start = boundary + 1
    window = text[start:start + length]
    out, last = [], 0
    for m in pattern.finditer(window):
        out.append(html.escape(window[last:m.start()]))
        out.append(f"<mark>{html.escape(m.group(0))}</mark>")
        last = m.end()
    out.append(html.escape(window[last:]))
    marked = "".join(out).strip().replace("</mark><mark>", "")  # adjacent words read as one highlight
    return ("…" if start > 0 else "") + marked + ("…" if start + length < len(text) else "")
