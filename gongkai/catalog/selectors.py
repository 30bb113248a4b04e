"""Reads: the catalogue (live from the library), its change history, the guide, the standard catalogue's state."""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from gongkai.applications.clock import CHANNELS
from gongkai.applications.fees import BASIS_TEXT, STANDARD_TEXT
from gongkai.core import workdays
from gongkai.core.models import Organisation
from gongkai.core.selectors import organisation_descendants
from gongkai.documents.models import Document, Genre, Topic
from gongkai.documents.selectors import documents_public

from . import conf
from .models import (
    AdoptedItem,
    CatalogueEntry,
    CatalogueNode,
    GazetteArticle,
    GazetteIssue,
    KeyAreaColumn,
    ServiceItem,
    ServicePackage,
    StandardDomain,
)

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

    def q_by_id(self, topics: dict[int, tuple]) -> Q:
        """`q` without joins: the topic codes resolved to ids (`topics`: id → (code, name, parent code, name))."""
        q = Q()
        if self.topic_codes:
            q &= Q(topic_id__in=[pk for pk, (c, _n, pc, _pn) in topics.items() if {c, pc} & self.topic_codes])
        if self.genres:
            q &= Q(genre__in=self.genres)
        return q

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
    # The 主题分类 table is small: read it once and order by a CASE over topic ids instead of joining it twice
    # per row (the join and sort on names was most of the time of a 100,000-entry export).
    topics = {t.pk: (t.code, t.name, t.parent.code if t.parent_id else None, t.parent.name if t.parent_id else None)
              for t in Topic.objects.select_related("parent")}
    qs = catalogue_documents(organisation=organisation)
    if structure.configured:
        whens = [When(leaf.q_by_id(topics), then=Value(i)) for i, leaf in enumerate(structure.leaves)]
        qs = qs.annotate(_h=Case(*whens, default=Value(len(whens)), output_field=IntegerField()))
    else:
        firsts = sorted({(pn or tn) for _c, tn, _pc, pn in topics.values()})
        rank = {name: i for i, name in enumerate(firsts)}
        whens = [When(topic_id=pk, then=Value(rank[pn or tn])) for pk, (_c, tn, _pc, pn) in topics.items()]
        qs = qs.annotate(_h=Case(*whens, default=Value(len(firsts)), output_field=IntegerField()))
    order = ["_h"] if structure.configured else ["_h", "genre"]
    qs = qs.order_by(*order, "-written_on", "-published_at", "pk").values_list(
        "pk", "index_no", "title", "summary", "written_on", "published_at", "genre", "topic_id")
    none = (None, None, None, None)
    for pk, index_no, title, summary, written_on, published_at, genre, topic_id in qs.iterator(chunk_size=chunk_size):
        tc, tn, pc, pn = topics.get(topic_id, none)
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


def adopted_item_state(*, item: AdoptedItem, today: dt.date | None = None, as_of: dt.datetime | None = None) -> ItemState:
    """条例 第二十六条 / the item's 公开时限: content published within N working days of the information being
    formed or changed. With `changed_on` set, the latest change must be covered by a document published on or
    after it and by its due date; otherwise each linked document is measured from its 成文日期.

    `as_of` (an assessment of a past period): only documents published by then count, and a change dated
    after it is not yet known, so a later publication does not change the past state."""
    today = today or timezone.localdate()
    n = item.time_limit_working_days
    docs = [d for d in item.documents.all() if d.published_at and (as_of is None or d.published_at <= as_of)]
    if item.changed_on and (as_of is None or item.changed_on <= timezone.localdate(as_of)):
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


# --- 重点领域专栏 -------------------------------------------------------------------------------------------------


def key_area_columns(*, organisation: Organisation, active_only: bool = True) -> QuerySet[KeyAreaColumn]:
    qs = KeyAreaColumn.objects.filter(organisation=organisation)
    return qs.filter(active=True) if active_only else qs


def _column_units(column: KeyAreaColumn) -> list[Organisation]:
    """The organisations whose documents feed the column: itself, and its active descendants when configured."""
    org = column.organisation
    if not column.include_descendants:
        return [org]
    return list(organisation_descendants(organisation=org).filter(is_active=True)
                .exclude(handles_applications=False, kind=Organisation.Kind.OTHER).order_by("path", "sort_order", "pk"))


