"""Control characters out at the door (issue 15.3): the one normaliser of incoming text.

Text pasted from Word carries vertical tabs (\\x0b, its manual line break) and form feeds; a broken
client sends NUL bytes or other C0 controls. None of them can be written to XML 1.0 (the Atom feeds,
the sitemaps, DOCX letters), they print as raw bytes in pages and confuse the analyzer. `text_clean`
keeps tab, line feed and carriage return, turns the line-breaking controls (\\x0b, \\x0c, \\x1c-\\x1e,
U+0085, U+2028, U+2029) into a line feed and removes the other C0 controls, DEL, the C1 controls,
lone surrogates (what a bad UTF-8 byte becomes under `surrogateescape`) and the non-characters
U+FFFE/U+FFFF.

Used by: `ControlCharactersMiddleware` (every query string and form post), the API's JSON parser
(`gongkai.api.parsers`), the document import (`documents.importers.reader`), and the feeds for what is
already stored. Other packages call `text_clean` / `data_clean` for text arriving another way.
"""

from __future__ import annotations

import re
from typing import Any

from django.http import QueryDict

_LINE_BREAKS = "\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_REMOVED = "\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff"
_BAD_RE = re.compile(f"[{_LINE_BREAKS}{_REMOVED}]")
_REMOVE_RE = re.compile(f"[{_REMOVED}]")
_BREAK_TABLE = str.maketrans(dict.fromkeys(_LINE_BREAKS, "\n"))
# A percent-escape of a C0 control or DEL in a raw query string or form body (%00-%1F, %7F), or a raw one.
_ESCAPED_RE = re.compile(rb"%(?:[01][0-9A-Fa-f]|7[Ff])|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def text_has_control(value: str) -> bool:
    return bool(value) and _BAD_RE.search(value) is not None


def text_clean(value: str) -> str:
    """`value` without control characters (see the module docstring); unchanged text is returned as is."""
    if not value or _BAD_RE.search(value) is None:
        return value
    return _REMOVE_RE.sub("", value.translate(_BREAK_TABLE))


def data_clean(value: Any) -> Any:
    """`text_clean` applied to every string (keys included) of a JSON-like value."""
    if isinstance(value, str):
        return text_clean(value)
    if isinstance(value, dict):
        return {data_clean(k): data_clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(data_clean(v) for v in value)
    return value


def querydict_clean(query: QueryDict) -> QueryDict:
    """A copy of a QueryDict with every key and value cleaned (immutable like the original)."""
    clean = QueryDict(mutable=True, encoding=query.encoding)
    for key, values in query.lists():
        clean.setlist(text_clean(key), [text_clean(v) for v in values])
    clean._mutable = False
    return clean


def bytes_may_hold_control(raw: bytes) -> bool:
    """A cheap test on a raw query string or url-encoded body: could it decode to a control character?"""
    return _ESCAPED_RE.search(raw) is not None


class ControlCharactersMiddleware:
    """Clean the query string and form posts of every request before any view sees them.

    The query string is only rebuilt when its raw bytes hold an escaped or raw control character, so a
    normal request costs one regular-expression scan. Form posts (url-encoded or multipart) are parsed
    here when they may hold one (multipart always; its file parts are left alone)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        raw_query = request.META.get("QUERY_STRING", "")
        if raw_query and bytes_may_hold_control(raw_query.encode("latin-1", "ignore")):
            request.GET = querydict_clean(request.GET)
        if request.method == "POST":
            content_type = request.META.get("CONTENT_TYPE", "")
            if content_type.startswith("multipart/form-data"):
                request._post = querydict_clean(request.POST)
            elif content_type.startswith("application/x-www-form-urlencoded") and bytes_may_hold_control(request.body):
                request._post = querydict_clean(request.POST)
        return self.get_response(request)
