"""Did you mean (issue 17.3): a correction of a mistyped query from the index's own vocabulary.

A wrong character typed by pinyin input breaks a word into pieces that the library does not hold
together (行政复义 → 行政 + 复义; 营商坏境 → 营商 + 坏 + 境). For each run of Chinese characters in
the query, every character is replaced in turn by the common characters of the same reading
and of a similar shape (`text.sound_alikes`, `text.shape_alikes`); a replacement is a candidate when the analyzer then cuts the run into no more
words and one of them is a new word of two or more characters holding the replacement (行政复议).
The index decides (bounded counts, so a broad word costs no more than a rare one): the query's run
must be nearly absent from the library as a phrase (fewer than MIN_DOCUMENTS documents) and the
candidate's new words must be held by at least MIN_DOCUMENTS documents and RATIO times more than the
run; the candidate whose new words the most documents hold wins.
"""

from __future__ import annotations

import re

from gongkai import text

from .backends import MatchQuery

MIN_DOCUMENTS = 3
RATIO = 20
COUNT_LIMIT = 1000  # counts above this are all "very common"
MAX_RUN = 10  # longer runs are sentences, not mistyped words
MAX_QUERY = 16  # Chinese characters in the whole query: keywords, not a question
MAX_CANDIDATE_WORDS = 8  # distinct new words counted per query
_RUN_RE = re.compile(r"[\u4e00-\u9fff]{2,}")


def _candidates(run: str) -> list[tuple[str, tuple[str, ...]]]:
    """(corrected run, its new words) for each one-character replacement that joins or keeps the cut."""
    before = text.words(run)
    known = set(before)
    found = []
    for i, char in enumerate(run):
        for alike in dict.fromkeys([*text.sound_alikes(char), *text.shape_alikes(char)]):
            corrected = run[:i] + alike + run[i + 1:]
            after = text.words(corrected)
            if len(after) > len(before):
                continue
            new = tuple(w for w in after if w not in known and len(w) >= 2 and alike in w)
            if new:
                found.append((len(after), -sum(map(len, new)), corrected, new))
    found.sort()
    return [(corrected, new) for _n, _length, corrected, new in found]


def corrections(remainder: str, *, cursor, backend) -> list[tuple[str, str]]:
    """(run as typed, corrected run) for each mistyped run of the query's words; empty when none is."""
    normalised = text.normalise(remainder)
    found: list[tuple[str, str]] = []
    if sum(len(run) for run in _RUN_RE.findall(normalised)) > MAX_QUERY:
        return found  # a question or a sentence: its words are ranked as they are
    counts: dict[str, int] = {}

    def count(query: MatchQuery, key: str, limit: int) -> int:
        if key not in counts:
            counts[key] = backend.count_upto(cursor, query, limit)
        return counts[key]

    for m in _RUN_RE.finditer(normalised):
        run = m.group(0)
        if len(run) > MAX_RUN:
            continue
        candidates = _candidates(run)
        if not candidates:
            continue
        pieces = text.words(run)
        present = (count(MatchQuery(phrases=[pieces]), "\t".join(pieces), MIN_DOCUMENTS) if len(pieces) > 1
                   else count(MatchQuery(terms=pieces), pieces[0], MIN_DOCUMENTS) if pieces else MIN_DOCUMENTS)
        if present >= MIN_DOCUMENTS:
            continue
        best, best_count, words_counted = None, 0, set()
        for corrected, new in candidates:
            words_counted.update(new)
            if len(words_counted) > MAX_CANDIDATE_WORDS:
                break
            held = min(count(MatchQuery(terms=[w]), w, COUNT_LIMIT) for w in new)
            if held >= max(MIN_DOCUMENTS, RATIO * present) and held > best_count:
                best, best_count = corrected, held
        if best:
            found.append((run, best))
    return found


def corrected(query: str, replacements: list[tuple[str, str]]) -> str:
    """The query (normalised) with the corrected runs in place of the typed ones."""
    query = text.normalise(query)
    for run, better in replacements:
        query = query.replace(run, better, 1)
    return query
