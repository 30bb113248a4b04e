"""Matching new documents against every subscription at once: an index of the subscriptions, not a query
per subscriber.

The index is built once per batch from plain tuples (`selectors.subscription_index`); each document is
then looked up by its keys:

- **profiles** are indexed by their tags (stage:就业, industry:H …). A document's tags give the
  candidates in one dictionary look-up each; a candidate matches when (1) the document addresses its kind
  (服务对象 个人/法人, when the document says), (2) it shares at least one tag, (3) in each narrowing
  dimension of its kind (person: group; enterprise: industry, size) where the document names values, the
  profile has one of them, and
  (4) the document's jurisdiction covers the profile's region (a national or provincial rule reaches a
  county; a county's notice reaches its own county and the city that contains it, not a neighbour).
- **saved searches** are indexed by their longest query word (the anchor): only searches whose anchor is
  among a document's words are checked for their other words and filters; searches of filters only are
  checked directly (they are few).
- **topics, columns and documents** are dictionaries by id.

`bench/subscriptions_scale.py` measures it with 100,000 subscribers and 1,000 saved searches.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from gongkai import text

from . import conf


@dataclass
class DocumentFacts:
    id: int
    title: str
    url: str
    organisation_id: int
    issuer_ids: frozenset[int] = frozenset()
    issuer_names: frozenset[str] = frozenset()
    jurisdiction: str = ""  # path of the issuing government ("" = national: applies everywhere)
    topic_id: int | None = None
    topic_parent_id: int | None = None
    topic_label: str = ""
    topic_parent_name: str = ""
    genre: str = ""
    validity: str = ""
    year: str = ""
    audiences: frozenset[str] = frozenset()
    tags: frozenset[str] = frozenset()
    tags_suggested: bool = False  # the tags are the system's suggestion, not yet confirmed
    # The library's 适用对象 facet values (search.SearchTag: own 服务对象/生命周期 or the confirmed tags; never a
    # suggestion): what a saved search's `tag` filter is held against, as on the library page.
    facet_tags: frozenset[str] = frozenset()
    words: frozenset[str] = frozenset()


@dataclass
class ProfileEntry:
    subscription_id: int
    subscriber_id: int
    name: str
    audience: str
    region_path: str
    tags: frozenset[str]
    narrowing: dict[str, frozenset[str]] = field(default_factory=dict)


@dataclass
class SearchEntry:
    subscription_id: int
    subscriber_id: int
    label: str
    terms: tuple[str, ...]
    filters: dict[str, str]


@dataclass
class SimpleEntry:
    subscription_id: int
    subscriber_id: int
    label: str


@dataclass
class Match:
    subscription_id: int
    subscriber_id: int
    reason: str
    matched: list[str]


def _dimension(key: str) -> str:
    return key.partition(":")[0]


def narrowing_of(tags) -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    for key in tags:
        if _dimension(key) in conf.NARROWING:
            out[_dimension(key)].add(key)
    return {k: frozenset(v) for k, v in out.items()}


def region_covered(*, jurisdiction: str, region_path: str) -> bool:
    if not region_path or not jurisdiction:
        return True
    return region_path.startswith(jurisdiction) or jurisdiction.startswith(region_path)


def profile_reason(name: str, keys) -> str:
    labels = [conf.tag_label(k) for k in sorted(keys, key=lambda k: list(conf.TAG_BY_KEY).index(k)
                                                  if k in conf.TAG_BY_KEY else 999)]
    return f"因为您订阅了：{name} · {' · '.join(labels)}"


def search_reason(label: str) -> str:
    return f"因为您订阅了检索：{label}"


def profile_match(entry: ProfileEntry, doc: DocumentFacts) -> set[str] | None:
    """The shared tags when the document concerns the profile, else None (rules in the module doc)."""
    if doc.audiences and entry.audience not in doc.audiences:
        return None
    shared = entry.tags & doc.tags
    if not shared:
        return None
    own = conf.PERSON_DIMENSIONS if entry.audience == "person" else conf.ENTERPRISE_DIMENSIONS
    for dimension, values in narrowing_of(doc.tags).items():
        # only the profile's own dimensions narrow: an industry named by a housing notice says nothing to a person
        if dimension in own and not values & entry.narrowing.get(dimension, frozenset()):
            return None
    if not region_covered(jurisdiction=doc.jurisdiction, region_path=entry.region_path):
        return None
    return shared


def search_match(entry: SearchEntry, doc: DocumentFacts) -> bool:
    if any(term not in doc.words for term in entry.terms):
        return False
    f = entry.filters
    if f.get("issuer") and f["issuer"] not in doc.issuer_names:
        return False
    if f.get("topic") and f["topic"] not in (doc.topic_label, doc.topic_parent_name):
        return False
    if f.get("genre") and f["genre"] != doc.genre:
        return False
    if f.get("validity") and f["validity"] != doc.validity:
        return False
    if f.get("tag") and f["tag"] not in doc.facet_tags:
        return False
    return not (f.get("year") and f["year"] != doc.year)


def search_label(query: dict) -> str:
    parts = [f"“{query['q']}”"] if query.get("q") else []
    names = {"issuer": "发文机关", "topic": "主题分类", "genre": "文种", "validity": "有效性", "year": "年份", "tag": "适用对象"}
    parts += [f"{names[k]}：{_value_label(k, query[k])}" for k in names if query.get(k)]
    return "，".join(parts) or "全部政策文件"


AUDIENCE_LABELS = {"audience:person": "个人", "audience:legal_person": "法人"}


def _value_label(name: str, value: str) -> str:
    if name == "tag":
        return AUDIENCE_LABELS.get(value) or conf.tag_label(value)
    return value


class SubscriptionIndex:
    def __init__(self) -> None:
        self.by_tag: dict[str, list[ProfileEntry]] = defaultdict(list)
        self.by_anchor: dict[str, list[SearchEntry]] = defaultdict(list)
        self.filters_only: list[SearchEntry] = []
        self.by_topic: dict[int, list[SimpleEntry]] = defaultdict(list)
        self.by_column: dict[int, list[SimpleEntry]] = defaultdict(list)
        self.by_document: dict[int, list[SimpleEntry]] = defaultdict(list)
        self.size = 0

    # -- building ---------------------------------------------------------------------------------------
    def add_profile(self, *, subscription_id: int, subscriber_id: int, name: str, audience: str,
                    region_path: str, tags) -> None:
        tags = frozenset(tags)
        entry = ProfileEntry(subscription_id, subscriber_id, name, audience, region_path or "", tags,
                             narrowing_of(tags))
        for key in tags:
            self.by_tag[key].append(entry)
        self.size += 1

    def add_search(self, *, subscription_id: int, subscriber_id: int, query: dict) -> None:
        terms = tuple(text.query_terms(query.get("q", ""))) if query.get("q") else ()
        filters = {k: str(v) for k, v in query.items() if k != "q" and v}
        entry = SearchEntry(subscription_id, subscriber_id, search_label(query), terms, filters)
        if terms:
            self.by_anchor[max(terms, key=len)].append(entry)
        else:
            self.filters_only.append(entry)
        self.size += 1

    def add_simple(self, kind: str, *, subscription_id: int, subscriber_id: int, label: str, target_id: int) -> None:
        target = {"topic": self.by_topic, "column": self.by_column, "document": self.by_document}[kind]
        target[target_id].append(SimpleEntry(subscription_id, subscriber_id, label))
        self.size += 1

    # -- matching ---------------------------------------------------------------------------------------
    def match_new(self, doc: DocumentFacts) -> list[Match]:
        """Subscriptions that a newly published document concerns (profiles, searches, topics, columns)."""
        out: list[Match] = []
        seen: set[int] = set()
        suffix = "（标签为系统建议）" if doc.tags_suggested else ""
        for key in doc.tags:
            for entry in self.by_tag.get(key, ()):
                if entry.subscription_id in seen:
                    continue
                seen.add(entry.subscription_id)
                shared = profile_match(entry, doc)
                if shared:
                    out.append(Match(entry.subscription_id, entry.subscriber_id,
                                     profile_reason(entry.name, shared) + suffix, sorted(shared)))
        for word in doc.words:
            for entry in self.by_anchor.get(word, ()):
                if search_match(entry, doc):
                    out.append(Match(entry.subscription_id, entry.subscriber_id, search_reason(entry.label), ["search"]))
        for entry in self.filters_only:
            if search_match(entry, doc):
                out.append(Match(entry.subscription_id, entry.subscriber_id, search_reason(entry.label), ["search"]))
        for topic_id in {doc.topic_id, doc.topic_parent_id} - {None}:
            for entry in self.by_topic.get(topic_id, ()):
                out.append(Match(entry.subscription_id, entry.subscriber_id,
                                 f"因为您订阅了主题分类：{entry.label}", ["topic"]))
        for org_id in {doc.organisation_id, *doc.issuer_ids}:
            for entry in self.by_column.get(org_id, ()):
                out.append(Match(entry.subscription_id, entry.subscriber_id,
                                 f"因为您订阅了机关专栏：{entry.label}", ["column"]))
        return out

    def match_document_event(self, document_id: int, event_label: str) -> list[Match]:
        """Subscriptions that follow one document (its amendment, repeal, interpretation …)."""
        return [Match(e.subscription_id, e.subscriber_id, f"因为您关注了文件《{e.label}》的动态（{event_label}）",
                      ["document"]) for e in self.by_document.get(document_id, ())]
