"""Writes: the one door for each of the catalogue's records (structure, change history, standard catalogue)."""

from __future__ import annotations

import datetime as dt
import io

import yaml
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from gongkai.compliance.checks import Severity
from gongkai.compliance.engine import check_text
from gongkai.core.models import Organisation, User
from gongkai.core.services import audit_record
from gongkai.documents.models import LIFE_STAGES, Document

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
    ServicePackageItem,
    StandardDomain,
    StandardItem,
)
from .selectors import (
    ROW_FIELDS,
    catalogue_documents,
    catalogue_structure,
    gazette_articles,
    service_item_missing,
)

# --- Structure ------------------------------------------------------------------------------------------


@transaction.atomic
def catalogue_structure_set(*, organisation: Organisation, nodes: list[dict], by: User | None = None) -> list[CatalogueNode]:
    """Replace the organisation's catalogue tree. `nodes`: [{"name", "topic_codes", "genres", "children": [...]}].
    An empty list returns to the default structure (主题分类 → 文种). Entries are re-placed at once."""
    before = list(CatalogueNode.objects.filter(organisation=organisation).values("name", "topic_codes", "genres"))
    CatalogueNode.objects.filter(organisation=organisation).delete()
    created: list[CatalogueNode] = []

    def add(items, parent):
        for position, spec in enumerate(items):
            name = (spec.get("name") or "").strip()
            if not name:
                raise ValueError("目录栏目名称不能为空")
            node = CatalogueNode.objects.create(
                organisation=organisation, parent=parent, name=name, position=position,
                topic_codes=list(spec.get("topic_codes", [])), genres=list(spec.get("genres", [])))
            created.append(node)
            add(spec.get("children", []), node)

    add(nodes, None)
    audit_record(actor=by, action="catalog.structure_set", organisation=organisation, before={"nodes": before},
                 after={"nodes": [n.name for n in created]})
    catalogue_sync(organisation=organisation)
    return created


# --- Change history -------------------------------------------------------------------------------------


@transaction.atomic
def catalogue_sync(*, organisation: Organisation, at: dt.datetime | None = None) -> tuple[int, int]:
    """Bring the change history in line with the live catalogue: close entries of documents that left it
    (withdrawn, no longer 主动公开) or moved heading, open entries for documents that entered. Returns
    (entered, left)."""
    at = at or timezone.now()
    structure = catalogue_structure(organisation=organisation)
    current: dict[int, str] = {}
    for pk, _i, _t, _s, _w, _p, genre, tc, tn, pc, pn in catalogue_documents(organisation=organisation).values_list(*ROW_FIELDS).iterator(chunk_size=conf.EXPORT_CHUNK):
        current[pk] = structure.heading(topic_code=tc, topic_name=tn, parent_code=pc, parent_name=pn, genre=genre)
    open_entries = {e.document_id: e for e in CatalogueEntry.objects.filter(organisation=organisation, left_at__isnull=True)}
    left = 0
    for doc_id, entry in open_entries.items():
        heading = current.get(doc_id)
        if heading != entry.heading:
            entry.left_at = at
            entry.left_reason = "移出目录" if heading is None else "调整类别"
            entry.save(update_fields=["left_at", "left_reason"])
            left += 1
    new = [CatalogueEntry(organisation=organisation, document_id=doc_id, heading=heading, entered_at=at)
           for doc_id, heading in current.items()
           if doc_id not in open_entries or open_entries[doc_id].heading != heading]
    CatalogueEntry.objects.bulk_create(new, batch_size=1000)
    return len(new), left


