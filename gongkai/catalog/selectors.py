"""Reads: the catalogue (live from the library), its change history, the guide, the standard catalogue's state."""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from gongkai.applications.clock import CHANNELS
from gongkai.applications.fees import BASIS_TEXT, STANDARD_TEXT
from gongkai.core import workdays
from gongkai.core.models import Organisation
from gongkai.documents.models import Document, Genre
from gongkai.documents.selectors import documents_public

from . import conf
from .models import AdoptedItem, CatalogueEntry, CatalogueNode, StandardDomain

OTHER_HEADING = "其他"
UNCLASSIFIED = "未分类"
GENRE_LABELS = dict(Genre.choices)


# --- The catalogue structure (编排体系) -----------------------------------------------------------------


@dataclass(frozen=True)
class Leaf:
    heading: str
    topic_codes: frozenset[str]
    genres: frozenset[str]

    def matches(self, topic_code: str | None, parent_code: str | None, genre: str) -> bool:
        if not self.topic_codes and not self.genres:
            return False
        if self.topic_codes and not ({topic_code, parent_code} & self.topic_codes):
            return False
        return not self.genres or genre in self.genres

    def q(self) -> Q:
        q = Q()
        if self.topic_codes:
            q &= Q(topic__code__in=self.topic_codes) | Q(topic__parent__code__in=self.topic_codes)
        if self.genres:
            q &= Q(genre__in=self.genres)
        return q


@dataclass
class Structure:
    """How documents are placed in an organisation's catalogue: configured nodes or the default."""

    leaves: list[Leaf]
    configured: bool

    def heading(self, *, topic_code, topic_name, parent_code, parent_name, genre) -> str:
        if not self.configured:
            first = parent_name or topic_name or UNCLASSIFIED
            return f"{first} / {GENRE_LABELS.get(genre, genre)}"
        for leaf in self.leaves:
            if leaf.matches(topic_code, parent_code, genre):
                return leaf.heading
        return OTHER_HEADING

    def heading_q(self, heading: str, genre: str | None = None, first: str | None = None) -> Q:
        """The documents under `heading`, as a filter (first matching leaf wins, as in `heading`)."""
        if not self.configured:
            if first == UNCLASSIFIED:
                return Q(topic__isnull=True, genre=genre)
            return (Q(topic__parent__name=first) | Q(topic__parent__isnull=True, topic__name=first)) & Q(genre=genre)
        earlier = Q(pk__in=[])
        for leaf in self.leaves:
            if leaf.heading == heading:
                return leaf.q() & ~earlier
            earlier |= leaf.q()
        return ~earlier

    def description(self) -> str:
        if not self.configured:
            return "按主题分类（一级）和文种编排；同一类别内按生成日期倒序排列。"
        return "按本机关设定的目录栏目编排（" + "、".join(leaf.heading for leaf in self.leaves) + "）；同一栏目内按生成日期倒序排列。"


def catalogue_structure(*, organisation: Organisation) -> Structure:
    nodes = list(CatalogueNode.objects.filter(organisation=organisation))
    if not nodes:
        return Structure(leaves=[], configured=False)
    by_parent: dict[int | None, list[CatalogueNode]] = {}
    for node in nodes:
        by_parent.setdefault(node.parent_id, []).append(node)
    leaves: list[Leaf] = []

    def walk(parent_id, prefix):
        for node in by_parent.get(parent_id, []):
            heading = f"{prefix} / {node.name}" if prefix else node.name
            if node.topic_codes or node.genres:
                leaves.append(Leaf(heading, frozenset(node.topic_codes), frozenset(node.genres)))
            walk(node.pk, heading)

    walk(None, "")
    return Structure(leaves=leaves, configured=True)


# --- The catalogue (条例 第十二条: 索引、名称、内容概述、生成日期) ----------------------------------------------


def catalogue_documents(*, organisation: Organisation) -> QuerySet[Document]:
    """Every proactively disclosed, published document of the organisation: the catalogue is always current."""
    return documents_public().filter(organisation=organisation)


ROW_FIELDS = ("pk", "index_no", "title", "summary", "written_on", "published_at", "genre",
              "topic__code", "topic__name", "topic__parent__code", "topic__parent__name")


@dataclass(frozen=True)
class Row:
    pk: int
    heading: str
    index_no: str
    title: str
    summary: str
    generated_on: dt.date | None