def column_match_q(column: KeyAreaColumn) -> Q:
    """The column's content rule as one filter: 文种 (if any) AND (主题分类 OR a title keyword), OR the documents
    linked to its standard-catalogue domains' items. The same shape as the portal's 第二十条 categories."""
    content = Q()
    if column.topic_codes or column.keywords:
        content = Q(pk__in=[])
        if column.topic_codes:
            content |= Q(topic__code__in=column.topic_codes) | Q(topic__parent__code__in=column.topic_codes)
        for word in column.keywords:
            content |= Q(title__contains=word)
    elif not column.genres:
        content = Q(pk__in=[])
    if column.genres:
        content &= Q(genre__in=column.genres)
    if column.standard_domains:
        linked = AdoptedItem.objects.filter(organisation=column.organisation, domain__in=column.standard_domains,
                                            active=True).values_list("documents", flat=True)
        content |= Q(pk__in=linked)
    return content


def column_documents(*, column: KeyAreaColumn) -> QuerySet[Document]:
    units = [o.pk for o in _column_units(column)]
    return (documents_public().filter(organisation_id__in=units).filter(column_match_q(column))
            .select_related("organisation").distinct().order_by("-published_at", "-pk"))


@dataclass
class ColumnState:
    column: KeyAreaColumn
    count: int
    latest: dt.date | None
    stale: bool
    empty: bool
    allowed_days: int | None
    # (year, unit name, required item) with no document; the current year's are `pending`, not yet findings.
    missing: list[tuple[int, str, str]] = field(default_factory=list)
    pending: list[tuple[int, str, str]] = field(default_factory=list)
    stages: list[tuple[str, int]] = field(default_factory=list)
    standard: list[ItemState] = field(default_factory=list)

    @property
    def findings(self) -> list[str]:
        out = []
        if self.empty:
            out.append("栏目为空")
        elif self.stale:
            out.append(f"超过 {self.allowed_days} 天未更新（最近 {self.latest:%Y-%m-%d}）")
        out += [f"{unit}{year}年{name}未公开" for year, unit, name in self.missing]
        out += [f"{name}阶段无信息" for name, n in self.stages if n == 0 and not self.empty]
        out += [f"标准目录事项“{s.item.level2}”：{s.label}" for s in self.standard if s.state != "ok"]
        return out


def column_state(*, column: KeyAreaColumn, today: dt.date | None = None) -> ColumnState:
    """The column against its rules: freshness (RULES §5), required items per year and unit, life-cycle
    stages, and the state of the standard-catalogue items it covers (completeness against the standard)."""
    today = today or timezone.localdate()
    docs = column_documents(column=column)
    count = docs.count()
    last = docs.values_list("published_at", flat=True).first()
    latest = timezone.localdate(last) if last else None
    days = conf.FRESHNESS_DAYS.get(column.freshness)
    stale = bool(days and latest and (today - latest).days > days)
    state = ColumnState(column, count, latest, stale, count == 0, days)
    units = _column_units(column)
    for req in column.required:
        words = Q(pk__in=[])
        for word in req.get("keywords", []):
            words |= Q(title__contains=word)
        for year in (today.year - 1, today.year):
            have = set(docs.filter(words, published_at__year=year).values_list("organisation_id", flat=True))
            for unit in (units if req.get("per_unit") else [column.organisation]):
                if unit.pk not in have:
                    (state.pending if year == today.year else state.missing).append((year, unit.name, req["name"]))
    for stage in column.stages:
        words = Q(pk__in=[])
        for word in stage.get("keywords", []):
            words |= Q(title__contains=word)
        state.stages.append((stage["name"], docs.filter(words).count()))
    if column.standard_domains:
        items = adopted_items(organisation=column.organisation).filter(domain__in=column.standard_domains)
        state.standard = [adopted_item_state(item=i, today=today) for i in items]
    return state


@dataclass
class ColumnsCheck:
    states: list[ColumnState]

    @property
    def stale(self) -> list[ColumnState]:
        return [s for s in self.states if s.stale]

    @property
    def empty(self) -> list[ColumnState]:
        return [s for s in self.states if s.empty]

    @property
    def fails(self) -> list[str]:
        """The single-item fails of 《政府网站与政务新媒体检查指标》 (RULES §5) these columns would cause."""
        out = []
        if len(self.stale) >= conf.STALE_COLUMNS_FAIL:
            out.append(f"{len(self.stale)} 个栏目不更新（达到 {conf.STALE_COLUMNS_FAIL} 个即单项否决）")
        if len(self.empty) >= conf.EMPTY_COLUMNS_FAIL:
            out.append(f"{len(self.empty)} 个空白栏目（达到 {conf.EMPTY_COLUMNS_FAIL} 个即单项否决）")
        return out


def columns_check(*, organisation: Organisation, today: dt.date | None = None) -> ColumnsCheck:
    return ColumnsCheck([column_state(column=c, today=today) for c in key_area_columns(organisation=organisation)])


# --- 办事指南 ---------------------------------------------------------------------------------------------------