def catalogue_track(*, document: Document, at: dt.datetime | None = None) -> None:
    """One document changed (published, withdrawn, reclassified): update its organisation's history for it."""
    at = at or timezone.now()
    organisation = document.organisation
    structure = catalogue_structure(organisation=organisation)
    row = catalogue_documents(organisation=organisation).filter(pk=document.pk).values_list(*ROW_FIELDS).first()
    heading = None
    if row is not None:
        _pk, _i, _t, _s, _w, _p, genre, tc, tn, pc, pn = row
        heading = structure.heading(topic_code=tc, topic_name=tn, parent_code=pc, parent_name=pn, genre=genre)
    entry = CatalogueEntry.objects.filter(organisation=organisation, document=document, left_at__isnull=True).first()
    if entry is not None and entry.heading == heading:
        return
    if entry is not None:
        entry.left_at = at
        entry.left_reason = "移出目录" if heading is None else "调整类别"
        entry.save(update_fields=["left_at", "left_reason"])
    if heading is not None:
        CatalogueEntry.objects.create(organisation=organisation, document=document, heading=heading, entered_at=at)


# --- The standard catalogue -------------------------------------------------------------------------------


@transaction.atomic
def standard_catalogue_load(*, path=conf.STANDARD_CATALOGUE_FILE) -> tuple[int, int]:
    """Load (or refresh, idempotently) the shipped 基层政务公开标准目录. Returns (domains, items)."""
    with open(path, encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    default = data["default_time_limit"]
    n_items = 0
    for d_pos, d in enumerate(data["domains"]):
        domain, _ = StandardDomain.objects.update_or_create(name=d["name"], defaults={"position": d_pos})
        for i_pos, item in enumerate(d["items"]):
            limit = item.get("time_limit", default)
            StandardItem.objects.update_or_create(
                domain=domain, level1=item["level1"], level2=item["level2"],
                defaults={
                    "elements": item.get("elements", []), "basis": item.get("basis", ""),
                    "time_limit_text": limit["text"], "time_limit_working_days": limit["working_days"],
                    "subject": item.get("subject", ""), "channels": item.get("channels", ["政府网站"]),
                    "audience": item.get("audience", "全社会"), "mode": item.get("mode", "主动"),
                    "levels": item.get("levels", []), "position": i_pos,
                })
            n_items += 1
    return len(data["domains"]), n_items


@transaction.atomic
def standard_catalogue_adopt(*, organisation: Organisation, level: str | None = None, domains: list[str] | None = None,
                             by: User | None = None) -> int:
    """A county (level 县级) or township (乡级) adopts the standard items for its level; items it already has are
    kept as adapted. Returns the number of items added."""
    have = set(AdoptedItem.objects.filter(organisation=organisation).values_list("standard_id", flat=True))
    qs = StandardItem.objects.select_related("domain")
    if domains:
        qs = qs.filter(domain__name__in=domains)
    new = [AdoptedItem(organisation=organisation, standard=s, domain=s.domain.name, level1=s.level1, level2=s.level2,
                       elements=list(s.elements), time_limit_working_days=s.time_limit_working_days)
           for s in qs if s.pk not in have and (level is None or level in s.levels)]
    AdoptedItem.objects.bulk_create(new)
    audit_record(actor=by, action="catalog.standard_adopt", organisation=organisation, after={"items": len(new), "level": level})
    return len(new)


ITEM_FIELDS = ("level1", "level2", "elements", "time_limit_working_days", "owner", "changed_on", "active")


@transaction.atomic
def adopted_item_update(*, item: AdoptedItem, by: User | None = None, documents: list[Document] | None = None,
                        **fields) -> AdoptedItem:
    """Adapt an item, assign its owner, record that its information changed, link the content that fulfils it."""
    unknown = set(fields) - set(ITEM_FIELDS)
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")
    if "time_limit_working_days" in fields and not 0 < int(fields["time_limit_working_days"]) <= 365:
        raise ValueError("公开时限应为1至365个工作日")
    before = {k: str(getattr(item, k)) for k in fields}
    for k, v in fields.items():
        setattr(item, k, v)
    item.save()
    after = {k: str(getattr(item, k)) for k in fields}
    if documents is not None:
        item.documents.set(documents)
        after["documents"] = [d.pk for d in documents]
    audit_record(actor=by, action="catalog.item_update", obj=item, organisation=item.organisation, before=before, after=after)
    return item


# --- 重点领域专栏 -------------------------------------------------------------------------------------------------

COLUMN_FIELDS = ("name", "description", "position", "genres", "topic_codes", "keywords", "standard_domains", "required",
                 "stages", "freshness", "include_descendants", "active")


def _str_list(value, label: str) -> list[str]:
    if isinstance(value, str):
        value = [v for v in value.replace("，", ",").replace("、", ",").split(",")]
    if not isinstance(value, list | tuple):
        raise ValueError(f"{label}应为列表")
    return [str(v).strip() for v in value if str(v).strip()]


@transaction.atomic
def key_area_column_save(*, organisation: Organisation, slug: str, by: User | None = None, **fields) -> KeyAreaColumn:
    """Create or change a key-area column (the one door; audited). Lists may be given as text split at ，、,."""
    unknown = set(fields) - set(COLUMN_FIELDS)
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")
    for key, label in (("genres", "文种"), ("topic_codes", "主题分类"), ("keywords", "关键词"), ("standard_domains", "标准目录领域")):
        if key in fields:
            fields[key] = _str_list(fields[key], label)
    if "freshness" in fields and fields["freshness"] not in KeyAreaColumn.Freshness.values:
        raise ValueError("更新要求无效")
    for key in ("required", "stages"):
        for spec in fields.get(key, []):
            if (not isinstance(spec, dict) or not str(spec.get("name") or "").strip()
                    or not _str_list(spec.get("keywords", []), "关键词")):
                raise ValueError("每个必须事项或阶段都要有名称和至少一个关键词")
    column = KeyAreaColumn.objects.filter(organisation=organisation, slug=slug).first()
    before = {k: getattr(column, k) for k in fields} if column else None
    if column is None:
        if not (fields.get("name") or "").strip():
            raise ValueError("专栏名称不能为空")
        column = KeyAreaColumn(organisation=organisation, slug=slug)
    for k, v in fields.items():
        setattr(column, k, v)
    column.full_clean()
    column.save()
    audit_record(actor=by, action="catalog.column_save", obj=column, organisation=organisation, before=before,
                 after={k: getattr(column, k) for k in fields})
    return column


def key_area_columns_seed(*, organisation: Organisation, by: User | None = None) -> int:
    """Give the organisation the default columns of `conf.KEY_AREA_COLUMNS` it does not have yet."""
    have = set(KeyAreaColumn.objects.filter(organisation=organisation).values_list("slug", flat=True))
    n = 0
    for position, spec in enumerate(conf.KEY_AREA_COLUMNS):
        if spec["slug"] in have:
            continue
        fields = {k: v for k, v in spec.items() if k != "slug"}
        key_area_column_save(organisation=organisation, slug=spec["slug"], by=by, position=position, **fields)
        n += 1
    return n


# --- 办事指南 ---------------------------------------------------------------------------------------------------


class GuideIncomplete(ValueError):
    """A 办事指南 missing elements cannot be published (RULES §5)."""

    def __init__(self, missing: list[str]):
        self.missing = missing
        super().__init__("办事指南缺少要素：" + "、".join(missing))


SERVICE_FIELDS = ("name", "kind", "basis_text", "conditions", "materials", "location", "hours", "phone", "process",
                  "legal_limit", "promised_limit", "fee", "fee_basis", "consult", "complaint", "online_url",
                  "audiences", "life_stages")


def _materials(value) -> list[dict]:
    out = []
    for m in value or []:
        if isinstance(m, str):
            m = {"name": m}
        name = (m.get("name") or "").strip()
        if name:
            out.append({"name": name, "form": (m.get("form") or "").strip(), "copies": str(m.get("copies") or "").strip(),
                        "source": (m.get("source") or "").strip(), "sample": (m.get("sample") or "").strip()})
    return out


@transaction.atomic
def service_item_save(*, organisation: Organisation, code: str, by: User | None = None,
                      basis_documents: list[Document] | None = None, **fields) -> ServiceItem:
    """Create or edit a guide (staff editing). A published guide edited into an incomplete one goes back to draft:
    the public never sees a guide with missing elements."""
    unknown = set(fields) - set(SERVICE_FIELDS)
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")
    code = (code or "").strip()
    if not code:
        raise ValueError("事项编码不能为空")
    item = ServiceItem.objects.filter(code=code).first()
    if item is not None and item.organisation_id != organisation.pk:
        raise ValueError("该事项编码已被其他机关使用")
    before = {k: getattr(item, k) for k in fields} if item else None
    item = item or ServiceItem(organisation=organisation, code=code)
    if "materials" in fields:
        fields["materials"] = _materials(fields["materials"])
    if "process" in fields:
        steps = fields["process"]
        steps = steps.splitlines() if isinstance(steps, str) else steps
        fields["process"] = [s.strip() for s in steps if s and s.strip()]
    for key in ("audiences", "life_stages"):
        if key in fields:
            fields[key] = _str_list(fields[key], key)
    for k, v in fields.items():
        setattr(item, k, v)
    if not (item.name or "").strip():
        raise ValueError("事项名称不能为空")
    try:
        item.full_clean(exclude=["basis_documents"])
    except ValidationError as e:
        raise ValueError("；".join(f"{item._meta.get_field(k).verbose_name}：{'、'.join(v)}" if k != "__all__" else "、".join(v)
                                  for k, v in e.message_dict.items())) from e
    item.save()
    if basis_documents is not None:
        item.basis_documents.set(basis_documents)
    note = ""
    if item.state == ServiceItem.State.PUBLISHED and service_item_missing(item=item):
        item.state = ServiceItem.State.DRAFT
        item.save(update_fields=["state"])
        note = "要素不全，已退回草稿"
    audit_record(actor=by, action="catalog.service_save", obj=item, organisation=organisation, before=before,
                 after={k: getattr(item, k) for k in fields}, note=note)
    return item


def _guide_text(item: ServiceItem) -> str:
    materials = "\n".join(m["name"] for m in item.materials)
    return "\n".join([item.name, item.basis_text, item.conditions, materials, item.location, item.hours,
                      "\n".join(item.process), item.fee, item.consult, item.complaint])


@transaction.atomic
def service_item_publish(*, item: ServiceItem, by: User | None = None, at: dt.datetime | None = None) -> ServiceItem:
    """Publish a guide: every element present (RULES §5, `conf.SERVICE_ELEMENTS`) and no severe finding of the
    content checks (wording, personal data) in its text."""
    missing = service_item_missing(item=item)
    if missing:
        raise GuideIncomplete(missing)
    severe = [h for h in check_text(_guide_text(item), typos=False) if h.severity == Severity.SEVERE]
    if severe:
        raise ValueError("办事指南有严重问题：" + "；".join(f"“{h.text}”{h.message}" for h in severe[:3]))
    item.state = ServiceItem.State.PUBLISHED
    item.published_at = at or timezone.now()
    item.save(update_fields=["state", "published_at", "updated_at"])
    audit_record(actor=by, action="catalog.service_publish", obj=item, organisation=item.organisation)
    return item


def service_item_withdraw(*, item: ServiceItem, by: User | None = None, reason: str = "") -> ServiceItem:
    item.state = ServiceItem.State.WITHDRAWN
    item.save(update_fields=["state", "updated_at"])
    audit_record(actor=by, action="catalog.service_withdraw", obj=item, organisation=item.organisation, note=reason)
    return item


@transaction.atomic
def service_package_save(*, organisation: Organisation, slug: str, name: str, audience: str, life_stage: str,
                         items: list[ServiceItem], description: str = "", published: bool = True,
                         by: User | None = None) -> ServicePackage:
    """一件事: `items` in order, across departments; the life stage is one of the platform's classification
    (`documents.models.LIFE_STAGES`, RULES §6)."""
    if life_stage not in LIFE_STAGES.get(audience, []):
        raise ValueError(f"生命周期“{life_stage}”不属于{audience}的分类")
    if not items:
        raise ValueError("一件事至少包含一个事项")
    package, _ = ServicePackage.objects.update_or_create(slug=slug, defaults={
        "organisation": organisation, "name": name, "audience": audience, "life_stage": life_stage,
        "description": description, "published": published})
    package.steps.all().delete()
    ServicePackageItem.objects.bulk_create([ServicePackageItem(package=package, item=i, position=n) for n, i in enumerate(items)])
    audit_record(actor=by, action="catalog.package_save", obj=package, organisation=organisation,
                 after={"items": [i.code for i in items]})
    return package


# --- 政府公报 ---------------------------------------------------------------------------------------------------


@transaction.atomic
def gazette_issue_create(*, organisation: Organisation, year: int, number: int, published_on: dt.date,
                         total_number: int | None = None, by: User | None = None) -> GazetteIssue:
    """A new issue; 总期号 continues the organisation's last one unless given."""
    if total_number is None:
        last = GazetteIssue.objects.filter(organisation=organisation).order_by("-total_number").first()
        total_number = (last.total_number + 1) if last else 1
    if GazetteIssue.objects.filter(organisation=organisation, year=year, number=number).exists():
        raise ValueError(f"{year}年第{number}期已存在")
    if GazetteIssue.objects.filter(organisation=organisation, total_number=total_number).exists():
        raise ValueError(f"总第{total_number}期已存在")
    issue = GazetteIssue.objects.create(organisation=organisation, year=year, number=number, total_number=total_number,
                                        published_on=published_on)
    audit_record(actor=by, action="catalog.gazette_create", obj=issue, organisation=organisation)
    return issue


@transaction.atomic
def gazette_issue_set_articles(*, issue: GazetteIssue, articles: list[tuple[Document, str]],
                               by: User | None = None) -> list[GazetteArticle]:
    """The issue's contents, in order: (document, section). Only published, 主动公开 documents; only while the
    issue is being edited (a printed issue is not changed)."""
    if issue.state != GazetteIssue.State.DRAFT:
        raise ValueError("已出版的公报不能修改")
    for document, _section in articles:
        if not document.is_public:
            raise ValueError(f"《{document.title}》未主动公开，不能刊登")
    issue.articles.all().delete()
    created = GazetteArticle.objects.bulk_create([
        GazetteArticle(issue=issue, document=d, section=(s or "其他").strip(), position=n)
        for n, (d, s) in enumerate(articles)])
    audit_record(actor=by, action="catalog.gazette_contents", obj=issue, organisation=issue.organisation,
                 after={"documents": [d.pk for d, _s in articles]})
    return created


@transaction.atomic
def gazette_issue_publish(*, issue: GazetteIssue, by: User | None = None) -> GazetteIssue:
    """Print the issue: the PDF is generated (cover, contents with page numbers, each document), each article
    records the page it starts on, and the issue is published."""
    from .gazette_pdf import gazette_pdf  # noqa: PLC0415 — reportlab and the fonts load on first use

    if issue.state != GazetteIssue.State.DRAFT:
        raise ValueError("该期公报已出版")
    articles = gazette_articles(issue=issue)
    if not articles:
        raise ValueError("公报没有刊登任何文件")
    buf = io.BytesIO()
    pages, starts = gazette_pdf(issue=issue, articles=articles, out=buf)
    for article in articles:
        article.page = starts[article.pk]
    GazetteArticle.objects.bulk_update(articles, ["page"])
    issue.pages = pages
    issue.state = GazetteIssue.State.PUBLISHED
    issue.pdf.save(f"{issue.year}-{issue.number:02d}.pdf", ContentFile(buf.getvalue()), save=False)
    issue.save()
    audit_record(actor=by, action="catalog.gazette_publish", obj=issue, organisation=issue.organisation,
                 after={"pages": pages})
    return issue