def generated_on(written_on: dt.date | None, published_at: dt.datetime | None) -> dt.date | None:
    """生成日期: the 成文日期, or the publication day where the document has none."""
    if written_on:
        return written_on
    return timezone.localdate(published_at) if published_at else None


@dataclass(frozen=True)
class Heading:
    name: str
    count: int
    q: Q


def catalogue_headings(*, organisation: Organisation, structure: Structure | None = None) -> list[Heading]:
    """The headings with their number of entries, in structure order (configured) or by name (default);
    counted with one GROUP BY."""
    structure = structure or catalogue_structure(organisation=organisation)
    counts: dict[str, int] = {}
    keys: dict[str, tuple[str, str]] = {}
    grouped = (catalogue_documents(organisation=organisation)
               .values_list("genre", "topic__code", "topic__name", "topic__parent__code", "topic__parent__name")
               .annotate(n=Count("pk")).order_by())
    for genre, tc, tn, pc, pn, n in grouped:
        h = structure.heading(topic_code=tc, topic_name=tn, parent_code=pc, parent_name=pn, genre=genre)
        counts[h] = counts.get(h, 0) + n
        keys[h] = (genre, pn or tn or UNCLASSIFIED)
    if structure.configured:
        order = [leaf.heading for leaf in structure.leaves] + [OTHER_HEADING]
        names = [h for h in OrderedDict.fromkeys(order) if h in counts]
    else:
        names = sorted(counts, key=lambda h: (h.startswith(UNCLASSIFIED), h))
    return [Heading(h, counts[h], structure.heading_q(h, genre=keys[h][0], first=keys[h][1])) for h in names]


def heading_documents(*, organisation: Organisation, heading: Heading) -> QuerySet[Document]:
    return catalogue_documents(organisation=organisation).filter(heading.q).order_by("-written_on", "-published_at", "pk")


def catalogue_rows(*, organisation: Organisation, chunk_size: int = conf.EXPORT_CHUNK) -> Iterator[Row]:
    """All entries grouped by heading, newest first within a heading, in ONE streamed query ordered by the
    heading in SQL (configured: the first matching node's position, as a CASE; default: 主题分类 一级, then
    文种), so `chunk_size` rows are in memory at a time whatever the size of the catalogue."""
    structure = catalogue_structure(organisation=organisation)
    qs = catalogue_documents(organisation=organisation)
    if structure.configured:
        whens = [When(leaf.q(), then=Value(i)) for i, leaf in enumerate(structure.leaves)]
        qs = qs.annotate(_h=Case(*whens, default=Value(len(whens)), output_field=IntegerField()))
        order = ["_h"]
    else:
        qs = qs.annotate(_first=Coalesce("topic__parent__name", "topic__name"))
        order = [F("_first").asc(nulls_last=True), "genre"]
    qs = qs.order_by(*order, "-written_on", "-published_at", "pk").values_list(*ROW_FIELDS)
    for pk, index_no, title, summary, written_on, published_at, genre, tc, tn, pc, pn in qs.iterator(chunk_size=chunk_size):
        h = structure.heading(topic_code=tc, topic_name=tn, parent_code=pc, parent_name=pn, genre=genre)
        yield Row(pk, h, index_no, title, summary or "", generated_on(written_on, published_at))


def catalogue_changes(*, organisation: Organisation) -> QuerySet[CatalogueEntry]:
    """The change history: entries in order of their latest event (entered or left)."""
    return CatalogueEntry.objects.filter(organisation=organisation).select_related("document").order_by("-entered_at", "-pk")


# --- The guide (条例 第十二条) ---------------------------------------------------------------------------


@dataclass
class GuideElement:
    label: str
    value: str
    source: str
    missing: bool = False


@dataclass
class Guide:
    organisation: Organisation
    elements: list[GuideElement] = field(default_factory=list)
    channels: list[str] = field(default_factory=list)
    fee_basis: str = BASIS_TEXT
    fee_rules: list[str] = field(default_factory=list)

    @property
    def missing(self) -> list[str]:
        return [e.label for e in self.elements if e.missing]


