"""The shared Chinese text analyzer (文本分析): one place that turns Chinese text into terms.

Used by search (indexing and queries) now, and by Q&A matching and content checks later, so that a
document, a question and a query are cut the same way. Full description: docs/text-analysis.md.

What it does, in order:

1. **Normalisation** (`normalise`): Unicode NFKC, which folds full-width letters, digits and
   punctuation to half width (ＡＢＣ１２３ → abc123, （ → ( ), except that the 六角括号 〔〕 of
   发文字号 are kept as they are; ideographic space to space; lower case; a small table of
   traditional characters common in official text to simplified ones (國→国, 務→务 …).
2. **Segmentation** with `rjieba` (the Rust port of jieba: identical cuts, about 15-25x faster on the
   laws corpus, see docs/text-analysis.md for the measurements), without the HMM guesser so that
   unknown names fall apart into known words or single characters instead of random fusions.
3. **Government-term dictionary**: terms that must stay whole (规范性文件, 政务公开, 依申请公开,
   最多跑一次 …), the 主题分类 taxonomy names, and organisation names from the platform
   (`dictionary_add`), added to the segmenter's dictionary so they are never cut.
4. **Stop words**: function words and question words (的, 了, 怎么, 如何, 哪些 …) that carry no
   meaning for matching; punctuation and whitespace are dropped.

Public functions:

- `normalise(text)` → normalised text.
- `words(text)` → the precise segmentation, stop words and punctuation removed; dictionary terms whole.
- `query_terms(text)` → the distinct `words` of a query, in order.
- `parts(words)` → the two- and three-character dictionary words inside the long ones (学校食堂 →
  学校, 食堂), as jieba's search mode finds them. Search indexes them after a title's words and queries with the
  precise words (the ik_max_word / ik_smart split of Elasticsearch's IK analyzer), so that 食堂 finds
  a title with 学校食堂. Measured in docs/text-analysis.md.
- `chars(text)` → CJK characters of the text except stop characters. Search reorders its best word
  matches by them (`char_counts`): it bridges segmentation mismatches (震中/地震, 公开/政务公开,
  雪天/下雪) that word matching alone misses. Cutting whole texts in search mode instead of the
  precise cut was measured and lost on qa_dev (0.724 against 0.748); see docs/text-analysis.md.
- `dictionary_add(terms)` → add terms (e.g. organisation names) to the dictionary at run time.
- `vocabulary_register(source)` → a package pushes a source of whole terms in (documents: the 主题分类).
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from itertools import chain

import rjieba

__all__ = [
    "GOVERNMENT_TERMS",
    "STOP_WORDS",
    "char_counts",
    "char_bigrams",
    "chars",
    "dictionary_add",
    "dictionary_terms",
    "normalise",
    "parts",
    "query_terms",
    "shape_alikes",
    "sound_alikes",
    "words",
    "words_of_records",
]

# Terms of open-government work that must never be cut (RULES, seeds). Taxonomy names are added too.
GOVERNMENT_TERMS = [
    "规范性文件", "行政规范性文件", "政务公开", "政府信息公开", "依申请公开", "主动公开", "不予公开",
    "最多跑一次", "一网通办", "一网可查", "一件事一次办", "放管服", "政策解读", "发文字号", "索引号",
    "主题分类", "发文机关", "成文日期", "公开指南", "公开目录", "政府公报", "政府网站", "政务新媒体",
    "重大行政决策", "征求意见", "信息处理费", "行政复议", "行政诉讼", "年度报告", "政策问答",
    "政务服务", "营商环境", "互联网+政务服务", "12345热线", "统一社会信用代码", "居民身份证",
    "住房公积金", "社会保险", "医疗保险", "养老保险", "失业保险", "工伤保险", "生育保险",
    "最低生活保障", "义务教育", "行政许可", "行政处罚", "行政强制", "行政执法", "双随机一公开",
    "政府信息公开条例", "国务院办公厅", "人民政府", "办公厅", "办公室",
]

# Function words, pronouns and question words; they match everything and mean nothing for search.
STOP_WORDS = frozenset(
    """的 了 是 在 和 与 及 或 等 吗 呢 吧 啊 么 呀 哦 嘛 之 其 该 这 那 这个 那个 这些 那些 一个 个
    怎么 怎么办 怎样 怎么样 如何 什么 啥 哪些 哪里 哪儿 哪个 为什么 为何 是否 能否 可否 有没有 是不是
    可以 能 能够 请问 请 我 我们 你 你们 您 他 她 它 他们 她们 它们 自己 有 没有 要 需要 应该 应当
    就 都 也 还 又 被 把 对 从 到 为 为了 以 向 由 于 将 给 让 并 而 则 但 但是 如果 因为 所以
    以及 或者 还是 多少 几 谁 一下 时候 吗？ 呢？ 着 过 所 之后 之前 上 中 下 里""".split()
)
# Single characters that carry no meaning on their own (for the character field).
STOP_CHARS = frozenset("的了是在和与及或等吗呢吧啊么呀哦嘛之其该这那个怎样如何什啥哪些里为否可能请我你您他她它有没要需应就都也还被把对从到以向由于将给让并而则但所着过")

# Traditional characters frequent in official text → simplified (a deliberately small table; the 1954
# government work report is the only traditional text in our corpora).
_T2S = str.maketrans(
    "國務會議縣區鄉鎮號條例規範開發經濟門機關處辦員於與時為這個們來對說從應當實現統計證據權"
    "產業農業學歷歲衛題體價錢壓際關總銷負責專項廣電視網絡報紙單據認審檢驗環護災難醫療藥廳資"
    "稅費營務厲廢過運動勞議選舉續紀錄辦圖書館",
    "国务会议县区乡镇号条例规范开发经济门机关处办员于与时为这个们来对说从应当实现统计证据权"
    "产业农业学历岁卫题体价钱压际关总销负责专项广电视网络报纸单据认审检验环护灾难医疗药厅资"
    "税费营务厉废过运动劳议选举续纪录办图书馆",
)

_TRADITIONAL_RE = re.compile("[" + "".join(chr(k) for k, v in _T2S.items() if k != v) + "]")  # 例 maps to itself
_KEEP_BRACKETS = {"〔": "\ue000", "〕": "\ue001"}
_PUNCT_RE = re.compile(r"^[\W_]+$")
_CJK_RE = re.compile(r"[\u3400-\u9fff]")
_lock = threading.Lock()
_loading = threading.Lock()
_dictionary: set[str] = set()
_loaded = [False]


def normalise(text: str) -> str:
    """NFKC (full width → half width) keeping 〔〕, lower case, common traditional → simplified."""
    if not text:
        return ""
    # The checks are C-speed scans; most official text needs neither step (indexing cost, measured).
    if not unicodedata.is_normalized("NFKC", text):
        for bracket, placeholder in _KEEP_BRACKETS.items():
            text = text.replace(bracket, placeholder)
        text = unicodedata.normalize("NFKC", text)
        text = text.replace("\ue000", "〔").replace("\ue001", "〕")
    text = text.lower()
    if _TRADITIONAL_RE.search(text):
        text = text.translate(_T2S)
    return text


def dictionary_add(terms: Iterable[str]) -> int:
    """Add terms to the segmenter's dictionary so they are never cut; returns how many were new."""
    added = 0
    with _lock:
        for term in terms:
            term = normalise(term).strip()
            if len(term) < 2 or term in _dictionary:
                continue
            rjieba.add_word(term, None, None)
            _dictionary.add(term)
            added += 1
        if added:  # a new term changes how text and long words are cut
            _parts.clear()
            _forms.clear()
    return added


