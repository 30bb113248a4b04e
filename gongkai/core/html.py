"""Safe rich text: document bodies are HTML from editors and imports, cleaned to a safe subset."""

import html
import re

import nh3

ALLOWED_TAGS = {
    "p", "br", "strong", "b", "em", "i", "u", "s", "sub", "sup", "span", "div",
    "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "code", "hr",
    "ul", "ol", "li", "dl", "dt", "dd",
    "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption", "colgroup", "col",
    "a", "img", "figure", "figcaption",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "ol": {"start"},
}


def sanitize_html(value: str) -> str:
    return nh3.clean(
        value or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )


def text_to_html(text: str) -> str:
    """Plain text (one paragraph per line) to safe HTML paragraphs."""
    paragraphs = [line.strip() for line in (text or "").splitlines() if line.strip()]
    return "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)


_TAG_RE = re.compile(r"<[^>]+>")
_BLOCK_RE = re.compile(r"</?(?:p|div|br|li|tr|h[1-6]|table|section)\b[^>]*>", re.I)


def html_to_text(value: str) -> str:
    """Plain text of sanitised HTML (blocks on their own lines); plain text passes through unchanged.

    The one conversion for search, snippets and content checks: positions in the indexed text and in
    the highlighted snippet must agree, so there is no second variant.
    """
    if "<" not in value:
        return value
    return html.unescape(_TAG_RE.sub("", _BLOCK_RE.sub("\n", value)))
