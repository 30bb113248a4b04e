"""Query understanding: what a typed query means before it reaches the index.

- A 发文字号 anywhere in the query, also sloppy (国办发2018 123号, 国办发[2018]123号), or a 索引号
  (000014349/2018-00221) → looked up exactly; the document comes first.
- "Quoted" or “quoted” text → a phrase that must occur when the query is little more than it (at most
  QUOTED_REQUIRED_REST words besides); inside a longer question it is an optional phrase (it ranks the
  documents holding it higher; its words select as any other word): there “” mark a name or a term
  (使用“交管12123”APP…), and a document that writes it without the exact cut was lost (bench/search_quality.py). (《书名号》 is left to the words: people
  quote titles loosely, and the word sequence below already ranks the exact title first.)
- An issuer name that is known to the index and occurs once in the query → an issuer filter; a
  year (2018年, or a bare 19xx/20xx) → a year filter; both only beside at most FILTER_MAX_REST words. Both are applied only when they leave
  results (`selectors.search_documents` drops them otherwise) and are reported back.
- The rest → words (OR, ranked by BM25), the words in their order as an optional phrase (documents
  that hold the sequence rank higher: proximity without a custom ranker), and characters (the
  low-weight fallback field).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from gongkai import text
from gongkai.documents.doc_numbers import doc_numbers_in_text

from .backends import MatchQuery

INDEX_NO_RE = re.compile(r"[0-9A-Za-z]{6,18}/\d{4}(?:\d{2})?-\d{1,8}")
PHRASE_RE = re.compile(r'"([^"]+)"|“([^”]+)”|「([^」]+)」')
# Longest word sequence added as an optional phrase: documents holding the words in this order rank higher.
MAX_SEQUENCE_WORDS = 12
QUOTED_REQUIRED_REST = 2
FILTER_MAX_REST = 3  # words besides a recognised issuer or year, for it to be a filter
YEAR_RE = re.compile(r"(?<![\d〔\[(（【/-])((?:19|20)\d{2})(?:年(?![\d度])|(?![\d号月年]))")
ORDER_RE = re.compile(r"[\u4e00-\u9fff]{1,20}?令\s*第?\s*0*[1-9]\d{0,5}\s*号")


SUGGESTION_KEY_LENGTH = 120
# Marks around or inside a title as people type it: 《》 and quotes, spaces, a closing full stop or question mark.
TITLE_MARKS_RE = re.compile(r'[《》〈〉<>"“”「」\'‘’\s]|[。.？?！!]+$')


def suggestion_key(value: str) -> str:
    """The key of a title (and of what is typed) in the suggestion index: normalised, without spaces."""
    return re.sub(r"\s+", "", text.normalise(value))[:SUGGESTION_KEY_LENGTH]


def title_keys(raw: str) -> list[str]:
    """The suggestion keys a query would equal if it were a title or a short title (issue 17.2): the
    query without 《》, quotes and spaces; at least 3 characters, at most a title's length."""
    key = suggestion_key(TITLE_MARKS_RE.sub("", text.normalise(raw)))
    return [key] if 3 <= len(key) < SUGGESTION_KEY_LENGTH else []


def doc_number_key(value: str) -> str:
    """The look-up key of a 发文字号: normalised, then without brackets (so 〔〕 [] () all agree)."""
    from gongkai.documents.doc_numbers import doc_number_normalise

    value = text.normalise(value)
    normalised = doc_number_normalise(value) or value
    return re.sub(r"[\s〔〕\[\]()（）【】第]", "", normalised)


def doc_number_key_candidates(value: str) -> list[str]:
    """Keys for a number found in free text, whose agency part may have swallowed preceding words
    (关于国办发〔2018〕123号 → 国办发2018123号 is among them): every suffix of at least 2 characters."""
    key = doc_number_key(value)
    m = re.match(r"^(\D+?)(\d.*)$", key)
    if not m:
        return [key]
    agency, number = m.groups()
    return [agency[i:] + number for i in range(0, max(1, len(agency) - 1))]


@dataclass
class ParsedQuery:
    raw: str
    match: MatchQuery = field(default_factory=MatchQuery)
    doc_number_keys: list[str] = field(default_factory=list)
    index_nos: list[str] = field(default_factory=list)
    issuer: str | None = None
    year: int | None = None
    remainder: str = ""  # the text matched by words, after numbers, filters and phrases came out


def parse_query(raw: str, *, issuer_names: list[str] | None = None) -> ParsedQuery:
    parsed = ParsedQuery(raw=raw)
    rest = text.normalise(raw).strip()
    for m in INDEX_NO_RE.finditer(rest):
        parsed.index_nos.append(m.group(0))
    rest = INDEX_NO_RE.sub(" ", rest)
    spans = [(m.start(), m.end(), m.group(0)) for m in ORDER_RE.finditer(rest)]
    rest_without_orders = ORDER_RE.sub(lambda m: " " * len(m.group(0)), rest)
    spans += doc_numbers_in_text(rest_without_orders)
    spans.sort()
    for start, end, normalised in reversed(spans):
        parsed.doc_number_keys.extend(doc_number_key_candidates(normalised))
        rest = rest[:start] + " " + rest[end:]
    for m in PHRASE_RE.finditer(rest):
        phrase = next(g for g in m.groups() if g)
        words = text.words(phrase)
        if len(words) > 1:
            parsed.match.phrases.append(words)
        elif words:
            parsed.match.terms.extend(words)
    rest = PHRASE_RE.sub(" ", rest)
    issuer, year, filtered = None, None, rest
    if issuer_names:
        found = [name for name in issuer_names if name and name in filtered]
        # The longest name wins over names it contains (测试市教育局 over 教育局); two unrelated ones are ambiguous.
        found = [n for n in found if not any(n != o and n in o for o in found)]
        if len(found) == 1:
            issuer = found[0]
            filtered = filtered.replace(found[0], " ")
    years = YEAR_RE.findall(filtered)
    if len(set(years)) == 1:
        year = int(years[0])
        filtered = YEAR_RE.sub(" ", filtered)
    if (issuer or year) and len(text.words(filtered)) <= FILTER_MAX_REST:
        # A filter only beside a few keywords: in a question (2023年的补贴标准是多少) the year or the
        # name is one more word — as a filter it dropped the documents that answer it.
        parsed.issuer, parsed.year, rest = issuer, year, filtered
    parsed.remainder = re.sub(r"\s+", " ", rest).strip()
    sequence = text.words(parsed.remainder)
    if parsed.match.phrases and len(sequence) > QUOTED_REQUIRED_REST:
        parsed.match.optional_phrases, parsed.match.phrases = parsed.match.phrases, []
        for phrase in parsed.match.optional_phrases:
            parsed.match.terms.extend(t for t in phrase if t not in parsed.match.terms)
    for term in sequence:
        if term not in parsed.match.terms:
            parsed.match.terms.append(term)
    if 2 <= len(sequence) <= MAX_SEQUENCE_WORDS:
        parsed.match.sequence = sequence
    quoted = " ".join("".join(p) for p in parsed.match.optional_phrases)
    parsed.match.chars = list(dict.fromkeys(text.chars(f"{parsed.remainder} {quoted}")))
    return parsed
