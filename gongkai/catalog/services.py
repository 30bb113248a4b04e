"""Writes: the one door for each of the catalogue's records (structure, change history, standard catalogue)."""

from __future__ import annotations

import datetime as dt

import yaml
from django.db import transaction
from django.utils import timezone

from gongkai.core.models import Organisation, User
from gongkai.core.services import audit_record
from gongkai.documents.models import Document

from . import conf
from .models import AdoptedItem, CatalogueEntry, CatalogueNode, StandardDomain, StandardItem
from .selectors import ROW_FIELDS, catalogue_documents, catalogue_structure

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