_vocabularies: list[Callable[[], Iterable[str]]] = []


def vocabulary_register(source: Callable[[], Iterable[str]]) -> None:
    """Register a source of terms that must stay whole (e.g. the 主题分类 names of the documents
    package). The analyzer knows no domain package: each pushes its vocabulary in at start-up, and the
    sources are read once, on the first cut."""
    if source not in _vocabularies:
        _vocabularies.append(source)
        if _loaded[0]:
            dictionary_add(source())


def _ensure_loaded() -> None:
    if not _loaded[0]:
        with _loading:
            if not _loaded[0]:
                _cut_changing_res[:] = _character_classes(_cut_changing_characters())
                dictionary_add([*GOVERNMENT_TERMS, *(t for source in _vocabularies for t in source())])
                _loaded[0] = True  # only once the whole dictionary is in


def _is_term(token: str) -> bool:
    return bool(token.strip()) and not _PUNCT_RE.match(token) and token not in STOP_WORDS


# jieba keeps runs of these characters together as one token (its re_han_default class).
_TOKEN_CLASS_RE = re.compile(r"[\u4e00-\u9fd5a-zA-Z0-9+#&._%\-]")


def _cut_changing_characters() -> str:
    """Every character whose NFKC form holds a character jieba keeps inside a token (full-width
    letters and digits, ％．－, ㎡ ㎏ №, Kangxi radicals, compatibility ideographs, Ⅳ …), and the
    traditional characters of _T2S: where one occurs, normalising changes where the text is cut."""
    found = [chr(k) for k, v in _T2S.items() if k != v]
    for code in [*range(0x80, 0xD800), *range(0xE000, 0x10000), *range(0x2F800, 0x2FA20)]:
        char = chr(code)
        normal = unicodedata.normalize("NFKC", char)
        if normal != char and _TOKEN_CLASS_RE.search(normal):
            found.append(char)
    return "".join(sorted(set(found)))


