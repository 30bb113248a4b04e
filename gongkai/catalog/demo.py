"""The catalogue's part of the demo data: the standard catalogue loaded and adopted, owners assigned, one item
linked to content and one overdue, a configured catalogue structure for one department, the change history."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from gongkai.core.models import Organisation
from gongkai.documents.models import Document

from . import services
from .models import AdoptedItem, CatalogueNode

# Which demo department owns which standard-catalogue domain (by the code of DEMO_DEPARTMENTS).
OWNERS = {"重大建设项目": "DEMO00002", "义务教育": "DEMO00003", "就业": "DEMO00004", "社会保险": "DEMO00004",
          "城乡规划": "DEMO00005", "食品药品监管": "DEMO00006", "公共法律服务": "DEMO00007"}


def load_demo_catalog(*, government: Organisation, stdout=None) -> None:
    """Idempotent: run after the demo organisations and library exist."""
    domains, items = services.standard_catalogue_load()
    added = services.standard_catalogue_adopt(organisation=government, level="县级")
    by_code = {o.code: o for o in Organisation.objects.filter(code__in=set(OWNERS.values()))}
    for item in AdoptedItem.objects.filter(organisation=government, owner__isnull=True):
        owner = by_code.get(OWNERS.get(item.domain, ""), government)
        services.adopted_item_update(item=item, owner=owner)
    # One item fulfilled by a real document of the library, one whose information changed long ago (overdue).
    edu = AdoptedItem.objects.filter(organisation=government, domain="义务教育", level2="招生政策").first()
    doc = Document.objects.filter(status="published", title__contains="教育").order_by("-published_at").first()
    if edu is not None and doc is not None and not edu.documents.exists():
        services.adopted_item_update(item=edu, documents=[doc])
    fin = AdoptedItem.objects.filter(organisation=government, domain="财政预决算", level2="部门预算").first()
    if fin is not None and fin.changed_on is None:
        services.adopted_item_update(item=fin, changed_on=timezone.localdate() - dt.timedelta(days=60))
    # The education bureau arranges its catalogue by its own headings.
    bureau = by_code.get("DEMO00003")
    if bureau is not None and not CatalogueNode.objects.filter(organisation=bureau).exists():
        services.catalogue_structure_set(organisation=bureau, nodes=[
            {"name": "政策文件", "genres": ["rule", "normative", "law", "order", "decision", "opinion"]},
            {"name": "通知公告", "genres": ["notice", "announcement", "public_notice", "circular"]},
            {"name": "工作报告", "genres": ["report"]},
        ])
    for org in Organisation.objects.filter(is_active=True):
        services.catalogue_sync(organisation=org)
    if stdout is not None:
        stdout.write(f"基层政务公开标准目录：{domains} 个领域、{items} 个事项；{government.name}新采用 {added} 项。")