def guide_for(*, organisation: Organisation) -> Guide:
    """The 政府信息公开指南, generated: the catalogue structure, the channels and fee rules the platform applies,
    and the office data of the organisation. An element with no value is a finding (`Guide.missing`)."""
    o = organisation
    headings = [h.name for h in catalogue_headings(organisation=o)]
    structure = catalogue_structure(organisation=o)

    def office(label, *values, source):
        value = next((v for v in values if v), "")
        return GuideElement(label, value, source, missing=not value)

    elements = [
        GuideElement("分类", "、".join(headings), "本机关政府信息公开目录的类别", missing=not headings),
        GuideElement("编排体系", structure.description(), "目录栏目设置"),
        GuideElement("获取方式", "主动公开的政府信息通过本平台政府信息公开专栏、政策文件库检索、查阅、下载（条例第二十四条）；"
                     "其他政府信息可依申请获取（条例第二十七条）。", "平台功能"),
        office("工作机构名称", o.disclosure_office_name, o.name, source="机关信息"),
        office("办公地址", o.disclosure_office_address, o.address, source="机关信息"),
        office("办公时间", o.disclosure_office_hours, o.office_hours, source="机关信息"),
        office("联系电话", o.disclosure_office_phone, o.phone, source="机关信息"),
        office("传真号码", o.disclosure_office_fax, o.fax, source="机关信息"),
        office("互联网联系方式", o.disclosure_office_web, o.website, o.disclosure_office_email, o.email, source="机关信息"),
    ]
    return Guide(organisation=o, elements=elements, channels=list(CHANNELS.values()),
                 fee_rules=[STANDARD_TEXT["by_item"], STANDARD_TEXT["by_volume"]])


# --- The standard catalogue (国办发〔2019〕54号) ----------------------------------------------------------


def standard_domains() -> QuerySet[StandardDomain]:
    return StandardDomain.objects.prefetch_related("items")


@dataclass(frozen=True)
class ItemState:
    item: AdoptedItem
    state: str  # "ok", "no_content", "overdue", "late"
    due_on: dt.date | None
    note: str

    @property
    def label(self) -> str:
        return {"ok": "按时", "no_content": "无内容", "overdue": "逾期未公开", "late": "超时限公开"}[self.state]


def adopted_item_state(*, item: AdoptedItem, today: dt.date | None = None) -> ItemState:
    """条例 第二十六条 / the item's 公开时限: content published within N working days of the information being
    formed or changed. With `changed_on` set, the latest change must be covered by a document published on or
    after it and by its due date; otherwise each linked document is measured from its 成文日期."""
    today = today or timezone.localdate()
    n = item.time_limit_working_days
    docs = [d for d in item.documents.all() if d.published_at]
    if item.changed_on:
        due = workdays.add_working_days(item.changed_on, n)
        covering = [timezone.localdate(d.published_at) for d in docs if timezone.localdate(d.published_at) >= item.changed_on]
        if covering:
            first = min(covering)
            if first > due:
                return ItemState(item, "late", due, f"{first:%Y-%m-%d} 公开，时限 {due:%Y-%m-%d}")
            return ItemState(item, "ok", due, "")
        if today > due:
            return ItemState(item, "overdue", due, f"信息 {item.changed_on:%Y-%m-%d} 形成或变更，应于 {due:%Y-%m-%d} 前公开")
        if not docs:
            return ItemState(item, "no_content", due, f"应于 {due:%Y-%m-%d} 前公开")
        return ItemState(item, "ok", due, "")
    if not docs:
        return ItemState(item, "no_content", None, "尚未关联任何公开内容")
    for d in docs:
        if d.written_on:
            due = workdays.add_working_days(d.written_on, n)
            published = timezone.localdate(d.published_at)
            if published > due:
                return ItemState(item, "late", due, f"《{d.title}》{published:%Y-%m-%d} 公开，时限 {due:%Y-%m-%d}")
    return ItemState(item, "ok", None, "")


def adopted_items(*, organisation: Organisation) -> QuerySet[AdoptedItem]:
    return (AdoptedItem.objects.filter(organisation=organisation, active=True)
            .select_related("owner").prefetch_related("documents"))


def items_needing_attention(*, organisation: Organisation, today: dt.date | None = None) -> dict[str, list[ItemState]]:
    """Items with no content or overdue/late content, per owner (the assessment's list)."""
    out: dict[str, list[ItemState]] = {}
    for item in adopted_items(organisation=organisation):
        state = adopted_item_state(item=item, today=today)
        if state.state != "ok":
            owner = item.owner.name if item.owner_id else "未指定公开主体"
            out.setdefault(owner, []).append(state)
    return dict(sorted(out.items()))