def _element_present(item: ServiceItem, key: str) -> bool:
    if key == "basis":
        return bool(item.basis_text.strip()) or (item.pk is not None and item.basis_documents.exists())
    if key == "materials":
        return any((m.get("name") or "").strip() for m in item.materials)
    if key == "process":
        return any((step or "").strip() for step in item.process)
    if key == "limit":
        return bool(item.legal_limit.strip() or item.promised_limit.strip())
    if key == "fee":
        return bool(item.fee.strip()) and (item.fee.strip() == "不收费" or bool(item.fee_basis.strip()))
    return bool(str(getattr(item, key) or "").strip())


def service_item_missing(*, item: ServiceItem) -> list[str]:
    """The elements of `conf.SERVICE_ELEMENTS` the guide lacks (a fee other than 不收费 needs its basis)."""
    return [label for key, label, _key in conf.SERVICE_ELEMENTS if not _element_present(item, key)]


def service_item_missing_key(*, item: ServiceItem) -> list[str]:
    """Only the key elements whose absence fails the national check (RULES §5)."""
    return [label for key, label, key_element in conf.SERVICE_ELEMENTS if key_element and not _element_present(item, key)]


def service_items_public(*, organisation: Organisation | None = None, life_stage: str | None = None,
                         audience: str | None = None) -> list[ServiceItem]:
    qs = (ServiceItem.objects.filter(state=ServiceItem.State.PUBLISHED).select_related("organisation")
          .prefetch_related("basis_documents"))
    if organisation is not None:
        qs = qs.filter(organisation=organisation)
    items = list(qs)
    # JSON containment differs between SQLite and PostgreSQL; the lists are short, so filter here.
    if life_stage:
        items = [i for i in items if life_stage in i.life_stages]
    if audience:
        items = [i for i in items if audience in i.audiences]
    return items


def service_item_public(*, code: str) -> ServiceItem | None:
    return (ServiceItem.objects.filter(state=ServiceItem.State.PUBLISHED, code=code)
            .select_related("organisation").prefetch_related("basis_documents").first())


def service_packages_public(*, audience: str | None = None) -> QuerySet[ServicePackage]:
    qs = ServicePackage.objects.filter(published=True).select_related("organisation")
    return qs.filter(audience=audience) if audience else qs


def service_package_steps(*, package: ServicePackage) -> list[ServiceItem]:
    """The package's items in order; only published guides are shown to the public."""
    return [s.item for s in package.steps.select_related("item", "item__organisation").order_by("position")
            if s.item.state == ServiceItem.State.PUBLISHED]


def service_departments() -> list[tuple[Organisation, int]]:
    counts = (ServiceItem.objects.filter(state=ServiceItem.State.PUBLISHED)
              .values("organisation").annotate(n=Count("pk")).order_by())
    orgs = Organisation.objects.in_bulk([c["organisation"] for c in counts])
    return sorted(((orgs[c["organisation"]], c["n"]) for c in counts), key=lambda p: (p[0].sort_order, p[0].pk))


# --- 政府公报 ---------------------------------------------------------------------------------------------------


def gazette_issues_public(*, year: int | None = None) -> QuerySet[GazetteIssue]:
    qs = GazetteIssue.objects.filter(state=GazetteIssue.State.PUBLISHED).select_related("organisation")
    return qs.filter(year=year) if year else qs


def gazette_years() -> list[tuple[int, int]]:
    rows = (GazetteIssue.objects.filter(state=GazetteIssue.State.PUBLISHED).values("year")
            .annotate(n=Count("pk")).order_by("-year"))
    return [(r["year"], r["n"]) for r in rows]


def gazette_issue_public(*, year: int, number: int) -> GazetteIssue | None:
    return gazette_issues_public().filter(year=year, number=number).first()


def gazette_articles(*, issue: GazetteIssue) -> list[GazetteArticle]:
    """The issue's articles in printed order: by section (`conf.GAZETTE_SECTIONS`), then position."""
    order = {name: i for i, name in enumerate(conf.GAZETTE_SECTIONS)}
    arts = list(issue.articles.select_related("document", "document__organisation"))
    return sorted(arts, key=lambda a: (order.get(a.section, len(order)), a.position, a.pk))


def gazette_documents() -> QuerySet[Document]:
    """The documents of published issues that are still public: what the gazette search searches."""
    ids = GazetteArticle.objects.filter(issue__state=GazetteIssue.State.PUBLISHED).values_list("document_id", flat=True)
    return documents_public().filter(pk__in=ids)


def gazette_refs(*, document: Document) -> list[GazetteArticle]:
    """Where a document was printed (for its page: 刊登于《…公报》2026年第3期 第 5 页)."""
    return list(GazetteArticle.objects.filter(document=document, issue__state=GazetteIssue.State.PUBLISHED)
                .select_related("issue", "issue__organisation").order_by("issue__year", "issue__number"))