def _character_classes(chars: str) -> list[re.Pattern]:
    """Regexes that together match any of `chars`, written as ranges: one for the BMP and one above
    it. A single class (or an alternation) holding characters above U+FFFF made Python's regex
    engine scan 40 times slower than a BMP-only class, which it tests by a bitmap (measured)."""
    codes = sorted({ord(c) for c in chars})
    ranges: list[list[int]] = []
    for code in codes:
        if ranges and code == ranges[-1][1] + 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])

    def part(selected):
        return "".join(re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in selected)

    bmp, astral = [r for r in ranges if r[1] <= 0xFFFF], [r for r in ranges if r[1] > 0xFFFF]
    patterns = [re.compile(f"[{part(bmp)}]")]
    if astral:  # one range from the first to the last: a superset is safe (it only normalises more)
        patterns.append(re.compile(f"[{part([[astral[0][0], astral[-1][1]]])}]"))
    return patterns


# Text without them — nearly all official text — is cut as it is and each token normalised on its
# own (`_form`, remembered): NFKC over every whole body was the largest cost of indexing after the
# segmenter itself (measured, docs/text-analysis.md). Built from the Unicode tables on first use (~0.15 s).
_cut_changing_res: list[re.Pattern] = []
# Token → its terms (usually the token itself, lower-cased and folded, or nothing for punctuation and
# stop words). Tokens repeat a lot; bounded so that odd input cannot grow it without end.
_forms: dict[str, tuple[str, ...]] = {}


def _form(token: str) -> tuple[str, ...]:
    normal = normalise(token)
    terms = (normal,) if normal == token else tuple(rjieba.cut(normal, False))
    terms = tuple(t for t in terms if _is_term(t))
    if len(_forms) < 500_000:
        _forms[token] = terms
    return terms


def words(text: str) -> list[str]:
    """Precise segmentation of `text`: dictionary terms whole, no punctuation, no stop words."""
    _ensure_loaded()
    text = normalise(text) if any(r.search(text) for r in _cut_changing_res) else text.lower()
    forms, form = _forms, _form
    # One dictionary look-up per token (indexing speed, measured); chain flattens at C speed.
    return list(chain.from_iterable([f if (f := forms.get(w)) is not None else form(w)
                                     for w in rjieba.cut(text, False)]))


def words_of_records(records: list[tuple]) -> list[tuple]:
    """(key, text, text, …) records → (key, words, words, …): a batch in one call, so that a worker
    process can cut it (the search index's rebuild does)."""
    return [(key, *(words(value) for value in values)) for key, *values in records]


_parts: dict[str, tuple[str, ...]] = {}


def parts(words: Iterable[str]) -> list[str]:
    """The dictionary words of two or more characters inside each word longer than two (学校食堂 →
    学校, 食堂; 中华人民共和国 → 中华, 华人, 人民, 共和, 共和国), without stop words; as often as
    the long word occurs."""
    _ensure_loaded()
    found: list[str] = []
    for word, count in Counter(words).items():
        if len(word) > 2:
            inside = _parts.get(word)
            if inside is None:
                inside = tuple(p for p in rjieba.cut_for_search(word, False) if p != word and len(p) > 1 and _is_term(p))
                if len(_parts) < 500_000:
                    _parts[word] = inside
            if inside:
                found.extend(inside * count)
    return found


def dictionary_terms() -> list[str]:
    """The terms added to the dictionary so far (to give a worker process the same dictionary)."""
    _ensure_loaded()
    with _lock:
        return sorted(_dictionary)


def query_terms(text: str) -> list[str]:
    """Distinct words of a query, in order, cut like the indexed text."""
    return list(dict.fromkeys(words(text)))


_NOT_CJK_RE = re.compile(r"[^\u3400-\u9fff]+")


def char_counts(text: str, wanted: Iterable[str]) -> tuple[dict[str, int], int]:
    """How often each of the `wanted` characters occurs in the text, and how many CJK characters it
    has (stop characters included): what character BM25 needs, at C speed (str.count) instead of
    counting every character of a long document in Python. The text is not normalised — NFKC leaves
    ideographs as they are, and normalising a 17,000-character law took longer than the whole search
    (measured) — so the rare traditional character is not folded here, as it is in `words`."""
    return {c: text.count(c) for c in wanted}, len(_NOT_CJK_RE.sub("", text))


