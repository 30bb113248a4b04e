"""Safe rich text: document bodies are HTML from editors and imports, cleaned to a safe subset."""

import html

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


def html_to_text(value: str) -> str:
    """Visible text of a body, one block per line (for search and content checks)."""
    import re

    value = re.sub(r"(?i)<br\s*/?>|</(p|div|h[1-6]|li|tr|blockquote|pre)>", "\n", value or "")
    value = re.sub(r"<[^>]+>", "", value)
    value = html.unescape(value)
    return "\n".join(line.strip() for line in value.splitlines() if line.strip())