def chars(text: str) -> list[str]:
    """The CJK characters of `text` without stop characters."""
    return [c for c in _CJK_RE.findall(normalise(text)) if c not in STOP_CHARS]


_alikes_lock = threading.Lock()
_alikes: dict[str, set[str]] = {}  # toneless reading → the common characters that have it


_TONE_MARKS = dict.fromkeys((0x0300, 0x0301, 0x0304, 0x030C))


def _readings(char: str, *, every: bool = True) -> list[str]:
    """Toneless readings of a character (the first one alone unless `every`), from pypinyin's table."""
    from pypinyin.pinyin_dict import pinyin_dict  # noqa: PLC0415 — a 40,000-character table, loaded on first use

    marked = pinyin_dict.get(ord(char), "") if len(char) == 1 else ""
    readings = [unicodedata.normalize("NFC", unicodedata.normalize("NFD", r).translate(_TONE_MARKS))
                for r in marked.split(",") if r]
    return list(dict.fromkeys(readings if every else readings[:1]))


def _common_characters() -> list[str]:
    """The 3,755 common characters of GB 2312 level 1, in its order."""
    found = []
    for high in range(0xB0, 0xD8):
        for low in range(0xA1, 0xFF):
            try:
                found.append(bytes([high, low]).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return found


def sound_alikes(char: str) -> list[str]:
    """The common characters (GB 2312 level 1, the 3,755 most used) sharing a toneless reading with
    `char` (pypinyin; every reading of `char`, the usual one of the others): the candidates of a wrong character typed by pinyin input
    (复义 → 复议, 申清 → 申请). The character itself is not among them."""
    if not _alikes:
        with _alikes_lock:
            if not _alikes:
                table: dict[str, set[str]] = {}
                for common in _common_characters():
                    for reading in _readings(common, every=False):
                        table.setdefault(reading, set()).add(common)
                _alikes.update(table)
    found: set[str] = set()
    for reading in _readings(char):
        found |= _alikes.get(reading, set())
    found.discard(char)
    return sorted(found)


_shapes: dict[str, dict] = {}  # "strokes": char → stroke order; "same"/"less": stroke orders → common characters


def _shape_tables() -> dict[str, dict]:
    """Stroke orders of the characters (the data file of the pinned package char-similar), and the
    common characters by stroke order and by stroke order with one stroke left out."""
    if not _shapes:
        with _alikes_lock:
            if not _shapes:
                import importlib.util  # noqa: PLC0415 — only the first shape look-up reads the data file
                import json  # noqa: PLC0415 — likewise
                from pathlib import Path  # noqa: PLC0415 — likewise

                spec = importlib.util.find_spec("char_similar")
                path = Path(next(iter(spec.submodule_search_locations))) / "data" / "char_order.dict" if spec else None
                strokes = json.loads(path.read_text(encoding="utf-8")) if path and path.exists() else {}
                same: dict[str, set[str]] = {}
                less: dict[str, set[str]] = {}
                for common in _common_characters():
                    order = strokes.get(common)
                    if not order:
                        continue
                    same.setdefault(order, set()).add(common)
                    for k in range(len(order)):
                        less.setdefault(order[:k] + order[k + 1:], set()).add(common)
                _shapes.update(strokes=strokes, same=same, less=less)
    return _shapes


def shape_alikes(char: str) -> list[str]:
    """The common characters whose stroke order differs from `char`'s by one stroke more, less or
    different (坏/环, 清/请, 末/未): the candidates of a wrong character of similar shape."""
    tables = _shape_tables()
    order = tables["strokes"].get(char)
    if not order:
        return []
    same, less = tables["same"], tables["less"]
    found = set(less.get(order, ()))  # one stroke more
    for k in range(len(order)):
        shorter = order[:k] + order[k + 1:]
        found |= same.get(shorter, set()) | less.get(shorter, set())  # one stroke less, or different
    found.discard(char)
    return sorted(found)
_CJK_RUN_RE = re.compile(r"[\u3400-\u9fff]+")


def char_bigrams(text: str) -> list[str]:
    """Adjacent pairs of CJK characters inside each run of CJK text, stop characters breaking the runs
    (暴雪天气 → 暴雪, 雪天, 天气). The Q&A matcher scores them beside the words: they bridge cuts that
    differ between a question and its answer (measured in bench/qa_quality.py, docs/qa.md)."""
    out: list[str] = []
    for run in _CJK_RUN_RE.findall(normalise(text)):
        piece = ""
        for c in run + " ":
            if c in STOP_CHARS or c == " ":
                out.extend(piece[i:i + 2] for i in range(len(piece) - 1))
                piece = ""
            else:
                piece += c
    return out
